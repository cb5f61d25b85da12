from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models.signals import post_migrate
from django.urls import reverse

from promotion.models import ChainStage, Park, ZoneProfile

from .factories import make_enterprise, make_industry, make_park

pytestmark = pytest.mark.django_db


def test_an_edited_park_shows_on_its_page_at_once(staff_client, client):
    park = make_park("Canal Bank Park")
    url = park.get_absolute_url()
    assert "Canal Bank Park" in client.get(url).content.decode()  # now cached

    change = reverse("admin:promotion_park_change", args=[park.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "image"}
    data["summary_en"] = "A park for LED lighting and PV modules, newly described."
    assert staff_client.post(change, data).status_code == HTTPStatus.FOUND

    assert "newly described" in client.get(url).content.decode()
    assert "newly described" in client.get(reverse("promotion:park-list")).content.decode()


def test_a_cached_page_costs_no_query(client, django_assert_num_queries):
    make_park("Canal Bank Park")
    client.get("/en/parks/")
    with django_assert_num_queries(0):
        response = client.get("/en/parks/")
    assert response.status_code == HTTPStatus.OK
    assert "Canal Bank Park" in response.content.decode()


def test_changing_a_parks_industries_also_refreshes_pages(client):
    park, industry = make_park("Canal Bank Park"), make_industry("Precision Casting")
    before = client.get(park.get_absolute_url()).content.decode()
    assert "Precision Casting" not in before.split("<main", 1)[1]
    park.industries.add(industry)
    assert "Precision Casting" in client.get(park.get_absolute_url()).content.decode().split("<main", 1)[1]


def test_public_pages_answer_conditional_requests(client):
    first = client.get("/en/about/")
    assert first["Cache-Control"] == "public, max-age=60"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/en/about/", HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.NOT_MODIFIED
    assert client.get("/en/about/", HTTP_IF_MODIFIED_SINCE=modified).status_code == HTTPStatus.NOT_MODIFIED
    assert client.get("/zh-hans/about/", HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.OK  # other language


def test_languages_and_queries_are_cached_apart(client):
    casting, textiles = make_industry("Precision Casting"), make_industry("Fine Textiles")
    make_enterprise("Canal Casting Works", industry=casting, name_zh_hans="运河铸造厂")
    make_enterprise("Canal Weaving Mill", industry=textiles)
    english = client.get("/en/enterprises/", {"industry": casting.slug}).content.decode()
    chinese = client.get("/zh-hans/enterprises/", {"industry": casting.slug}).content.decode()
    everything = client.get("/en/enterprises/").content.decode()
    assert "Canal Casting Works" in english and "运河铸造厂" in chinese
    assert "Canal Weaving Mill" not in english and "Canal Weaving Mill" in everything


def test_the_enquiry_form_is_never_cached(client):
    response = client.get("/en/enquiry/")
    assert "public" not in response.get("Cache-Control", "")
    assert "csrftoken" in response.cookies


def test_unknown_query_parameters_never_make_a_new_cache_entry(client):
    park = make_park("Canal Bank Park")
    assert "Canal Bank Park" in client.get("/en/parks/").content.decode()
    # Changed behind the cache's back: only a page rendered afresh would show it.
    Park.objects.filter(pk=park.pk).update(name_en="Renamed behind the cache")
    for number in range(25):
        body = client.get("/en/parks/", {"x": number, "utm_source": f"mail-{number}"}).content.decode()
        assert "Canal Bank Park" in body
        assert "Renamed behind the cache" not in body


def test_the_parameters_a_page_reads_still_key_its_copies(client):
    casting, textiles = make_industry("Precision Casting"), make_industry("Fine Textiles")
    make_enterprise("Canal Casting Works", industry=casting)
    with_casting = client.get("/en/enterprises/", {"industry": casting.slug, "utm_campaign": "a"}).content.decode()
    with_textiles = client.get("/en/enterprises/", {"industry": textiles.slug}).content.decode()
    assert "Canal Casting Works" in with_casting
    assert "Canal Casting Works" not in with_textiles
    split = client.get("/en/policies/tax-sharing/", {"tax": "1000000", "ref": "x"}).content.decode()
    assert "800,000" in split


def test_a_cached_page_never_repeats_a_visitors_unknown_parameters(client):
    casting = make_industry("Precision Casting")
    client.get("/en/enterprises/", {"industry": casting.slug, "tracking": "visitor-one-secret"})
    body = client.get("/en/enterprises/", {"industry": casting.slug}).content.decode()
    assert "visitor-one-secret" not in body


def test_a_bulk_update_through_the_documented_rule_shows_at_once(client):
    from promotion.caching import bump_content_version

    park = make_park("Canal Bank Park")
    assert "Canal Bank Park" in client.get("/en/parks/").content.decode()
    Park.objects.filter(pk=park.pk).update(name_en="Canal Bank and Lock Park")
    bump_content_version()
    assert "Canal Bank and Lock Park" in client.get("/en/parks/").content.decode()


def test_page_cache_seconds_zero_renders_every_time(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    park = make_park("Canal Bank Park")
    client.get("/en/parks/")
    Park.objects.filter(pk=park.pk).update(name_en="Renamed without a signal")
    assert "Renamed without a signal" in client.get("/en/parks/").content.decode()


def test_a_per_process_cache_with_several_workers_fails_the_check(settings):
    from promotion.checks import cache_shared_by_workers

    settings.WEB_WORKERS = 5
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [warning.id for warning in cache_shared_by_workers(None)] == ["promotion.W001"]
    settings.WEB_WORKERS = 1
    assert cache_shared_by_workers(None) == []


def test_the_default_cache_is_shared_by_every_process():
    from zone_site import settings as defaults

    if defaults.REDIS_URL:
        assert defaults.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert defaults.CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_every_model_the_public_pages_show_moves_the_page_cache_and_no_other_does():
    from django.apps import apps

    from promotion.admin.content import ContentAdmin
    from promotion.caching import is_content_model
    from promotion.models import Enquiry, EnquiryMessage, PolicyMeasure, Shown

    shown = {model for model in apps.get_app_config("promotion").get_models() if issubclass(model, Shown)}
    edited = {model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ContentAdmin)}
    assert edited | {ChainStage, PolicyMeasure} == shown
    assert all(is_content_model(model) for model in shown)
    assert is_content_model(Park.industries.through) and is_content_model(ZoneProfile.innovation_parks.through)
    assert not any(is_content_model(model) for model in (Enquiry, EnquiryMessage))


def test_pointing_a_page_to_a_park_refreshes_it_though_nothing_else_was_saved(client):
    park = make_park("Canal Bank Park")
    assert park.get_absolute_url() not in client.get("/en/innovation/").content.decode()  # now cached
    ZoneProfile.objects.get().innovation_parks.add(park)
    assert park.get_absolute_url() in client.get("/en/innovation/").content.decode()


def test_a_chain_stage_renamed_shows_on_its_industry_page_at_once(client):
    industry = make_industry("Precision Casting")
    stage = ChainStage.objects.create(industry=industry, name_en="Moulding", name_zh_hans="造型")
    assert "Renamed stage" not in client.get(industry.get_absolute_url()).content.decode()
    stage.name_en = "Renamed stage"
    stage.save()
    assert "Renamed stage" in client.get(industry.get_absolute_url()).content.decode()


def test_a_migration_on_deploy_makes_every_cached_page_and_kept_form_stale(client):
    park = make_park("Canal Bank Park")
    url = park.get_absolute_url()
    assert "Canal Bank Park" in client.get(url).content.decode()  # now cached
    assert "Canal Bank Park" in client.get("/en/enquiry/").content.decode()  # the blank form kept
    # What a new release renders differently stands in for here by a change that sends no signal.
    Park.objects.filter(pk=park.pk).update(name_en="Canal Side Park")
    assert "Canal Bank Park" in client.get(url).content.decode()

    promotion = apps.get_app_config("promotion")
    post_migrate.send(sender=promotion, app_config=promotion, verbosity=0, interactive=False, using="default")
    assert "Canal Side Park" in client.get(url).content.decode()
    assert "Canal Side Park" in client.get("/en/enquiry/").content.decode()
