from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from promotion.models import KeyFigure

pytestmark = pytest.mark.django_db

ENQUIRY_MODELS = {"Enquiry", "EnquiryNote", "OutgoingMail", "ReplySnippet"}
CONTENT_MODELS = [
    model
    for model in apps.get_app_config("promotion").get_models()
    if model in admin.site._registry and model.__name__ not in ENQUIRY_MODELS
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_content_model_is_in_the_admin():
    names = {model.__name__ for model in CONTENT_MODELS}
    assert {
        "ZoneProfile",
        "KeyFigure",
        "Milestone",
        "Honour",
        "PlanTarget",
        "Industry",
        "Park",
        "Enterprise",
        "Project",
        "Policy",
        "Highlight",
    } <= names


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_change_form_open_for_staff(staff_client, model):
    response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == HTTPStatus.OK
    obj = model.objects.first()
    assert obj is not None
    response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == HTTPStatus.OK
    assert str(obj) in response.content.decode()


def test_admin_search_works(staff_client):
    response = staff_client.get(admin_url(KeyFigure, "changelist"), {"q": "income"})
    assert response.status_code == HTTPStatus.OK


def test_admin_is_closed_to_anonymous_visitors(client):
    response = client.get(admin_url(KeyFigure, "changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_an_edited_figure_shows_on_the_home_page(staff_client):
    figure = KeyFigure.objects.headline().get(slug="employees")
    form = staff_client.get(admin_url(KeyFigure, "change", figure.pk)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"label_en": "Employees in the zone", "value": "125000"})
    response = staff_client.post(admin_url(KeyFigure, "change", figure.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    body = staff_client.get(reverse("promotion:home")).content.decode()
    assert "125,000" in body
    assert "Employees in the zone" in body
