"""The site says what the zone's account means: who shares the 8:2 tax, what 11,819 kWh per tonne of
aluminium is, full official names, one Chinese term for one thing, and editors' remarks kept off the public
pages (in a note for editors, with a "to be confirmed" mark the admin can filter on)."""

import html
import json
import re
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from promotion.figure_text import figures_named, fill
from promotion.models import Content, Enterprise, Industry, KeyFigure, Policy, PolicyMeasure, ZoneProfile

from .test_journey import sitemap_paths

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zone.json"
CONTENT_MODELS = [m for m in apps.get_app_config("promotion").get_models() if issubclass(m, Content)]

# Words that make an investor read "80 % of my tax comes back to me".
OWNER_WORDING = ["project owner", "projects owner", "项目方", "项目业主"]
# The aluminium figure misread as electricity saved.
SAVING_WORDING = [
    "electricity saved per tonne",
    "saving 11,819",
    "saving 11819",
    "11,819 kwh of electricity",
    "吨铝节电",
]
# Remarks for editors that once stood in public fields.
EDITORIAL_WORDING = [
    "on-line enterprises",
    "gives no currency",
    "no currency for this figure",
    "英文介绍",
    "原始介绍",
    "币种",
    "pyroelectricity",
    "to be confirmed",
    "待确认",
    "note for editors",
]

# (Chinese rendering, English rendering) of names the zone must confirm.
NAMES_TO_CONFIRM = [
    ("西奥电梯", "Theo Elevator"),
    ("豪德商贸城", "Haode Trade City"),
    ("上海银洲电器", "Shanghai Yinzhou Electric Appliance"),
    ("红旗渠电器", "Hongqi Canal Electric Appliance"),
    ("红旗渠电力产业园", "Hongqi Canal Power Industrial Park"),
    ("神州巨电", "Shenzhou Power"),
]


def fixture_objects() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def as_read(text: str, language: str) -> str:
    """A field's text as its page writes it: the key figures it names ([[figure:slug]]) written out."""
    return fill(text, figures_named(text), language)


def chinese_texts() -> list[tuple[str, str]]:
    """(where, text) for every Chinese field of the fixture, as the pages write it."""
    return [
        (f"{o['model']} {o['pk']} {field}", as_read(value, "zh-hans"))
        for o in fixture_objects()
        for field, value in o["fields"].items()
        if field.endswith("_zh_hans") and isinstance(value, str) and value
    ]


def chinese_pages(client) -> str:
    """The text of every Chinese page in the sitemap."""
    pages = [client.get(path).content.decode() for path in sitemap_paths(client) if path.startswith("/zh-hans/")]
    assert len(pages) > 10
    return html.unescape(re.sub(r"<[^>]+>", "", " ".join(pages)))


def public_texts(obj) -> str:
    """Every translated (public) field of an object, in both languages, as the pages write it."""
    fields = translator.get_options_for_model(type(obj)).fields
    return " ".join(
        as_read(str(getattr(obj, f"{name}_{lang}") or ""), language)
        for name in fields
        for lang, language in (("en", "en"), ("zh_hans", "zh-hans"))
    )


def public_responses(client) -> dict[str, str]:
    """Every page of the sitemap in both languages, the calculator's answers, a few searches and the open data,
    as their text with HTML entities undone (meta descriptions and attributes included)."""
    paths = sitemap_paths(client)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            tax = reverse("promotion:policy-detail", kwargs={"slug": "tax-sharing"})
            paths += [f"{tax}?tax=1000000", reverse("promotion:key-figures-csv"), reverse("promotion:key-figures-json")]
            search = reverse("promotion:search")
            paths += [
                f"{search}?q={q}" for q in ["8:2", "enclave", "tax", "aluminium", "税收", "铝", "currency", "外资"]
            ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        pages[path] = html.unescape(response.content.decode())
    return pages


# --- 1. The 8:2 tax sharing is a mechanism between local governments -------------------------------


def tax_page(client, language="en", **params):
    with translation.override(language):
        url = reverse("promotion:policy-detail", kwargs={"slug": "tax-sharing"})
    return client.get(url, params)


def test_tax_sharing_is_a_mechanism_between_the_introducing_towns_and_the_zone():
    policy = Policy.objects.get(slug="tax-sharing")
    assert policy.kind == Policy.Kind.MECHANISM
    assert (policy.owner_share_percent, policy.zone_share_percent) == (80, 20)
    for language in ("en", "zh_hans"):
        text = " ".join(
            getattr(policy, f"{field}_{language}") for field in ("summary", "description", "eligibility", "benefits")
        )
        assert ("village or town" in text) if language == "en" else ("引进项目的村镇" in text), language
    assert "same treatment" in policy.summary_en and "同等待遇" in policy.summary_zh_hans
    assert "between local governments" in policy.description_en and "地方政府之间" in policy.description_zh_hans
    # What it means for an investor: the zone's treatment and services, wherever the project comes from.
    assert "Wherever a project is introduced from" in policy.benefits_en
    assert "无论项目由哪里引进" in policy.benefits_zh_hans
    assert "investor receives no part" in policy.benefits_en and "投资者不从中获得任何份额" in policy.benefits_zh_hans


def test_tax_shares_are_labelled_for_the_town_and_the_zone():
    town = KeyFigure.objects.get(slug="tax-share-introducing-towns")
    assert town.value == Decimal("80")
    assert "village's or town's share" in town.label_en and "引进项目的村镇" in town.label_zh_hans
    field = Policy._meta.get_field("owner_share_percent")
    assert "village" in str(field.verbose_name) and "owner" not in str(field.verbose_name)
    for measure in PolicyMeasure.objects.filter(policy__slug="tax-sharing"):
        assert "owner" not in public_texts(measure).lower()


def test_calculator_says_who_it_is_for_and_splits_between_town_and_zone_without_javascript(client):
    response = tax_page(client, tax="1000000")
    body = html.unescape(response.content.decode())
    assert response.context["split"]["owner"] == Decimal("800000")
    assert "Tax-sharing calculator for villages and towns" in body
    assert "For villages and towns outside the zone, and their officials" in body
    assert "Village or town that introduced the project (80 %)" in body
    assert "Development zone (20 %)" in body
    assert "It is not a tax refund: the investor receives no part of it." in body
    result = body.split('class="tax-result', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"Village or town that introduced the project \(80 %\)</dt>\s*<dd><output[^>]*>800,000<", result)


def test_calculator_script_reads_the_towns_share(client):
    body = tax_page(client).content.decode()
    assert 'data-town-share="80"' in body and "data-owner-share" not in body
    script = (Path(settings.BASE_DIR) / "static" / "js" / "tax-calculator.js").read_text(encoding="utf-8")
    assert "dataset.townShare" in script and "ownerShare" not in script


def test_calculator_translations_never_speak_of_project_owners():
    """Until the catalogue carries them the labels fall back to English; once it does, they name the village or
    town (村镇) and never 项目方."""
    labels = [
        "Tax-sharing calculator for villages and towns",
        "The split is made between local governments. It is not a tax refund: the investor receives no part of it.",
        "Village or town that introduced the project (%(share)s %%)",
    ]
    with translation.override("zh-hans"):
        for label in labels:
            chinese = translation.gettext(label)
            if chinese != label:
                assert "项目方" not in chinese and ("村镇" in chinese or "投资者" in chinese), chinese


def test_tax_sharing_is_told_as_a_mechanism_on_the_home_page_the_policy_list_and_in_search(client):
    policy = Policy.objects.get(slug="tax-sharing")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            home = html.unescape(client.get(reverse("promotion:home")).content.decode())
            listing = html.unescape(client.get(reverse("promotion:policy-list")).content.decode())
            found = client.get(reverse("promotion:search"), {"q": "8:2"}).context["groups"]
            summary, kind = policy.summary, str(Policy.Kind.MECHANISM.label)
            card = listing.split(policy.title, 1)[1][:1000]
        assert summary in home and summary in card and kind in card, language
        assert any(r.summary == summary for g in found for r in g["results"]), language
    page = tax_page(client)
    description = re.search(r'<meta name="description" content="([^"]*)"', page.content.decode()).group(1)
    assert "between local governments" in html.unescape(description)


# --- 1, 2, 3 on every public page -------------------------------------------------------------------


def test_no_public_page_promises_tax_to_owners_misreads_the_aluminium_figure_or_shows_editors_remarks(client):
    notes = [
        note.strip()
        for model in CONTENT_MODELS
        for text in model.objects.exclude(editor_note="").values_list("editor_note", flat=True)
        for note in text.splitlines()
        if note.strip()
    ]
    assert len(notes) >= 10
    forbidden = OWNER_WORDING + SAVING_WORDING + EDITORIAL_WORDING
    for path, page in public_responses(client).items():
        lowered = page.lower()
        shown = [w for w in forbidden if w.lower() in lowered]
        assert not shown, (path, shown)
        leaked = [n[:60] for n in notes if n in page]
        assert not leaked, (path, leaked)


# --- 2. 11,819 kWh per tonne of aluminium is DC power consumption -----------------------------------


def test_aluminium_figure_is_dc_power_consumption_per_tonne_in_both_languages(client):
    figure = KeyFigure.objects.get(slug="aluminium-dc-power-consumption")
    assert (figure.value, figure.unit) == (Decimal("11819"), "kwh")
    assert figure.label_en == "DC power consumption per tonne of aluminium"
    assert figure.label_zh_hans == "吨铝直流电耗"
    innovation = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            innovation[language] = html.unescape(client.get(reverse("promotion:innovation")).content.decode())
            enterprise = Enterprise.objects.get(slug="lin-feng-aluminium-electricity")
            enterprise_page = html.unescape(client.get(enterprise.get_absolute_url()).content.decode())
            industry_page = client.get(Industry.objects.get(slug="aluminium-and-power").get_absolute_url())
            industry_page = html.unescape(industry_page.content.decode())
        expected = (
            "DC power consumption down to 11,819 kWh per tonne of aluminium, 10.7% less energy"
            if language == "en"
            else "吨铝直流电耗降至11819千瓦时，节能10.7%"
        )
        for where, page in [("innovation", innovation[language]), ("enterprise", enterprise_page)]:
            assert expected in page, (language, where)
        assert expected in industry_page, (language, "industry")
    assert "DC power consumption per tonne of aluminium" in innovation["en"]
    assert "吨铝直流电耗" in innovation["zh-hans"]


# --- 3. Notes for editors: on every content model, in the admin, never public ----------------------


def test_every_content_model_has_an_editor_note_and_a_to_be_confirmed_mark():
    assert len(CONTENT_MODELS) >= 11
    for model in CONTENT_MODELS:
        note = model._meta.get_field("editor_note")
        mark = model._meta.get_field("to_be_confirmed")
        assert note.blank and note.get_default() == "", model
        assert mark.default is False, model
        assert "editor_note" not in translator.get_options_for_model(model).fields, model


def test_editorial_remarks_live_in_editor_notes_not_in_public_fields():
    for model in CONTENT_MODELS:
        for obj in model.objects.all():
            text = public_texts(obj).lower()
            shown = [w for w in EDITORIAL_WORDING + OWNER_WORDING + SAVING_WORDING if w.lower() in text]
            assert not shown, (model.__name__, obj.pk, shown)
    assert "on-line enterprises" in KeyFigure.objects.get(slug="above-size-enterprises").editor_note
    assert "currency" in KeyFigure.objects.get(slug="foreign-capital-introduced").editor_note
    assert "currency" in KeyFigure.objects.get(slug="entrepreneur-talent-funding").editor_note
    assert "projects owners" in Policy.objects.get(slug="tax-sharing").editor_note


def test_admin_shows_the_editor_note_and_filters_what_is_to_be_confirmed(staff_client):
    registered = [model for model in CONTENT_MODELS if model in admin.site._registry]
    assert registered == CONTENT_MODELS
    for model in registered:
        changelist = reverse(f"admin:promotion_{model._meta.model_name}_changelist")
        response = staff_client.get(changelist, {"to_be_confirmed__exact": "1"})
        assert response.status_code == HTTPStatus.OK, model
        listed = {obj.pk for obj in response.context["cl"].result_list}
        assert listed == set(model.objects.filter(to_be_confirmed=True).values_list("pk", flat=True)), model
        assert "to_be_confirmed" in admin.site._registry[model].get_list_filter(None), model
    theo = Enterprise.objects.get(slug="theo-elevator")
    page = staff_client.get(reverse("admin:promotion_enterprise_change", args=[theo.pk])).content.decode()
    assert 'name="editor_note"' in page and 'name="to_be_confirmed"' in page
    assert html.escape("西奥电梯") in page or "西奥电梯" in page


# --- 4. Names --------------------------------------------------------------------------------------


def test_full_official_names_in_chinese():
    lin_feng = Enterprise.objects.get(slug="lin-feng-aluminium-electricity")
    assert lin_feng.name_zh_hans == "林州市林丰铝电有限责任公司"
    assert Enterprise.objects.get(slug="sin-agriyin-thai").name_zh_hans == "中农颖泰林州生物科园有限公司"
    assert Enterprise.objects.get(slug="chinese-network-library").name_zh_hans == "中国网库"
    short_forms = {
        "林丰铝电": r"(?<!林州市)林丰铝电(?!有限责任公司)",
        "中农颖泰": r"中农颖泰(?!林州生物科园有限公司)",
        "网库": r"(?<!中国)网库",
        "姚镇": r"姚镇|姚村(?!镇)",
        "陵阳": r"陵阳(?!镇)",
    }
    for where, text in chinese_texts():
        for name, pattern in short_forms.items():
            assert not re.search(pattern, text), (where, name)
    english = " ".join(
        v for o in fixture_objects() for k, v in o["fields"].items() if k.endswith("_en") and isinstance(v, str)
    )
    assert "Yao Town" not in english and "Yaocun Town" in english
    assert "Lin Feng" not in english


@pytest.mark.parametrize(("chinese", "english"), NAMES_TO_CONFIRM)
def test_every_object_naming_an_unconfirmed_rendering_is_marked_with_what_to_confirm(chinese, english):
    marked = 0
    for model in CONTENT_MODELS:
        for obj in model.objects.all():
            text = public_texts(obj)
            if chinese in text or english in text:
                assert obj.to_be_confirmed, (model.__name__, obj.pk, chinese)
                assert chinese in obj.editor_note and "Confirm" in obj.editor_note, (model.__name__, obj.pk)
                marked += 1
    assert marked


def test_foreign_capital_of_36_billion_is_marked_for_its_currency_and_origin():
    figure = KeyFigure.objects.get(slug="foreign-capital-introduced")
    assert (figure.value, figure.unit) == (Decimal("36000000000"), "number")
    for model in CONTENT_MODELS:
        for obj in model.objects.all():
            text = public_texts(obj)
            if ("360亿" in text and "外资" in text) or obj == figure:
                assert obj.to_be_confirmed and "currency" in obj.editor_note and "36 billion" in obj.editor_note


# --- 5. One Chinese term for one thing -------------------------------------------------------------


def test_chinese_fields_use_full_width_punctuation_chinese_units_and_one_term_for_one_thing(client):
    problems = []
    for where, text in chinese_texts():
        for match in re.finditer(r"[:(),;?!]", text):
            ratio = text[max(match.start() - 1, 0) : match.end() + 1]
            if not re.fullmatch(r"\d:\d", ratio):  # 8:2 is a ratio, not punctuation
                problems.append((where, "half-width", text[max(match.start() - 6, 0) : match.end() + 6]))
        rules = {
            "km or m² in Chinese": r"km|m²",
            "电子电器 for the leading industry": r"电器产品|电子产品",
            "规模以上工业企业": r"规模以上企业",
            "工业总产值": r"(?<!工业)总产值",
            "中国企业500强": r"(?<!中国企业)500强",
            "省、市级知名龙头企业": r"(?<!省、市级)知名龙头企业",
            "洹河生态休闲园": r"洹河(?!生态休闲[园中])",
            "信息化和工业化融合": r"工业化和信息化",
            "measure words": r"三个|7个村|300万(?!部)",
            "1992年初": r"年年初",
        }
        for rule, pattern in rules.items():
            if re.search(pattern, text):
                problems.append((where, rule))
    assert not problems, problems[:10]

    # The figures the prose names are written by the page: read them there.
    everything = chinese_pages(client)
    for term in [
        "180个",
        "3个设在县",
        "10个工程中心",
        "2个博士后工作站",
        "1个院士工作站",
        "300万部",
        "7个行政村",
        "27.05平方公里",
    ]:
        assert term in everything, term
    profile = ZoneProfile.objects.get()
    assert profile.leading_industries_zh_hans == "装备制造、电子电器"
    assert Industry.objects.get(slug="electronic-products").name_zh_hans == "电子电器"
    assert KeyFigure.objects.get(slug="above-size-enterprises").label_zh_hans == "规模以上工业企业"


def test_plan_targets_and_their_figures_share_one_chinese_name():
    from promotion.models import PlanTarget

    for target in PlanTarget.objects.exclude(baseline=None).select_related("baseline"):
        assert target.label_zh_hans == target.baseline.label_zh_hans, target.label_en


def test_chinese_about_page_writes_units_years_and_brackets_the_chinese_way(client):
    with translation.override("zh-hans"):
        body = client.get(reverse("promotion:about")).content.decode()
    text = re.sub(r"<[^>]+>", "", body)
    # The planned area is written by promotion.units (27.05平方公里), not followed by a hard-coded "km²".
    with translation.override("zh-hans"):
        area = str(ZoneProfile.objects.get().planned_area)
    assert f"规划面积{area}" in text and "27.05平方公里" in text
    assert "1992年初" in text and "年年初" not in text
    assert "（2015年）" in text and "(2015)" not in text
    assert "（2013、2014、2015年）" in text
    english = client.get(reverse("promotion:about")).content.decode()
    assert "27.05 km²" in english and "(2015)" in english and "Early 1992" in english
