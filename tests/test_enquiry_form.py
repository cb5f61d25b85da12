import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import dateformat, timezone

from promotion import workdays
from promotion.models import Enquiry, EnquiryNote, Industry, OutgoingMail, Park
from promotion.services import status_token
from promotion.spam import form_started_token

from .factories import enquiry_form_data, make_enquiry, make_industry, make_park

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"HQ-\d{4}-\d{5}")


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.SITE_URL = "https://zone.example.cn"
    from django.core.cache import cache

    cache.clear()
    return settings


@pytest.fixture(autouse=True)
def menus():
    """The industry and park the investor chooses, made here rather than read from the fixtures."""
    industry = make_industry("LED Lighting")
    return industry, make_park("Test Lighting Park", industries=[industry])


def form_data(**overrides) -> dict:
    """What a person fills in, choosing the industry and park of `menus`."""
    choices = {
        "industry": str(Industry.objects.get(slug="led-lighting").pk),
        "park": str(Park.objects.get(slug="test-lighting-park").pk),
    }
    return enquiry_form_data(**{**choices, **overrides})


def post_enquiry(client, **overrides):
    return client.post(reverse("promotion:enquiry"), form_data(**overrides))


def test_form_preselects_the_park_named_in_the_address(client):
    response = client.get(reverse("promotion:enquiry"), {"park": "test-lighting-park"})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert re.search(r'<option value="\d+" selected>Test Lighting Park</option>', body)
    assert "Send enquiry" in body
    assert reverse("promotion:privacy") in body


def test_unknown_park_in_the_address_is_ignored(client):
    response = client.get(reverse("promotion:enquiry"), {"park": "<script>"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].initial["park"] is None


def test_a_valid_enquiry_is_stored_acknowledged_and_notified(client):
    response = post_enquiry(client)
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(response["Location"])
    reference = REFERENCE.search(page.content.decode()).group()

    enquiry = Enquiry.objects.get(reference=reference)
    assert enquiry.status == Enquiry.Status.NEW
    assert enquiry.organisation == "Shenzhen Example Electronics Co., Ltd."
    assert enquiry.park.slug == "test-lighting-park"
    assert enquiry.language == "en"
    assert enquiry.consent_at is not None
    assert enquiry.reply_due_at == workdays.reply_due(enquiry.received_at, 2)
    assert "What happens next" in page.content.decode()

    acknowledgement, notification = sorted(mail.outbox, key=lambda m: m.to != ["li.wei@example.com"])
    assert acknowledgement.to == ["li.wei@example.com"]
    assert reference in acknowledgement.subject and reference in acknowledgement.body
    assert "https://zone.example.cn/en/enquiry/status/" in acknowledgement.body
    due = dateformat.format(timezone.localtime(enquiry.reply_due_at, workdays.ZONE), "j F Y")
    assert f"reply by {due} (Beijing time)" in acknowledgement.body
    assert notification.to == ["promotion@zone.example.cn"]
    assert reference in notification.subject and reference in notification.body
    assert OutgoingMail.objects.filter(enquiry=enquiry, sent_at__isnull=False).count() == 2


def test_references_are_unique_and_count_up(client):
    post_enquiry(client)
    post_enquiry(client, email="second@example.com")
    first, second = Enquiry.objects.order_by("pk")
    assert first.reference != second.reference
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"consent": None}, "consent", "Please accept the privacy notice"),
        ({"name": ""}, "name", "This field is required."),
        ({"organisation": "   "}, "organisation", "This field is required."),
        ({"industry": ""}, "industry", "This field is required."),
        ({"message": ""}, "message", "This field is required."),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"investment_band": "a lot"}, "investment_band", "Select a valid choice."),
        ({"name": "N" * 201}, "name", "at most 200 characters"),
        ({"message": "m" * 5001}, "message", "at most 5000 characters"),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"expected_jobs": "-5"}, "expected_jobs", "greater than or equal to 0"),
        ({"expected_jobs": "99999999999"}, "expected_jobs", "less than or equal to 1000000"),
        ({"park": "999999"}, "park", "Select a valid choice."),
    ],
)
def test_invalid_input_shows_the_error_beside_the_field_and_stores_nothing(client, overrides, field, message):
    response = post_enquiry(client, **overrides)
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert field in form.errors
    assert any(message in error for error in form.errors[field])
    body = response.content.decode()
    assert f'id="error_1_id_{field}"' in body  # the error sits beside its field
    assert f'href="#id_{field}"' in body  # the summary at the top links to the field
    assert Enquiry.objects.count() == 0
    assert len(mail.outbox) == 0
    if field != "organisation":
        assert "Shenzhen Example Electronics Co., Ltd." in body  # what was typed is kept


def test_honeypot_quarantines_silently(client):
    response = post_enquiry(client, website="http://spam.example")
    assert response.status_code == HTTPStatus.FOUND
    enquiry = Enquiry.objects.get()
    assert enquiry.status == Enquiry.Status.SPAM
    assert enquiry.spam_reason == "honeypot filled"
    assert mail.outbox == []
    assert REFERENCE.search(client.get(response["Location"]).content.decode())


@pytest.mark.parametrize("started", ["now", "forged", ""])
def test_time_trap_quarantines_submissions_faster_than_a_person_or_without_a_valid_clock(client, started):
    token = {"now": form_started_token(), "forged": "1700000000:forged", "": ""}[started]
    response = post_enquiry(client, started=token)
    assert response.status_code == HTTPStatus.FOUND
    assert Enquiry.objects.get().status == Enquiry.Status.SPAM
    assert mail.outbox == []


def test_rate_limit_answers_429_with_a_friendly_page(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "2/h"
    assert post_enquiry(client).status_code == HTTPStatus.FOUND
    assert post_enquiry(client).status_code == HTTPStatus.FOUND
    response = post_enquiry(client)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many enquiries from your connection" in response.content.decode()
    assert Enquiry.objects.count() == 2


def test_a_person_correcting_mistakes_is_never_locked_out(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "2/h"
    for _attempt in range(10):
        response = post_enquiry(client, email="not an address")
        assert response.status_code == HTTPStatus.OK
        assert "Enter a valid email address" in response.content.decode()
    assert post_enquiry(client).status_code == HTTPStatus.FOUND
    assert Enquiry.objects.count() == 1


def test_quarantined_spam_uses_the_allowance_too(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "2/h"
    assert post_enquiry(client, website="http://spam.example").status_code == HTTPStatus.FOUND
    assert post_enquiry(client, website="http://spam.example").status_code == HTTPStatus.FOUND
    assert post_enquiry(client).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Enquiry.objects.count() == 2


def test_a_flood_of_invalid_submissions_has_its_own_looser_limit(client, settings):
    settings.ENQUIRY_INVALID_RATE_LIMIT = "5/h"
    for _attempt in range(5):
        assert post_enquiry(client, email="x").status_code == HTTPStatus.OK
    response = post_enquiry(client)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Enquiry.objects.count() == 0


def test_page_traffic_cannot_flush_the_rate_limit(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    assert post_enquiry(client).status_code == HTTPStatus.FOUND
    for number in range(50):
        client.get("/en/", {"x": number})
    from django.core.cache import cache

    cache.clear()
    assert post_enquiry(client).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_rate_limit_counts_each_address_apart(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    assert post_enquiry(client, REMOTE_ADDR="203.0.113.1").status_code == HTTPStatus.FOUND
    response = client.post(reverse("promotion:enquiry"), form_data(), REMOTE_ADDR="203.0.113.2")
    assert response.status_code == HTTPStatus.FOUND


def test_a_failing_mail_server_loses_nothing_and_the_retry_delivers(client, settings):
    settings.EMAIL_BACKEND = "tests.failing_mail.EmailBackend"
    response = post_enquiry(client)
    assert response.status_code == HTTPStatus.FOUND
    assert REFERENCE.search(client.get(response["Location"]).content.decode())
    enquiry = Enquiry.objects.get()
    pending = OutgoingMail.objects.filter(enquiry=enquiry, sent_at=None)
    assert pending.count() == 2
    assert all(m.attempts == 1 and "Connection unexpectedly closed" in m.last_error for m in pending)

    with pytest.raises(SystemExit):
        call_command("send_pending_mail", verbosity=0)
    assert OutgoingMail.objects.get(kind="acknowledgement").attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_mail", verbosity=0)
    assert OutgoingMail.objects.filter(sent_at=None).count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["li.wei@example.com", "promotion@zone.example.cn"]
    assert all(enquiry.reference in m.subject for m in mail.outbox)


def test_without_notify_addresses_the_promotion_officers_are_told(client, settings, django_user_model):
    from django.contrib.auth.models import Group

    settings.ENQUIRY_NOTIFY_EMAILS = []
    officer = django_user_model.objects.create_user("officer", "officer@zone.example.cn", "pw", is_staff=True)
    officer.groups.add(Group.objects.get(name="Promotion officers"))
    post_enquiry(client)
    assert {m.to[0] for m in mail.outbox} == {"li.wei@example.com", "officer@zone.example.cn"}


def test_status_link_shows_the_stage_and_reply_date_but_no_staff_notes(client, menus):
    enquiry = make_enquiry(industry=menus[0])
    EnquiryNote.objects.create(enquiry=enquiry, text="Internal: budget looks thin")
    url = reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert enquiry.reference in body
    assert "Received: an investment-promotion officer will reply by the date below." in body
    assert "budget looks thin" not in body
    assert response["Cache-Control"] == "private, no-store"

    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.QUALIFIED)
    assert "under detailed discussion" in client.get(url).content.decode()


def test_spam_looks_like_any_received_enquiry_on_the_status_page(client, menus):
    enquiry = make_enquiry(industry=menus[0], status=Enquiry.Status.SPAM)
    body = client.get(reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})).content.decode()
    assert "Received: an investment-promotion officer" in body
    assert "Spam" not in body


@pytest.mark.parametrize("token", ["HQ-2026-00001", "HQ-2026-00001:forged", "x" * 500])
def test_a_guessed_or_tampered_status_link_is_not_found(client, token, menus):
    make_enquiry(industry=menus[0])
    response = client.get(reverse("promotion:enquiry-status", kwargs={"token": token}))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_privacy_notice_says_what_is_kept_why_and_for_how_long(client, settings):
    settings.ENQUIRY_RETENTION_DAYS = 730
    body = client.get(reverse("promotion:privacy")).content.decode()
    assert "What we keep" in body and "Why we keep it" in body and "How long we keep it" in body
    assert "730 days" in body


def test_every_page_offers_the_enquiry_and_park_pages_preselect_their_park(client):
    body = client.get(reverse("promotion:park-detail", kwargs={"slug": "test-lighting-park"})).content.decode()
    assert f'href="{reverse("promotion:enquiry")}?park=test-lighting-park"' in body
    assert body.count(f'href="{reverse("promotion:enquiry")}"') >= 1


def test_behind_a_proxy_the_limit_counts_the_visitors_own_address(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = client.post(reverse("promotion:enquiry"), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    other = client.post(reverse("promotion:enquiry"), form_data(), HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    again = client.post(reverse("promotion:enquiry"), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)
    assert set(Enquiry.objects.values_list("ip_address", flat=True)) == {"203.0.113.7", "198.51.100.4"}
