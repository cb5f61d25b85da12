from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from promotion.models import Enterprise, Industry, Milestone, Park, Policy, Project

from .factories import make_content, make_enterprise, make_industry, make_park, make_policy, make_project

pytestmark = pytest.mark.django_db

PAGES = [
    ("promotion:home", "Hongqi Canal Economic and Technological Development Zone"),
    ("promotion:about", "Honours and titles"),
    ("promotion:figure-list", "Key figures"),
    ("promotion:environment", "Investment environment"),
    ("promotion:innovation", "Innovation and talent"),
]
DIRECTORIES = [
    ("promotion:park-list", lambda: make_park("Willowbrook Logistics Park")),
    ("promotion:industry-list", lambda: make_industry("Vanadium Alloys")),
    ("promotion:enterprise-list", lambda: make_enterprise("Qinling Vanadium Works Co., Ltd.", position=0)),
    ("promotion:project-list", lambda: make_project("Riverside Cold Store")),
    ("promotion:policy-list", lambda: make_policy("Greenfield Land Rebate")),
]
DETAIL_MODELS = [Park, Industry, Enterprise, Project, Policy]


@pytest.mark.parametrize(("name", "expected"), PAGES)
def test_pages_answer_with_their_heading(client, name, expected):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert expected in response.content.decode()


@pytest.mark.parametrize(("name", "make"), DIRECTORIES, ids=[name for name, _ in DIRECTORIES])
def test_directories_list_what_an_editor_adds_with_a_link_to_its_page(client, name, make):
    added = make()
    body = client.get(reverse(name)).content.decode()
    assert str(added) in body
    assert f'href="{added.get_absolute_url()}"' in body


def test_public_urls_carry_the_language():
    with translation.override("en"):
        assert reverse("promotion:park-detail", kwargs={"slug": "x"}) == "/en/parks/x/"
    with translation.override("zh-hans"):
        assert reverse("promotion:policy-detail", kwargs={"slug": "x"}) == "/zh-hans/policies/x/"


@pytest.mark.parametrize("model", DETAIL_MODELS, ids=lambda m: m.__name__)
def test_every_detail_page_answers_and_shows_its_object(client, model):
    objects = list(model.objects.all())
    assert objects, f"the fixtures hold no {model.__name__}"
    for obj in objects:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == HTTPStatus.OK, obj.get_absolute_url()
        assert str(obj) in response.content.decode(), obj.get_absolute_url()


@pytest.mark.parametrize(
    "route", ["park-detail", "industry-detail", "enterprise-detail", "project-detail", "policy-detail"]
)
def test_unknown_slug_is_not_found(client, route):
    response = client.get(reverse(f"promotion:{route}", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.content.decode()


def test_chinese_urls_answer(client):
    with translation.override("zh-hans"):
        url = Park.objects.first().get_absolute_url()
    assert url.startswith("/zh-hans/parks/")
    assert client.get(url).status_code == HTTPStatus.OK


def test_enterprises_filter_by_industry_and_park(client):
    alloys, glass = make_industry("Vanadium Alloys"), make_industry("Float Glass")
    north, south = make_park("North Foundry Park"), make_park("South Glassworks Park")
    foundry = make_enterprise("Qinling Vanadium Works Co., Ltd.", industry=alloys, park=north)
    trader = make_enterprise("Vanadium Trading Co., Ltd.", industry=alloys)
    glassworks = make_enterprise("Clearwater Glass Co., Ltd.", industry=glass, park=south)

    def listed(**filters):
        return {e.name for e in client.get(reverse("promotion:enterprise-list"), filters).context["page"]}

    assert listed(industry=alloys.slug) == {foundry.name, trader.name}
    assert listed(park=south.slug) == {glassworks.name}
    assert listed(industry=alloys.slug, park=north.slug) == {foundry.name}
    assert listed(industry=glass.slug, park=north.slug) == set()


def test_enterprise_filter_with_unknown_values_shows_an_empty_list_not_an_error(client):
    response = client.get(reverse("promotion:enterprise-list"), {"industry": "nope", "page": "999"})
    assert response.status_code == HTTPStatus.OK
    assert "No enterprise matches this filter." in response.content.decode()


def test_enterprise_directory_paginates(client):
    industry = make_industry()
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"Test enterprise {i:02}",
            name_en=f"Test enterprise {i:02}",
            slug=f"test-{i}",
            summary="s",
            summary_en="s",
            industry=industry,
            position=900 + i,
        )
        for i in range(30)
    )
    first = client.get(reverse("promotion:enterprise-list"), {"industry": industry.slug})
    second = client.get(reverse("promotion:enterprise-list"), {"industry": industry.slug, "page": 2})
    assert len(first.context["page"]) == 12
    assert first.context["page"].paginator.count == second.context["page"].paginator.count == 30
    assert "industry=" in first.content.decode().split('aria-label="Pages"')[1]
    assert set(e.pk for e in first.context["page"]).isdisjoint(e.pk for e in second.context["page"])


def test_a_tax_sharing_policy_states_its_split(client):
    policy = make_policy("Enclave Test", kind=Policy.Kind.MECHANISM, owner_share_percent=70, zone_share_percent=30)
    body = client.get(policy.get_absolute_url()).content.decode()
    assert "70 % to the village or town that introduced the project and 30 % to the development zone" in body
    assert "to the village or town" not in client.get(make_policy().get_absolute_url()).content.decode()


def test_pages_show_when_they_were_last_updated(client):
    park = Park.objects.first()
    body = client.get(park.get_absolute_url()).content.decode()
    assert "Last updated" in body
    assert timezone.localtime(park.updated_at).date().isoformat() in body


def test_history_dates_read_as_words(client):
    make_content(Milestone, year=1987, when_note_en="Early", when_note_zh_hans="初", title="Test", description="-")
    make_content(Milestone, year=1988, month=7, title="Test", description="-")
    body = client.get(reverse("promotion:about")).content.decode()
    assert "Early 1987" in body and "July 1988" in body
    with translation.override("zh-hans"):
        body = client.get(reverse("promotion:about")).content.decode()
    assert "1987年初" in body and "1988年7月" in body


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("promotion:environment", ["105", "235", "228", "Huan River", "E-commerce Base", "200,000", "4,500"]),
        ("promotion:innovation", ["Tsinghua", "academician", "post-doctoral", "863", "262", "3,450", "Entrepreneurs"]),
    ],
)
def test_environment_and_innovation_pages_carry_their_facts(client, route, expected):
    body = client.get(reverse(route)).content.decode().lower()
    for text in expected:
        assert text.lower() in body, text
