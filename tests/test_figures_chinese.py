"""The Chinese pages write their figures in Chinese: 万 and 亿, Chinese units and measure words.

What each figure reads as, and what the page printed before these words came from the catalogue:
counted figures stood bare ("180", "300万", "7"), enterprises and projects took the measure word
alone ("419家", "65个"), and the milestone of early 1992 read "1992年年初".
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from promotion.models import KeyFigure, Milestone, PlanTarget, ZoneProfile
from promotion.units import Unit, figure_quantity, figure_when, growth, quantity

pytestmark = pytest.mark.django_db

# Every figure and target of the fixture, by (value, unit, qualifier), as a Chinese reader sees it.
CHINESE = {
    ("27.05", "km2", ""): "27.05平方公里",
    ("419", "enterprises", ""): "419家企业",
    ("436", "enterprises", ""): "436家企业",
    ("124", "enterprises", ""): "124家企业",
    ("5", "enterprises", ""): "5家企业",
    ("120000", "people", "up_to"): "达12万人",
    ("262", "people", ""): "262人",
    ("3450", "people", ""): "3450人",
    ("300000", "people", ""): "30万人",
    ("180", "clusters", ""): "180个",
    ("3", "zones", ""): "3个",
    ("10", "centres", ""): "10个",
    ("2", "workstations", ""): "2个",
    ("1", "workstations", ""): "1个",
    ("3000000", "phones", ""): "300万部",
    ("7", "villages", ""): "7个行政村",
    ("36000000000", "number", ""): "360亿",  # the account names no currency
    ("1000000", "number", ""): "100万",  # nor here
    ("61000000000", "yuan", ""): "610亿元",
    ("90000000000", "yuan", ""): "900亿元",
    ("23400000000", "yuan", ""): "234亿元",
    ("1040000000", "yuan", ""): "10.4亿元",
    ("350000000", "yuan", ""): "3.5亿元",
    ("36000000000", "yuan", ""): "360亿元",
    ("120000000000", "yuan", "at_least"): "突破1200亿元",
    ("150000000000", "yuan", ""): "1500亿元",
    ("150000000", "usd", ""): "1.5亿美元",
    ("1000000000", "usd", ""): "10亿美元",
    ("65", "projects", ""): "65个项目",
    ("10", "projects", "more_than"): "超过10个项目",
    ("3000000000", "wh", ""): "30亿瓦时",
    ("11819", "kwh", ""): "11819千瓦时",
    ("10.7", "percent", ""): "10.7%",
    ("95", "percent", "more_than"): "超过95%",
    ("80", "percent", ""): "80%",
    ("20", "percent", ""): "20%",
    ("3", "years", ""): "3年",
    ("13", "roads", ""): "13条",
    ("105", "km", ""): "105公里",
    ("235", "km", ""): "235公里",
    ("228", "km", ""): "228公里",
    ("26.68", "ha", ""): "26.68公顷",
    ("1200000", "m2", ""): "120万平方米",
    ("200000", "m2", ""): "20万平方米",
    ("4500", "units", ""): "4500套",
}

# The figures stored as plain numbers that count something, with their measure word.
MEASURE_WORDS = [
    ("henan-first-batch-clusters", "180个"),
    ("provincial-zones-in-counties", "3个"),
    ("engineering-centres", "10个"),
    ("postdoctoral-workstations", "2个"),
    ("academician-workstations", "1个"),
    ("mobile-phone-annual-output", "300万部"),
    ("yao-town-villages", "7个行政村"),
]

CHINESE_SCALES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
CHINESE_FIGURE = re.compile(r"(?:超过|达|突破)?(\d+(?:\.\d+)?)(万亿|亿|万)?(?:[^\d\s]*)")


def key(item) -> tuple[str, str, str]:
    return (f"{item.value.normalize():f}", item.unit, item.qualifier)


def measured():
    return [*KeyFigure.objects.all(), *PlanTarget.objects.exclude(value=None)]


def chinese_page(name: str) -> str:
    with translation.override("zh-hans"):
        url = reverse(name)
    return url


def card(body: str, slug: str) -> str:
    """A figure card's value as read: tags dropped, nothing added — "12万人", not "12 万人"."""
    match = re.search(rf'id="{slug}">\s*<p class="figure-value">(.*?)</p>', body, re.S)
    assert match, slug
    return re.sub(r"<[^>]+>", "", match[1])


def test_every_figure_and_target_reads_in_chinese():
    for item in measured():
        assert key(item) in CHINESE, f"no Chinese reading for {key(item)}: add it above"
        assert str(figure_quantity(item, "zh-hans")) == CHINESE[key(item)], item


def test_every_chinese_figure_reads_back_exactly():
    for item in measured():
        text = str(figure_quantity(item, "zh-hans"))
        match = CHINESE_FIGURE.fullmatch(text)
        assert match, text
        assert Decimal(match[1]) * CHINESE_SCALES.get(match[2], 1) == item.value, text


@pytest.mark.parametrize(("slug", "chinese"), MEASURE_WORDS)
def test_counted_figures_carry_their_measure_word(client, slug, chinese):
    figure = KeyFigure.objects.get(slug=slug)
    assert str(figure_quantity(figure, "zh-hans")) == chinese
    assert card(client.get(chinese_page("promotion:figure-list")).content.decode(), slug) == chinese


def test_the_chinese_figure_cards_write_chinese_units_and_years(client):
    body = client.get(chinese_page("promotion:figure-list")).content.decode()
    for figure in KeyFigure.objects.all():
        assert card(body, figure.slug) == CHINESE[key(figure)], figure.slug
    assert card(body, "planned-area") == "27.05平方公里"
    assert card(body, "entered-enterprises") == "419家企业"
    assert card(body, "new-projects-100m") == "65个项目"
    assert card(body, "employees") == "达12万人"
    assert card(body, "security-housing") == "4500套"
    assert card(body, "main-roads") == "13条"
    assert '<span class="figure-number">610</span><span class="figure-unit">亿元</span>' in body
    assert '<span class="figure-year">（2015年）</span>' in body
    values = " ".join(re.findall(r'<p class="figure-value">(.*?)</p>', body, re.S))
    for english in ["km²", "m²", "kWh", "enterprises", "projects", "people", "more than", "up to"]:
        assert english not in values, english


def test_a_figures_year_and_period_are_bracketed_the_chinese_way():
    income = KeyFigure.objects.get(slug="main-business-income-2015")
    assert figure_when(income, "zh-hans") == "（2015年）"
    assert figure_when(income, "en") == "(2015)"
    accumulated = KeyFigure.objects.get(slug="enterprises-accumulated")
    assert figure_when(accumulated, "zh-hans") == "（累计）"


def test_growth_is_worded_in_chinese():
    assert growth(Decimal("10.30"), "zh-hans") == "同比增长10.3%"
    assert growth(Decimal("-5"), "zh-hans") == "同比下降5%"


def test_qualifiers_come_before_the_number_without_a_space():
    assert str(quantity(Decimal("95"), Unit.PERCENT, "more_than", "zh-hans")) == "超过95%"
    assert str(quantity(Decimal("120000"), Unit.PERSON, "up_to", "zh-hans")) == "达12万人"
    assert str(quantity(Decimal("120000000000"), Unit.YUAN, "at_least", "zh-hans")) == "突破1200亿元"


def test_the_plan_chart_gives_the_year_in_chinese(client):
    body = client.get(chinese_page("promotion:about")).content.decode()
    assert "实际完成（2015年）" in body
    assert "突破1200亿元" in body


def test_the_planned_area_on_the_about_page_is_in_square_kilometres(client):
    body = client.get(chinese_page("promotion:about")).content.decode()
    area = ZoneProfile.objects.get().planned_area_km2
    assert f"{area.normalize():f}平方公里" in body
    assert "km²" not in re.sub(r"<[^>]+>", " ", body.split("<main", 1)[-1])


def test_early_1992_reads_1992_early_in_the_year():
    with translation.override("zh-hans"):
        assert Milestone.objects.get(year=1992).when == "1992年初"
