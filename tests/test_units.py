from decimal import Decimal

import pytest

from promotion.units import Qualifier, Unit, growth, quantity


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "english", "chinese"),
    [
        ("61000000000", Unit.YUAN, "", "61 billion yuan", "610亿元"),
        ("1040000000", Unit.YUAN, "", "1.04 billion yuan", "10.4亿元"),
        ("23400000000", Unit.YUAN, "", "23.4 billion yuan", "234亿元"),
        ("150000000", Unit.US_DOLLAR, "", "150 million US dollars", "1.5亿美元"),
        ("36000000000", Unit.NUMBER, "", "36 billion", "360亿"),
        ("27.05", Unit.SQUARE_KILOMETRE, "", "27.05 km²", "27.05平方公里"),
        ("120000", Unit.PERSON, Qualifier.UP_TO, "up to 120,000 people", "达12万人"),
        ("95", Unit.PERCENT, Qualifier.MORE_THAN, "more than 95%", "超过95%"),
        ("3000000000", Unit.WATT_HOUR, "", "3 billion watt-hours", "30亿瓦时"),
        ("11819", Unit.KILOWATT_HOUR, "", "11,819 kWh", "11819千瓦时"),
        ("26.68", Unit.HECTARE, "", "26.68 hectares", "26.68公顷"),
        ("1200000", Unit.SQUARE_METRE, "", "1,200,000 m²", "120万平方米"),
        ("4500", Unit.HOUSING_UNIT, "", "4,500 housing units", "4500套"),
    ],
)
def test_quantities_read_naturally_in_each_language(value, unit, qualifier, english, chinese):
    assert str(quantity(Decimal(value), unit, qualifier, "en")) == english
    assert str(quantity(Decimal(value), unit, qualifier, "zh-hans")) == chinese


def test_amounts_that_do_not_divide_evenly_keep_every_digit():
    assert str(quantity(Decimal("1234567"), Unit.YUAN, "", "en")) == "1,234,567 yuan"


def test_growth_is_signed_and_worded():
    assert growth(Decimal("10.30"), "en") == "+10.3% year on year"
    assert growth(Decimal("60"), "zh-hans") == "同比增长60%"
    assert growth(None) == ""
