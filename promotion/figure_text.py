"""Key figures named in prose, so that a page says each figure once.

Prose that repeats a key figure names it instead of writing it: ``[[figure:main-business-income-2015]]``
is replaced, when the page is shown, by the figure's value as the page's language writes it
("61 billion yuan" / "610亿元", through ``promotion.units.figure_quantity``), and
``[[growth:main-business-income-2015]]`` by its year-on-year growth ("+10.3% year on year" /
"同比增长10.3%", ``promotion.units.growth``). Where English needs its own words between the number and
what it counts ("2 post-doctoral workstations", the figure reading "2 workstations"), ``[[number:slug]]``
writes the number alone, with its qualifier ("2", "more than 10" / "超过10"). Changing the figure changes
the prose with it.

A page collects the prose it shows (``PROSE_FIELDS``, ``figures_in``), fetches the figures it names in one
query, leaving out those the page has fetched already, and hands them to the ``with_figures`` template
filter. A slug that names no figure (or a figure without a value or growth) is written as nothing, and
logged; the admin refuses to save prose that names one (``FigureProseForm``).
"""

import logging
import re
from collections.abc import Iterable, Mapping

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .units import Unit, figure_quantity, growth, quantity

logger = logging.getLogger(__name__)

# The colon may be full-width, as a Chinese input method types it (and as Chinese prose is written: "[[figure：slug]]").
PLACEHOLDER = re.compile(r"\[\[\s*(figure|growth|number)\s*[:：]\s*([A-Za-z0-9_-]+)\s*\]\]")
# The prose fields of each model that may name key figures: the public pages fill them, the admin checks them.
PROSE_FIELDS = {
    "promotion.zoneprofile": ("overview",),
    "promotion.milestone": ("description",),
    "promotion.highlight": ("body",),
    "promotion.industry": ("summary", "description"),
    "promotion.park": ("summary", "description"),
    "promotion.enterprise": ("summary",),
    "promotion.project": ("summary", "capacity"),
    "promotion.policy": ("summary", "description", "eligibility", "benefits"),
    "promotion.policymeasure": ("title", "description"),
}
PROFILE_PROSE_FIELDS = PROSE_FIELDS["promotion.zoneprofile"]
PLACEHOLDER_HELP = _(
    "Where the text repeats a key figure, name it rather than write it, with the key figure's slug: "
    "[[figure:slug]] for its value with what it counts, [[number:slug]] for the number alone, "
    "[[growth:slug]] for its year-on-year growth. The page writes them in its language."
)


def slugs_in(*texts: str | None) -> set[str]:
    """The figure slugs the texts name."""
    return {slug for text in texts if text for _kind, slug in PLACEHOLDER.findall(text)}


def prose_fields(model) -> tuple[str, ...]:
    """The prose fields of a model (or of an object's model) that may name key figures."""
    return PROSE_FIELDS.get(model._meta.label_lower, ())


def prose_of(*groups: Iterable | None) -> list[str]:
    """The prose the objects show in the active language, each group an iterable of objects (None skipped)."""
    return [
        getattr(obj, field) or ""
        for group in groups
        if group
        for obj in group
        if obj is not None
        for field in prose_fields(obj)
    ]


def figures_named(*texts: str | None, known: Iterable = ()) -> dict:
    """The key figures the texts name, by slug: those among `known` (figures the page has fetched already) as
    they are, the others in one query (none when all are known)."""
    from .models import KeyFigure

    slugs = slugs_in(*texts)
    found = {figure.slug: figure for figure in known if figure.slug in slugs}
    missing = slugs - found.keys()
    if missing:
        found.update((figure.slug, figure) for figure in KeyFigure.objects.filter(slug__in=missing))
    return found


def figures_in(*groups: Iterable | None, known: Iterable = ()) -> dict:
    """The key figures the objects' prose names (``figures_named`` of ``prose_of``)."""
    return figures_named(*prose_of(*groups), known=known)


def written(kind: str, figure, language: str | None = None) -> str:
    """A figure's value, number or growth as `language` writes it; "" where it has none."""
    if figure is None:
        return ""
    if kind == "growth":
        return growth(figure.growth_percent, language)
    if figure.value is None:
        return ""
    if kind == "number":
        return str(quantity(figure.value, Unit.NUMBER, figure.qualifier, language))
    return str(figure_quantity(figure, language))


def fill(text: str | None, figures: Mapping, language: str | None = None) -> str:
    """The text with each placeholder replaced by its figure as `language` writes it; plain text, still to be
    escaped. An unknown figure, or one without the value or growth named, is written as nothing."""
    if not text:
        return text or ""

    def replace(match: re.Match) -> str:
        kind, slug = match.groups()
        text = written(kind, figures.get(slug), language)
        if not text:
            logger.warning("Prose names the %s of key figure %r, which is unknown or has none", kind, slug)
        return text

    return PLACEHOLDER.sub(replace, text)


def unwritable(text: str | None, figures: Mapping) -> tuple[list[str], list[str]]:
    """What the text names that a page would write as nothing, given the figures it names (``figures_named``):
    slugs no key figure has, and slugs whose figure has no value (or no growth) for the placeholder. Sorted."""
    unknown, empty = set(), set()
    for kind, slug in PLACEHOLDER.findall(text or ""):
        if slug not in figures:
            unknown.add(slug)
        elif not written(kind, figures[slug], settings.LANGUAGE_CODE):
            empty.add(slug)
    return sorted(unknown), sorted(empty)


def unknown_slugs(*texts: str | None) -> list[str]:
    """Slugs the texts name that no key figure has, sorted."""
    slugs = slugs_in(*texts)
    return sorted(slugs - figures_named(*texts).keys()) if slugs else []


def prose_field_names(fields: Iterable[str] = PROFILE_PROSE_FIELDS) -> list[str]:
    """The translated columns of the prose fields: overview_en, overview_zh_hans."""
    return [build_localized_fieldname(field, code) for field in fields for code, _name in settings.LANGUAGES]


class FigureProseForm(forms.ModelForm):
    """The admin form of a model whose prose may name key figures (``PROSE_FIELDS``): each prose field says how,
    and prose that names a figure the page could not write is not saved."""

    def prose_columns(self) -> list[str]:
        return [name for name in prose_field_names(prose_fields(self._meta.model)) if name in self.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.prose_columns():
            field = self.fields[name]
            field.help_text = f"{field.help_text} {PLACEHOLDER_HELP}" if field.help_text else PLACEHOLDER_HELP

    def clean(self):
        cleaned_data = super().clean()
        columns = {name: cleaned_data.get(name) for name in self.prose_columns()}
        figures = figures_named(*columns.values())  # one query for every field
        for name, text in columns.items():
            unknown, empty = unwritable(text, figures)
            if unknown:
                self.add_error(
                    name,
                    _("No key figure has the slug %(slugs)s; correct the placeholder or add the figure first.")
                    % {"slugs": ", ".join(unknown)},
                )
            if empty:
                self.add_error(
                    name,
                    _(
                        "The key figure %(slugs)s has no value or growth for this placeholder to write; "
                        "give it one first."
                    )
                    % {"slugs": ", ".join(empty)},
                )
        return cleaned_data


class ZoneProfileForm(FigureProseForm):
    """The zone profile's admin form (its overview names key figures)."""
