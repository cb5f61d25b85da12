"""`load_zone` runs on every `make run`: it adds what is missing and never undoes an editor's work unless forced."""

import json
import shutil
from decimal import Decimal
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from promotion.models import KeyFigure, Park, Project
from promotion.renditions import rendition_name
from tests.test_fixtures import PROMOTION_MODELS, assert_account_facts_are_stored

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zone.json"
FIXTURE_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"


@pytest.fixture(autouse=True)
def zone_media_copy(settings, zone_media):
    """The illustrations and their renditions as the session made them, in this test's own MEDIA_ROOT."""
    shutil.copytree(zone_media, settings.MEDIA_ROOT)


def load_zone(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_zone", *args, stdout=out, stderr=err)
    connection.check_constraints()  # what the commit would check
    return out.getvalue(), err.getvalue()


def fixture_fields(model: str, pk: int) -> dict:
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return next(obj["fields"] for obj in objects if obj["model"] == model and obj["pk"] == pk)


def edit_a_figure_and_a_park() -> tuple[KeyFigure, Park]:
    figure = KeyFigure.objects.get(slug="tax-revenue-2015")
    figure.value = Decimal("1234567")
    figure.save()
    park = Park.objects.get(slug="electronics-park")
    park.description_zh_hans = "编辑改写的园区介绍。"
    park.save()
    return figure, park


def test_load_zone_keeps_what_editors_saved(client):
    figure, park = edit_a_figure_and_a_park()

    out, err = load_zone()

    figure.refresh_from_db()
    park.refresh_from_db()
    assert figure.value == Decimal("1234567")
    assert park.description_zh_hans == "编辑改写的园区介绍。"
    response = client.get(f"/zh-hans/parks/{park.slug}/")
    assert response.status_code == HTTPStatus.OK
    assert "编辑改写的园区介绍。" in response.content.decode()
    assert "Added 0 object(s)" in out
    assert out.strip().endswith(
        "2 stored object(s) differ from the fixtures and were left as they are; "
        "`load_zone --force` would overwrite them (`load_zone -v 2` lists them)"
    )
    assert err == ""


def test_load_zone_lists_what_differs_when_asked():
    edit_a_figure_and_a_park()
    out = StringIO()
    call_command("load_zone", verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert "  promotion.keyfigure 11 “Tax revenue”: value" in lines
    assert "  promotion.park 2 “Electronics Industrial Park”: description_zh_hans" in lines


def test_a_deleted_fixture_object_is_added_back_with_its_relations():
    Park.objects.get(slug="electronics-park").delete()
    KeyFigure.objects.get(slug="employees").delete()

    out, _ = load_zone()

    park = Park.objects.get(slug="electronics-park")
    assert park.pk == 2
    assert sorted(park.industries.values_list("pk", flat=True)) == fixture_fields("promotion.park", 2)["industries"]
    assert park.description_zh_hans == fixture_fields("promotion.park", 2)["description_zh_hans"]
    assert KeyFigure.objects.get(slug="employees").value == Decimal("120000")
    assert "Added 2 object(s) missing from the database" in out


def test_force_restores_the_fixture_and_names_what_it_overwrites():
    figure, park = edit_a_figure_and_a_park()
    park.industries.clear()

    out, _ = load_zone("--force")

    figure.refresh_from_db()
    park.refresh_from_db()
    assert figure.value == Decimal("1040000000")
    assert park.description_zh_hans == fixture_fields("promotion.park", 2)["description_zh_hans"]
    assert list(park.industries.values_list("pk", flat=True)) == [2]
    overwriting, *listed = out.split("Added")[0].splitlines()
    assert overwriting == "Overwriting 2 object(s) that differ from the fixtures:"
    assert listed == [
        "  promotion.keyfigure 11 “Tax revenue”: value",
        "  promotion.park 2 “Electronics Industrial Park”: description_zh_hans, industries",
    ]
    assert "Overwrote 2 object(s) with the fixtures" in out
    assert "No stored object differs from the fixtures" in load_zone()[0]


def test_an_editors_park_holding_a_fixture_slug_is_kept_and_the_fixture_park_skipped():
    """The editor deleted the Huan River park and made a new one under its slug; its project went too."""
    Park.objects.get(slug="huan-river-park").delete()
    Project.objects.get(pk=19).delete()  # refers to the Huan River park
    editors = Park.objects.create(
        name_en="Huan River Park, redrawn", slug="huan-river-park", summary_en="New.", description_en="New."
    )

    out, err = load_zone()

    assert list(Park.objects.filter(slug="huan-river-park")) == [editors]
    assert not Park.objects.filter(pk=10).exists()
    assert not Project.objects.filter(pk=19).exists()
    assert err.splitlines() == [
        f"Skipped promotion.park 10 “Huan River Ecological Leisure Park”: its slug “huan-river-park” is already "
        f"used by promotion.park {editors.pk} “Huan River Park, redrawn”",
        "Skipped promotion.project 19 “Huan River Ecological Leisure Park”: it refers to promotion.park 10, "
        "which is skipped",
    ]
    assert "Added 0 object(s)" in out


def test_force_skips_an_object_whose_slug_an_editor_has_taken():
    park = Park.objects.get(slug="huan-river-park")
    park.slug = "huan-river"
    park.save()
    editors = Park.objects.create(name_en="Another park", slug="huan-river-park", summary_en="-", description_en="-")

    out, err = load_zone("--force")

    park.refresh_from_db()
    assert park.slug == "huan-river"
    assert Park.objects.get(slug="huan-river-park") == editors
    assert "Skipped promotion.park 10" in err
    assert "Overwrote 0 object(s)" in out


def test_an_untouched_object_saved_in_the_admin_does_not_differ(staff_client):
    figure = KeyFigure.objects.get(slug="pearl-river-delta-projects")  # no Chinese note in the fixture
    url = reverse("admin:promotion_keyfigure_change", args=[figure.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    assert KeyFigure.objects.get(pk=figure.pk).updated_at > figure.updated_at

    assert "No stored object differs from the fixtures" in load_zone()[0]


def test_into_an_empty_database_load_zone_loads_every_fact():
    for model in reversed(PROMOTION_MODELS):
        model.objects.all().delete()

    out, _ = load_zone()

    assert f"Added {len(json.loads(FIXTURE.read_text(encoding='utf-8')))} object(s)" in out
    assert assert_account_facts_are_stored() >= 40


def test_images_are_copied_and_rendered_only_where_missing(settings, tmp_path):
    media = settings.MEDIA_ROOT = tmp_path / "empty-media"
    out, _ = load_zone()
    assert "Copied 20 image(s) into MEDIA_ROOT and made 120 image rendition(s)" in out

    photo = media / "parks" / "electronics-park.jpg"
    photo.write_bytes(b"the editor's own file")
    gone = media / rendition_name("industries/steel.jpg", 960, "webp")
    gone.unlink()
    kept = media / rendition_name("parks/huan-river-park.jpg", 480, "jpg")
    kept_mtime = kept.stat().st_mtime_ns
    out, _ = load_zone()
    assert "Copied 0 image(s) into MEDIA_ROOT and made 6 image rendition(s)" in out
    assert photo.read_bytes() == b"the editor's own file"
    assert gone.is_file()
    assert kept.stat().st_mtime_ns == kept_mtime

    out, _ = load_zone("--force")
    assert "Copied 20 image(s) into MEDIA_ROOT and made 120 image rendition(s)" in out
    assert photo.read_bytes() == (FIXTURE_MEDIA / "parks" / "electronics-park.jpg").read_bytes()
