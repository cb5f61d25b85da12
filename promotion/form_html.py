"""The enquiry form's fields written in Python.

crispy-forms lays the enquiry form out, but its field template and Django's widget templates (one
template per <option>, some 250 for the countries) took most of the page's time. These widgets and
the Bootstrap field below write the same HTML in Python (tests/test_enquiry_form_render.py compares
them with the templates). Only the country options, the same for every visitor in a language, are
kept between requests; values, the selected option and errors are written afresh for each form.
"""

import functools
import html

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order

from . import countries


def escaped(value) -> str:
    """A value as a template writes {{ value }}: escaped unless marked safe. The escaping is
    django.utils.html.escape's (html.escape), without its check for lazy strings, which costs more
    than escaping one of the country menu's option does."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_attrs(attrs: dict) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PythonInputMixin:
    """An <input> as django/forms/widgets/input.html writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
        attrs = html_attrs(widget["attrs"])
        return SafeString(f'<input type="{escaped(widget["type"])}" name="{escaped(name)}"{value}{attrs}>')


class PythonTextInput(PythonInputMixin, forms.TextInput):
    pass


class PythonEmailInput(PythonInputMixin, forms.EmailInput):
    pass


class PythonNumberInput(PythonInputMixin, forms.NumberInput):
    pass


class PythonCheckboxInput(PythonInputMixin, forms.CheckboxInput):
    pass


class PythonHiddenInput(PythonInputMixin, forms.HiddenInput):
    pass


class PythonTextarea(forms.Textarea):
    """A <textarea> as django/forms/widgets/textarea.html writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = escaped(widget["value"]) if widget["value"] else ""
        return SafeString(f'<textarea name="{escaped(name)}"{html_attrs(widget["attrs"])}>\n{text}</textarea>')


def option_tag(value, label) -> str:
    """An unselected <option> as django/forms/widgets/select_option.html writes it, with the
    whitespace of select.html around it."""
    return f'\n  <option value="{escaped("" if value is None else value)}">{escaped(label)}</option>\n'


class PythonSelect(forms.Select):
    """A single-choice <select> as django/forms/widgets/select.html writes it: the first option
    whose value is the field's is selected. Grouped choices and multiple choice are left to Django's
    templates."""

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options_html()
        values = self.format_value(value)
        if self.allow_multiple_selected or options is None or len(values) > 1:
            return super().render(name, value, attrs, renderer)
        if values:
            unselected = f'<option value="{escaped(values[0])}">'
            options = options.replace(unselected, f"{unselected[:-1]} selected>", 1)
        attrs = self.build_attrs(self.attrs, attrs)
        return SafeString(f'<select name="{escaped(name)}"{html_attrs(attrs)}>{options}\n</select>')

    def options_html(self) -> str | None:
        """Every option, none selected; None for grouped choices. Iterated, not listed: list()
        would have a ModelChoiceIterator count its rows in a query of their own."""
        options = []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return None
            options.append(option_tag(value, label))
        return "".join(options)


@functools.lru_cache(maxsize=8)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(option_tag(value, label) for value, label in choices)


class CountryChoices(BaseChoiceIterator):
    """A blank choice, then promotion.countries in the page's language; not copied for each form."""

    def __init__(self, blank_label):
        self.blank_label = blank_label

    def __iter__(self):
        yield "", self.blank_label
        yield from countries.choices()

    def __deepcopy__(self, memo):
        return self


class CountrySelect(PythonSelect):
    """The country menu: its options, the same for every visitor, are written once per language."""

    def options_html(self) -> str | None:
        if not isinstance(self.choices, CountryChoices):
            return super().options_html()
        return option_tag("", self.choices.blank_label) + _options_html(countries.choices())


class MenuValue(ModelChoiceIteratorValue):
    """The value of a park or industry in a menu (its pk), with its slug rather than the object."""

    def __init__(self, value, slug: str):
        super().__init__(value, None)
        self.slug = slug


class MenuChoiceIterator(ModelChoiceIterator):
    """The choices of a park or industry menu, read as rows of pk, slug and name rather than as objects:
    making a hundred parks' objects, or having modeltranslation resolve each row's name, took longer
    than the rest of the page. The label is the name in the page's language, or in the language
    modeltranslation falls back to, as Park and Industry print themselves."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield "", self.field.empty_label
        model = self.queryset.model
        languages = resolution_order(get_language(), model.name.fallback_languages)
        names = [build_localized_fieldname("name", language) for language in languages]
        for pk, slug, *translations in self.queryset.rewrite(False).values_list("pk", "slug", *names):
            yield MenuValue(pk, slug), next((name for name in translations if name), "")


# RadioSelect (and its subclass CheckboxSelectMultiple): BootstrapField writes the options as crispy's
# bootstrap5/layout/radio_checkbox_select.html does.
PYTHON_WIDGETS = (PythonInputMixin, PythonTextarea, PythonSelect, forms.RadioSelect)
REQUIRED_MARK = '<span class="asteriskField">*</span>'


@functools.cache
def crispy_widget_class(widget_class: type) -> str:
    """The class crispy-forms gives a widget (its name in lower case), from Django's own class."""
    django_class = next(c for c in widget_class.__mro__ if c.__module__ == "django.forms.widgets")
    return django_class.__name__.lower()


def error_html(bound, errors, auto_id: str, tag: str) -> str:
    """A field's errors as bootstrap5/layout/field_errors.html ("span") or field_errors_block.html ("p") write them."""
    if not errors:
        return ""
    error_id = escaped(getattr(errors, "field_id", None) or bound.auto_id)
    messages = "".join(
        f'<{tag} id="error_{number}_{auto_id}"><strong>{escaped(error)}</strong></{tag}>'
        for number, error in enumerate(errors, 1)
    )
    return f'<div id="{error_id}_error" class="invalid-feedback">{messages}</div>'


def help_html(bound, auto_id: str) -> str:
    """A field's help text as bootstrap5/layout/help_text.html writes it."""
    if not bound.help_text:
        return ""
    help_id = f'id="{auto_id}_helptext" ' if auto_id else ""
    return f'<div {help_id}class="form-text">{bound.help_text}</div>'


class BootstrapField(LayoutObject):
    """A field as crispy-forms' bootstrap5/field.html lays it out with the FormHelper's defaults:
    label (with the required mark), widget, errors and help text, linked by aria-describedby.
    Widgets not written in Python, and helpers set otherwise, go to crispy's template."""

    def __init__(self, name: str, *, wrapper_class: str = ""):
        self.fields = [name]
        self.name = name
        self.wrapper_class = wrapper_class

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound = form[self.name]
        widget = bound.field.widget
        if not isinstance(widget, PYTHON_WIDGETS) or not self.helper_defaults(context):
            return render_field(self.name, form, context, template_pack=template_pack)
        if hasattr(form, "rendered_fields"):
            form.rendered_fields.add(self.name)
        if bound.is_hidden:
            return SafeString(str(bound))
        errors = bound.errors
        auto_id = escaped(bound.auto_id)
        if isinstance(widget, forms.RadioSelect):
            return self.render_radios(bound, errors, auto_id, form, context, template_pack)
        is_checkbox = isinstance(widget, forms.CheckboxInput)
        if is_checkbox:
            control = "form-check-input"
        else:
            control = "form-select" if isinstance(widget, forms.Select) else "form-control"
        invalid = " is-invalid" if errors else ""
        control_html = bound.as_widget(attrs={"class": f"{crispy_widget_class(type(widget))} {control}{invalid}"})
        label_for = f' for="{escaped(bound.id_for_label)}"' if bound.id_for_label else ""
        required = bound.field.required
        label_class = f"{'form-check-label' if is_checkbox else 'form-label'}{' requiredField' if required else ''}"
        mark = REQUIRED_MARK if required else ""
        label = f'<label{label_for} class="{label_class}">{escaped(bound.label)}{mark}</label>'
        feedback = error_html(bound, errors, auto_id, "span") + help_html(bound, auto_id)
        classes = self.wrapper_classes(bound)
        if is_checkbox:
            return SafeString(
                f'<div class="mb-3"><div id="div_{auto_id}" class="form-check{classes}">'
                f"{control_html}{label}{feedback}</div></div>"
            )
        label = label if bound.label else ""
        return SafeString(f'<div id="div_{auto_id}" class="mb-3{classes}">{label}{control_html}{feedback}</div>')

    def wrapper_classes(self, bound) -> str:
        return "".join(f" {escaped(c)}" for c in (self.wrapper_class, bound.css_classes()) if c)

    def render_radios(self, bound, errors, auto_id, form, context, template_pack):
        """A labelled radio menu as bootstrap5/field.html and radio_checkbox_select.html lay it out: a
        fieldset, its legend, one form-check per option, the errors under the last option."""
        widget = bound.field.widget
        id_ = widget.attrs.get("id") or bound.auto_id
        attrs = bound.build_widget_attrs({"id": id_} if id_ else {})
        groups = widget.optgroups(bound.html_name, widget.format_value(bound.value()), attrs)
        if not bound.label or any(group for group, _options, _index in groups):
            return render_field(self.name, form, context, template_pack=template_pack)
        name, invalid = escaped(bound.html_name), " is-invalid" if errors else ""
        options = [option for _group, group_options, _index in groups for option in group_options]
        radios = "".join(
            f'<div class="form-check"><input type="{escaped(option["type"])}" class="form-check-input{invalid}"'
            f' name="{name}" value="{escaped(option["value"])}"{html_attrs(option["attrs"])}>'
            f'<label for="{escaped(option["attrs"].get("id", ""))}" class="form-check-label">'
            f"{escaped(option['label'])}</label>"
            f"{error_html(bound, errors, auto_id, 'p') if number == len(options) else ''}</div>"
            for number, option in enumerate(options, 1)
        )
        describedby = f' aria-describedby="{escaped(bound.aria_describedby)}"' if bound.aria_describedby else ""
        legend_for = f' for="{escaped(bound.id_for_label)}"' if bound.id_for_label else ""
        required = " requiredField" if bound.field.required else ""
        mark = REQUIRED_MARK if bound.field.required else ""
        legend = f'<legend{legend_for} class="form-label{required} fs-6">{escaped(bound.label)}{mark}</legend>'
        return SafeString(
            f'<div id="div_{auto_id}" class="mb-3{self.wrapper_classes(bound)}"><fieldset{describedby}>{legend}'
            f"<div>{radios}</div>{help_html(bound, auto_id)}</fieldset></div>"
        )

    @staticmethod
    def helper_defaults(context) -> bool:
        """Whether the form's FormHelper lays fields out as this class writes them."""
        return (
            context.get("form_show_labels", True)
            and context.get("form_show_errors", True)
            and context.get("error_text_inline", True)
            and not context.get("help_text_inline")
            and not context.get("label_class")
            and not context.get("field_class")
            and "form-horizontal" not in (context.get("form_class") or "")
        )
