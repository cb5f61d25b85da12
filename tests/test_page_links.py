"""The parks and policies the investment environment and innovation pages point to are the editors' to
choose, in the zone profile's admin; the shipped choices come with the data."""

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from promotion.models import Park, Policy, ZoneProfile

from .factories import make_park, make_policy

pytestmark = pytest.mark.django_db

SHIPPED = {
    "environment_parks": ["e-commerce-base", "huan-river-park"],
    "innovation_parks": ["tsinghua-new-material-base"],
    "innovation_policies": ["talent-100-entrepreneurs"],
}


def pointed_to(profile: ZoneProfile) -> dict[str, list[str]]:
    return {name: sorted(getattr(profile, name).values_list("slug", flat=True)) for name in SHIPPED}


def see_also(client, route: str) -> str:
    """The page's "see also" links, where it points to parks and policies."""
    body = client.get(reverse(route)).content.decode()
    return body.split("<main", 1)[1]


def post_profile(client, profile: ZoneProfile, **changes):
    url = reverse("admin:promotion_zoneprofile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, value in form.initial.items():
        if value is None:
            continue
        if isinstance(value, list):  # a many-to-many field: the objects chosen
            value = [obj.pk for obj in value]
        data[name] = value
    data.update(changes)
    return client.post(url, data)


def test_the_shipped_fixtures_point_the_pages_where_they_pointed_before():
    assert pointed_to(ZoneProfile.objects.get()) == SHIPPED


def test_load_zone_on_an_empty_database_points_the_pages_the_same_way(settings, tmp_path):
    ZoneProfile.objects.all().delete()
    call_command("load_zone", verbosity=0)
    assert pointed_to(ZoneProfile.objects.get()) == SHIPPED


def test_the_migration_points_an_existing_sites_pages_as_the_code_did():
    profile = ZoneProfile.objects.get()
    for name in SHIPPED:
        getattr(profile, name).clear()
    migration = importlib.import_module("promotion.migrations.0014_point_pages_as_before")
    migration.point_pages_as_before(apps, None)
    assert pointed_to(profile) == SHIPPED


def test_an_editor_points_the_environment_page_to_another_park_and_it_shows_at_once(staff_client, client):
    park = make_park("Test Valley Park")
    assert "E-commerce Base" in see_also(client, "promotion:environment")  # now cached
    assert "Test Valley Park" not in see_also(client, "promotion:environment")

    huan = Park.objects.get(slug="huan-river-park")
    response = post_profile(staff_client, ZoneProfile.objects.get(), environment_parks=[huan.pk, park.pk])
    assert response.status_code == HTTPStatus.FOUND

    page = see_also(client, "promotion:environment")
    assert "Test Valley Park" in page and park.get_absolute_url() in page
    assert Park.objects.get(slug="e-commerce-base").get_absolute_url() not in page


def test_an_editor_points_the_innovation_page_to_other_policies_and_it_shows_at_once(staff_client, client):
    policy = make_policy("Test Incentive")
    page = see_also(client, "promotion:innovation")
    talent = Policy.objects.get(slug="talent-100-entrepreneurs")
    assert talent.get_absolute_url() in page and policy.get_absolute_url() not in page

    response = post_profile(staff_client, ZoneProfile.objects.get(), innovation_policies=[policy.pk])
    assert response.status_code == HTTPStatus.FOUND

    page = see_also(client, "promotion:innovation")
    assert policy.get_absolute_url() in page and talent.get_absolute_url() not in page


def test_the_admin_names_the_choices_in_the_editors_language(staff_client):
    url = reverse("admin:promotion_zoneprofile_change", args=[ZoneProfile.objects.get().pk])
    english = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Parks on the investment environment page" in english
    assert "Policies on the innovation page" in english


def test_a_park_removed_from_the_zone_leaves_the_page_without_it(client):
    park = Park.objects.get(slug="huan-river-park")
    url = park.get_absolute_url()
    assert url in see_also(client, "promotion:environment")
    park.delete()
    assert url not in see_also(client, "promotion:environment")
