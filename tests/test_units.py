"""Figures written out: Babel's numbers, the catalogue's words, and never a digit lost.

The Chinese words (units, measure words, qualifiers) come from the catalogue; they are tested in
test_figures_chinese.py. Here: English, and the numbers of both languages.
"""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from promotion.models import KeyFigure, PlanTarget
from promotion.templatetags.zone import money
from promotion.units import Qualifier, Unit, figure_quantity, format_number, growth, quantity, scaled_number


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "english"),
    [
        ("61000000000", Unit.YUAN, "", "61 billion yuan"),
        ("1040000000", Unit.YUAN, "", "1.04 billion yuan"),
        ("23400000000", Unit.YUAN, "", "23.4 billion yuan"),
        ("150000000", Unit.US_DOLLAR, "", "150 million US dollars"),
        ("1", Unit.US_DOLLAR, "", "1 US dollar"),
        ("36000000000", Unit.NUMBER, "", "36 billion"),
        ("27.05", Unit.SQUARE_KILOMETRE, "", "27.05 km²"),
        ("120000", Unit.PERSON, Qualifier.UP_TO, "up to 120,000 people"),
        ("1", Unit.PERSON, "", "1 person"),
        ("95", Unit.PERCENT, Qualifier.MORE_THAN, "more than 95%"),
        ("10.7", Unit.PERCENT, "", "10.7%"),
        ("3000000000", Unit.WATT_HOUR, "", "3 billion watt-hours"),
        ("11819", Unit.KILOWATT_HOUR, "", "11,819 kWh"),
        ("26.68", Unit.HECTARE, "", "26.68 hectares"),
        ("1", Unit.HECTARE, "", "1 hectare"),
        ("1200000", Unit.SQUARE_METRE, "", "1.2 million m²"),
        ("200000", Unit.SQUARE_METRE, "", "200,000 m²"),
        ("4500", Unit.HOUSING_UNIT, "", "4,500 housing units"),
        ("419", Unit.ENTERPRISE, "", "419 enterprises"),
        ("10", Unit.PROJECT, Qualifier.MORE_THAN, "more than 10 projects"),
        ("13", Unit.ROAD, "", "13 roads"),
        ("3", Unit.YEAR, "", "3 years"),
        ("120000000000", Unit.YUAN, Qualifier.AT_LEAST, "at least 120 billion yuan"),
    ],
)
def test_quantities_read_naturally_in_english(value, unit, qualifier, english):
    assert str(quantity(Decimal(value), unit, qualifier, "en")) == english


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        ("61000000000", "61 billion", "610亿"),
        ("1040000000", "1.04 billion", "10.4亿"),
        ("150000000", "150 million", "1.5亿"),
        ("120000", "120,000", "12万"),  # English never scales in thousands
        ("1200000", "1.2 million", "120万"),
        ("120000000000", "120 billion", "1200亿"),
        ("1000000000000", "1 trillion", "1万亿"),
        ("4500", "4,500", "4500"),  # no Chinese scale below 万, and no separator
        ("11819", "11,819", "11819"),  # 1.18万 would round it
        ("1234567", "1,234,567", "1234567"),  # 1.23 million, 123.46万 would round it
        ("999999999", "999,999,999", "999999999"),  # not "1000 million", not "10亿"
        ("999950000", "999.95 million", "999950000"),  # 9.9995亿 needs four digits after the point
        ("27.05", "27.05", "27.05"),
        ("61000000000.00", "61 billion", "610亿"),  # as the database returns it
    ],
)
def test_numbers_scale_the_babel_way_and_keep_every_digit(value, english, chinese):
    assert scaled_number(Decimal(value), "en") == english
    assert scaled_number(Decimal(value), "zh-hans") == chinese


def test_amounts_that_do_not_divide_evenly_keep_every_digit():
    assert str(quantity(Decimal("1234567"), Unit.YUAN, "", "en")) == "1,234,567 yuan"


def test_plain_numbers_never_use_scientific_notation_or_trailing_zeros():
    assert format_number(Decimal("6.1E+10"), "en") == "61,000,000,000"
    assert format_number(Decimal("27.050"), "en") == "27.05"
    assert format_number(Decimal("6.1E+10"), "zh-hans") == "61000000000"


ENGLISH_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
CHINESE_SCALES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
ENGLISH_FIGURE = re.compile(
    r"(?:(?:more than|up to|at least) )?(\d[\d,]*(?:\.\d+)?)(?: (thousand|million|billion|trillion))?"
)
CHINESE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)?")


def read_english(text: str) -> Decimal:
    """The value an English reader takes from "up to 120,000 people" or "1.04 billion yuan"."""
    match = ENGLISH_FIGURE.match(text)
    assert match, text
    return Decimal(match[1].replace(",", "")) * ENGLISH_SCALES.get(match[2], 1)


def read_chinese_number(text: str) -> Decimal:
    """The value a Chinese reader takes from "610亿", "12万" or "11819"."""
    match = CHINESE_NUMBER.fullmatch(text)
    assert match, text
    return Decimal(match[1]) * CHINESE_SCALES.get(match[2], 1)


def measured():
    return [*KeyFigure.objects.all(), *PlanTarget.objects.exclude(value=None)]


@pytest.mark.django_db
def test_every_fixture_figure_and_target_reads_back_exactly_in_english():
    items = measured()
    assert len(items) > 40
    for item in items:
        assert read_english(str(figure_quantity(item, "en"))) == item.value, item


@pytest.mark.django_db
def test_every_fixture_figure_and_target_reads_back_exactly_in_chinese_numbers():
    for item in measured():
        scaled = item.unit not in (Unit.PERCENT, Unit.YEAR)
        number = scaled_number(item.value, "zh-hans") if scaled else format_number(item.value, "zh-hans")
        assert read_chinese_number(number) == item.value, item


@pytest.mark.django_db
def test_the_figure_cards_write_what_the_figures_say(client):
    """Each card's value, read as text, is the figure written out: "61 billion yuan", "more than 95%"."""
    body = client.get(reverse("promotion:figure-list")).content.decode()
    for figure in KeyFigure.objects.all():
        card = re.search(rf'id="{figure.slug}">\s*<p class="figure-value">(.*?)</p>', body, re.S)
        assert card, figure.slug
        assert re.sub(r"<[^>]+>", "", card[1]) == str(figure_quantity(figure, "en")), figure.slug
    assert '<span class="figure-number">61</span> <span class="figure-unit">billion yuan</span>' in body
    assert '<span class="figure-qualifier">more than</span> <span class="figure-number">95</span>' in body
    assert '<span class="figure-year">(2015)</span>' in body


def test_a_card_escapes_what_it_writes():
    figure = KeyFigure(slug="x", label="<b>", value=Decimal("5"), unit=Unit.PERCENT, year=2015)
    html = Template('{% include "includes/_figure.html" with figure=figure only %}').render(Context({"figure": figure}))
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<span class="figure-number">5</span><span class="figure-unit">%</span>' in html


def test_growth_is_signed_and_worded():
    assert growth(Decimal("10.30"), "en") == "+10.3% year on year"
    assert growth(Decimal("-5"), "en") == "-5% year on year"
    assert growth(None) == ""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_calculator_amounts_are_grouped_as_the_script_groups_them(language):
    with translation.override(language):
        assert money(Decimal("800000.00")) == "800,000"
        assert money(Decimal("333333.33")) == "333,333.33"
        assert money(None) == ""
