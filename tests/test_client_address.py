"""One rule for the visitor's address: the rate limit, the stored enquiry and the login lockout."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory
from django.urls import reverse

from promotion.clients import client_address
from promotion.models import Enquiry

from .factories import enquiry_form_data

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def request_from(forwarded: str | None, remote: str = PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        # The visitor wrote the left part; the proxy appended what it saw.
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("<script>x</script>", PROXY),
        ("203.0.113.7, not-an-address", PROXY),
        ("", PROXY),
        (None, PROXY),
    ],
)
def test_the_visitor_is_the_address_the_trusted_proxy_saw(behind_one_proxy, forwarded, expected):
    assert client_address(request_from(forwarded)) == expected


def test_without_proxies_forwarded_headers_are_not_believed(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.7", remote="198.51.100.9")) == "198.51.100.9"


def test_a_forged_forwarded_address_is_never_stored(client, behind_one_proxy, settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    response = client.post(
        reverse("promotion:enquiry"), enquiry_form_data(), HTTP_X_FORWARDED_FOR="<script>x</script>", REMOTE_ADDR=PROXY
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Enquiry.objects.get().ip_address == PROXY


def log_in(client, password: str, address: str):
    return client.post(
        reverse("admin:login"),
        {"username": "officer", "password": password, "next": reverse("admin:index")},
        HTTP_X_FORWARDED_FOR=address,
        REMOTE_ADDR=PROXY,
    )


def test_failed_logins_from_one_visitor_never_lock_out_the_officer_elsewhere(
    client, django_user_model, behind_one_proxy
):
    django_user_model.objects.create_user("officer", "officer@zone.example.cn", "the-officers-password", is_staff=True)
    answers = [log_in(client, "guessing", "203.0.113.66").status_code for _attempt in range(3)]
    assert answers == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]
    assert log_in(client, "the-officers-password", "203.0.113.66").status_code == HTTPStatus.TOO_MANY_REQUESTS

    response = log_in(client, "the-officers-password", "198.51.100.20")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:index")
