"""Long lists come a page at a time, and every card stays reachable by plain links."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promotion.models import Enterprise, Industry, Park, Policy, Project
from promotion.views.content import CARDS_PER_PAGE, ENTERPRISES_PER_PAGE, RELATED_LIMIT

from .factories import make_enterprise, make_industry, make_park, make_policy, make_project

pytestmark = pytest.mark.django_db

MORE = 30  # more than one page of cards
CARD_LISTS = {
    "promotion:park-list": (Park, lambda i: make_park(f"Paged Park {i:02}", position=900 + i)),
    "promotion:industry-list": (Industry, lambda i: make_industry(f"Paged Industry {i:02}", position=900 + i)),
    "promotion:project-list": (Project, lambda i: make_project(f"Paged Project {i:02}", position=900 + i)),
    "promotion:policy-list": (Policy, lambda i: make_policy(f"Paged Policy {i:02}", position=900 + i)),
}


def card_titles(body: str) -> list[str]:
    return re.findall(r'<h[23] class="h5 card-title"><a href="[^"]*">([^<]*)</a>', body)


def pagination(body: str) -> str:
    return body.split('aria-label="Pages"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("route", list(CARD_LISTS))
def test_card_lists_come_24_to_a_page_and_every_card_is_on_one(client, route):
    model, make = CARD_LISTS[route]
    for i in range(MORE):
        make(i)
    total = model.objects.count()
    pages = -(-total // CARDS_PER_PAGE)
    assert pages >= 2
    seen = []
    for number in range(1, pages + 1):
        response = client.get(reverse(route), {"page": number})
        assert response.status_code == HTTPStatus.OK
        titles = card_titles(response.content.decode())
        assert len(titles) == (CARDS_PER_PAGE if number < pages else total - CARDS_PER_PAGE * (pages - 1))
        seen += titles
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize("route", list(CARD_LISTS))
def test_the_pages_are_linked_for_readers_without_javascript(client, route):
    _model, make = CARD_LISTS[route]
    for i in range(MORE):
        make(i)
    links = pagination(client.get(reverse(route)).content.decode())
    assert 'href="?page=2"' in links and 'aria-current="page">1<' in links
    second = pagination(client.get(reverse(route), {"page": 2}).content.decode())
    assert 'href="?page=1"' in second and "Previous" in second


@pytest.mark.parametrize("route", list(CARD_LISTS))
def test_a_page_is_counted_in_the_query_that_fetches_it(client, settings, route):
    settings.PAGE_CACHE_SECONDS = 0
    _model, make = CARD_LISTS[route]
    for i in range(MORE):
        make(i)
    client.get(reverse(route))  # the shared header and footer are kept from here on
    counts = []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(route), {"page": number})
        counts.append(len(queries))
        assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert counts[1] <= counts[0]


@pytest.mark.parametrize("page", ["999", "0", "-3", "two", "", "%FF", "9" * 40])
def test_a_page_number_out_of_range_or_not_a_number_still_shows_a_page(client, page):
    for i in range(MORE):
        make_park(f"Paged Park {i:02}", position=900 + i)
    response = client.get(reverse("promotion:park-list"), {"page": page})
    assert response.status_code == HTTPStatus.OK
    assert card_titles(response.content.decode())


def test_past_the_end_is_the_last_page(client):
    for i in range(MORE):
        make_park(f"Paged Park {i:02}", position=900 + i)
    last = -(-Park.objects.count() // CARDS_PER_PAGE)
    past = client.get(reverse("promotion:park-list"), {"page": 999}).content.decode()
    assert f'aria-current="page">{last}<' in pagination(past)
    assert "Paged Park 29" in past


def test_projects_keep_their_status_order_across_the_pages(client):
    for i in range(MORE):
        make_project(f"Paged Project {i:02}", position=i, status=Project.Status.SIGNED)
    statuses = list(Project.Status.labels)
    order = []
    for number in (1, 2):
        body = client.get(reverse("promotion:project-list"), {"page": number}).content.decode()
        order += [label for label in re.findall(r'<h2 id="status-\d+">([^<]*)</h2>', body) if label not in order]
    assert order == [label for label in statuses if label in order]
    assert order[-1] == Project.Status.SIGNED.label


def test_a_long_directory_shows_a_short_page_bar(client):
    industry = make_industry()
    Enterprise.objects.bulk_create(
        Enterprise(
            name_en=f"Bar {i:03}", name=f"Bar {i:03}", slug=f"bar-{i}", summary="s", summary_en="s", industry=industry
        )
        for i in range(ENTERPRISES_PER_PAGE * 40)
    )
    response = client.get(reverse("promotion:enterprise-list"), {"industry": industry.slug, "page": 20})
    links = pagination(response.content.decode())
    numbers = [int(n) for n in re.findall(r'page=(\d+)"(?: aria-current="page")?>\d+<', links)]
    assert numbers == [1, 18, 19, 20, 21, 22, 40]
    assert links.count("…") == 2
    assert 'page=19">Previous<' in links and 'page=21">Next<' in links


def test_a_park_lists_its_first_enterprises_and_links_to_all_of_them(client):
    park = make_park("Crowded Valley Park")
    for i in range(RELATED_LIMIT + 6):
        make_enterprise(f"Crowded Works {i:02}", park=park, position=i)
    body = client.get(park.get_absolute_url()).content.decode()
    assert body.count("Crowded Works ") == RELATED_LIMIT
    assert "Crowded Works 23" in body and "Crowded Works 24" not in body
    directory = reverse("promotion:enterprise-list") + f"?park={park.slug}"
    assert f'<a href="{directory}">All enterprises in this park</a>' in body
    listed = client.get(directory).context["page"].paginator.count
    assert listed == RELATED_LIMIT + 6


def test_a_park_with_few_enterprises_lists_them_all_without_the_link(client):
    park = make_park("Quiet Valley Park")
    for i in range(3):
        make_enterprise(f"Quiet Works {i}", park=park)
    body = client.get(park.get_absolute_url()).content.decode()
    assert body.count("Quiet Works ") == 3
    assert "All enterprises in this park" not in body
