"""Mail is plain text: subjects and bodies carry what was typed exactly as typed, never HTML
entities, and nothing typed can add a header."""

import pytest
from django.core import mail
from django.urls import reverse

from promotion import services
from promotion.models import Enquiry, OutgoingMail

from .factories import days_ago, enquiry_form_data, make_enquiry

pytestmark = pytest.mark.django_db

NAME = 'Zoë O\'Neil & "Partners"'
ORGANISATION = "Smith & Sons <Ltd>"
MESSAGE = 'Is land < 50 mu & > 20 mu "ready"? It\'s <b>urgent</b>.'
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&#34;"]


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.SITE_URL = "https://zone.example.cn"
    return settings


def assert_plain(message) -> None:
    for entity in ENTITIES:
        assert entity not in message.subject, (entity, message.subject)
        assert entity not in message.body, (entity, message.body)
    assert "\n" not in message.subject and "\r" not in message.subject


def sent_to(address: str):
    return next(m for m in mail.outbox if address in m.to)


def test_the_acknowledgement_and_notification_carry_the_text_as_typed(client):
    data = enquiry_form_data(name=NAME, organisation=ORGANISATION, message=MESSAGE, email="zoe@example.com")
    client.post(reverse("promotion:enquiry"), data)
    enquiry = Enquiry.objects.get()
    assert enquiry.status == Enquiry.Status.NEW

    acknowledgement = sent_to("zoe@example.com")
    assert_plain(acknowledgement)
    assert acknowledgement.subject == f"Your enquiry {enquiry.reference} to the Hongqi Canal ETDZ"
    assert f"Dear {NAME}," in acknowledgement.body

    notification = sent_to("promotion@zone.example.cn")
    assert_plain(notification)
    assert notification.subject == f"New enquiry {enquiry.reference} from {ORGANISATION}"
    for typed in [NAME, ORGANISATION, MESSAGE]:
        assert typed in notification.body, typed

    stored = OutgoingMail.objects.get(kind=OutgoingMail.Kind.NOTIFICATION)
    assert stored.subject == notification.subject


def test_the_reminders_carry_the_text_as_typed(django_user_model):
    owner = django_user_model.objects.create_user(
        "obrien", "obrien@zone.example.cn", "pw", first_name="Seán", last_name="O'Brien & <Co>", is_staff=True
    )
    make_enquiry(owner=owner, organisation=ORGANISATION, received_at=days_ago(30))
    make_enquiry(organisation='Nobody\'s "Own" <Co> & Partners', received_at=days_ago(31))
    mail.outbox.clear()

    services.remind_owners()

    to_owner = sent_to("obrien@zone.example.cn")
    assert_plain(to_owner)
    assert to_owner.subject == "1 enquiry needs you"
    assert "Dear Seán O'Brien & <Co>," in to_owner.body
    assert ORGANISATION in to_owner.body

    to_team = sent_to("promotion@zone.example.cn")
    assert_plain(to_team)
    assert to_team.subject == "1 overdue enquiry has no owner"
    assert 'Nobody\'s "Own" <Co> & Partners' in to_team.body


def test_the_new_status_link_carries_the_name_as_typed():
    enquiry = make_enquiry(name=NAME, organisation=ORGANISATION, email="zoe@example.com")
    mail.outbox.clear()
    outbox_mail = services.renew_status_link(enquiry)
    from promotion import outbox

    outbox.deliver(outbox_mail)
    (message,) = mail.outbox
    assert_plain(message)
    assert message.subject == f"A new status link for your enquiry {enquiry.reference}"
    assert f"Dear {NAME}," in message.body


@pytest.mark.parametrize(
    "organisation",
    [
        "Smith & Sons\r\nBcc: everyone@example.com",
        "Smith & Sons\nSubject: you won",
        "Smith & Sons\u2028X-Injected: yes",
        "Smith &\tSons\x0bLtd",
    ],
)
def test_nothing_typed_breaks_out_of_the_subject(organisation):
    """The form collapses whitespace in names; mail never depends on it."""
    enquiry = make_enquiry(organisation=organisation, name="Li\r\nWei")
    notification = sent_to("promotion@zone.example.cn")  # sending raised no BadHeaderError
    assert_plain(notification)
    assert notification.subject.startswith(f"New enquiry {enquiry.reference} from Smith & Sons ")
    headers = notification.message()
    assert headers["Bcc"] is None and headers["X-Injected"] is None
    assert headers["Subject"].count("New enquiry") == 1
    assert not OutgoingMail.objects.filter(enquiry=enquiry, sent_at=None).exists()

    subject, _body = services.render_mail("enquiry_notification", {"enquiry": enquiry}, "en")
    assert subject == notification.subject
