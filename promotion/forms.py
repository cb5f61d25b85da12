import re
from decimal import Decimal, InvalidOperation
from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject, Submit
from crispy_forms.utils import TEMPLATE_PACK, render_crispy_form
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import spam
from .caching import kept_with_content
from .form_html import (
    BootstrapField,
    CountryChoices,
    CountrySelect,
    MenuChoiceIterator,
    PythonCheckboxInput,
    PythonEmailInput,
    PythonHiddenInput,
    PythonNumberInput,
    PythonSelect,
    PythonTextarea,
    PythonTextInput,
)
from .models import Enquiry, Industry, Park, ReplySnippet
from .services import REPLY_STATUSES

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-.]{5,30}$",
    _("Enter a phone number using digits, spaces and + ( ) - only, e.g. +86 372 000 0000."),
)


class FormClockMixin(forms.Form):
    """A form with the quiet defences of promotion/spam.py: the `website` field people never see
    and the hidden `started` clock. A form open too long goes back to the person with what they
    typed and a new clock; the error is the hidden clock's, so the summary above the form shows
    it, without a link. Subclasses say it in `out_of_date_message`.

    A valid form that looks automated is still valid, so that a machine learns nothing from the
    answer: its `spam_reason` says why ("" for a person), and `nonce` is its clock's, for the
    service to spend."""

    # People never see this field; form-filling robots do.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        max_length=200,
        widget=PythonTextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # The form's clock (promotion.spam); cleaned into a spam.Clock, or None when missing or forged.
    started = forms.CharField(widget=PythonHiddenInput, required=False)

    out_of_date_message: str
    spam_reason = ""
    nonce = ""

    def clean_started(self) -> spam.Clock | None:
        return spam.read_clock(self.cleaned_data["started"])

    def clean(self):
        cleaned_data = super().clean()
        clock = cleaned_data.get("started")
        if clock is not None and spam.is_out_of_date(clock):
            self.add_error("started", forms.ValidationError(self.out_of_date_message, code="out_of_date"))
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = spam.restarted_token()
        self.spam_reason = spam.spam_reason(cleaned_data.get("website", ""), clock)
        self.nonce = clock.nonce if clock else ""
        return cleaned_data


class PrivacyNoticeLink(LayoutObject):
    """The link to the privacy notice under the consent box."""

    fields = ()

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return format_html(
            '<p class="form-text"><a href="{}">{}</a></p>', reverse("promotion:privacy"), _("Read the privacy notice")
        )


class EnquiryForm(FormClockMixin, forms.ModelForm):
    """The investor's enquiry form on /<lang>/enquiry/."""

    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the zone keeps my enquiry to answer it."),
        widget=PythonCheckboxInput,
        error_messages={"required": _("Please accept the privacy notice so that we may keep and answer your enquiry.")},
    )

    class Meta:
        model = Enquiry
        fields = list(Enquiry.INVESTOR_FIELDS)
        labels = {
            "name": _("Your name"),
            "organisation": _("Company or organisation"),
            "email": _("Email"),
            "phone": _("Phone (optional)"),
            "country": _("Country or region"),
            "industry": _("Industry of interest"),
            "park": _("Park of interest (optional)"),
            "investment_band": _("Intended investment"),
            "expected_jobs": _("Expected jobs (optional)"),
            "space_needed": _("Land or floor space needed (optional)"),
            "timeline": _("When do you plan to invest?"),
            "heard_from": _("How did you hear of the zone? (optional)"),
            "message": _("Your project and your questions"),
        }
        help_texts = {
            "email": _("We send your reference and our reply here."),
            "space_needed": _("For example: 30,000 m² of land, or 5,000 m² of factory floor."),
            "message": _("What you plan to make or do, and what you would like to know. Up to 5,000 characters."),
        }
        widgets = {
            "name": PythonTextInput,
            "organisation": PythonTextInput,
            "email": PythonEmailInput,
            "phone": PythonTextInput,
            "country": CountrySelect,
            "industry": PythonSelect,
            "park": PythonSelect,
            "investment_band": PythonSelect,
            "expected_jobs": PythonNumberInput(attrs={"min": 0, "max": 1000000}),
            "space_needed": PythonTextInput,
            "timeline": PythonSelect,
            "heard_from": PythonSelect,
            "message": PythonTextarea(attrs={"rows": 6, "maxlength": 5000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, empty_label in (("industry", _("Choose an industry")), ("park", _("No preference"))):
            self.fields[name].iterator = MenuChoiceIterator
            self.fields[name].empty_label = empty_label
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["industry"].required = True
        self.fields["park"].queryset = Park.objects.all()
        self.fields["phone"].validators.append(phone_validator)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        self.fields["country"].choices = CountryChoices(_("Choose a country or region"))
        blank_labels = {
            "investment_band": _("Choose one"),
            "timeline": _("Choose one"),
            "heard_from": _("Choose one, if you like"),
        }
        for name, label in blank_labels.items():
            self.fields[name].choices = [("", label), *list(self.fields[name].choices)[1:]]
        if not self.is_bound:
            self.initial.setdefault("started", spam.form_started_token())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(BootstrapField(name) for name in self.Meta.fields),
            BootstrapField("website", wrapper_class="enquiry-trap"),
            BootstrapField("started"),
            BootstrapField("consent"),
            PrivacyNoticeLink(),
            Submit("send", _("Send enquiry"), css_class="btn-enquire btn-lg"),
        )

    def preselect(self, **slugs: str) -> None:
        """Select in the park and industry menus (preselect(park=…, industry=…)) the one with the slug the
        page's address names; an unknown slug selects nothing. It reads the menu's choices once, for the
        page too, so it costs no query of its own."""
        for name, slug in slugs.items():
            field = self.fields[name]
            field.choices = choices = tuple(iter(field.choices))
            found = (value.value for value, _label in choices if value and value.slug == slug)
            self.initial[name] = next(found, None) if slug else None

    out_of_date_message = _(
        "This form was open for a long time, so for your security it was not sent yet. "
        "Everything you typed is still here: please check it and press “Send enquiry” again."
    )

    def enquiry(self) -> Enquiry:
        """The enquiry as the investor wrote it, in the language of the page they wrote it on; not saved yet."""
        enquiry = self.save(commit=False)
        enquiry.language = get_language()
        return enquiry

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_organisation(self):
        return " ".join(self.cleaned_data["organisation"].split())


class TaxShareForm(forms.Form):
    """The 8:2 calculator on the tax-sharing mechanism's page, for villages and towns (and their officials) weighing
    where to place a project they introduced: it splits a project's tax revenue between the introducing village or
    town and the zone, never anything for the investor. Sent by GET so it works without JavaScript."""

    MAX_TAX = Decimal("1000000000000")

    tax = forms.CharField(
        label=_("Annual tax paid by the project (yuan)"),
        max_length=30,
        help_text=_("For example 1,000,000. Commas and spaces are fine."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_tax(self) -> Decimal:
        text = "".join(self.cleaned_data["tax"].replace(",", "").replace("，", "").split())
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount in yuan, using digits only, e.g. 1000000.")) from None
        if not amount.is_finite() or amount < 0:
            raise forms.ValidationError(_("Enter an amount of zero or more."))
        if amount > self.MAX_TAX:
            raise forms.ValidationError(_("Enter an amount of at most 1,000,000,000,000 yuan."))
        return amount.quantize(Decimal("0.01"))


# --- The conversation on an enquiry (the status page and the enquiry's admin page) -------------


class EnquiryAnswerForm(FormClockMixin):
    """The investor's answer on the private page of their enquiry (promotion:enquiry-status), with
    the enquiry form's defences: a field people never see, and a clock that is sent once."""

    body = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=PythonTextarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_(
            "Up to 5,000 characters. Files cannot be attached here: if you have documents for us, "
            "say so and the officer will tell you how to send them."
        ),
        error_messages={"required": _("Please write your answer before sending it.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", spam.form_started_token())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            BootstrapField("body"),
            BootstrapField("website", wrapper_class="enquiry-trap"),
            BootstrapField("started"),
            Submit("send", _("Send answer"), css_class="btn-enquire"),
        )

    out_of_date_message = _(
        "This page was open for a long time, so for your security your answer was not sent yet. "
        "What you typed is still here: please check it and press “Send answer” again."
    )


RATING_CHOICES = [
    (5, _("5 – Very satisfied")),
    (4, _("4 – Satisfied")),
    (3, _("3 – Fairly satisfied")),
    (2, _("2 – Dissatisfied")),
    (1, _("1 – Very dissatisfied")),
]


class EnquiryRatingForm(forms.Form):
    """The investor's rating of the service, once, on the private page of a concluded enquiry."""

    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with our service?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Would you like to tell us more? (optional)"),
        required=False,
        max_length=2000,
        widget=PythonTextarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Up to 2,000 characters."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rating")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            BootstrapField("rating"),
            BootstrapField("comment"),
            Submit("send", _("Send rating"), css_class="btn-enquire"),
        )


class EnquiryReplyForm(forms.Form):
    """An officer's reply to the investor, on the enquiry's admin page (EnquiryAdmin.reply_view):
    written in the enquiry's language unless the officer chooses another, and started from a snippet
    if they like."""

    snippet = forms.ModelChoiceField(
        label=_("Snippet"),
        queryset=ReplySnippet.objects.all(),
        required=False,
        empty_label=_("Choose a snippet"),
        help_text=_("“Insert snippet” adds its text, in the language of the reply, to the end of the message."),
    )
    body = forms.CharField(
        label=_("Text of the reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80, "maxlength": 10000}),
        help_text=_(
            "Write the message only: the mail adds the greeting, the reference, the private link to the enquiry "
            "and your name."
        ),
        error_messages={"required": _("Write the reply before previewing or sending it.")},
    )
    language = forms.ChoiceField(label=_("Language of the reply"), choices=settings.LANGUAGES)
    status = forms.ChoiceField(label=_("Status after sending"))

    def __init__(self, *args, enquiry: Enquiry, **kwargs):
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.value, status.label) for status in REPLY_STATUSES]
        self.initial.setdefault("language", enquiry.language)
        self.initial.setdefault("status", REPLY_STATUSES[0])
        self.fields["language"].help_text = _("The investor wrote in %(language)s.") % {
            "language": enquiry.get_language_display()
        }


class RatingFollowUpForm(forms.Form):
    """How an officer followed up a low rating, on the enquiry's admin page."""

    note = forms.CharField(
        label=_("How was the low rating followed up?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80, "maxlength": 2000}),
        error_messages={"required": _("Say how the rating was followed up.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "follow-up")
        super().__init__(*args, **kwargs)


# --- Forms as every visitor first sees them ------------------------------------------------------
# Made once per content version and language (caching.kept_with_content) from no request, and given a form clock of
# their own on each page; the page's template writes its CSRF token. A form sent back with its errors is made afresh.

# Stands where a blank form's clock goes while the form is kept; only the clock field's own value is replaced, so
# that a name in a menu that happened to read the same would stay as it is.
CLOCK_PLACEHOLDER = "form-clock-written-per-page"
CLOCK_VALUE = re.compile(rf'(name="(?:[\w-]+-)?started" value="){CLOCK_PLACEHOLDER}"')
MENUS = ("park", "industry")


def with_own_clock(html: str) -> str:
    clock = escape(spam.form_started_token())
    return mark_safe(CLOCK_VALUE.sub(lambda found: f'{found.group(1)}{clock}"', html, count=1))  # noqa: S308


def rendered(form: forms.Form) -> str:
    return str(render_crispy_form(form))


def unfilled(form_class: type[forms.Form]) -> forms.Form:
    return form_class(initial={"started": CLOCK_PLACEHOLDER})


def blank_form(form_class: type[forms.Form]) -> str:
    """The HTML of a form of `form_class` with nothing filled in."""
    kept = kept_with_content(f"blank-form-{form_class.__name__}", (), lambda: rendered(unfilled(form_class)))
    return with_own_clock(kept)


def blank_enquiry_form(**slugs: str) -> str:
    """The enquiry form with the park and industry the address names selected (blank_enquiry_form(park=…,
    industry=…)). A slug that names none of the menus' parks or industries selects nothing, as preselect() does, and
    shares the blank copy. A copy is kept for each park or industry alone (a park's page links here with its own),
    never for each pair, so that the copies are at most as many as the parks and industries; a pair is made afresh."""
    blank = kept_with_content("enquiry-form", (), build_blank_enquiry_form)
    chosen = {name: slugs[name] for name in MENUS if slugs.get(name) in blank["slugs"][name]}
    build = partial(build_blank_enquiry_form, **chosen)
    if not chosen:
        kept = blank
    elif len(chosen) == 1:
        kept = kept_with_content("enquiry-form", next(iter(chosen.items())), build)
    else:
        kept = build()
    return with_own_clock(kept["html"])


def build_blank_enquiry_form(**slugs: str) -> dict:
    form = unfilled(EnquiryForm)
    form.preselect(**{name: slugs.get(name, "") for name in MENUS})
    return {
        "html": rendered(form),
        "slugs": {name: {value.slug for value, _label in form.fields[name].choices if value} for name in MENUS},
    }
