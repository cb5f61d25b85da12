"""The page after sending holds nothing private, and the status link is a secret that staff can
withdraw and that ends with the investor's data."""

import importlib
import re
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from promotion import services
from promotion.models import Enquiry, OutgoingMail

from .factories import days_ago, enquiry_form_data, make_enquiry, status_path

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promotion_enquiry_changelist")
REFERENCE = re.compile(r"HQ-\d{4}-\d{5}")
STATUS_LINK = re.compile(r"https://zone\.example\.cn(/[a-z-]+/enquiry/status/[^/\s]+/)")
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.SITE_URL = "https://zone.example.cn"
    return settings


@pytest.fixture
def officer_client(client, django_user_model):
    officer = django_user_model.objects.create_user("officer", "officer@zone.example.cn", "pw", is_staff=True)
    officer.groups.add(Group.objects.get(name="Promotion officers"))
    client.force_login(officer)
    client.officer = officer
    return client


def link_in(message) -> str:
    return STATUS_LINK.search(message.body).group(1)


def assert_private(response) -> None:
    """No cache keeps it, no robot indexes it, no other site learns its address."""
    # The status page posts forms, so it sends its referrer to the site itself (see views).
    referrer = "same-origin" if "/enquiry/status/" in response.wsgi_request.path else "no-referrer"
    for header, value in {**PRIVATE_HEADERS, "Referrer-Policy": referrer}.items():
        assert response[header] == value, header
    body = response.content.decode()
    assert '<meta name="robots" content="noindex">' in body
    assert f'<meta name="referrer" content="{referrer}">' in body


def main_of(response) -> str:
    """The page's own content (its address, the token, also sits in the canonical link)."""
    body = response.content.decode()
    return body[body.index('<main id="main"') : body.index("</main>")]


def renew(officer_client, *enquiries):
    data = {"action": "renew_status_link", "_selected_action": [e.pk for e in enquiries]}
    return officer_client.post(CHANGELIST, data, follow=True)


# --- The page after sending -------------------------------------------------------------


def test_the_page_after_sending_shows_the_reference_and_nothing_private(client):
    data = enquiry_form_data(
        name="Li Wei", email="li.wei@example.com", phone="+86 755 1234 5678", message="Our secret LED plant plan."
    )
    response = client.post(reverse("promotion:enquiry"), data)
    assert response.status_code == HTTPStatus.FOUND
    enquiry = Enquiry.objects.get()
    acknowledgement = next(m for m in mail.outbox if m.to == ["li.wei@example.com"])

    sent_page = response["Location"]
    assert sent_page.startswith("/en/enquiry/sent/")
    assert services.status_token(enquiry) not in sent_page
    assert sent_page != link_in(acknowledgement)

    page = client.get(sent_page)
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert enquiry.reference in body
    assert "What happens next" in body
    assert "l***@example.com" in body
    for private in ["Li Wei", "li.wei@example.com", "1234 5678", "Shenzhen Example Electronics", "LED plant"]:
        assert private not in body, private
    assert "/enquiry/status/" not in body
    assert services.status_token(enquiry) not in body
    assert_private(page)


def test_the_page_after_sending_is_gone_after_an_hour(client):
    enquiry = make_enquiry(email="li.wei@example.com")
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3601):
        stale = reverse("promotion:enquiry-sent", kwargs={"token": services.sent_page_token(enquiry)})
    fresh = reverse("promotion:enquiry-sent", kwargs={"token": services.sent_page_token(enquiry)})

    assert client.get(fresh).status_code == HTTPStatus.OK
    response = client.get(stale)
    assert response.status_code == HTTPStatus.NOT_FOUND
    main = main_of(response)
    assert "This page is no longer available" in main
    assert enquiry.reference not in main and "l***@example.com" not in main
    assert_private(response)


@pytest.mark.parametrize("token", ["HQ-2026-00001", "HQ-2026-00001:1tXyZa:forged", "x" * 300])
def test_a_guessed_or_tampered_page_after_sending_is_not_found(client, token):
    make_enquiry()
    response = client.get(reverse("promotion:enquiry-sent", kwargs={"token": token}))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_status_link_does_not_open_the_page_after_sending(client):
    enquiry = make_enquiry()
    token = services.status_token(enquiry)
    assert client.get(reverse("promotion:enquiry-sent", kwargs={"token": token})).status_code == HTTPStatus.NOT_FOUND


# --- The status link ----------------------------------------------------------------------


def test_the_status_link_arrives_only_by_mail_and_its_page_is_private(client):
    response = client.post(reverse("promotion:enquiry"), enquiry_form_data())
    acknowledgement = next(m for m in mail.outbox if m.to == ["li.wei@example.com"])
    link = link_in(acknowledgement)
    assert link not in client.get(response["Location"]).content.decode()

    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert Enquiry.objects.get().reference in page.content.decode()
    assert_private(page)


def test_every_enquiry_has_its_own_status_key():
    first, second = make_enquiry(), make_enquiry()
    assert first.status_key and second.status_key and first.status_key != second.status_key
    assert first.status_key not in services.status_token(second)


def test_withdrawing_the_link_stops_the_old_one_and_mails_a_new_one(officer_client, client):
    enquiry = make_enquiry(email="zhang@example.com")
    old_link = link_in(next(m for m in mail.outbox if m.to == ["zhang@example.com"]))
    mail.outbox.clear()

    response = renew(officer_client, enquiry)
    assert "1 investor was sent a new status link" in response.content.decode()

    old_page = client.get(old_link)
    assert old_page.status_code == HTTPStatus.NOT_FOUND
    main = main_of(old_page)
    assert "This link is no longer valid" in main and enquiry.reference not in main
    assert_private(old_page)

    (message,) = mail.outbox
    assert message.to == ["zhang@example.com"]
    assert enquiry.reference in message.subject
    new_link = link_in(message)
    assert new_link != old_link
    assert client.get(new_link).status_code == HTTPStatus.OK
    queued = OutgoingMail.objects.get(enquiry=enquiry, kind=OutgoingMail.Kind.STATUS_LINK)
    assert queued.sent_at is not None

    entry = LogEntry.objects.get(object_id=str(enquiry.pk), action_flag=CHANGE)
    assert entry.user == officer_client.officer
    assert entry.get_change_message() == "Changed Status link."


def test_the_new_link_is_written_in_the_investors_language(officer_client):
    enquiry = make_enquiry(language="zh-hans", email="wang@example.cn")
    mail.outbox.clear()
    renew(officer_client, enquiry)
    (message,) = mail.outbox
    assert link_in(message).startswith("/zh-hans/enquiry/status/")


def test_the_rotation_and_its_mail_are_one_transaction(officer_client, client):
    """A mail that cannot be written leaves the old link working and no history."""
    enquiry = make_enquiry(email="zhang@example.com")
    old_link = link_in(next(m for m in mail.outbox if m.to == ["zhang@example.com"]))
    with (
        mock.patch("promotion.outbox.OutgoingMail.objects.create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        renew(officer_client, enquiry)
    assert client.get(old_link).status_code == HTTPStatus.OK
    assert not LogEntry.objects.filter(object_id=str(enquiry.pk)).exists()


def test_anonymised_and_quarantined_enquiries_are_left_alone(officer_client):
    anonymised = make_enquiry(received_at=days_ago(800))
    services.anonymise_old_enquiries(days=730)
    spam = make_enquiry(status=Enquiry.Status.SPAM)
    mail.outbox.clear()
    response = renew(officer_client, anonymised, spam)
    assert "2 enquiries were left as they were" in response.content.decode()
    assert mail.outbox == []
    assert not OutgoingMail.objects.filter(kind=OutgoingMail.Kind.STATUS_LINK).exists()


def test_once_anonymised_the_status_page_says_only_that_the_enquiry_is_closed(client):
    enquiry = make_enquiry(received_at=days_ago(800), organisation="Example Auto Parts")
    link = status_path(enquiry)
    assert client.get(link).status_code == HTTPStatus.OK

    services.anonymise_old_enquiries(days=730)
    enquiry.refresh_from_db()
    assert enquiry.status_key == ""

    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    main = main_of(page)
    assert "This enquiry is closed." in main
    for detail in [enquiry.reference, "Auto Parts", "Reply promised by", "Received", "Industry of interest"]:
        assert detail not in main, detail
    assert_private(page)


def test_existing_enquiries_get_a_key_each_from_the_migration():
    first, second, gone = make_enquiry(), make_enquiry(), make_enquiry(received_at=days_ago(800))
    services.anonymise_old_enquiries(days=730)
    Enquiry.objects.update(status_key="")
    migration = importlib.import_module("promotion.migrations.0008_status_keys_and_used_form_tokens")
    migration.give_each_enquiry_a_key(django_apps, None)

    keys = dict(Enquiry.objects.values_list("pk", "status_key"))
    assert keys[first.pk] and keys[second.pk] and keys[first.pk] != keys[second.pk]
    assert keys[gone.pk] == ""


def test_a_link_from_before_status_keys_no_longer_opens_the_enquiry(client):
    from django.core import signing

    enquiry = make_enquiry()
    old_token = signing.Signer(salt=services.STATUS_SALT).sign(enquiry.reference)
    response = client.get(reverse("promotion:enquiry-status", kwargs={"token": old_token}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert enquiry.reference not in main_of(response)
