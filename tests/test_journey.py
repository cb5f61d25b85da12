"""The public site as an investor and a search engine meet it (server side)."""

import csv
import io
import json
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urldefrag, urlparse
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from promotion.models import Highlight, Honour, KeyFigure, Policy

from .factories import make_content, make_enterprise, make_industry, make_park, make_policy
from .html import parse

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_paths(client) -> list[str]:
    """Every page address in the sitemap index's section sitemaps."""
    index = client.get("/sitemap.xml")
    assert index.status_code == HTTPStatus.OK
    paths = []
    for section in ElementTree.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS):
        address = urlparse(section.text)
        response = client.get(address.path + (f"?{address.query}" if address.query else ""))
        assert response.status_code == HTTPStatus.OK
        root = ElementTree.fromstring(response.content)
        paths += [urlparse(loc.text).path for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    return paths


def tax_page(client, **params):
    return client.get(reverse("promotion:policy-detail", kwargs={"slug": "tax-sharing"}), params)


def test_calculator_splits_a_million_into_800000_and_200000(client):
    page = parse(tax_page(client, tax="1000000").content)
    body = " ".join(page.text)
    assert "800,000" in body and "200,000" in body


@pytest.mark.parametrize("typed", ["1,000,000", " 1 000 000 ", "1000000.00", "1，000，000"])
def test_calculator_accepts_the_ways_people_write_a_million(client, typed):
    assert tax_page(client, tax=typed).context["split"]["owner"] == 800000


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount in yuan"),
        ("-5", "zero or more"),
        ("1e400", "at most 1,000,000,000,000"),
        ("NaN", "Enter an amount"),
        ("Infinity", "Enter an amount"),
        ("", "This field is required."),
    ],
)
def test_calculator_explains_bad_amounts_without_failing(client, typed, message):
    response = tax_page(client, tax=typed)
    assert response.status_code == HTTPStatus.OK
    assert "split" not in response.context
    assert message in response.content.decode()


def test_split_never_loses_a_fen():
    policy = Policy.objects.get(slug="tax-sharing")
    for amount in ["0.01", "0.05", "333333.33", "1000000", "987654321.99"]:
        owner, zone = policy.split_tax(Decimal(amount))
        assert owner + zone == Decimal(amount)


def test_calculator_is_only_on_the_tax_sharing_policy(client):
    other = client.get(reverse("promotion:policy-detail", kwargs={"slug": "project-promotion"}))
    assert "calculator" not in other.context
    assert "tax-calculator.js" not in other.content.decode()
    assert "tax-calculator.js" in tax_page(client).content.decode()


def search_results(client, query: str) -> dict[str, str]:
    """Each result's title and address."""
    groups = client.get(reverse("promotion:search"), {"q": query}).context["groups"]
    return {r.title: r.url for g in groups for r in g["results"]}


def test_search_finds_an_enterprise_and_its_industry_by_a_word_of_their_names(client):
    alloys = make_industry("Vanadium Alloys")
    works = make_enterprise("Qinling Vanadium Works Co., Ltd.", industry=alloys)
    make_enterprise("Clearwater Glass Co., Ltd.")
    found = search_results(client, "vanadium")
    assert found == {alloys.name: alloys.get_absolute_url(), works.name: works.get_absolute_url()}


def test_search_covers_parks_policies_and_pages(client):
    park = make_park("Willowbrook Logistics Park", description="Bonded warehouses beside the railway.")
    policy = make_policy("Greenfield Land Rebate", benefits="A rebate on the land price for the first plot.")
    make_content(Honour, title="Provincial Model Quayside Zone", years="2003")
    make_content(Highlight, topic=Highlight.Topic.TALENT, title="Quayside apprentices", body="A school.")

    assert search_results(client, "bonded railway") == {park.name: park.get_absolute_url()}
    assert search_results(client, "rebate plot") == {policy.title: policy.get_absolute_url()}
    assert search_results(client, "quayside") == {
        "Provincial Model Quayside Zone": reverse("promotion:about") + "#honours-title",
        "Quayside apprentices": reverse("promotion:innovation") + "#topic-talent",
    }


@pytest.mark.parametrize("query", ["", "   ", "zzzz-nothing", "%", "_", "x" * 1000, "<script>alert(1)</script>"])
def test_search_handles_any_query(client, query):
    response = client.get(reverse("promotion:search"), {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_key_figures_download_as_csv_with_year_and_source(client):
    response = client.get(reverse("promotion:key-figures-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == KeyFigure.objects.count()
    tax = next(row for row in rows if row["slug"] == "tax-revenue-2015")
    assert (tax["value"], tax["unit"], tax["year"], tax["growth_percent"]) == ("1040000000", "yuan", "2015", "60")
    assert all(row["source"] for row in rows)
    assert next(row for row in rows if row["slug"] == "planned-area")["value"] == "27.05"


def test_key_figures_download_as_json_with_year_and_source(client):
    data = json.loads(client.get(reverse("promotion:key-figures-json")).content)
    figures = {figure["slug"]: figure for figure in data["figures"]}
    assert len(figures) == KeyFigure.objects.count()
    assert figures["main-business-income-2015"]["value"] == 61000000000
    assert figures["main-business-income-2015"]["year"] == 2015
    assert figures["main-business-income-2015"]["growth_percent"] == 10.3
    assert all("year" in f and f["source"] for f in figures.values())


def test_sitemap_lists_every_public_page_in_both_languages_and_each_answers(client):
    paths = sitemap_paths(client)
    assert "/en/" in paths and "/zh-hans/" in paths
    assert "/en/parks/electronics-park/" in paths and "/zh-hans/policies/tax-sharing/" in paths
    assert len(paths) == len(set(paths))
    for path in paths:
        assert client.get(path).status_code == HTTPStatus.OK, path
    root = ElementTree.fromstring(client.get("/sitemap-parks.xml").content)
    assert root.findall("s:url/x:link[@hreflang='zh-hans']", SITEMAP_NS)


def test_robots_txt_points_to_the_sitemap_and_does_not_name_the_admin(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "admin" not in body  # robots.txt is public; the admin says noindex in its own headers


def test_every_public_page_has_title_description_canonical_and_open_graph(client, settings):
    for path in sitemap_paths(client):
        page = parse(client.get(path).content)
        assert page.title.strip(), path
        assert page.meta.get("description", "").strip(), path
        assert page.canonical == f"{settings.SITE_URL}{path}", path
        for tag in ["og:title", "og:description", "og:url", "og:type", "og:site_name"]:
            assert page.meta.get(tag, "").strip(), (path, tag)


def test_home_describes_the_zone_in_json_ld(client):
    page = parse(client.get("/en/").content)
    data = json.loads("".join(page.json_ld))
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Hongqi Canal Economic and Technological Development Zone"
    assert data["address"]["addressLocality"] == "Linzhou"


def test_content_pages_say_when_they_were_last_updated(client):
    for path in sitemap_paths(client):
        if path.startswith("/en/") and path not in {"/en/enquiry/", "/en/privacy/", "/en/open-data/"}:
            assert "Last updated" in client.get(path).content.decode(), path


def test_error_pages_wear_the_site_design(client):
    not_found = client.get("/en/no-such-page/")
    assert not_found.status_code == HTTPStatus.NOT_FOUND
    assert 'class="site-header"' in not_found.content.decode()
    request = RequestFactory().get("/en/")
    failure = server_error(request)
    assert failure.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = failure.content.decode()
    assert 'class="site-header"' in body and "Something went wrong on our side" in body


def test_no_public_page_asks_another_origin_for_anything(client):
    for path in sitemap_paths(client):
        for resource in parse(client.get(path).content).resources:
            parsed = urlparse(resource)
            assert not parsed.netloc or parsed.netloc == "testserver", (path, resource)
            assert parsed.scheme in ("", "http", "data"), (path, resource)
    for stylesheet in ["css/site.css", "vendor/bootstrap-5.3.9-zone.min.css"]:
        text = Path(finders.find(stylesheet)).read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in text.replace("https://getbootstrap.com", "").replace(
            "https://github.com/twbs/bootstrap/blob/main/LICENSE", ""
        )
        assert "@import" not in text


def test_a_crawl_from_the_home_page_finds_no_broken_internal_link(client):
    seen, queue, broken = set(), ["/en/"], []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != HTTPStatus.OK:
            broken.append((path, response.status_code))
            continue
        if "text/html" not in response["Content-Type"]:
            continue
        for link in parse(response.content).links:
            url = urlparse(urldefrag(link).url)
            if url.netloc or url.scheme or not url.path.startswith("/"):
                continue
            if url.path.startswith(("/static/", "/admin/")):
                continue
            target = url.path + (f"?{url.query}" if url.query and url.path.startswith("/en/enterprises/") else "")
            if url.path.startswith("/media/"):
                continue
            if target not in seen:
                queue.append(target)
    assert not broken, broken
    assert len(seen) > 40
