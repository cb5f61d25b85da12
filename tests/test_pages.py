from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from promotion.models import Enterprise, Industry, Park, Policy, Project

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    ("promotion:home", "Hongqi Canal Economic and Technological Development Zone"),
    ("promotion:about", "Honours and titles"),
    ("promotion:figure-list", "Key figures"),
    ("promotion:park-list", "Coal Machine Equipment Manufacturing Industrial Park"),
    ("promotion:industry-list", "Equipment Manufacturing"),
    ("promotion:enterprise-list", "Henan Fengbao Special Steel Co., Ltd."),
    ("promotion:project-list", "Beijing Shenzhou Power"),
    ("promotion:policy-list", "8:2"),
    ("promotion:environment", "105"),
    ("promotion:innovation", "Tsinghua"),
]
DETAIL_MODELS = [Park, Industry, Enterprise, Project, Policy]


@pytest.mark.parametrize(("name", "expected"), LIST_PAGES)
def test_list_pages_answer_and_show_their_content(client, name, expected):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert expected in response.content.decode()


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
    steel = Industry.objects.get(slug="steel")
    response = client.get(reverse("promotion:enterprise-list"), {"industry": steel.slug})
    names = [e.name for e in response.context["page"]]
    assert names == [e.name for e in Enterprise.objects.filter(industry=steel)]
    assert "Henan Fengbao Special Steel Co., Ltd." in names
    assert "Alibaba" not in names

    park = Enterprise.objects.exclude(park=None).first().park
    response = client.get(reverse("promotion:enterprise-list"), {"park": park.slug})
    assert {e.park_id for e in response.context["page"]} == {park.pk}


def test_enterprise_filter_with_unknown_values_shows_an_empty_list_not_an_error(client):
    response = client.get(reverse("promotion:enterprise-list"), {"industry": "nope", "page": "999"})
    assert response.status_code == HTTPStatus.OK
    assert "No enterprise matches this filter." in response.content.decode()


def test_enterprise_directory_paginates(client):
    industry = Industry.objects.first()
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
    assert first.context["page"].paginator.count == second.context["page"].paginator.count
    assert "industry=" in first.content.decode().split('aria-label="Pages"')[1]
    assert set(e.pk for e in first.context["page"]).isdisjoint(e.pk for e in second.context["page"])


def test_tax_sharing_policy_states_the_split(client):
    policy = Policy.objects.get(owner_share_percent=80)
    assert policy.zone_share_percent == 20
    body = client.get(policy.get_absolute_url()).content.decode()
    assert "80 % to the village or town that introduced the project and 20 % to the development zone" in body


def test_pages_show_when_they_were_last_updated(client):
    park = Park.objects.first()
    body = client.get(park.get_absolute_url()).content.decode()
    assert "Last updated" in body
    assert timezone.localtime(park.updated_at).date().isoformat() in body


def test_history_dates_read_as_words(client):
    body = client.get(reverse("promotion:about")).content.decode()
    assert "Early 1992" in body and "March 2006" in body and "October 2012" in body
    with translation.override("zh-hans"):
        from promotion.models import Milestone

        assert Milestone.objects.get(year=2012).when == "2012年10月"


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
