"""Key figures named in prose, so that a page says each figure once.

Prose that repeats a key figure names it instead of writing it: ``[[figure:main-business-income-2015]]``
is replaced, when the page is shown, by the figure's value as the page's language writes it
("61 billion yuan" / "610亿元", through ``promotion.units.figure_quantity``), and
``[[growth:main-business-income-2015]]`` by its year-on-year growth ("+10.3% year on year" /
"同比增长10.3%", ``promotion.units.growth``). Changing the figure changes the prose with it.

A page collects the slugs its prose names (``slugs_in``), fetches those figures in one query
(``figures_named``) and hands them to the ``with_figures`` template filter. A slug that names no
figure (or a figure without a value) is written as nothing, and logged; the admin refuses to save
prose that names an unknown figure (``unknown_slugs``, ``ZoneProfileForm``).
"""

import logging
import re
from collections.abc import Iterable, Mapping

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .units import figure_quantity, growth

logger = logging.getLogger(__name__)

# The colon may be full-width, as a Chinese input method types it (and as Chinese prose is written: "[[figure：slug]]").
PLACEHOLDER = re.compile(r"\[\[\s*(figure|growth)\s*[:：]\s*([A-Za-z0-9_-]+)\s*\]\]")
# Prose fields of the zone profile that may name key figures.
PROFILE_PROSE_FIELDS = ("overview",)
PLACEHOLDER_HELP = _(
    "Where the text repeats a key figure, name it rather than write it: [[figure:slug]] for its value, "
    "[[growth:slug]] for its year-on-year growth, with the key figure's slug. The page writes them in its language."
)


def slugs_in(*texts: str | None) -> set[str]:
    """The figure slugs the texts name."""
    return {slug for text in texts if text for _kind, slug in PLACEHOLDER.findall(text)}


def figures_named(*texts: str | None) -> dict:
    """The key figures the texts name, by slug, in one query (none when they name none)."""
    from .models import KeyFigure

    slugs = slugs_in(*texts)
    if not slugs:
        return {}
    return {figure.slug: figure for figure in KeyFigure.objects.filter(slug__in=slugs)}


def unknown_slugs(*texts: str | None) -> list[str]:
    """Slugs the texts name that no key figure has, sorted."""
    from .models import KeyFigure

    slugs = slugs_in(*texts)
    if not slugs:
        return []
    known = set(KeyFigure.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return sorted(slugs - known)


def fill(text: str | None, figures: Mapping, language: str | None = None) -> str:
    """The text with each placeholder replaced by its figure as `language` writes it; plain text, still to be
    escaped. An unknown figure, or one without the value or growth named, is written as nothing."""
    if not text:
        return text or ""

    def replace(match: re.Match) -> str:
        kind, slug = match.groups()
        figure = figures.get(slug)
        written = None
        if figure is not None:
            written = figure_quantity(figure, language) if kind == "figure" else growth(figure.growth_percent, language)
        if not written:
            logger.warning("Prose names the %s of key figure %r, which is unknown or has none", kind, slug)
            return ""
        return str(written)

    return PLACEHOLDER.sub(replace, text)


def prose_field_names(fields: Iterable[str] = PROFILE_PROSE_FIELDS) -> list[str]:
    """The translated columns of the prose fields: overview_en, overview_zh_hans."""
    return [build_localized_fieldname(field, code) for field in fields for code, _name in settings.LANGUAGES]


class ZoneProfileForm(forms.ModelForm):
    """The zone profile's admin form: prose that names an unknown key figure is not saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in prose_field_names():
            if name in self.fields:
                self.fields[name].help_text = PLACEHOLDER_HELP

    def clean(self):
        cleaned_data = super().clean()
        for name in prose_field_names():
            if name not in self.fields:
                continue
            unknown = unknown_slugs(cleaned_data.get(name))
            if unknown:
                self.add_error(
                    name,
                    _("No key figure has the slug %(slugs)s; correct the placeholder or add the figure first.")
                    % {"slugs": ", ".join(unknown)},
                )
        return cleaned_data
