"""Country and region names as the zone's site gives them, in the settings django-countries reads
(COUNTRIES_FIRST, COUNTRIES_OVERRIDE in zone_site/settings.py).

China comes first, then Hong Kong, Macao and Taiwan, named as regions of China. The other names
here are those that django-countries' Simplified Chinese catalogue lacks (it has no entry for the
name django-countries now uses) or gets wrong (a typo, a cut-off word, another country's name),
written as China's Ministry of Foreign Affairs writes them. Each name has the context "country",
so that it is never confused with the same word elsewhere and never replaces a name of
django-countries' own for another code. In English the names are django-countries' own short names
(but "Bahamas", not "Bahamas (The)").
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import pgettext_lazy

FIRST = ["CN", "HK", "MO", "TW"]

NAMES = {
    # Regions of China.
    "HK": pgettext_lazy("country", "Hong Kong SAR, China"),
    "MO": pgettext_lazy("country", "Macao SAR, China"),
    "TW": pgettext_lazy("country", "Taiwan, China"),
    # Names django-countries' Chinese catalogue lacks.
    "BS": pgettext_lazy("country", "Bahamas"),
    "CD": pgettext_lazy("country", "Democratic Republic of the Congo"),
    "FK": pgettext_lazy("country", "Falkland Islands (Malvinas)"),
    "FM": pgettext_lazy("country", "Micronesia"),
    "GS": pgettext_lazy("country", "South Georgia"),
    "MK": pgettext_lazy("country", "North Macedonia"),
    "NL": pgettext_lazy("country", "Netherlands"),
    "PS": pgettext_lazy("country", "Palestine"),
    "SH": pgettext_lazy("country", "Saint Helena"),
    "SZ": pgettext_lazy("country", "Eswatini"),
    "TR": pgettext_lazy("country", "Türkiye"),
    "TZ": pgettext_lazy("country", "Tanzania"),
    "VA": pgettext_lazy("country", "Vatican City"),
    # Names its Chinese catalogue gets wrong.
    "AS": pgettext_lazy("country", "American Samoa"),
    "BA": pgettext_lazy("country", "Bosnia and Herzegovina"),
    "BW": pgettext_lazy("country", "Botswana"),
    "CC": pgettext_lazy("country", "Cocos (Keeling) Islands"),
    "CG": pgettext_lazy("country", "Congo"),
    "DM": pgettext_lazy("country", "Dominica"),
    "GF": pgettext_lazy("country", "French Guiana"),
    "KG": pgettext_lazy("country", "Kyrgyzstan"),
    "KM": pgettext_lazy("country", "Comoros"),
    "LR": pgettext_lazy("country", "Liberia"),
    "ML": pgettext_lazy("country", "Mali"),
    "NP": pgettext_lazy("country", "Nepal"),
    "RE": pgettext_lazy("country", "Réunion"),
    "SJ": pgettext_lazy("country", "Svalbard and Jan Mayen"),
    "SR": pgettext_lazy("country", "Suriname"),
    "TJ": pgettext_lazy("country", "Tajikistan"),
    "TT": pgettext_lazy("country", "Trinidad and Tobago"),
    "WS": pgettext_lazy("country", "Samoa"),
}


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    from django_countries import countries

    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


@functools.cache
def _names(language: str) -> dict[str, str]:
    return dict(_choices(language))


def choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country and region, in the order and the language of the page. Sorting and
    translating some 250 names took longer than the rest of the enquiry form, so each language's list is
    made once per process."""
    return _choices(translation.get_language() or "en")


def name(code: str) -> str:
    """A country or region's name in the language of the page, as the list gives it (the code if unknown)."""
    return _names(translation.get_language() or "en").get(code, code)


@receiver(setting_changed)
def _forget_choices(*, setting: str, **kwargs) -> None:
    if setting.startswith("COUNTRIES_") or setting in ("LANGUAGES", "LANGUAGE_CODE"):
        _choices.cache_clear()
        _names.cache_clear()
