"""The enquiry form's quiet defences, seen from outside: what a robot, a person and the zone see."""

import re
import time
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from promotion.forms import EnquiryAnswerForm, EnquiryForm
from promotion.models import Enquiry, EnquiryMessage
from promotion.services import status_token
from promotion.spam import form_started_token

from .factories import enquiry_form_data, make_enquiry

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"HQ-\d{4}-\d{5}")
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.PROXY_COUNT = 1
    return settings


def post_from(client, visitor: str, **overrides):
    data = enquiry_form_data(**overrides)
    return client.post(reverse("promotion:enquiry"), data, HTTP_X_FORWARDED_FOR=visitor, **PROXY)


def test_a_robots_enquiry_is_valid_to_the_form_and_says_why_it_looks_automated():
    robot = EnquiryForm(enquiry_form_data(website="http://spam.example"))
    person = EnquiryForm(enquiry_form_data())
    assert robot.is_valid() and person.is_valid()
    assert (robot.spam_reason, person.spam_reason) == ("honeypot filled", "")
    another = EnquiryForm(enquiry_form_data())
    assert another.is_valid() and person.nonce and person.nonce != another.nonce


def test_a_robots_answer_is_valid_to_the_form_and_says_why_it_looks_automated():
    form = EnquiryAnswerForm({"answer-body": "Hi", "answer-started": form_started_token(time.time() - 1)})
    assert form.is_valid()
    assert form.spam_reason.startswith("sent 1.")


def test_a_robot_is_shown_a_reference_but_the_zone_is_not_told_and_its_address_is_kept(client):
    response = post_from(client, "203.0.113.9", website="http://spam.example")
    assert response.status_code == HTTPStatus.FOUND
    reference = REFERENCE.search(client.get(response["Location"]).content.decode()).group()
    quarantined = Enquiry.objects.get(reference=reference)
    assert quarantined.status == Enquiry.Status.SPAM
    assert quarantined.ip_address == "203.0.113.9"
    assert mail.outbox == []
    assert not Enquiry.objects.exclude(status=Enquiry.Status.SPAM).exists()


def test_spam_uses_the_allowance_of_the_visitors_own_address(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    assert post_from(client, "203.0.113.9", website="http://spam.example").status_code == HTTPStatus.FOUND
    assert post_from(client, "203.0.113.9").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert post_from(client, "198.51.100.4").status_code == HTTPStatus.FOUND
    assert sorted(Enquiry.objects.values_list("ip_address", "status")) == [
        ("198.51.100.4", Enquiry.Status.NEW),
        ("203.0.113.9", Enquiry.Status.SPAM),
    ]


def test_invalid_enquiries_are_counted_per_visitor_and_refused_before_validation(client, settings):
    settings.ENQUIRY_INVALID_RATE_LIMIT = "2/h"
    for _attempt in range(2):
        assert post_from(client, "203.0.113.9", email="x").status_code == HTTPStatus.OK
    # Used up: even a valid enquiry from that visitor is refused, and is not stored.
    refused = post_from(client, "203.0.113.9")
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many enquiries from your connection" in refused.content.decode()
    assert post_from(client, "198.51.100.4").status_code == HTTPStatus.FOUND
    assert list(Enquiry.objects.values_list("ip_address", flat=True)) == ["198.51.100.4"]


def test_visitors_of_unknown_address_share_one_allowance(client, settings):
    settings.PROXY_COUNT = 0
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    url = reverse("promotion:enquiry")
    assert client.post(url, enquiry_form_data(), REMOTE_ADDR="not an address").status_code == HTTPStatus.FOUND
    assert client.post(url, enquiry_form_data(), REMOTE_ADDR="").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Enquiry.objects.get().ip_address is None


def test_a_robots_answer_is_dropped_uncounted_and_a_persons_still_goes_through(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    enquiry = make_enquiry()
    mail.outbox.clear()
    path = reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})

    def answer(**fields):
        data = {
            "form": "answer",
            "answer-body": "Could we visit the plot in March?",
            "answer-website": "",
            "answer-started": form_started_token(time.time() - 60),
            **fields,
        }
        return client.post(path, data, HTTP_X_FORWARDED_FOR="203.0.113.9", **PROXY)

    assert answer(**{"answer-website": "http://spam.example"}).status_code == HTTPStatus.FOUND
    assert not EnquiryMessage.objects.exists() and mail.outbox == []
    assert answer().status_code == HTTPStatus.FOUND
    assert EnquiryMessage.objects.get().body == "Could we visit the plot in March?"
    assert answer().status_code == HTTPStatus.TOO_MANY_REQUESTS
