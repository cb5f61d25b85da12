"""No input an investor (or a robot) can send makes the site fail."""

from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from urllib.parse import quote

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from promotion.forms import EnquiryForm
from promotion.models import Enquiry

from .factories import enquiry_form_data
from .servers import send_enquiry

FORM_FIELDS = [*EnquiryForm.Meta.fields, "consent", "website", "started"]
ANY_TEXT = st.text(max_size=300) | st.sampled_from(["", " ", "\x00", "0", "-1", "1e309", "N" * 6000, "{{ 7*7 }}"])


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(fields=st.dictionaries(st.sampled_from(FORM_FIELDS), ANY_TEXT), keep_valid=st.booleans())
def test_arbitrary_text_in_any_field_never_causes_a_server_error(client, settings, fields, keep_valid):
    settings.ENQUIRY_RATE_LIMIT = settings.ENQUIRY_INVALID_RATE_LIMIT = "100000/h"
    data = {**enquiry_form_data(), **fields} if keep_valid else fields
    before = Enquiry.objects.count()
    response = client.post(reverse("promotion:enquiry"), data)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.OK:
        assert Enquiry.objects.count() == before


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ANY_TEXT)
def test_arbitrary_query_and_token_never_cause_a_server_error(client, value):
    assert client.get(reverse("promotion:enquiry"), {"park": value, "industry": value}).status_code == HTTPStatus.OK
    assert client.get(reverse("promotion:enterprise-list"), {"park": value, "page": value}).status_code == 200
    token = quote(value, safe="") or "x"
    response = client.get(f"/en/enquiry/status/{token}/")
    assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.OK)


def submit_over_http(base_url: str, number: int) -> tuple[int, str]:
    """One investor's browser: the status and address of the answer to the form it sent."""
    response = send_enquiry(
        requests.Session(), base_url, name=f"Investor {number}", email=f"investor{number}@example.com"
    )
    answer = response.history[0] if response.history else response
    return answer.status_code, answer.headers.get("Location", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_concurrent_enquiries_are_all_stored_exactly_once(live_server, settings):
    call_command("loaddata", "zone", verbosity=0)
    settings.ENQUIRY_MIN_SECONDS = 0
    settings.ENQUIRY_RATE_LIMIT = "100000/h"
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    cache.clear()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda n: submit_over_http(live_server.url, n), range(200)))

    assert [status for status, _ in results] == [HTTPStatus.FOUND] * 200
    assert all("/en/enquiry/sent/" in location for _, location in results)
    stored = Enquiry.objects.all()
    assert stored.count() == 200
    assert len(set(stored.values_list("reference", flat=True))) == 200
    assert set(stored.values_list("email", flat=True)) == {f"investor{n}@example.com" for n in range(200)}
    assert not stored.filter(status=Enquiry.Status.SPAM).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/enterprises/", "/en/enquiry/", "/en/search/", "/en/policies/tax-sharing/"])
def test_nul_bytes_in_the_address_are_harmless(client, path):
    params = {"park": "a\x00b", "industry": "\x00", "q": "steel\x00", "page": "\x00", "tax": "1\x00"}
    response = client.get(path, params)
    assert response.status_code == HTTPStatus.OK
