"""The form's clock is single-use and short-lived: a bot cannot post one form again and again,
and a person whose form is too old gets it back, filled in, with a new clock."""

import re
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from promotion import spam
from promotion.models import Enquiry, RateLimitCounter
from promotion.models.enquiries import UsedFormToken

from .factories import enquiry_form_data

pytestmark = pytest.mark.django_db

HOUR = 3600
OUT_OF_DATE = "This form was open for a long time"


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.ENQUIRY_MIN_SECONDS = 4
    return settings


def post(client, **overrides):
    return client.post(reverse("promotion:enquiry"), enquiry_form_data(**overrides))


def clock_in(body: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', body).group(1)


def test_one_form_served_sends_one_enquiry_and_replays_are_quarantined_silently(client, settings):
    settings.ENQUIRY_MIN_SECONDS = 0
    token = clock_in(client.get(reverse("promotion:enquiry")).content.decode())
    assert post(client, started=token).status_code == HTTPStatus.FOUND
    mail.outbox.clear()
    for number in range(3):
        again = post(client, started=token, email=f"bot{number}@example.com")
        assert again.status_code == HTTPStatus.FOUND  # looks like success, as the other traps do
    first, *replays = Enquiry.objects.order_by("pk")
    assert first.status == Enquiry.Status.NEW
    assert [(e.status, e.spam_reason) for e in replays] == [(Enquiry.Status.SPAM, "form sent before")] * 3
    assert mail.outbox == []


def test_a_person_who_waited_sends_once_and_a_replay_is_spam(client):
    token = spam.form_started_token(time.time() - 60)
    assert post(client, started=token).status_code == HTTPStatus.FOUND
    assert post(client, started=token, email="replay@example.com").status_code == HTTPStatus.FOUND
    first, replay = Enquiry.objects.order_by("pk")
    assert first.status == Enquiry.Status.NEW
    assert (replay.status, replay.spam_reason) == (Enquiry.Status.SPAM, "form sent before")
    assert [m.to for m in mail.outbox if m.to != ["promotion@zone.example.cn"]] == [["li.wei@example.com"]]


def test_each_form_served_has_a_clock_of_its_own(client):
    one = clock_in(client.get(reverse("promotion:enquiry")).content.decode())
    two = clock_in(client.get(reverse("promotion:enquiry")).content.decode())
    assert spam.read_clock(one).nonce != spam.read_clock(two).nonce


def test_a_submission_with_mistakes_does_not_use_up_the_clock(client):
    token = spam.form_started_token(time.time() - 60)
    assert post(client, started=token, email="not an address").status_code == HTTPStatus.OK
    assert post(client, started=token).status_code == HTTPStatus.FOUND
    assert Enquiry.objects.get().status == Enquiry.Status.NEW


def test_a_refused_submission_does_not_use_up_the_clock(client, settings):
    """The rate limit is counted in the same transaction: a 429 spends nothing."""
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    assert post(client).status_code == HTTPStatus.FOUND
    token = spam.form_started_token(time.time() - 60)
    assert post(client, started=token).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert UsedFormToken.objects.count() == 1
    RateLimitCounter.objects.all().delete()
    assert post(client, started=token).status_code == HTTPStatus.FOUND
    assert Enquiry.objects.filter(status=Enquiry.Status.NEW).count() == 2


def test_an_old_form_comes_back_filled_in_with_a_new_clock_and_then_goes(client):
    old = spam.form_started_token(time.time() - 25 * HOUR)
    response = post(client, started=old, message="Our plan & questions <here>.")
    assert response.status_code == HTTPStatus.OK
    assert Enquiry.objects.count() == 0
    body = response.content.decode()
    assert body.count(OUT_OF_DATE) == 1  # in the summary above the form, once
    assert "Shenzhen Example Electronics Co., Ltd." in body and "Our plan &amp; questions &lt;here&gt;." in body
    fresh = clock_in(body)
    assert fresh != old
    assert not spam.is_out_of_date(spam.read_clock(fresh))

    # Sent again at once: the person filled the form long ago, so this is not "too fast".
    again = post(client, started=fresh)
    assert again.status_code == HTTPStatus.FOUND
    assert Enquiry.objects.get().status == Enquiry.Status.NEW


def test_the_age_limit_is_a_setting(client, settings):
    settings.ENQUIRY_FORM_MAX_HOURS = 1
    assert OUT_OF_DATE in post(client, started=spam.form_started_token(time.time() - 2 * HOUR)).content.decode()
    assert post(client, started=spam.form_started_token(time.time() - HOUR / 2)).status_code == HTTPStatus.FOUND
    assert Enquiry.objects.get().status == Enquiry.Status.NEW


def test_a_form_opened_before_clocks_had_nonces_is_given_back_not_lost(client):
    legacy = signing.dumps(time.time() - 60, salt=spam.SALT)
    response = post(client, started=legacy)
    assert response.status_code == HTTPStatus.OK
    assert OUT_OF_DATE in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_the_minimum_time_still_quarantines_a_fast_robot(client):
    assert post(client, started=spam.form_started_token()).status_code == HTTPStatus.FOUND
    enquiry = Enquiry.objects.get()
    assert enquiry.status == Enquiry.Status.SPAM and enquiry.spam_reason.startswith("sent 0.")


def test_spent_clocks_are_forgotten_once_no_form_could_be_that_old(client):
    UsedFormToken.objects.create(nonce="long-gone", expires_at=timezone.now() - timedelta(minutes=1))
    UsedFormToken.objects.create(nonce="still-young", expires_at=timezone.now() + timedelta(hours=1))
    token = spam.form_started_token(time.time() - 60)
    assert post(client, started=token).status_code == HTTPStatus.FOUND
    nonce = spam.read_clock(token).nonce
    assert set(UsedFormToken.objects.values_list("nonce", flat=True)) == {"still-young", nonce}
    assert UsedFormToken.objects.get(nonce=nonce).expires_at > timezone.now() + timedelta(hours=23)
