"""The enquiry form as promotion/forms.py writes it, in Python rather than through crispy-forms' and
Django's templates: the same HTML as those templates, nothing of one visitor's in another's page, a
CSRF token and a form clock of each page's own, and the page's queries."""

import copy
import re
import time
from html import unescape
from http import HTTPStatus

import pytest
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from pytest_django.asserts import assertHTMLEqual

from promotion.form_html import (
    BootstrapField,
    PythonCheckboxInput,
    PythonHiddenInput,
    PythonNumberInput,
    PythonSelect,
    PythonTextarea,
    PythonTextInput,
    crispy_widget_class,
)
from promotion.forms import CLOCK_PLACEHOLDER, EnquiryAnswerForm, EnquiryForm, EnquiryRatingForm
from promotion.models import Enquiry, Park
from promotion.spam import form_started_token, read_clock

from .factories import enquiry_form_data, make_enquiry, make_industry, make_park, status_path

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans"]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLOCK = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.ENQUIRY_INVALID_RATE_LIMIT = "100/h"
    return settings


@pytest.fixture(autouse=True)
def menus():
    """The tests' own industry and parks: one named in both languages, one in English only."""
    industry = make_industry("LED Lighting", name_zh_hans="LED照明")
    park = make_park("Test Lighting Park", name_zh_hans="测试照明园", industries=[industry])
    return industry, park, make_park("Visitor A Park", name_zh_hans="")


def django_widget_class(widget) -> type:
    return next(cls for cls in type(widget).__mro__ if cls.__module__ == "django.forms.widgets")


def render_with_templates(form) -> str:
    """The form as crispy-forms' bootstrap5/field.html and Django's widget templates render it."""
    for field in form.fields.values():
        field.widget.__class__ = django_widget_class(field.widget)
    form.helper.layout = Layout(
        *(
            Field(item.name, wrapper_class=item.wrapper_class) if isinstance(item, BootstrapField) else item
            for item in form.helper.layout
        )
    )
    return render_crispy_form(form)


def page(client, language: str, query: str = "") -> str:
    with translation.override(language):
        url = reverse("promotion:enquiry")
    response = client.get(url + query)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def post(client, language: str, data: dict) -> str:
    with translation.override(language):
        url = reverse("promotion:enquiry")
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK  # sent back with its errors
    return response.content.decode()


def invalid_data(park, industry, /, **overrides) -> dict:
    values = {
        "name": 'Ada <b>"Distinct"</b> & Visitor',
        "organisation": "Ada's Lamps & Co.",
        "email": "not-an-address",
        "phone": "call me maybe",
        "country": "NZ",
        "industry": str(industry.pk),
        "park": str(park.pk),
        "expected_jobs": "-5",
        "message": "Ada's <script>secret</script> project\nin two lines",
        "consent": None,
    }
    return enquiry_form_data(**{**values, **overrides})


# --- The same HTML as the templates ---------------------------------------------------------------

FORM_CASES = {
    "empty": lambda park, industry: {},
    "preselected": lambda park, industry: {"preselect": {"park": park.slug, "industry": industry.slug}},
    "unknown preselection": lambda park, industry: {"preselect": {"park": "<script>", "industry": ""}},
    "every error": lambda park, industry: {
        "data": invalid_data(park, industry, name="", country="XX", park="999999", started="forged")
    },
    "typed with markup": lambda park, industry: {"data": invalid_data(park, industry)},
    "open too long": lambda park, industry: {
        "data": invalid_data(park, industry, started=form_started_token(time.time() - 30 * 24 * 3600))
    },
    "only the consent missing": lambda park, industry: {
        "data": enquiry_form_data(industry=str(industry.pk), park=str(park.pk), consent=None, country="DE")
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", FORM_CASES)
def test_the_form_is_the_html_crispy_forms_and_djangos_templates_write(menus, language, case):
    industry, park, _other = menus
    arguments = FORM_CASES[case](park, industry)
    with translation.override(language):
        rendered = []
        for _rendering in range(2):
            if "data" in arguments:
                form = EnquiryForm(arguments["data"])
                form.is_valid()
            else:
                form = EnquiryForm(initial={"started": "the same clock"})
                form.preselect(**arguments.get("preselect", {}))
            rendered.append(form)
        python, templates = render_crispy_form(rendered[0]), render_with_templates(rendered[1])
    # A form open too long gets a new clock each time it is cleaned.
    python, templates = (CLOCK.sub('name="started" value="clock"', html) for html in (python, templates))
    assert python.count("<option") > len(countries)  # the whole country list
    assert ("is-invalid" in python) == any(name != "started" for name in rendered[0].errors)
    assertHTMLEqual(python, templates)


STATUS_FORM_CASES = {
    "answer, new": lambda: EnquiryAnswerForm(initial={"started": "the same clock"}),
    "answer, empty": lambda: EnquiryAnswerForm({"answer-started": "forged"}),
    "answer, typed with markup": lambda: EnquiryAnswerForm(
        {"answer-body": "Ada's <b>answer</b> &\ntwo lines", "answer-website": '<i>"x"</i>', "answer-started": "x"}
    ),
    "answer, open too long": lambda: EnquiryAnswerForm(
        {"answer-body": "Hi", "answer-started": form_started_token(time.time() - 30 * 24 * 3600)}
    ),
    "rating, new": lambda: EnquiryRatingForm(),
    "rating, not a choice": lambda: EnquiryRatingForm({"rating-rating": "9", "rating-comment": "<b>Good</b> & fast"}),
    "rating, chosen and refused": lambda: EnquiryRatingForm({"rating-rating": "3", "rating-comment": "Fine"}),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", STATUS_FORM_CASES)
def test_the_status_pages_forms_are_the_html_crispy_forms_templates_write(language, case):
    with translation.override(language):
        rendered = []
        for _rendering in range(2):
            form = STATUS_FORM_CASES[case]()
            if form.is_bound and form.is_valid() and "refused" in case:
                form.add_error(None, ValidationError("Not <yet>.", code="not_concluded"))
            rendered.append(form)
        python, templates = render_crispy_form(rendered[0]), render_with_templates(rendered[1])
    python, templates = (
        re.sub(r'(name="answer-started" value=")[^"]+', r"\1clock", html) for html in (python, templates)
    )
    assert ("is-invalid" in python) == any(name not in ("started", "__all__") for name in rendered[0].errors)
    assert "form-check" in python or "textarea" in python
    assertHTMLEqual(python, templates)


WIDGET_CASES = (
    [
        (PythonSelect(choices=[("", "Pick one"), ("a&b", "A <b>\"&'"), ("x", "X"), ("x", "X again")]), value)
        for value in ["x", "a&b", None, "", "missing"]
    ]
    + [
        (PythonSelect(choices=[(None, _("Choose one")), (1, mark_safe("<b>Marked safe</b>")), (2, "Two")]), value)
        for value in [1, "2", None]
    ]
    + [
        (PythonTextInput(attrs={"maxlength": 5, "data-note": '"quoted" <b>'}), value)
        for value in ["typed <b>\"&'", "", None]
    ]
    + [(PythonTextarea(attrs={"rows": 6}), value) for value in ["two\nlines <b>&", "", None, "0"]]
    + [(PythonNumberInput(attrs={"min": 0, "max": 10}), value) for value in [0, 3, "", None]]
    + [(PythonCheckboxInput(), value) for value in [True, False, None, "on"]]
    + [(PythonHiddenInput(), value) for value in ['clock:"x"', None]]
)


@pytest.mark.parametrize(("widget", "value"), WIDGET_CASES)
def test_python_widgets_write_what_djangos_widget_templates_write(widget, value):
    with_templates = copy.deepcopy(widget)
    with_templates.__class__ = django_widget_class(widget)
    attrs = {"id": "id_field", "class": f"{crispy_widget_class(type(widget))} form-control", "required": True}
    assert widget.render("field", value, dict(attrs)) == with_templates.render("field", value, dict(attrs))


# --- One visitor's page is theirs alone -----------------------------------------------------------

DISTINCT = ["Ada &lt;b&gt;", "Distinct", "not-an-address", "call me maybe", "secret", "Ada&#x27;s Lamps"]


def enquiry_form(body: str) -> str:
    start = body.index('<form method="post" action="')
    return body[start : body.index("</form>", start)]


def assert_untouched(body: str, *, park) -> None:
    """A form as a new visitor first sees it: no values, no errors, only the blank options selected."""
    form = enquiry_form(body)
    for text in DISTINCT:
        assert text not in form
    assert "error-summary" not in body and "is-invalid" not in form and "aria-invalid" not in form
    assert "invalid-feedback" not in form
    assert f'<option value="{park.pk}">' in form  # A's park is in the menu, not selected
    assert '<option value="NZ">' in form
    assert re.findall(r"<option[^>]* selected>", form) == ['<option value="" selected>'] * 6
    assert 'name="name" maxlength' in form  # no value
    assert "checked" not in form


def assert_own_values(body: str, *, park) -> None:
    form = enquiry_form(body)
    assert 'value="Ada &lt;b&gt;&quot;Distinct&quot;&lt;/b&gt; &amp; Visitor"' in form
    assert 'value="not-an-address"' in form
    assert '<option value="NZ" selected>' in form
    assert f'<option value="{park.pk}" selected>' in form
    assert "Ada&#x27;s &lt;script&gt;secret&lt;/script&gt; project" in form
    assert 'id="error_1_id_email"' in form and 'id="error_1_id_consent"' in form
    assert 'aria-describedby="id_email_helptext id_email_error"' in form
    assert 'href="#id_phone"' in body  # the summary at the top links to the field


@pytest.mark.parametrize("a_language", LANGUAGES)
@pytest.mark.parametrize("b_language", LANGUAGES)
def test_no_visitor_sees_another_visitors_values_selections_or_errors(menus, a_language, b_language):
    industry, _park, a_park = menus
    visitor_a, visitor_b = Client(), Client()
    assert_untouched(page(visitor_b, b_language), park=a_park)

    a_page = post(visitor_a, a_language, invalid_data(a_park, industry))
    assert_own_values(a_page, park=a_park)

    for language in {a_language, b_language}:
        assert_untouched(page(visitor_b, language), park=a_park)
        assert_untouched(page(visitor_a, language), park=a_park)  # A's next visit starts afresh too
    b_page = page(visitor_b, b_language, f"?park={a_park.slug}")
    assert f'<option value="{a_park.pk}" selected>' in b_page
    assert '<option value="NZ" selected>' not in b_page and "Distinct" not in b_page

    again = post(visitor_a, a_language, invalid_data(a_park, industry, name="Second Try", country="CN"))
    assert 'value="Second Try"' in again and '<option value="CN" selected>' in again
    assert "Distinct" not in again and '<option value="NZ" selected>' not in again


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_has_a_csrf_token_and_a_form_clock_of_its_own(language):
    visitor_a, visitor_b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [(visitor, page(visitor, language)) for visitor in (visitor_a, visitor_a, visitor_b)]

    tokens = [set(CSRF_TOKEN.findall(body)) for _visitor, body in pages]
    assert all(len(found) == 1 for found in tokens)  # the page's token, written where the form needs it
    assert len({found.pop() for found in tokens}) == 3

    clocks = [read_clock(CLOCK.search(body).group(1)) for _visitor, body in pages]
    assert all(clock is not None and abs(time.time() - clock.started) < 60 for clock in clocks)
    assert len({clock.nonce for clock in clocks}) == 3

    visitor, body = pages[2]
    data = {"csrfmiddlewaretoken": CSRF_TOKEN.search(body).group(1), "started": CLOCK.search(body).group(1)}
    with translation.override(language):
        response = visitor.post(reverse("promotion:enquiry"), data)
    assert response.status_code == HTTPStatus.OK  # taken (and sent back with its errors), not refused as forged
    assert "error-summary" in response.content.decode()


ANSWER_CLOCK = re.compile(r'name="answer-started" value="([^"]+)"')


def test_the_status_pages_blank_answer_form_has_a_clock_and_token_of_its_own_and_nobody_elses_answer():
    first, second = make_enquiry(name="First Investor"), make_enquiry(name="Second Investor")
    visitors = [(Client(enforce_csrf_checks=True), enquiry) for enquiry in (first, first, second)]
    pages = [status_page(visitor, enquiry) for visitor, enquiry in visitors]
    clocks = [read_clock(ANSWER_CLOCK.search(body).group(1)) for body in pages]
    assert all(clock is not None and abs(time.time() - clock.started) < 60 for clock in clocks)
    assert len({clock.nonce for clock in clocks}) == 3
    assert len({CSRF_TOKEN.search(body).group(1) for body in pages}) == 3

    visitor, _enquiry = visitors[0]
    data = {
        "form": "answer",
        "answer-body": "First's <b>private</b> plans " + "x" * 5000,  # too long: sent back with its errors
        "answer-started": ANSWER_CLOCK.search(pages[0]).group(1),
        "csrfmiddlewaretoken": CSRF_TOKEN.search(pages[0]).group(1),
    }
    sent_back = visitor.post(status_path(first), data).content.decode()
    assert "First&#x27;s &lt;b&gt;private&lt;/b&gt; plans" in sent_back and "is-invalid" in sent_back
    for visitor, enquiry in visitors:
        again = status_page(visitor, enquiry)
        assert "private" not in again and "is-invalid" not in again and 'name="answer-body"' in again


def status_page(client, enquiry) -> str:
    response = client.get(status_path(enquiry))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


# --- The menus ----------------------------------------------------------------------------------


def options(body: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return [(value, unescape(label)) for value, label in found]


def test_the_menus_name_parks_in_the_pages_language_or_else_in_english(client, menus):
    _industry, park, a_park = menus
    chinese = dict(options(page(client, "zh-hans"), "park"))
    english = dict(options(page(client, "en"), "park"))
    assert (chinese[str(park.pk)], english[str(park.pk)]) == ("测试照明园", "Test Lighting Park")
    assert chinese[str(a_park.pk)] == english[str(a_park.pk)] == "Visitor A Park"
    assert chinese[""] != english[""]  # "No preference", translated


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menus_list_parks_and_countries_in_order(client, language):
    body = page(client, language)
    with translation.override(language):
        parks = [str(park) for park in Park.objects.all()]
        names = [str(name) for _code, name in countries]
    assert [label for _value, label in options(body, "park")][1:] == parks
    assert [label for _value, label in options(body, "country")][1:] == names


def test_each_language_has_its_own_country_names(client):
    count = len(list(countries))
    for language, china in [("en", "China"), ("zh-hans", "中国"), ("en", "China")]:
        country_options = options(page(client, language), "country")
        assert country_options[1] == ("CN", china)
        assert len(country_options) == count + 1


def test_the_park_named_in_the_address_is_preselected_in_both_languages(client, menus):
    industry, park, _a_park = menus
    for language in LANGUAGES:
        body = page(client, language, f"?park={park.slug}&industry={industry.slug}")
        assert f'<option value="{park.pk}" selected>' in body
        assert f'<option value="{industry.pk}" selected>' in body
        assert '<option value="" selected>' in body  # the other menus still show their blank choice


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("query", "first", "again"),
    [
        ("", 2, 0),
        ("?park=test-lighting-park", 4, 0),
        ("?industry=led-lighting", 4, 0),
        ("?park=test-lighting-park&industry=led-lighting", 4, 2),
        ("?park=%3Cscript%3E", 2, 0),
    ],
)
def test_the_form_page_reads_only_the_park_and_industry_menus(
    client, django_assert_num_queries, language, query, first, again
):
    with translation.override(language):
        client.get(reverse("promotion:privacy"))  # the zone profile, which every page's footer is made from
    # The blank form's menus (which tell the slugs that name a park or industry), then a selection's. A copy is kept
    # for one park or one industry, never for a pair, so that addresses cannot fill the cache.
    with django_assert_num_queries(first):
        page(client, language, query)
    with django_assert_num_queries(again):
        page(client, language, query)


def test_a_park_named_like_the_clock_placeholder_keeps_its_name_and_the_form_its_clock(client):
    park = make_park(CLOCK_PLACEHOLDER)
    body = page(client, "en", f"?park={park.slug}")
    assert f'<option value="{park.pk}" selected>{CLOCK_PLACEHOLDER}</option>' in body
    assert read_clock(CLOCK.search(body).group(1)) is not None


def test_each_form_has_one_csrf_token(client):
    enquiry = make_enquiry()
    enquiry.status = Enquiry.Status.LANDED
    enquiry.save()
    pages = [page(client, "en"), post(client, "en", {"name": "Only a name"}), status_page(client, enquiry)]
    for body in pages:
        forms = re.findall(r"<form method=\"post\".*?</form>", body, re.S)
        assert forms and all(form.count('name="csrfmiddlewaretoken"') == 1 for form in forms)
    assert 'name="rating-rating"' in pages[2]


def test_a_change_to_the_menus_shows_in_the_next_form_in_both_languages(client, menus):
    _industry, park, _a_park = menus
    pages = {language: page(client, language, f"?park={park.slug}") for language in LANGUAGES}
    assert "Test Lighting Park" in pages["en"] and "测试照明园" in pages["zh-hans"]
    park.name_en, park.name_zh_hans = "Renamed Lighting Park", "更名照明园"
    park.save()
    make_park("Newly Opened Park")
    for query in ("", f"?park={park.slug}"):
        english, chinese = page(client, "en", query), page(client, "zh-hans", query)
        assert "Renamed Lighting Park" in english and "Test Lighting Park" not in english
        assert "更名照明园" in chinese and "测试照明园" not in chinese
        assert "Newly Opened Park" in english and "Newly Opened Park" in chinese


def test_an_address_naming_no_park_or_industry_is_served_the_blank_form(client, django_assert_num_queries):
    blank = page(client, "en")
    for query in ("?park=no-such-park", "?industry=%3Cscript%3E&park=" + "x" * 100):
        with django_assert_num_queries(0):
            body = page(client, "en", query)
        assert without_tokens(body) == without_tokens(blank)


def without_tokens(body: str) -> str:
    """The page's form without its CSRF token and its clock."""
    form = re.search(r"<form method=\"post\".*?</form>", body, re.S).group(0)
    return CLOCK.sub("", CSRF_TOKEN.sub("", form))
