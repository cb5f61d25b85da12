"""What the content models say once: what is featured, a measured value, an illustration."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from promotion.models import KeyFigure, Park, PlanTarget, Policy, Project
from promotion.units import Unit

from .factories import make_industry, make_park, make_policy, make_project

pytestmark = pytest.mark.django_db


def home(client) -> str:
    return client.get(reverse("promotion:home")).content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(
    ("model", "make", "name"),
    [
        (Park, make_park, "Test Valley Park"),
        (Policy, make_policy, "Test Incentive"),
        (Project, make_project, "Test Plant"),
    ],
)
def test_what_an_editor_features_is_on_the_home_page_and_nothing_else(client, model, make, name):
    featured = make(name, is_featured=True)
    plain = make(f"{name} Two")
    assert featured in model.objects.featured() and plain not in model.objects.featured()
    page = home(client)
    assert featured.get_absolute_url() in page and plain.get_absolute_url() not in page


def test_a_figure_and_a_target_read_their_value_the_same_way():
    figure = KeyFigure(value=Decimal("27.05"), unit=Unit.SQUARE_KILOMETRE)
    target = PlanTarget(value=Decimal("27.05"), unit=Unit.SQUARE_KILOMETRE)
    with translation.override("zh-hans"):
        assert str(figure.amount) == str(target.amount) != ""
    assert PlanTarget(value=None).amount is None


def test_a_target_may_be_set_in_words_only_but_a_figure_needs_its_number():
    assert PlanTarget._meta.get_field("value").null and not KeyFigure._meta.get_field("value").null


def jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (640, 400), "#b22222").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(("make", "folder"), [(make_park, "parks"), (make_industry, "industries")])
def test_an_illustration_is_stored_in_its_models_folder_with_its_size_and_description(make, folder):
    obj = make(image_alt_en="Terraces by the canal", image_alt_zh_hans="渠边梯田")
    obj.image = SimpleUploadedFile("photo.JPG", jpeg(), content_type="image/jpeg")
    obj.save()
    obj.refresh_from_db()
    assert obj.image.name.startswith(f"{folder}/") and obj.image.name.endswith(".jpg")
    assert (obj.image_width, obj.image_height) == (640, 400)
    with translation.override("zh-hans"):
        assert obj.image_alt == "渠边梯田"
