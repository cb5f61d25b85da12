from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse

from promotion.models import Park

pytestmark = pytest.mark.django_db


def test_an_edited_park_shows_on_its_page_at_once(staff_client, client):
    call_command("load_zone", verbosity=0)  # the park's illustration must be on disk to save the park
    park = Park.objects.get(slug="electronics-park")
    url = park.get_absolute_url()
    assert "Electronics Industrial Park" in client.get(url).content.decode()  # now cached

    change = reverse("admin:promotion_park_change", args=[park.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "image"}
    data["industries"] = [i.pk for i in park.industries.all()]
    data["summary_en"] = "A park for LED lighting and PV modules, newly described."
    assert staff_client.post(change, data).status_code == HTTPStatus.FOUND

    assert "newly described" in client.get(url).content.decode()
    assert "newly described" in client.get(reverse("promotion:park-list")).content.decode()


def test_a_cached_page_costs_no_query(client, django_assert_num_queries):
    client.get("/en/parks/")
    with django_assert_num_queries(0):
        response = client.get("/en/parks/")
    assert response.status_code == HTTPStatus.OK
    assert "Coal Machine Equipment Manufacturing Industrial Park" in response.content.decode()


def test_changing_a_parks_industries_also_refreshes_pages(client):
    park = Park.objects.get(slug="huan-river-park")
    before = client.get(park.get_absolute_url()).content.decode()
    assert "Steel" not in before.split("<main", 1)[1]
    from promotion.models import Industry

    park.industries.add(Industry.objects.get(slug="steel"))
    assert "Steel" in client.get(park.get_absolute_url()).content.decode().split("<main", 1)[1]


def test_public_pages_answer_conditional_requests(client):
    first = client.get("/en/about/")
    assert first["Cache-Control"] == "public, max-age=60"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/en/about/", HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.NOT_MODIFIED
    assert client.get("/en/about/", HTTP_IF_MODIFIED_SINCE=modified).status_code == HTTPStatus.NOT_MODIFIED
    assert client.get("/zh-hans/about/", HTTP_IF_NONE_MATCH=etag).status_code == HTTPStatus.OK  # other language


def test_languages_and_queries_are_cached_apart(client):
    english = client.get("/en/enterprises/", {"industry": "steel"}).content.decode()
    chinese = client.get("/zh-hans/enterprises/", {"industry": "steel"}).content.decode()
    everything = client.get("/en/enterprises/").content.decode()
    assert english != chinese
    assert "Alibaba" not in english and "Alibaba" in everything


def test_the_enquiry_form_is_never_cached(client):
    response = client.get("/en/enquiry/")
    assert "public" not in response.get("Cache-Control", "")
    assert "csrftoken" in response.cookies
