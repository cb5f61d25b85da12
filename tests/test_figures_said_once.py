"""Figures said once: prose that repeats a key figure names it ([[figure:slug]], [[growth:slug]]) and shows the
figure's own value; the About page's "last updated" counts everything the page shows; every content object with a
public page has a "View on site" link in the admin that opens that page."""

import logging
import re
from datetime import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from promotion import figure_text
from promotion.models import (
    Enterprise,
    Highlight,
    Honour,
    Industry,
    KeyFigure,
    Milestone,
    Park,
    PlanTarget,
    Policy,
    Project,
    ZoneProfile,
)

pytestmark = pytest.mark.django_db

ABOUT = {"en": "/en/about/", "zh-hans": "/zh-hans/about/"}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def overview_of(client, language: str) -> str:
    """The About page's overview section, as read."""
    body = client.get(ABOUT[language]).content.decode()
    section = re.search(r'<section aria-labelledby="overview-title">(.*?)<dl class="facts">', body, re.S)
    assert section, "the overview section is missing"
    return text_of(section.group(1))


def chart_of(client, language: str) -> str:
    body = client.get(ABOUT[language]).content.decode()
    section = re.search(r'<section aria-labelledby="plan-title"(.*?)</section>', body, re.S)
    return text_of(section.group(1))


def updated_at_of(client, path: str) -> datetime:
    body = client.get(path).content.decode()
    match = re.search(r'<p class="updated">.*?<time datetime="([^"]+)"', body, re.S)
    assert match, "the page has no last-updated line"
    return datetime.fromisoformat(match.group(1))


# The fixture's prose: placeholders where it repeats a key figure, and, as read, every figure as the account states it.


def test_the_fixture_prose_names_the_figures_it_repeats():
    profile = ZoneProfile.objects.get()
    for text, colon in ((profile.overview_en, ":"), (profile.overview_zh_hans, "：")):
        assert f"[[figure{colon}main-business-income-2015]]" in text
        assert f"[[growth{colon}main-business-income-2015]]" in text
        assert "61" not in text and "610" not in text
        assert not figure_text.unknown_slugs(text)


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "en",
            [
                "a planned area of 27.05 square kilometres;",
                "419 enterprises have entered it",
                "one of the 3 development zones at provincial level",
                "first batch of 180 industrial clusters",
                "In total 436 enterprises have entered the zone, including 124 enterprises above designated size",
                "employs up to 120,000 people",
                "main business income of 61 billion yuan (+10.3% year on year)",
                "total output value of 90 billion yuan (+13.6% year on year)",
                "fixed-asset investment of 23.4 billion yuan (+20% year on year)",
                "tax revenue of 1.04 billion yuan (+60% year on year)",
            ],
        ),
        (
            "zh-hans",
            [
                "规划面积27.05平方公里，入驻419家企业",
                "成为河南省保留的3个设在县（区）的省级开发区之一",
                "成为河南省首批180个产业集聚区之一",
                "开发区累计入驻436家企业，其中124家企业为规模以上工业企业，从业人员达12万人",
                "实现主营业务收入610亿元，同比增长10.3%",
                "工业总产值900亿元，同比增长13.6%",
                "完成固定资产投资234亿元，同比增长20%",
                "完成税收收入10.4亿元，同比增长60%",
            ],
        ),
    ],
)
def test_the_about_prose_states_every_figure_as_the_account_does(client, language, facts):
    overview = overview_of(client, language)
    assert "[[" not in overview and "]]" not in overview
    for fact in facts:
        assert fact in overview


# The prose follows the key figure.


def test_changing_a_figure_changes_the_about_prose_and_chart_in_both_languages(client):
    figure = KeyFigure.objects.get(slug="main-business-income-2015")
    figure.value = Decimal("62300000000")
    figure.growth_percent = Decimal("11.2")
    figure.save()

    overview = overview_of(client, "en")
    assert "main business income of 62.3 billion yuan (+11.2% year on year)" in overview
    assert "61 billion" not in overview and "10.3%" not in overview
    chart = chart_of(client, "en")
    assert "62.3 billion yuan" in chart and "61 billion yuan" not in chart

    overview = overview_of(client, "zh-hans")
    assert "实现主营业务收入623亿元，同比增长11.2%" in overview
    assert "610亿元" not in overview and "10.3%" not in overview
    chart = chart_of(client, "zh-hans")
    assert "623亿元" in chart and "610亿元" not in chart


def test_the_about_page_fetches_the_named_figures_in_one_query(client):
    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ABOUT["en"]).status_code == HTTPStatus.OK
        return len(captured)

    before = queries()
    assert before <= 10
    profile = ZoneProfile.objects.get()
    # Naming more figures does not cost more queries.
    profile.overview_en += " [[figure:main-roads]] [[figure:pipe-network]] [[figure:power-grid]]"
    profile.save()
    assert queries() == before


# An unknown placeholder.


def test_an_unknown_placeholder_renders_nothing_harmful(client, caplog):
    profile = ZoneProfile.objects.get()
    profile.overview_en = "Before [[figure:no-such-figure]] after. [[growth:planned-area]]<script>x</script>"
    profile.save()
    with caplog.at_level(logging.WARNING, logger="promotion.figure_text"):
        overview_of(client, "en")
        body = client.get(ABOUT["en"]).content.decode()
    assert "Before  after." in body
    assert "no-such-figure" not in body and "[[" not in body
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
    assert "no-such-figure" in caplog.text


def test_placeholders_are_filled_escaped_and_in_the_language_asked():
    figures = figure_text.figures_named("[[figure:tax-revenue-2015]]")
    assert figure_text.fill("[[figure:tax-revenue-2015]]", figures, "en") == "1.04 billion yuan"
    assert figure_text.fill("[[figure:tax-revenue-2015]]", figures, "zh-hans") == "10.4亿元"
    assert figure_text.fill("[[ growth : tax-revenue-2015 ]]", figures, "zh-hans") == "同比增长60%"
    assert figure_text.fill("[[figure：tax-revenue-2015]]", figures, "zh-hans") == "10.4亿元"  # a full-width colon
    assert figure_text.fill("[[figure:unknown]] & <b>", figures, "en") == " & <b>"  # escaped by the template
    assert figure_text.figures_named("no placeholders") == {}


def admin_change_url(model, pk) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def test_the_admin_refuses_prose_naming_an_unknown_figure(staff_client):
    profile = ZoneProfile.objects.get()
    url = admin_change_url(ZoneProfile, profile.pk)
    form = staff_client.get(url).context["adminform"].form
    assert "[[figure:slug]]" in str(form.fields["overview_en"].help_text)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["overview_zh_hans"] = profile.overview_zh_hans + "[[figure:no-such-figure]]"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert "overview_zh_hans" in errors and "no-such-figure" in str(errors["overview_zh_hans"])
    profile.refresh_from_db()
    assert "no-such-figure" not in profile.overview_zh_hans


def test_the_admin_saves_prose_naming_known_figures(staff_client):
    profile = ZoneProfile.objects.get()
    url = admin_change_url(ZoneProfile, profile.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["overview_en"] = profile.overview_en + " It has [[figure:main-roads]]."
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert "13 roads" in overview_of(staff_client, "en")


# "Last updated" counts what the page shows.


def test_last_updated_moves_when_a_charted_figure_changes(client):
    before = updated_at_of(client, ABOUT["en"])
    charted = PlanTarget.objects.filter(baseline__slug="foreign-capital-used").get().baseline
    assert charted.slug not in ZoneProfile.objects.get().overview_en  # charted only, not in the prose
    charted.note = "Checked again."
    charted.save()
    from django.core.cache import cache

    cache.clear()
    after = updated_at_of(client, ABOUT["en"])
    assert after > before
    assert after == charted.updated_at


def test_last_updated_moves_when_a_figure_the_prose_names_changes(client):
    figure = KeyFigure.objects.get(slug="above-size-enterprises")
    assert not PlanTarget.objects.filter(baseline=figure).exists()  # in the prose only
    figure.save()
    assert updated_at_of(client, ABOUT["en"]) == figure.updated_at


# View on site: every content object with a public page.


def expected_pages() -> list[tuple[type, object, str]]:
    """(model, object, the public path its "View on site" must open)."""
    about = "/en/about/"
    return [
        (ZoneProfile, ZoneProfile.objects.get(), about),
        (KeyFigure, KeyFigure.objects.first(), "/en/figures/"),
        (Milestone, Milestone.objects.first(), about),
        (Honour, Honour.objects.first(), about),
        (PlanTarget, PlanTarget.objects.first(), about),
        (Industry, Industry.objects.first(), Industry.objects.first().get_absolute_url()),
        (Park, Park.objects.first(), Park.objects.first().get_absolute_url()),
        (Enterprise, Enterprise.objects.first(), Enterprise.objects.first().get_absolute_url()),
        (Project, Project.objects.first(), Project.objects.first().get_absolute_url()),
        (Policy, Policy.objects.first(), Policy.objects.first().get_absolute_url()),
        (Highlight, Highlight.objects.filter(topic="infrastructure").first(), "/en/environment/"),
        (Highlight, Highlight.objects.filter(topic="talent").first(), "/en/innovation/"),
    ]


def view_on_site_href(staff_client, model, obj) -> str | None:
    body = staff_client.get(admin_change_url(model, obj.pk)).content.decode()
    match = re.search(r'<a href="([^"]+)" class="viewsitelink">View on site</a>', body)
    return match.group(1).replace("&amp;", "&") if match else None


def test_every_content_model_with_a_public_page_is_checked():
    checked = {model for model, _obj, _path in expected_pages()}
    registered = {model for model in admin.site._registry if model._meta.app_label == "promotion"}
    assert checked <= registered
    assert {m.__name__ for m in checked} >= {
        "ZoneProfile",
        "KeyFigure",
        "Milestone",
        "Honour",
        "PlanTarget",
        "Industry",
        "Park",
        "Enterprise",
        "Project",
        "Policy",
        "Highlight",
    }


@pytest.mark.parametrize("index", range(12))
def test_view_on_site_opens_the_right_public_page(staff_client, index):
    with translation.override("en"):
        model, obj, expected = expected_pages()[index]
    href = view_on_site_href(staff_client, model, obj)
    assert href, f"{model.__name__} has no View on site link"
    response = staff_client.get(href, follow=True)
    assert response.status_code == HTTPStatus.OK
    final = response.request["PATH_INFO"]
    assert final == expected.split("#")[0]
    shown = text_of(response.content.decode())
    title = getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "label", None)
    assert str(title) in shown


def test_a_highlight_no_page_shows_has_no_view_on_site_link(staff_client):
    highlight = Highlight.objects.filter(topic="investment").first()
    assert highlight is not None
    assert view_on_site_href(staff_client, Highlight, highlight) is None
