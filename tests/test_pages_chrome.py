"""The header's navigation, the footer and the zone profile every page shares are kept between requests
(promotion.caching.site_chrome): an edit shows in them at once, and nothing of one request reaches another's."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promotion.models import ZoneProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    """Every page rendered afresh, as PAGE_CACHE_SECONDS=0 does: only the shared parts are kept."""
    settings.PAGE_CACHE_SECONDS = 0


def footer(body: str) -> str:
    return body.split('<footer class="site-footer">', 1)[1]


def test_the_shared_parts_cost_no_query_once_kept(client):
    client.get(reverse("promotion:privacy"))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("promotion:privacy")).content.decode()
    assert len(queries) == 0
    profile = ZoneProfile.objects.get()
    assert f'<a class="site-name" href="/en/">{profile.short_name}</a>' in body
    assert profile.name in footer(body)


def test_an_edit_of_the_zone_profile_shows_at_once_in_the_header_and_footer(client):
    client.get(reverse("promotion:park-list"))  # now kept
    profile = ZoneProfile.objects.get()
    profile.short_name_en = "Red Flag Canal Zone"
    profile.location_en = "On the Red Flag Canal, newly described"
    profile.save()
    body = client.get(reverse("promotion:park-list")).content.decode()
    assert '<a class="site-name" href="/en/">Red Flag Canal Zone</a>' in body
    assert "On the Red Flag Canal, newly described" in footer(body)
    assert "newly described" in client.get(reverse("promotion:about")).content.decode()


def test_each_language_keeps_its_own(client):
    english = client.get("/en/").content.decode()
    chinese = client.get("/zh-hans/").content.decode()
    assert '<a href="/en/parks/">Parks</a>' in english
    assert '<a href="/zh-hans/parks/">' in chinese and '<a href="/en/parks/">' not in chinese
    assert '<a href="/zh-hans/privacy/">' in footer(chinese)


def test_what_belongs_to_one_request_never_reaches_another(client):
    searched = client.get(reverse("promotion:search"), {"q": "vanadium"}).content.decode()
    assert 'value="vanadium"' in searched
    parks = client.get(reverse("promotion:park-list")).content.decode()
    assert "vanadium" not in parks
    # The language switch names this page in the other language, not the page that filled the cache.
    assert 'class="language-switch" href="/zh-hans/parks/"' in parks
    about = client.get(reverse("promotion:about")).content.decode()
    assert 'class="language-switch" href="/zh-hans/about/"' in about


def test_a_page_rendered_without_a_request_still_has_its_footer():
    # The server-error page is rendered with no request and no context processors.
    body = render_to_string("500.html")
    assert "Privacy notice" in footer(body) and '<nav class="desktop-nav"' in body


def test_the_header_search_is_labelled_apart_from_other_searches(client):
    body = client.get("/en/").content.decode()
    assert 'role="search" aria-label="Site search"' in body
