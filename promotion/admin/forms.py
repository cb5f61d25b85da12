"""The forms editors fill in for figures: values that cannot be right are refused, and every figure is read back
the way each language writes it ("61 billion yuan" / "610亿元"), with its year and growth."""

from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..renditions import rendition_name, widths_for
from ..units import Qualifier, Unit, figure_quantity, figure_when, format_number, growth

FIRST_YEAR = 1949
LAST_YEAR = 2100
HIGHEST_GROWTH = Decimal(1000)
LOWEST_GROWTH = Decimal(-100)

AREAS = {Unit.SQUARE_KILOMETRE, Unit.SQUARE_METRE, Unit.HECTARE}
LENGTHS = {Unit.KILOMETRE}
COUNTS = {
    Unit.ENTERPRISE,
    Unit.PERSON,
    Unit.PROJECT,
    Unit.HOUSING_UNIT,
    Unit.ROAD,
    Unit.YEAR,
    Unit.INDUSTRIAL_CLUSTER,
    Unit.DEVELOPMENT_ZONE,
    Unit.ENGINEERING_CENTRE,
    Unit.WORKSTATION,
    Unit.MOBILE_PHONE,
    Unit.ADMINISTRATIVE_VILLAGE,
}


def value_error(value, unit: str) -> ValidationError | None:
    """Why a value cannot be right for its unit; None where it may be."""
    if value is None or value >= 0:
        return None
    if unit in AREAS:
        return ValidationError(_("An area cannot be negative: enter it without a minus sign."), code="negative_area")
    if unit in LENGTHS:
        return ValidationError(_("A length cannot be negative: enter it without a minus sign."), code="negative_length")
    if unit in COUNTS:
        return ValidationError(_("A count cannot be negative: enter it without a minus sign."), code="negative_count")
    return None


def year_error(year) -> ValidationError | None:
    if year is None or FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return ValidationError(
        _("The year must lie between %(first)s and %(last)s."),
        code="year_out_of_range",
        params={"first": FIRST_YEAR, "last": LAST_YEAR},
    )


def growth_error(percent) -> ValidationError | None:
    if percent is None:
        return None
    if percent > HIGHEST_GROWTH:
        return ValidationError(
            _("Growth over %(limit)s%% cannot be right: check the figure (10.3%% is entered as 10.3)."),
            code="growth_too_high",
            params={"limit": format_number(HIGHEST_GROWTH)},
        )
    if percent < LOWEST_GROWTH:
        return ValidationError(
            _("A fall of more than %(limit)s%% cannot be: a figure can fall to nothing, no further."),
            code="growth_too_low",
            params={"limit": format_number(-LOWEST_GROWTH)},
        )
    return None


def readback(value, unit: str, qualifier: str = "", year=None, period: str = "", growth_percent=None) -> dict:
    """The figure as each language writes it: {"en": {"quantity", "when", "growth", "text"}, "zh-hans": …}."""
    figure = SimpleNamespace(value=value, unit=unit, qualifier=qualifier or "", year=year, period=period or "")
    texts = {}
    for language, _name in settings.LANGUAGES:
        amount = figure_quantity(figure, language)
        written = {
            "quantity": str(amount) if amount is not None else "",
            "when": figure_when(figure, language),
            "growth": growth(growth_percent, language),
        }
        separator = "" if language.startswith("zh") else " "
        written["text"] = separator.join(piece for piece in written.values() if piece)
        texts[language] = written
    return texts


def figure_readback(figure) -> dict:
    return readback(
        figure.value,
        figure.unit,
        figure.qualifier,
        getattr(figure, "year", None),
        getattr(figure, "period", ""),
        getattr(figure, "growth_percent", None),
    )


def readback_html(texts: dict):
    """Both languages' texts, each marked with its language."""
    return format_html_join(
        "",
        '<span class="figure-readback-line" lang="{}">{}</span>',
        ((language, written["text"] or "—") for language, written in texts.items()),
    )


class ReadbackQuery(forms.Form):
    """What the readback view reads from the editor's form as it stands."""

    value = forms.DecimalField(max_digits=20, decimal_places=2, required=False)
    unit = forms.ChoiceField(choices=Unit.choices, required=False)
    qualifier = forms.ChoiceField(choices=Qualifier.choices, required=False)
    year = forms.IntegerField(required=False)
    period = forms.CharField(max_length=120, required=False)
    growth = forms.DecimalField(max_digits=6, decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or Unit.NUMBER
        data["unit"] = unit
        for name, error in (
            ("value", value_error(data.get("value"), unit)),
            ("year", year_error(data.get("year"))),
            ("growth", growth_error(data.get("growth"))),
        ):
            if error is not None:
                self.add_error(name, error)
        return data


class MeasuredForm(forms.ModelForm):
    """Refuses a value its unit cannot have."""

    def clean(self):
        data = super().clean()
        error = value_error(data.get("value"), data.get("unit") or Unit.NUMBER)
        if error is not None and "value" not in self.errors:
            self.add_error("value", error)
        return data


class KeyFigureForm(MeasuredForm):
    """The admin supplies the model and fields (with their translations)."""

    def clean_year(self):
        year = self.cleaned_data.get("year")
        error = year_error(year)
        if error is not None:
            raise error
        return year

    def clean_growth_percent(self):
        percent = self.cleaned_data.get("growth_percent")
        error = growth_error(percent)
        if error is not None:
            raise error
        return percent


class PlanTargetForm(MeasuredForm):
    """The admin supplies the model and fields (with their translations)."""


class ThumbnailFileWidget(AdminFileWidget):
    """The admin's file input, with the current image shown in its 480 px rendition."""

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        if not value or not getattr(value, "url", None):
            return field
        instance = getattr(value, "instance", None)
        width = getattr(instance, "image_width", None)
        height = getattr(instance, "image_height", None)
        if width and height:
            shown = widths_for(width)[0]
            src = default_storage.url(rendition_name(value.name, shown, "jpg"))
            size = {"width": shown, "height": round(height * shown / width)}
        else:
            src, size = value.url, {"width": 480, "height": ""}
        alt = getattr(instance, "image_alt", "") or ""
        thumbnail = format_html(
            '<p class="image-thumbnail"><img src="{}" width="{}" height="{}" alt="{}" loading="lazy"></p>',
            src,
            size["width"],
            size["height"],
            alt,
        )
        return format_html("{}{}", thumbnail, field)
