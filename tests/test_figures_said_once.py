"""Figures said once: prose that repeats a key figure names it ([[figure:slug]], [[number:slug]], [[growth:slug]])
and shows the figure's own value, on every page that shows the prose; each page's "last updated" counts everything
the page shows; every content object with a public page has a "View on site" link in the admin that opens that
page."""

import html
import json
import logging
import re
import shutil
from datetime import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django import forms
from django.conf import settings
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
    PolicyMeasure,
    Project,
    ZoneProfile,
)
from promotion.units import figure_quantity

pytestmark = pytest.mark.django_db

ABOUT = {"en": "/en/about/", "zh-hans": "/zh-hans/about/"}


def text_of(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)))


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
                "a planned area of 27.05 km²;",
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
    page = staff_client.get(url)
    assert "[[figure:slug]]" in str(page.context["adminform"].form.fields["overview_en"].help_text)
    data = change_form_data(page)
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
    data = change_form_data(staff_client.get(url))
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


# Every prose field the pages fill: the fixture names the figures it repeats, and the pages write them out.

FIXTURE = settings.BASE_DIR / "fixtures" / "zone.json"
# Ways the account (or earlier fixture prose) spells key figures that the prose now names instead.
LITERAL_SPELLINGS = [
    "27.05 square kilometres",
    "26.68-hectare",
    "1,200,000 square metres",
    "Five companies",
    "13 main roads",
    "3 consecutive years",
    "262 high-end",
    "3,450 professionals",
    "4,500 units",
    "One million",
    "one million",
    "the three provincial-level",
    "10余个",
    "95%以上",
    "3个设在县",
]


def fixture_prose() -> list[tuple[str, str]]:
    """(where, text) for every prose field of the fixture that the pages fill, in both languages."""
    texts = []
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        for field in figure_text.PROSE_FIELDS.get(entry["model"], ()):
            for column in figure_text.prose_field_names([field]):
                if entry["fields"].get(column):
                    texts.append((f"{entry['model']} {entry['pk']} {column}", entry["fields"][column]))
    return texts


def test_no_prose_field_writes_a_key_figure_out():
    written = set(LITERAL_SPELLINGS)
    for figure in KeyFigure.objects.exclude(value=None):
        for language in ("en", "zh-hans"):
            amount = str(figure_quantity(figure, language))
            if not re.fullmatch(r"\d{1,2}[%个年]?|\d+%", amount):  # "3个", "80%" say nothing on their own
                written.add(amount)
    prose = fixture_prose()
    assert len(prose) > 100
    found = [(where, amount) for where, text in prose for amount in written if amount in text]
    assert not found, found
    for where, text in prose:
        assert not figure_text.unknown_slugs(text), where
    named = {slug for _where, text in prose for slug in figure_text.slugs_in(text)}
    assert len(named) >= 30


def test_both_languages_of_a_field_name_the_same_figures():
    prose = dict(fixture_prose())
    for where, text in prose.items():
        if where.endswith("_en"):
            chinese = prose.get(where[: -len("_en")] + "_zh_hans", "")
            assert figure_text.slugs_in(text) == figure_text.slugs_in(chinese), where


def page_text(client, language: str, path) -> str:
    with translation.override(language):
        address = path() if callable(path) else reverse(path)
    response = client.get(address)
    assert response.status_code == HTTPStatus.OK, address
    return text_of(response.content.decode())


def detail(model, slug):
    return lambda: model.objects.get(slug=slug).get_absolute_url()


# (figure, new value, page, English before, English after, Chinese before, Chinese after)
FOLLOWING = [
    (
        "henan-first-batch-clusters",
        "181",
        "promotion:about",
        "one of the first batch of 180 industrial clusters in Henan Province",
        "one of the first batch of 181 industrial clusters in Henan Province",
        "成为河南省首批180个产业集聚区之一",
        "成为河南省首批181个产业集聚区之一",
    ),
    (
        "provincial-zones-in-counties",
        "4",
        "promotion:about",
        "becoming one of the 3 development zones at provincial level set in counties (districts)",
        "becoming one of the 4 development zones at provincial level set in counties (districts)",
        "成为河南省保留的3个设在县（区）的省级开发区之一",
        "成为河南省保留的4个设在县（区）的省级开发区之一",
    ),
    (
        "main-roads",
        "14",
        "promotion:environment",
        "the cluster zone has 13 main roads in a “six vertical and seven horizontal” grid, 105 km long",
        "the cluster zone has 14 main roads in a “six vertical and seven horizontal” grid, 105 km long",
        "“六纵七横”13条主干道，总长105公里",
        "“六纵七横”14条主干道，总长105公里",
    ),
    (
        "postdoctoral-workstations",
        "3",
        "promotion:innovation",
        "10 engineering centres, 2 post-doctoral workstations and 1 academician workstation",
        "10 engineering centres, 3 post-doctoral workstations and 1 academician workstation",
        "以及10个工程中心、2个博士后工作站和1个院士工作站",
        "以及10个工程中心、3个博士后工作站和1个院士工作站",
    ),
    (
        "entrepreneur-talent-funding",
        "2000000",
        "promotion:innovation",
        "Each year 1 million is set aside to support the training of young entrepreneurs",
        "Each year 2 million is set aside to support the training of young entrepreneurs",
        "每年拿出100万，支持青年企业家",
        "每年拿出200万，支持青年企业家",
    ),
    (
        "huan-river-park-area",
        "27.5",
        detail(Park, "huan-river-park"),
        "Huan River Ecological Leisure Park, which covers 26.68 hectares",
        "Huan River Ecological Leisure Park, which covers 27.5 hectares",
        "开发区已完成26.68公顷洹河生态休闲园建设",
        "开发区已完成27.5公顷洹河生态休闲园建设",
    ),
    (
        "yao-town-villages",
        "8",
        detail(Policy, "management-mechanism"),
        "hosts 7 administrative villages of Yaocun Town",
        "hosts 8 administrative villages of Yaocun Town",
        "并托管姚村镇7个行政村",
        "并托管姚村镇8个行政村",
    ),
    (
        "mobile-phone-annual-output",
        "4000000",
        detail(Project, "mobile-phones"),
        "The project has an annual output of 3 million mobile phones",
        "The project has an annual output of 4 million mobile phones",
        "引进落户开发区。项目年产300万部手机",  # the project's name, a title, says it too
        "引进落户开发区。项目年产400万部手机",
    ),
    (
        "aluminium-dc-power-consumption",
        "11809",
        detail(Enterprise, "lin-feng-aluminium-electricity"),
        "DC power consumption down to 11,819 kWh per tonne of aluminium",
        "DC power consumption down to 11,809 kWh per tonne of aluminium",
        "吨铝直流电耗降至11819千瓦时",
        "吨铝直流电耗降至11809千瓦时",
    ),
    (
        "pearl-river-delta-projects",
        "12",
        lambda: reverse("promotion:search") + "?q=Shenzhou",
        "more than 10 projects have been signed and introduced",
        "more than 12 projects have been signed and introduced",
        "已签约引进超过10个项目",
        "已签约引进超过12个项目",
    ),
]


@pytest.mark.parametrize(
    ("slug", "value", "page", "en_before", "en_after", "zh_before", "zh_after"),
    FOLLOWING,
    ids=[f[0] for f in FOLLOWING],
)
def test_changing_a_figure_changes_the_prose_on_the_page_in_both_languages(
    client, slug, value, page, en_before, en_after, zh_before, zh_after
):
    assert en_before in page_text(client, "en", page)
    assert zh_before in page_text(client, "zh-hans", page)
    figure = KeyFigure.objects.get(slug=slug)
    figure.value = Decimal(value)
    figure.save()
    english, chinese = page_text(client, "en", page), page_text(client, "zh-hans", page)
    assert en_after in english and en_before not in english
    assert zh_after in chinese and zh_before not in chinese
    assert "[[" not in english + chinese


def test_the_planned_area_in_the_about_overview_follows_the_key_figure(client):
    assert "a planned area of 27.05 km²;" in overview_of(client, "en")
    assert "规划面积27.05平方公里，" in overview_of(client, "zh-hans")
    figure = KeyFigure.objects.get(slug="planned-area")
    figure.value = Decimal("27.5")
    figure.save()
    english, chinese = overview_of(client, "en"), overview_of(client, "zh-hans")
    assert "a planned area of 27.5 km²;" in english and "27.05" not in english
    assert "规划面积27.5平方公里，" in chinese and "27.05" not in chinese


def test_a_number_placeholder_writes_the_number_with_its_qualifier():
    figures = figure_text.figures_named("[[number:pearl-river-delta-projects]] [[number:main-roads]]")
    text = "[[number:main-roads]] main roads, [[number:pearl-river-delta-projects]] projects"
    assert figure_text.fill(text, figures, "en") == "13 main roads, more than 10 projects"
    assert figure_text.fill("[[number：pearl-river-delta-projects]]个", figures, "zh-hans") == "超过10个"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_that_show_prose_never_show_a_placeholder(client, language):
    pages = [
        "promotion:home",
        "promotion:about",
        "promotion:park-list",
        "promotion:industry-list",
        "promotion:enterprise-list",
        "promotion:project-list",
        "promotion:policy-list",
        "promotion:environment",
        "promotion:innovation",
        detail(Park, "huan-river-park"),
        detail(Industry, "power-batteries"),
        detail(Enterprise, "beijing-shenzhou-power"),
        detail(Project, "shenzhou-power-lithium-batteries"),
        detail(Policy, "talent-100-entrepreneurs"),
        lambda: reverse("promotion:search") + "?q=Huan",
    ]
    for page in pages:
        with translation.override(language):
            address = page() if callable(page) else reverse(page)
        body = client.get(address).content.decode()
        assert "[[" not in body and "figure:" not in body and "figure：" not in body, address
    with translation.override(language):
        body = client.get(detail(Park, "huan-river-park")()).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', body).group(1)
    assert ("26.68 hectares" if language == "en" else "26.68公顷") in html.unescape(description)


def test_a_page_fetches_the_figures_its_prose_names_in_one_query(client):
    def queries(path: str) -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == HTTPStatus.OK
        return len(captured)

    path = reverse("promotion:environment")
    before = queries(path)
    highlight = Highlight.objects.filter(topic="infrastructure").first()
    # Figures the page charts already cost nothing; others cost one query between them.
    highlight.body_en += " [[figure:main-roads]] [[figure:power-grid]]"
    highlight.save()
    assert queries(path) == before
    highlight.body_en += " [[figure:tax-revenue-2015]] [[figure:planned-area]] [[growth:total-output-value-2015]]"
    highlight.save()
    assert queries(path) == before + 1


# The admin refuses prose naming a figure the page could not write.


def posted(form) -> dict:
    """What the browser sends back for a form as the admin shows it, unchanged."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or isinstance(bound.field, forms.FileField):
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def change_form_data(response) -> dict:
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(posted(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(posted(form))
    return data


PROSE_FORMS = [
    (Milestone, lambda: Milestone.objects.get(year=2008), "description_zh_hans"),
    (Highlight, lambda: Highlight.objects.filter(topic="infrastructure").first(), "body_en"),
    (Park, lambda: Park.objects.get(slug="huan-river-park"), "summary_en"),
    (Industry, lambda: Industry.objects.get(slug="power-batteries"), "description_zh_hans"),
    (Enterprise, lambda: Enterprise.objects.get(slug="beijing-shenzhou-power"), "summary_en"),
    (Project, lambda: Project.objects.get(slug="mobile-phones"), "capacity_zh_hans"),
    (Policy, lambda: Policy.objects.get(slug="talent-100-entrepreneurs"), "benefits_en"),
]


@pytest.mark.parametrize(("model", "get", "field"), PROSE_FORMS, ids=[m.__name__ for m, _g, _f in PROSE_FORMS])
def test_the_admin_refuses_prose_naming_an_unknown_figure_in_every_model(
    request, settings, staff_client, model, get, field
):
    if any(f.name == "image" for f in model._meta.fields):  # saving reads the current image
        shutil.copytree(request.getfixturevalue("zone_media"), settings.MEDIA_ROOT)
    obj = get()
    url = admin_change_url(model, obj.pk)
    page = staff_client.get(url)
    assert "[[figure:slug]]" in str(page.context["adminform"].form.fields[field].help_text)
    data = change_form_data(page)
    before = data[field]
    data[field] = before + " [[figure:no-such-figure]]"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and "no-such-figure" in str(errors[field])
    obj.refresh_from_db()
    assert getattr(obj, field) == before

    data[field] = before + " [[figure:main-roads]]"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    obj.refresh_from_db()
    assert getattr(obj, field).endswith("[[figure:main-roads]]")


def test_the_admin_refuses_the_growth_of_a_figure_that_has_none(staff_client):
    highlight = Highlight.objects.filter(topic="talent").first()
    url = admin_change_url(Highlight, highlight.pk)
    data = change_form_data(staff_client.get(url))
    data["body_zh_hans"] += "[[growth：main-roads]]"
    errors = staff_client.post(url, data).context["adminform"].form.errors
    assert "main-roads" in str(errors["body_zh_hans"]) and "growth" in str(errors["body_zh_hans"])


def test_the_admin_refuses_a_policy_measure_naming_an_unknown_figure(staff_client):
    policy = Policy.objects.get(slug="management-mechanism")
    url = admin_change_url(Policy, policy.pk)
    page = staff_client.get(url)
    data = change_form_data(page)
    formset = page.context["inline_admin_formsets"][0].formset
    measure = next(form for form in formset.forms if form.instance.pk and "[[" in form.instance.title_en)
    data[measure["title_en"].html_name] += " [[figure:no-such-figure]]"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any("no-such-figure" in str(form_errors.get("title_en", "")) for form_errors in errors)
    assert "no-such-figure" not in PolicyMeasure.objects.get(pk=measure.instance.pk).title_en


# "Last updated" on every page counts every object the page shows.


def first_enterprise_naming_a_figure():
    return next(e for e in Enterprise.objects.all()[:12] if figure_text.slugs_in(e.summary))


def named_by(obj) -> KeyFigure:
    return KeyFigure.objects.get(slug=sorted(figure_text.slugs_in(*figure_text.prose_of([obj])))[0])


def park(slug):
    return Park.objects.get(slug=slug)


# (page, what the page shows that is changed)
SHOWN = {
    "home: profile": ("promotion:home", lambda: ZoneProfile.objects.get()),
    "home: headline figure": ("promotion:home", lambda: KeyFigure.objects.get(slug="employees")),
    "home: leading industry": ("promotion:home", lambda: Industry.objects.get(slug="electronic-products")),
    "home: featured park": ("promotion:home", lambda: park("electronics-park")),
    "home: featured policy": ("promotion:home", lambda: Policy.objects.get(slug="tax-sharing")),
    "home: featured project": ("promotion:home", lambda: Project.objects.get(slug="fengbao-pipe-industry")),
    "home: figure a summary names": (
        "promotion:home",
        lambda: named_by(Policy.objects.get(slug="talent-100-entrepreneurs")),
    ),
    "about: milestone": ("promotion:about", lambda: Milestone.objects.get(year=2006, month=4)),
    "about: honour": ("promotion:about", lambda: Honour.objects.first()),
    "about: target": ("promotion:about", lambda: PlanTarget.objects.first()),
    "figures: figure": ("promotion:figure-list", lambda: KeyFigure.objects.get(slug="yao-town-villages")),
    "parks: park": ("promotion:park-list", lambda: park("power-battery-park")),
    "parks: a park's industry": ("promotion:park-list", lambda: Industry.objects.get(slug="biotechnology")),
    "parks: figure a summary names": ("promotion:park-list", lambda: named_by(park("huan-river-park"))),
    "park: the park": (detail(Park, "e-commerce-base"), lambda: park("e-commerce-base")),
    "park: its industry": (detail(Park, "e-commerce-base"), lambda: Industry.objects.get(slug="e-commerce-and-trade")),
    "park: its enterprise": (detail(Park, "e-commerce-base"), lambda: Enterprise.objects.get(slug="alibaba")),
    "park: its project": (detail(Park, "e-commerce-base"), lambda: Project.objects.get(slug="e-commerce-base")),
    "park: figure its prose names": (detail(Park, "huan-river-park"), lambda: named_by(park("huan-river-park"))),
    "industries: industry": ("promotion:industry-list", lambda: Industry.objects.get(slug="steel")),
    "industry: the industry": (detail(Industry, "steel"), lambda: Industry.objects.get(slug="steel")),
    "industry: its parent": (detail(Industry, "steel"), lambda: Industry.objects.get(slug="equipment-manufacturing")),
    "industry: its branch": (
        detail(Industry, "equipment-manufacturing"),
        lambda: Industry.objects.get(slug="auto-parts"),
    ),
    "industry: its park": (detail(Industry, "electronic-products"), lambda: park("power-industrial-park")),
    "industry: its enterprise": (
        detail(Industry, "electronic-products"),
        lambda: Enterprise.objects.get(slug="shanghai-yinzhou-electric-appliance"),
    ),
    "industry: its project": (
        detail(Industry, "electronic-products"),
        lambda: Project.objects.get(slug="mobile-phones"),
    ),
    "industry: figure its prose names": (
        detail(Industry, "electronic-products"),
        lambda: KeyFigure.objects.get(slug="mobile-phone-annual-output"),
    ),
    "enterprises: enterprise": ("promotion:enterprise-list", lambda: Enterprise.objects.first()),
    "enterprises: an industry the filter names": (
        "promotion:enterprise-list",
        lambda: Industry.objects.get(slug="new-materials"),
    ),
    "enterprises: a park the filter names": ("promotion:enterprise-list", lambda: park("tsinghua-new-material-base")),
    "enterprises: figure a summary names": (
        "promotion:enterprise-list",
        lambda: named_by(first_enterprise_naming_a_figure()),
    ),
    "enterprise: the enterprise": (
        detail(Enterprise, "lin-feng-aluminium-electricity"),
        lambda: Enterprise.objects.get(slug="lin-feng-aluminium-electricity"),
    ),
    "enterprise: its industry": (
        detail(Enterprise, "lin-feng-aluminium-electricity"),
        lambda: Industry.objects.get(slug="aluminium-and-power"),
    ),
    "enterprise: its park": (detail(Enterprise, "alibaba"), lambda: park("e-commerce-base")),
    "enterprise: its project": (
        detail(Enterprise, "lin-feng-aluminium-electricity"),
        lambda: Project.objects.get(slug="linfeng-aluminium-electricity"),
    ),
    "enterprise: figure its summary names": (
        detail(Enterprise, "lin-feng-aluminium-electricity"),
        lambda: KeyFigure.objects.get(slug="aluminium-energy-saving"),
    ),
    "projects: project": ("promotion:project-list", lambda: Project.objects.get(slug="haode-trade-city")),
    "projects: figure a summary names": (
        "promotion:project-list",
        lambda: KeyFigure.objects.get(slug="mobile-phone-annual-output"),
    ),
    "project: the project": (
        detail(Project, "shenzhou-power-lithium-batteries"),
        lambda: Project.objects.get(slug="shenzhou-power-lithium-batteries"),
    ),
    "project: its enterprise": (
        detail(Project, "shenzhou-power-lithium-batteries"),
        lambda: Enterprise.objects.get(slug="beijing-shenzhou-power"),
    ),
    "project: its industry": (
        detail(Project, "shenzhou-power-lithium-batteries"),
        lambda: Industry.objects.get(slug="power-batteries"),
    ),
    "project: its park": (detail(Project, "huan-river-park"), lambda: park("huan-river-park")),
    "project: figure its prose names": (
        detail(Project, "shenzhou-power-lithium-batteries"),
        lambda: KeyFigure.objects.get(slug="shenzhou-power-annual-output"),
    ),
    "policies: policy": ("promotion:policy-list", lambda: Policy.objects.get(slug="investment-promotion-approach")),
    "policies: figure a summary names": (
        "promotion:policy-list",
        lambda: KeyFigure.objects.get(slug="yao-town-villages"),
    ),
    "policy: the policy": (
        detail(Policy, "management-mechanism"),
        lambda: Policy.objects.get(slug="management-mechanism"),
    ),
    "policy: figure its measures name": (
        detail(Policy, "investment-promotion-approach"),
        lambda: KeyFigure.objects.get(slug="shenzhou-power-investment"),
    ),
    "environment: highlight": ("promotion:environment", lambda: Highlight.objects.filter(topic="urbanisation").first()),
    "environment: charted figure": ("promotion:environment", lambda: KeyFigure.objects.get(slug="new-green-area")),
    "environment: park it points to": ("promotion:environment", lambda: park("e-commerce-base")),
    "innovation: highlight": ("promotion:innovation", lambda: Highlight.objects.filter(topic="talent").first()),
    "innovation: park it points to": ("promotion:innovation", lambda: park("tsinghua-new-material-base")),
    "innovation: policy it points to": (
        "promotion:innovation",
        lambda: Policy.objects.get(slug="talent-100-entrepreneurs"),
    ),
    "innovation: figure a highlight names": (
        "promotion:innovation",
        lambda: KeyFigure.objects.get(slug="entrepreneur-talent-funding"),
    ),
}


@pytest.mark.parametrize("case", list(SHOWN))
def test_last_updated_moves_when_anything_the_page_shows_changes(client, case):
    page, shown = SHOWN[case]
    path = page() if callable(page) else reverse(page)
    before = updated_at_of(client, path)
    obj = shown()
    obj.save()
    from django.core.cache import cache

    cache.clear()
    after = updated_at_of(client, path)
    assert after == obj.updated_at and after > before, case
