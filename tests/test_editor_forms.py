"""The editors' forms: figures that cannot be right are refused, every figure is read back in both languages,
both languages' rows sit side by side, and an illustration shows as a thumbnail."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from promotion.admin.forms import growth_error, readback, value_error, year_error
from promotion.models import KeyFigure, Park, PlanTarget
from promotion.renditions import rendition_name
from promotion.units import Unit, format_number

pytestmark = pytest.mark.django_db


def change_url(model, pk) -> str:
    return reverse(f"admin:promotion_{model._meta.model_name}_change", args=[pk])


def form_data(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    return {name: value for name, value in form.initial.items() if value is not None}


def post_figure(client, figure, **changes):
    url = change_url(KeyFigure, figure.pk)
    data = form_data(client, url)
    data.update(changes)
    return client.post(url, data)


def messages_of(error) -> list[str]:
    return [str(message) for message in error.messages]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"unit": Unit.SQUARE_KILOMETRE, "value": "-3"}, "value", "An area cannot be negative"),
        ({"unit": Unit.HECTARE, "value": "-3"}, "value", "An area cannot be negative"),
        ({"unit": Unit.KILOMETRE, "value": "-3"}, "value", "A length cannot be negative"),
        ({"unit": Unit.ENTERPRISE, "value": "-1"}, "value", "A count cannot be negative"),
        ({"growth_percent": "1000.01"}, "growth_percent", "Growth over 1,000% cannot be right"),
        ({"growth_percent": "-100.5"}, "growth_percent", "A fall of more than 100% cannot be"),
        ({"year": "1948"}, "year", "The year must lie between 1949 and 2100."),
        ({"year": "2101"}, "year", "The year must lie between 1949 and 2100."),
    ],
)
def test_a_figure_that_cannot_be_right_is_refused(staff_client, changes, field, words):
    figure = KeyFigure.objects.get(slug="employees")
    response = post_figure(staff_client, figure, **changes)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert any(words in message for message in errors[field]), errors
    assert words in response.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"unit": Unit.YUAN, "value": "-5"},  # a loss may be negative
        {"growth_percent": "1000"},
        {"growth_percent": "-100"},
        {"year": "1949"},
        {"year": "2100"},
    ],
)
def test_the_limits_themselves_are_accepted(staff_client, changes):
    figure = KeyFigure.objects.get(slug="employees")
    response = post_figure(staff_client, figure, **changes)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors


def test_a_plan_target_with_a_negative_count_is_refused(staff_client):
    target = PlanTarget.objects.exclude(value=None).first()
    url = change_url(PlanTarget, target.pk)
    data = form_data(staff_client, url)
    data.update({"unit": Unit.PROJECT, "value": "-2"})
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "A count cannot be negative" in " ".join(response.context["adminform"].form.errors["value"])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_refusals_are_written_in_the_editors_language(language):
    """Each message is looked up in the catalogue of the language the editor reads the admin in."""
    errors = [
        value_error(Decimal(-1), Unit.SQUARE_KILOMETRE),
        value_error(Decimal(-1), Unit.KILOMETRE),
        value_error(Decimal(-1), Unit.PERSON),
        year_error(1900),
        growth_error(Decimal(2000)),
        growth_error(Decimal(-200)),
    ]
    assert all(errors)
    with translation.override(language):
        texts = [" ".join(messages_of(error)) for error in errors]
        expected = [
            translation.gettext("An area cannot be negative: enter it without a minus sign."),
            translation.gettext("A length cannot be negative: enter it without a minus sign."),
            translation.gettext("A count cannot be negative: enter it without a minus sign."),
            translation.gettext("The year must lie between %(first)s and %(last)s.") % {"first": 1949, "last": 2100},
            translation.gettext(
                "Growth over %(limit)s%% cannot be right: check the figure (10.3%% is entered as 10.3)."
            )
            % {"limit": format_number(1000, "en")},
            translation.gettext("A fall of more than %(limit)s%% cannot be: a figure can fall to nothing, no further.")
            % {"limit": "100"},
        ]
    assert texts == expected
    assert not any("%%" in text or "%(" in text for text in texts)


def test_nothing_is_refused_where_it_may_be_right():
    assert value_error(Decimal(-1), Unit.YUAN) is None
    assert value_error(Decimal(-1), Unit.PERCENT) is None
    assert value_error(Decimal(0), Unit.PERSON) is None
    assert year_error(None) is None
    assert growth_error(None) is None


def test_the_readback_writes_each_language():
    texts = readback(Decimal("61000000000"), Unit.YUAN, "", 2015, "", Decimal("10.3"))
    assert texts["en"]["quantity"] == "61 billion yuan"
    assert texts["zh-hans"]["quantity"] == "610亿元"
    assert "2015" in texts["en"]["text"] and "10.3" in texts["en"]["text"]
    assert "2015年" in texts["zh-hans"]["text"] and "同比增长10.3%" in texts["zh-hans"]["text"]


def readback_url() -> str:
    return reverse("admin:promotion_keyfigure_readback")


def test_the_readback_view_answers_with_both_languages(staff_client):
    response = staff_client.get(
        readback_url(), {"value": "61000000000", "unit": "yuan", "qualifier": "", "year": "2015", "growth": "10.3"}
    )
    assert response.status_code == HTTPStatus.OK
    texts = response.json()["texts"]
    assert texts["en"]["quantity"] == "61 billion yuan"
    assert texts["zh-hans"]["quantity"] == "610亿元"
    assert "(2015)" in texts["en"]["when"]
    assert "2015年" in texts["zh-hans"]["when"]
    assert texts["zh-hans"]["growth"] == "同比增长10.3%"


def test_the_readback_view_says_why_a_figure_cannot_be_right(staff_client):
    response = staff_client.get(readback_url(), {"value": "-3", "unit": "km2", "year": "1800", "growth": "5000"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.json()["errors"]
    assert "An area cannot be negative" in errors["value"][0]
    assert "1949" in errors["year"][0]
    assert "1,000%" in errors["growth"][0]


def test_the_readback_view_with_nothing_typed_yet(staff_client):
    response = staff_client.get(readback_url(), {"value": "", "unit": "", "year": "", "growth": ""})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["texts"]["en"]["text"] == ""


def test_the_readback_view_is_for_staff_only(client):
    response = client.get(readback_url(), {"value": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_the_change_form_reads_the_saved_figure_back_in_both_languages(staff_client):
    figure = KeyFigure.objects.get(slug="employees")
    body = staff_client.get(change_url(KeyFigure, figure.pk)).content.decode()
    area = re.search(
        r'<div class="figure-readback" aria-live="polite" data-readback-url="([^"]+)">(.*?)</div>', body, re.S
    )
    assert area, "no readback area on the change form"
    assert area.group(1) == readback_url()
    texts = readback(figure.value, figure.unit, figure.qualifier, figure.year, figure.period, figure.growth_percent)
    assert f'lang="en">{texts["en"]["text"]}<' in area.group(2)
    assert f'lang="zh-hans">{texts["zh-hans"]["text"]}<' in area.group(2)
    assert "js/admin-figure-readback.js" in body


def test_the_figure_list_reads_every_figure_back(staff_client):
    body = staff_client.get(reverse("admin:promotion_keyfigure_changelist")).content.decode()
    assert "column-readback_column" in body
    figure = KeyFigure.objects.get(slug="employees")
    texts = readback(figure.value, figure.unit, figure.qualifier, figure.year, figure.period, figure.growth_percent)
    assert texts["en"]["text"] in body
    assert texts["zh-hans"]["text"] in body


def test_the_add_form_has_the_readback_area(staff_client):
    body = staff_client.get(reverse("admin:promotion_keyfigure_add")).content.decode()
    assert 'class="figure-readback" aria-live="polite"' in body


@pytest.mark.parametrize("model_name", ["keyfigure", "plantarget", "park", "policy", "industry", "highlight"])
def test_every_translated_form_links_the_side_by_side_styles(staff_client, model_name):
    body = staff_client.get(reverse(f"admin:promotion_{model_name}_add")).content.decode()
    assert "css/admin-content.css" in body
    # modeltranslation's rows the stylesheet pairs up
    assert re.search(r'class="form-row[^"]*field-\w+_en[ "]', body)
    assert re.search(r'class="form-row[^"]*field-\w+_zh_hans[ "]', body)


def test_the_stylesheet_pairs_the_languages_and_keeps_inlines_in_the_page():
    path = finders.find("css/admin-content.css")
    assert path
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "@media (min-width: 1024px)" in css
    assert '_en"]' in css and '_zh_hans"]' in css
    assert "grid-column: 2" in css
    assert ".inline-group .tabular textarea" in css
    assert finders.find("js/admin-figure-readback.js")


def test_a_parks_change_page_shows_its_illustration(staff_client):
    park = Park.objects.exclude(image="").exclude(image_width=None).first()
    assert park is not None
    body = staff_client.get(change_url(Park, park.pk)).content.decode()
    thumbnail = re.search(r'<p class="image-thumbnail"><img src="([^"]+)" width="(\d+)"', body)
    assert thumbnail, "no thumbnail on the park's change page"
    assert thumbnail.group(1).endswith(rendition_name(park.image.name, 480, "jpg"))
    assert thumbnail.group(2) == "480"


def test_a_park_without_an_illustration_has_no_thumbnail(staff_client):
    park = Park.objects.first()
    Park.objects.filter(pk=park.pk).update(image="", image_width=None, image_height=None)
    body = staff_client.get(change_url(Park, park.pk)).content.decode()
    assert "image-thumbnail" not in body


@pytest.mark.parametrize(
    "model, first",
    [
        ("keyfigure", "slug"),
        ("plantarget", "label_en"),
        ("industry", "name_en"),
        ("park", "name_en"),
        ("enterprise", "name_en"),
    ],
)
def test_a_form_starts_with_what_the_object_is_and_ends_with_its_position(staff_client, model, first):
    page = staff_client.get(reverse(f"admin:promotion_{model}_add")).content.decode()
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', page)
    fields = [name for name in names if name not in {"csrfmiddlewaretoken", "_save", "_continue", "_addanother"}]
    assert fields[0] == first
    editor_fields = fields.index("to_be_confirmed")
    assert fields[editor_fields - 1] == "position", fields
