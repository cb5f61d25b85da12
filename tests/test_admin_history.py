"""The admin's history reads in the reader's language, field names included."""

import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse

from promotion.models import Park

pytestmark = pytest.mark.django_db


def history_text(staff_client, park, language: str) -> str:
    page = staff_client.get(reverse("admin:promotion_park_history", args=[park.pk]), HTTP_ACCEPT_LANGUAGE=language)
    body = page.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body[body.index('id="change-history"') :]).split())


def test_a_change_to_one_language_reads_in_the_readers_language(staff_client):
    call_command("load_zone", verbosity=0)  # the park's illustration must be on disk to save the park
    park = Park.objects.get(slug="electronics-park")
    change = reverse("admin:promotion_park_change", args=[park.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "image"}
    data["industries"] = [i.pk for i in park.industries.all()]
    data["summary_en"] = "A park for LED lighting and PV modules, newly described."
    assert staff_client.post(change, data).status_code == HTTPStatus.FOUND

    chinese = history_text(staff_client, park, "zh-hans")
    assert "摘要（英文）" in chinese
    assert "[en]" not in chinese and "Summary" not in chinese
    assert "Summary (English)" in history_text(staff_client, park, "en")


def test_the_history_button_is_the_admins_own_word(staff_client):
    park = Park.objects.get(slug="electronics-park")
    body = staff_client.get(reverse("admin:promotion_park_change", args=[park.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'class="historylink">历史</a>' in body.content.decode()


def test_each_language_of_a_field_is_labelled_in_words(staff_client):
    park = Park.objects.get(slug="electronics-park")
    body = staff_client.get(reverse("admin:promotion_park_change", args=[park.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = body.content.decode()
    assert "（中文）" in text and "（英文）" in text
    assert "[zh_hans]" not in text and "[en]" not in text
