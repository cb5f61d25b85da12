from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from promotion.models import Enquiry, EnquiryNote, OutgoingMail

from .factories import days_ago, make_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def team(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.SITE_URL = "https://zone.example.cn"


@pytest.fixture
def owners(django_user_model):
    group = Group.objects.get(name="Promotion officers")
    made = []
    for name in ["chen", "liu"]:
        user = django_user_model.objects.create_user(name, f"{name}@zone.example.cn", "pw", is_staff=True)
        user.groups.add(group)
        made.append(user)
    return made


def test_each_owner_is_reminded_of_their_overdue_and_follow_up_enquiries(owners):
    chen, liu = owners
    overdue = make_enquiry(owner=chen, organisation="Late Reply Ltd", received_at=days_ago(30))
    follow_up = make_enquiry(owner=chen, organisation="Follow Me Ltd")
    Enquiry.objects.filter(pk=follow_up.pk).update(status="in_progress", follow_up_on=date.today() - timedelta(days=1))
    make_enquiry(owner=liu, organisation="On Time Ltd")
    closed = make_enquiry(owner=liu, organisation="Closed Ltd")
    Enquiry.objects.filter(pk=closed.pk).update(status="landed", follow_up_on=date.today())
    unassigned = make_enquiry(organisation="Nobody's Ltd", received_at=days_ago(31))
    mail.outbox.clear()

    call_command("remind_enquiry_owners", verbosity=0)

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"chen@zone.example.cn", "promotion@zone.example.cn"}
    to_chen = by_recipient["chen@zone.example.cn"].body
    assert overdue.reference in to_chen and follow_up.reference in to_chen
    assert f"https://zone.example.cn/admin/promotion/enquiry/{overdue.pk}/change/" in to_chen
    assert by_recipient["chen@zone.example.cn"].subject == "2 enquiries need you"
    assert unassigned.reference in by_recipient["promotion@zone.example.cn"].body
    assert OutgoingMail.objects.filter(kind="reminder", sent_at__isnull=False).count() == 2


def test_no_reminders_when_nothing_is_due(owners):
    make_enquiry(owner=owners[0])
    mail.outbox.clear()
    call_command("remind_enquiry_owners", verbosity=0)
    assert mail.outbox == []


def test_anonymise_erases_personal_details_after_the_retention_period(settings):
    settings.ENQUIRY_RETENTION_DAYS = 365
    old = make_enquiry(name="Old Investor", email="old@example.com", phone="+86 1", received_at=days_ago(400))
    EnquiryNote.objects.create(enquiry=old, text="Met Old Investor at the fair")
    recent = make_enquiry(name="Recent Investor", received_at=days_ago(30))

    call_command("anonymise_enquiries", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert "Old Investor" not in (old.name, old.message, old.organisation)
    assert old.email == "anonymised@invalid" and old.phone == "" and old.ip_address is None
    assert old.notes.get().text == "—"
    assert not OutgoingMail.objects.filter(enquiry=old).exists()
    assert (old.country.code, old.industry.slug, old.investment_band) == ("CN", "auto-parts", "10m_50m")
    assert recent.name == "Recent Investor" and recent.anonymised_at is None

    stamp = old.anonymised_at
    call_command("anonymise_enquiries", verbosity=0)
    old.refresh_from_db()
    assert old.anonymised_at == stamp  # already done; left alone


def test_owners_are_reminded_of_what_has_no_reply_by_its_due_time_whatever_its_status(owners):
    chen = owners[0]
    unanswered = make_enquiry(owner=chen, organisation="Unanswered Ltd")
    in_progress = make_enquiry(owner=chen, organisation="Busy Without Reply Ltd")
    replied = make_enquiry(owner=chen, organisation="Replied In Time Ltd")
    fresh = make_enquiry(owner=chen, organisation="Not Yet Due Ltd")
    Enquiry.objects.exclude(pk=fresh.pk).update(reply_due_at=days_ago(1))
    Enquiry.objects.filter(pk=in_progress.pk).update(status="in_progress")
    Enquiry.objects.filter(pk=replied.pk).update(first_reply_at=days_ago(2))
    mail.outbox.clear()

    call_command("remind_enquiry_owners", verbosity=0)

    [reminder] = mail.outbox
    assert reminder.to == ["chen@zone.example.cn"] and reminder.subject == "2 enquiries need you"
    assert "Overdue: no reply by the promised date" in reminder.body
    assert unanswered.reference in reminder.body and in_progress.reference in reminder.body
    assert replied.reference not in reminder.body and fresh.reference not in reminder.body
