"""Write the zone's figures the way each language reads them.

Amounts are stored whole (61 billion yuan is 61000000000). Two sources write them, and nothing
here knows which language it writes:

* the numbers come from Babel, with the language's own scales: English in millions and
  billions ("61 billion"), Chinese in 万 and 亿 ("610亿");
* the words round them — units, measure words, qualifiers, years — come from the gettext
  catalogue: ``pgettext("unit", "%(number)s yuan")`` is "%(number)s元" in Chinese, and counted
  things take their plural (English) or measure word (Chinese) through ``npgettext``.

A figure is never rounded: where the scaled number would lose a digit, it is written in full.
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal
from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext


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
    INDUSTRIAL_CLUSTER = "clusters", _("industrial clusters")
    DEVELOPMENT_ZONE = "zones", _("development zones")
    ENGINEERING_CENTRE = "centres", _("engineering centres")
    WORKSTATION = "workstations", _("workstations")
    MOBILE_PHONE = "phones", _("mobile phones")
    ADMINISTRATIVE_VILLAGE = "villages", _("administrative villages")


class Qualifier(models.TextChoices):
    EXACT = "", _("exactly")
    MORE_THAN = "more_than", _("more than")
    UP_TO = "up_to", _("up to")
    AT_LEAST = "at_least", _("at least")


# Shares and spans of years are read as they are: never "1万年" or "1.2 million %".
UNSCALED_UNITS = {Unit.PERCENT, Unit.YEAR}
# Scales below ten thousand are not used: English reads "120,000 people", never "120 thousand";
# Chinese starts at 万, and Babel's Chinese data has no scale for thousands anyway.
MIN_SCALE = 10_000
# Digits after the point a scaled number may keep: "1.04 billion", "10.4亿", "1.5亿".
SCALED_FRACTION_DIGITS = 2


@dataclass(frozen=True)
class Quantity:
    """A figure as written, in pieces: (role, text), the role "qualifier", "number", "unit" or ""
    (the spaces between them), so that a page can set the number apart from its words."""

    parts: tuple[tuple[str, str], ...]
    language: str = ""

    def __str__(self) -> str:
        return "".join(text for _role, text in self.parts)

    def _role(self, role: str) -> str:
        return "".join(text for part_role, text in self.parts if part_role == role)

    @property
    def qualifier(self) -> str:
        return self._role("qualifier")

    @property
    def number(self) -> str:
        return self._role("number")

    @property
    def unit(self) -> str:
        return self._role("unit")

    @property
    def html(self) -> SafeString:
        """Each piece in a <span class="figure-…">, the spaces between them left bare."""
        return format_html_join(
            "",
            "{}",
            (
                (format_html('<span class="figure-{}">{}</span>', role, text) if role else text,)
                for role, text in self.parts
            ),
        )


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _in_language(language: str | None):
    """The catalogue of `language` while a figure is written; the active one when None."""
    return translation.override(language) if language else nullcontext()


@lru_cache(maxsize=8)
def babel_locale(language: str) -> Locale:
    """Babel's locale for a Django language code: "en" → en, "zh-hans" → zh_Hans (zh_Hans_CN's data)."""
    return Locale.parse(translation.to_locale(language))


def _grouped(language: str) -> bool:
    """Whether digits are grouped in thousands: "120,000" in English; Django's zh_Hans formats set
    no thousand separator, so Chinese writes "11819千瓦时", "4500套"."""
    return bool(formats.get_format("THOUSAND_SEPARATOR", lang=language))


def format_number(value: Decimal | int | str, language: str | None = None) -> str:
    """Every digit of a number, in the language's way: "11,819" / "11819"; 27.050 → "27.05"."""
    language = _language(language)
    value = Decimal(value)
    return format_decimal(
        value, locale=babel_locale(language), decimal_quantization=False, group_separator=_grouped(language)
    )


def _compact_format_type(locale: Locale) -> str:
    """English spells its scales out ("61 billion", not "61B"); Chinese has only the one form (610亿)."""
    return "long" if "long" in locale.compact_decimal_formats else "short"


def _scale(value: Decimal, locale: Locale, format_type: str) -> int:
    """What Babel's compact format divides `value` by (10**9 for "billion", 10**8 for 亿); 1 for none.

    Babel's own rule (CLDR's compact patterns: "00 thousand" divides by a thousand, "0" not at all).
    """
    patterns = locale.compact_decimal_formats[format_type]["other"]
    for magnitude in sorted((int(m) for m in patterns), reverse=True):
        if abs(value) >= magnitude:
            pattern = patterns[str(magnitude)].pattern
            return 1 if pattern == "0" else magnitude // 10 ** (pattern.count("0") - 1)
    return 1


def scaled_number(value: Decimal | int | str, language: str | None = None) -> str:
    """A number in the language's scales where that keeps every digit: "61 billion" / "610亿",
    "1.2 million" / "120万"; otherwise in full: "1,234,567" / "1234567", "120,000" / "12万"."""
    language = _language(language)
    value = Decimal(value)
    locale = babel_locale(language)
    format_type = _compact_format_type(locale)
    scale = _scale(value, locale, format_type)
    exact = (value / scale) == (value / scale).quantize(Decimal(10) ** -SCALED_FRACTION_DIGITS)
    if scale < MIN_SCALE or not exact:
        return format_number(value, language)
    return format_compact_decimal(value, format_type=format_type, locale=locale, fraction_digits=SCALED_FRACTION_DIGITS)


def _plural_count(value: Decimal) -> int:
    """The whole number gettext chooses a plural form by: 1 hectare, 26.68 hectares, 3 million phones."""
    if value == value.to_integral_value():
        return int(value)
    return 2  # a fraction is never singular in English: "1.5 hectares"


def _unit_pattern(unit: str, n: int) -> str:
    """The unit written round its number: "%(number)s yuan" is "%(number)s元" in Chinese."""
    match unit:
        case Unit.YUAN:
            return pgettext("unit", "%(number)s yuan")
        case Unit.US_DOLLAR:
            return npgettext("unit", "%(number)s US dollar", "%(number)s US dollars", n)
        case Unit.PERCENT:
            return pgettext("unit", "%(number)s%%")
        case Unit.SQUARE_KILOMETRE:
            return pgettext("unit", "%(number)s km²")
        case Unit.SQUARE_METRE:
            return pgettext("unit", "%(number)s m²")
        case Unit.HECTARE:
            return npgettext("unit", "%(number)s hectare", "%(number)s hectares", n)
        case Unit.KILOMETRE:
            return pgettext("unit", "%(number)s km")
        case Unit.KILOWATT_HOUR:
            return pgettext("unit", "%(number)s kWh")
        case Unit.WATT_HOUR:
            return npgettext("unit", "%(number)s watt-hour", "%(number)s watt-hours", n)
        case Unit.ENTERPRISE:
            return npgettext("unit", "%(count)s enterprise", "%(count)s enterprises", n)
        case Unit.PERSON:
            return npgettext("unit", "%(count)s person", "%(count)s people", n)
        case Unit.PROJECT:
            return npgettext("unit", "%(count)s project", "%(count)s projects", n)
        case Unit.HOUSING_UNIT:
            return npgettext("unit", "%(count)s housing unit", "%(count)s housing units", n)
        case Unit.ROAD:
            return npgettext("unit", "%(count)s road", "%(count)s roads", n)
        case Unit.YEAR:
            return npgettext("unit", "%(count)s year", "%(count)s years", n)
        case Unit.INDUSTRIAL_CLUSTER:
            return npgettext("unit", "%(count)s industrial cluster", "%(count)s industrial clusters", n)
        case Unit.DEVELOPMENT_ZONE:
            return npgettext("unit", "%(count)s development zone", "%(count)s development zones", n)
        case Unit.ENGINEERING_CENTRE:
            return npgettext("unit", "%(count)s engineering centre", "%(count)s engineering centres", n)
        case Unit.WORKSTATION:
            return npgettext("unit", "%(count)s workstation", "%(count)s workstations", n)
        case Unit.MOBILE_PHONE:
            return npgettext("unit", "%(count)s mobile phone", "%(count)s mobile phones", n)
        case Unit.ADMINISTRATIVE_VILLAGE:
            return npgettext("unit", "%(count)s administrative village", "%(count)s administrative villages", n)
    return "%(number)s"


def _qualifier_pattern(qualifier: str) -> str:
    match qualifier:
        case Qualifier.MORE_THAN:
            return pgettext("qualifier", "more than %(amount)s")
        case Qualifier.UP_TO:
            return pgettext("qualifier", "up to %(amount)s")
        case Qualifier.AT_LEAST:
            return pgettext("qualifier", "at least %(amount)s")
    return "%(amount)s"


PLACEHOLDER = re.compile(r"%\((?:number|count|amount)\)s")
NUMBER_PART = re.compile(r"^(\D*?)([-−+]?\d(?:[\d.,]*\d)?)(.*)$", re.S)


def _pieces(text: str, role: str) -> list[tuple[str, str]]:
    """Words of one role, their outer spaces split off as pieces of their own."""
    text = text.replace("%%", "%")
    words = text.strip()
    if not words:
        return [("", text)] if text else []
    start, end = text.index(words), text.index(words) + len(words)
    return [(r, t) for r, t in (("", text[:start]), (role, words), ("", text[end:])) if t]


def _wrap(pattern: str, inner: list[tuple[str, str]], role: str) -> list[tuple[str, str]]:
    """`inner` put in place of the pattern's placeholder, the pattern's own words taking `role`."""
    before, after = PLACEHOLDER.split(pattern, maxsplit=1) if PLACEHOLDER.search(pattern) else (pattern, "")
    return [*_pieces(before, role), *inner, *_pieces(after, role)]


def _merge(parts: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Join neighbours of one role, and a space between two of the same role: "billion" " " "yuan"."""
    merged: list[tuple[str, str]] = []
    for role, text in parts:
        if merged and merged[-1][0] == role:
            merged[-1] = (role, merged[-1][1] + text)
        elif len(merged) >= 2 and role and not merged[-1][0] and merged[-2][0] == role:
            space = merged.pop()[1]
            merged[-1] = (role, merged[-1][1] + space + text)
        else:
            merged.append((role, text))
    return tuple(merged)


def _number_pieces(number: str) -> list[tuple[str, str]]:
    """Split "61 billion" into the digits and the scale word, which reads with the unit: "61", " ", "billion"."""
    match = NUMBER_PART.match(number)
    if not match:
        return [("number", number)]
    prefix, digits, rest = match.groups()
    return [*_pieces(prefix, "unit"), ("number", digits), *_pieces(rest, "unit")]


def quantity(value: Decimal, unit: str, qualifier: str = "", language: str | None = None) -> Quantity:
    """A figure written out: "more than 95%" / "超过95%", "61 billion yuan" / "610亿元", "180个"."""
    return _written(str(Decimal(value)), unit, qualifier, _language(language))


# What a figure writes depends on its value, unit, qualifier and language alone (the catalogue is fixed for the
# process), and the same figures repeat on every page. Numbers are keyed as text: Decimal("2.5") and Decimal("2.50")
# are one key to a dict but may be written apart.
@lru_cache(maxsize=4096)
def _written(value: str, unit: str, qualifier: str, language: str) -> Quantity:
    value = Decimal(value)
    with _in_language(language):
        number = format_number(value) if unit in UNSCALED_UNITS else scaled_number(value)
        n = _plural_count(value)
        pattern = _unit_pattern(unit, n)
        amount = _wrap(pattern, _number_pieces(number), "unit")
        return Quantity(_merge(_wrap(_qualifier_pattern(qualifier), amount, "qualifier")), _language(None))


def figure_quantity(figure, language: str | None = None) -> Quantity | None:
    """A key figure or plan target written out, with what it counts; None where it has no value."""
    if figure.value is None:
        return None
    return quantity(figure.value, figure.unit, figure.qualifier, language)


def year_text(year: int | str, language: str | None = None) -> str:
    """A year on its own: "2015" / "2015年"."""
    with _in_language(language):
        return pgettext("year", "%(year)s") % {"year": year}


def in_brackets(text: str, language: str | None = None) -> str:
    """A figure's year or period beside its label: "(2015)" / "（2015年）"."""
    with _in_language(language):
        return pgettext("figure", "(%(when)s)") % {"when": text}


def figure_when(figure, language: str | None = None) -> str:
    """When a figure holds, in brackets, "" where the account does not say: "(2015)" / "（2015年）", "（累计）"."""
    with _in_language(language):
        if figure.year:
            return in_brackets(year_text(figure.year))
        return in_brackets(figure.period) if figure.period else ""


def growth(percent: Decimal | None, language: str | None = None) -> str:
    """Year-on-year change: "+10.3% year on year" / "同比增长10.3%", "同比下降5%"."""
    if percent is None:
        return ""
    return _written_growth(str(Decimal(percent)), _language(language))


@lru_cache(maxsize=4096)
def _written_growth(percent: str, language: str) -> str:
    percent = Decimal(percent)
    with _in_language(language):
        number = format_number(abs(percent))
        if percent >= 0:
            return pgettext("growth", "+%(percent)s%% year on year") % {"percent": number}
        return pgettext("growth", "-%(percent)s%% year on year") % {"percent": number}
