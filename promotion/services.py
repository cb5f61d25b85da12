"""What happens to an enquiry: saving it, telling people about it, reminding, forgetting."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import outbox, ratelimit
from .models import Enquiry, EnquiryNote, OutgoingMail

logger = logging.getLogger(__name__)

STATUS_SALT = "promotion.enquiry-status"
OFFICERS_GROUP = "Promotion officers"
EDITORS_GROUP = "Content editors"
ANONYMISED = "—"


def status_token(enquiry: Enquiry) -> str:
    return signing.Signer(salt=STATUS_SALT).sign(enquiry.reference)


def enquiry_from_token(token: str) -> Enquiry | None:
    try:
        reference = signing.Signer(salt=STATUS_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Enquiry.objects.select_related("park", "industry").filter(reference=reference).first()


def status_url(enquiry: Enquiry) -> str:
    with translation.override(enquiry.language):
        path = reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})
    return settings.SITE_URL + path


def team_recipients() -> list[str]:
    if settings.ENQUIRY_NOTIFY_EMAILS:
        return list(settings.ENQUIRY_NOTIFY_EMAILS)
    officers = get_user_model().objects.filter(groups__name=OFFICERS_GROUP, is_active=True).exclude(email="")
    return sorted(set(officers.values_list("email", flat=True)))


def render_mail(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


class AllowanceUsedUp(Exception):
    """The sender has sent as many enquiries as ENQUIRY_RATE_LIMIT allows for now."""


def submit_enquiry(enquiry: Enquiry, *, spam_reason: str = "", sender: str | None = None) -> Enquiry:
    """Save a new enquiry with its reference and queue its mails, all in one transaction,
    then try to send them. A failing mail server never loses the enquiry.

    With a `sender` address, the enquiry uses one of that address's ENQUIRY_RATE_LIMIT in the
    same transaction (spam too: quarantining is silent); AllowanceUsedUp when none is left."""
    now = timezone.now()
    enquiry.received_at = now
    enquiry.consent_at = now
    enquiry.reply_due_at = now + timedelta(hours=settings.ENQUIRY_RESPONSE_HOURS)
    enquiry.priority = enquiry.compute_priority()
    if spam_reason:
        enquiry.status = Enquiry.Status.SPAM
        enquiry.spam_reason = spam_reason[:100]
    mails = []
    with transaction.atomic():
        if sender is not None and not ratelimit.take("enquiry", sender, settings.ENQUIRY_RATE_LIMIT):
            raise AllowanceUsedUp
        enquiry.save()
        enquiry.reference = f"HQ-{timezone.localdate(now).year}-{enquiry.pk:05d}"
        enquiry.save(update_fields=["reference"])
        if not spam_reason:
            mails = queue_enquiry_mails(enquiry)
    if spam_reason:
        logger.info("Enquiry %s quarantined as spam: %s", enquiry.reference, spam_reason)
    outbox.deliver_all(mails)
    return enquiry


def queue_enquiry_mails(enquiry: Enquiry) -> list[OutgoingMail]:
    context = {
        "enquiry": enquiry,
        "status_url": status_url(enquiry),
        "admin_url": settings.SITE_URL + enquiry.get_absolute_url(),
        "response_hours": settings.ENQUIRY_RESPONSE_HOURS,
    }
    subject, body = render_mail("enquiry_acknowledgement", context, enquiry.language)
    mails = [outbox.queue(OutgoingMail.Kind.ACKNOWLEDGEMENT, [enquiry.email], subject, body, enquiry)]
    recipients = team_recipients()
    if recipients:
        subject, body = render_mail("enquiry_notification", context, settings.LANGUAGE_CODE)
        mails.append(outbox.queue(OutgoingMail.Kind.NOTIFICATION, recipients, subject, body, enquiry))
    else:
        logger.error("No one to notify of enquiry %s: set ENQUIRY_NOTIFY_EMAILS", enquiry.reference)
    return mails


def remind_owners(now=None) -> int:
    """Mail each owner the enquiries of theirs that are overdue or due for follow-up."""
    now = now or timezone.now()
    due = defaultdict(lambda: {"overdue": [], "follow_up": []})
    enquiries = Enquiry.objects.exclude(owner=None).select_related("owner")
    for enquiry in enquiries.overdue(now):
        due[enquiry.owner]["overdue"].append(enquiry)
    for enquiry in enquiries.follow_up_due(timezone.localdate(now)):
        due[enquiry.owner]["follow_up"].append(enquiry)
    unassigned = list(Enquiry.objects.filter(owner=None).overdue(now))
    mails = []
    with transaction.atomic():
        for owner, lists in due.items():
            if not owner.email:
                logger.warning("Owner %s has no email address; cannot remind them", owner)
                continue
            total = len(lists["overdue"]) + len(lists["follow_up"])
            context = {"owner": owner, **lists, "total": total, "site_url": settings.SITE_URL}
            subject, body = render_mail("owner_reminder", context, settings.LANGUAGE_CODE)
            mails.append(outbox.queue(OutgoingMail.Kind.REMINDER, [owner.email], subject, body))
        recipients = team_recipients()
        if unassigned and recipients:
            context = {"unassigned": unassigned, "site_url": settings.SITE_URL}
            subject, body = render_mail("unassigned_reminder", context, settings.LANGUAGE_CODE)
            mails.append(outbox.queue(OutgoingMail.Kind.REMINDER, recipients, subject, body))
    outbox.deliver_all(mails)
    return len(mails)


def anonymise_old_enquiries(days: int | None = None, now=None) -> int:
    """Remove what identifies an investor from enquiries older than the retention period:
    their details, message, notes and mails. Country, industry, park, size and dates stay,
    for the zone's statistics."""
    days = settings.ENQUIRY_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    old = Enquiry.objects.older_than(days, now).filter(anonymised_at=None)
    with transaction.atomic():
        count = old.update(
            name=ANONYMISED,
            organisation=ANONYMISED,
            email="anonymised@invalid",
            phone="",
            space_needed="",
            message=ANONYMISED,
            ip_address=None,
            anonymised_at=now,
        )
        EnquiryNote.objects.filter(enquiry__anonymised_at=now).update(text=ANONYMISED)
        OutgoingMail.objects.filter(enquiry__anonymised_at=now).delete()
    return count
