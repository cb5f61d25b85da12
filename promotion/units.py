"""Write the zone's figures the way each language reads them.

Amounts are stored whole (61 billion yuan is 61000000000). English groups them
in millions and billions ("61 billion yuan"); Chinese in 万 and 亿 ("610亿元").
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Units a figure is stored in; values are kept whole (61 billion yuan is 61000000000)."""

    NUMBER = "number", _("number")
    YUAN = "yuan", _("yuan")
    US_DOLLAR = "usd", _("US dollars")
    PERCENT = "percent", _("per cent")
    SQUARE_KILOMETRE = "km2", _("square kilometres")
    SQUARE_METRE = "m2", _("square metres")
    HECTARE = "ha", _("hectares")
    KILOMETRE = "km", _("kilometres")
    KILOWATT_HOUR = "kwh", _("kilowatt-hours")
    WATT_HOUR = "wh", _("watt-hours")
    ENTERPRISE = "enterprises", _("enterprises")
    PERSON = "people", _("people")
    PROJECT = "projects", _("projects")
    HOUSING_UNIT = "units", _("housing units")
    ROAD = "roads", _("roads")
    YEAR = "years", _("years")


class Qualifier(models.TextChoices):
    EXACT = "", _("exactly")
    MORE_THAN = "more_than", _("more than")
    UP_TO = "up_to", _("up to")
    AT_LEAST = "at_least", _("at least")


SCALED_UNITS = {Unit.NUMBER, Unit.YUAN, Unit.US_DOLLAR, Unit.WATT_HOUR}
# Chinese also counts people and floor space in 万: 12万人, 20万平方米.
CHINESE_SCALED_UNITS = SCALED_UNITS | {Unit.PERSON, Unit.SQUARE_METRE}

ENGLISH_UNITS = {
    Unit.NUMBER: "",
    Unit.YUAN: "yuan",
    Unit.US_DOLLAR: "US dollars",
    Unit.PERCENT: "%",
    Unit.SQUARE_KILOMETRE: "km²",
    Unit.SQUARE_METRE: "m²",
    Unit.HECTARE: "hectares",
    Unit.KILOMETRE: "km",
    Unit.KILOWATT_HOUR: "kWh",
    Unit.WATT_HOUR: "watt-hours",
    Unit.ENTERPRISE: "enterprises",
    Unit.PERSON: "people",
    Unit.PROJECT: "projects",
    Unit.HOUSING_UNIT: "housing units",
    Unit.ROAD: "roads",
    Unit.YEAR: "years",
}
CHINESE_UNITS = {
    Unit.NUMBER: "",
    Unit.YUAN: "元",
    Unit.US_DOLLAR: "美元",
    Unit.PERCENT: "%",
    Unit.SQUARE_KILOMETRE: "平方公里",
    Unit.SQUARE_METRE: "平方米",
    Unit.HECTARE: "公顷",
    Unit.KILOMETRE: "公里",
    Unit.KILOWATT_HOUR: "千瓦时",
    Unit.WATT_HOUR: "瓦时",
    Unit.ENTERPRISE: "家",
    Unit.PERSON: "人",
    Unit.PROJECT: "个",
    Unit.HOUSING_UNIT: "套",
    Unit.ROAD: "条",
    Unit.YEAR: "年",
}
ENGLISH_QUALIFIERS = {Qualifier.MORE_THAN: "more than", Qualifier.UP_TO: "up to", Qualifier.AT_LEAST: "at least"}
CHINESE_QUALIFIERS = {Qualifier.MORE_THAN: "超过", Qualifier.UP_TO: "达", Qualifier.AT_LEAST: "突破"}
ENGLISH_SCALES = [(Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
CHINESE_SCALES = [(Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")]


@dataclass(frozen=True)
class Quantity:
    qualifier: str
    number: str
    unit: str
    chinese: bool

    def __str__(self) -> str:
        if self.chinese:
            return f"{self.qualifier}{self.number}{self.unit}"
        text = f"{self.number} {self.unit}" if self.unit and self.unit != "%" else f"{self.number}{self.unit}"
        return f"{self.qualifier} {text}" if self.qualifier else text


def plain_number(value: Decimal, grouped: bool = True) -> str:
    """120000 → "120,000" (or "120000" ungrouped); 27.050 → "27.05"; never scientific notation."""
    value = Decimal(value)
    text = f"{value:,f}" if grouped else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def is_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "en").lower().startswith("zh")


def quantity(value: Decimal, unit: str, qualifier: str = "", language: str | None = None) -> Quantity:
    chinese = is_chinese(language)
    scales = CHINESE_SCALES if chinese else ENGLISH_SCALES
    value = Decimal(value)
    scale_word = ""
    if unit in (CHINESE_SCALED_UNITS if chinese else SCALED_UNITS):
        for size, word in scales:
            if abs(value) >= size and (value / size) == (value / size).quantize(Decimal("0.01")):
                value, scale_word = value / size, word
                break
    number = plain_number(value, grouped=not chinese)
    unit_word = (CHINESE_UNITS if chinese else ENGLISH_UNITS).get(unit, "")
    joiner = "" if chinese else " "
    unit_text = joiner.join(part for part in (scale_word, unit_word) if part)
    qualifiers = CHINESE_QUALIFIERS if chinese else ENGLISH_QUALIFIERS
    return Quantity(qualifiers.get(qualifier, ""), number, unit_text, chinese)


def growth(percent: Decimal | None, language: str | None = None) -> str:
    if percent is None:
        return ""
    number = plain_number(percent)
    if is_chinese(language):
        return f"同比增长{number}%" if percent >= 0 else f"同比下降{plain_number(-percent)}%"
    return f"+{number}% year on year" if percent >= 0 else f"{number}% year on year"
