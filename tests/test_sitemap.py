"""The sitemap index and its sections' pages: every public address once, in both languages with
their alternates, paged so that a page costs the same however many enterprises there are."""

import math
from http import HTTPStatus
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone, translation

from promotion import sitemaps
from promotion.models import Enterprise, Industry, Park, Policy, Project

from .factories import make_enterprise

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
MODELS = {"parks": Park, "industries": Industry, "enterprises": Enterprise, "projects": Project, "policies": Policy}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def small_pages(monkeypatch):
    """Three addresses a page, so that the fixtures' sections run to several pages and an object's
    two languages sometimes fall on two pages."""
    monkeypatch.setattr(sitemaps.BilingualSitemap, "limit", 3)
    return 3


def index_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    return [loc.text for loc in ElementTree.fromstring(response.content).findall("s:sitemap/s:loc", NS)]


def get(client, location: str):
    address = urlparse(location)
    return client.get(address.path + (f"?{address.query}" if address.query else ""))


def urls_by_section(client) -> dict[str, list[ElementTree.Element]]:
    """Every <url> of every page the index lists, by section."""
    found = {}
    for location in index_locations(client):
        response = get(client, location)
        assert response.status_code == HTTPStatus.OK, location
        assert response["Content-Type"] == "application/xml"
        section = urlparse(location).path.removeprefix("/sitemap-").removesuffix(".xml")
        found.setdefault(section, []).extend(ElementTree.fromstring(response.content).findall("s:url", NS))
    return found


def expected_paths(model) -> list[str]:
    paths = []
    for obj in model.objects.order_by("pk"):
        for language in LANGUAGES:
            with translation.override(language):
                paths.append(obj.get_absolute_url())
    return paths


def test_every_object_is_listed_once_in_each_language_across_the_pages_of_its_section(client, small_pages):
    make_enterprise("Paged Works Co., Ltd.")
    found = urls_by_section(client)
    assert sorted(found) == sorted([*MODELS, "pages"])
    for section, model in MODELS.items():
        paths = [urlparse(url.findtext("s:loc", namespaces=NS)).path for url in found[section]]
        assert paths == expected_paths(model), section
    assert "/en/enterprises/paged-works-co-ltd/" in [
        urlparse(url.findtext("s:loc", namespaces=NS)).path for url in found["enterprises"]
    ]


def test_each_address_carries_its_alternates_and_the_day_it_last_changed(client, small_pages):
    enterprise = make_enterprise("Alternate Works Co., Ltd.")
    urls = {url.findtext("s:loc", namespaces=NS): url for url in urls_by_section(client)["enterprises"]}
    for language in LANGUAGES:
        url = urls[f"http://testserver/{language}/enterprises/alternate-works-co-ltd/"]
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        assert links == {
            "en": "http://testserver/en/enterprises/alternate-works-co-ltd/",
            "zh-hans": "http://testserver/zh-hans/enterprises/alternate-works-co-ltd/",
            "x-default": "http://testserver/enterprises/alternate-works-co-ltd/",
        }
        assert url.findtext("s:lastmod", namespaces=NS) == timezone.localdate(enterprise.updated_at).isoformat()


def test_the_index_lists_every_page_of_every_section(client, small_pages):
    expected = ["http://testserver/sitemap-pages.xml"]
    pages_section = len(sitemaps.PageSitemap().items()) * len(LANGUAGES)
    expected += [f"http://testserver/sitemap-pages.xml?p={n}" for n in range(2, math.ceil(pages_section / 3) + 1)]
    for section, model in MODELS.items():
        pages = math.ceil(model.objects.count() * len(LANGUAGES) / small_pages)
        assert pages > 1, section
        expected.append(f"http://testserver/sitemap-{section}.xml")
        expected += [f"http://testserver/sitemap-{section}.xml?p={n}" for n in range(2, pages + 1)]
    assert index_locations(client) == expected


def test_the_index_gives_each_section_the_day_of_its_latest_change(client):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    lastmods = {
        urlparse(item.findtext("s:loc", namespaces=NS)).path: item.findtext("s:lastmod", namespaces=NS)
        for item in root.findall("s:sitemap", NS)
    }
    latest = Enterprise.objects.latest("updated_at").updated_at
    assert lastmods["/sitemap-enterprises.xml"] == timezone.localtime(latest).isoformat()
    assert lastmods["/sitemap-pages.xml"] is None


def test_at_the_real_page_size_the_fixtures_fit_on_one_page_per_section(client):
    assert index_locations(client) == [f"http://testserver/sitemap-{section}.xml" for section in sitemaps.SITEMAPS]


def test_a_page_past_the_last_is_not_found(client, small_pages):
    last = math.ceil(Policy.objects.count() * len(LANGUAGES) / small_pages)
    assert client.get(f"/sitemap-policies.xml?p={last}").status_code == HTTPStatus.OK
    assert client.get(f"/sitemap-policies.xml?p={last + 1}").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/sitemap-policies.xml?p=" + "9" * 200).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "%00", "1e3", "2"])
def test_a_page_number_that_names_no_page_is_not_found(client, page):
    assert client.get(f"/sitemap-enterprises.xml?p={page}").status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-enquiries.xml").status_code == HTTPStatus.NOT_FOUND


def test_the_page_cache_keeps_each_page_apart(client, small_pages, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/sitemap-parks.xml").content
    second = client.get("/sitemap-parks.xml?p=2").content
    assert first != second
    assert client.get("/sitemap-parks.xml?p=2").content == second


@pytest.mark.parametrize("section", sorted(MODELS))
def test_a_section_page_makes_two_queries_however_many_objects(client, small_pages, settings, section,
                                                               django_assert_num_queries):  # fmt: skip
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(5):
        make_enterprise(f"Counted Works {_} Co., Ltd.")
    last = math.ceil(MODELS[section].objects.count() * len(LANGUAGES) / small_pages)
    for page in (1, last):
        with django_assert_num_queries(2):  # the count and latest change, and the page's rows
            assert client.get(f"/sitemap-{section}.xml?p={page}").status_code == HTTPStatus.OK


def test_the_pages_section_makes_no_query(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(0):
        assert client.get("/sitemap-pages.xml").status_code == HTTPStatus.OK


def test_the_index_makes_one_query_per_content_section(client, small_pages, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(len(MODELS)):
        assert client.get("/sitemap.xml").status_code == HTTPStatus.OK


def test_each_request_works_on_a_sitemap_of_its_own():
    shared = sitemaps.SITEMAPS["enterprises"]
    mine, yours = shared(), shared()
    assert mine is not shared and mine is not yours
    assert (mine.model, yours.model) == (Enterprise, Enterprise)


def test_a_section_with_nothing_in_it_is_one_empty_page(client):
    Project.objects.all().delete()
    assert "http://testserver/sitemap-projects.xml" in index_locations(client)
    response = client.get("/sitemap-projects.xml")
    assert response.status_code == HTTPStatus.OK
    assert ElementTree.fromstring(response.content).findall("s:url", NS) == []
    assert client.get("/sitemap-projects.xml?p=2").status_code == HTTPStatus.NOT_FOUND
