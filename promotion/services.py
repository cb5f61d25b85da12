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
from django.utils.crypto import constant_time_compare

from . import outbox, ratelimit, spam
from .models import Enquiry, EnquiryNote, OutgoingMail
from .models.enquiries import new_status_key

logger = logging.getLogger(__name__)

STATUS_SALT = "promotion.enquiry-status"
SENT_SALT = "promotion.enquiry-sent"
# The page after sending shows the reference for this long, then nothing.
SENT_PAGE_SECONDS = 3600
OFFICERS_GROUP = "Promotion officers"
EDITORS_GROUP = "Content editors"
ANONYMISED = "—"


def status_token(enquiry: Enquiry) -> str:
    """The secret in the status link, sent only by mail to the investor. It holds the enquiry's
    `status_key`, so a new key withdraws every link sent before."""
    return signing.Signer(salt=STATUS_SALT).sign(f"{enquiry.reference}:{enquiry.status_key}")


def enquiry_from_token(token: str) -> Enquiry | None:
    """The enquiry a status link leads to; None for a forged or withdrawn link. Every link of
    an anonymised enquiry leads to it, for its page to say that it is closed."""
    try:
        value = signing.Signer(salt=STATUS_SALT).unsign(token)
    except signing.BadSignature:
        return None
    reference, _sep, key = value.partition(":")
    enquiry = Enquiry.objects.select_related("park", "industry").filter(reference=reference).first()
    if enquiry is None:
        return None
    if enquiry.anonymised_at is not None:
        return enquiry
    if key and enquiry.status_key and constant_time_compare(key, enquiry.status_key):
        return enquiry
    return None


def status_url(enquiry: Enquiry) -> str:
    with translation.override(enquiry.language):
        path = reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})
    return settings.SITE_URL + path


def sent_page_token(enquiry: Enquiry) -> str:
    """The address of the page after sending: a short-lived token of the reference, not the status link."""
    return signing.TimestampSigner(salt=SENT_SALT).sign(enquiry.reference)


def enquiry_from_sent_token(token: str) -> Enquiry | None:
    try:
        reference = signing.TimestampSigner(salt=SENT_SALT).unsign(token, max_age=SENT_PAGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return Enquiry.objects.filter(reference=reference, anonymised_at=None).first()


def team_recipients() -> list[str]:
    if settings.ENQUIRY_NOTIFY_EMAILS:
        return list(settings.ENQUIRY_NOTIFY_EMAILS)
    officers = get_user_model().objects.filter(groups__name=OFFICERS_GROUP, is_active=True).exclude(email="")
    return sorted(set(officers.values_list("email", flat=True)))


def render_mail(template: str, context: dict, language: str) -> tuple[str, str]:
    """Subject and body, plain text (the templates turn autoescaping off). The subject is one
    line whatever the investor typed: a newline in it would be a header injection."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


class AllowanceUsedUp(Exception):
    """The sender has sent as many enquiries as ENQUIRY_RATE_LIMIT allows for now."""


def submit_enquiry(
    enquiry: Enquiry, *, spam_reason: str = "", sender: str | None = None, form_nonce: str = ""
) -> Enquiry:
    """Save a new enquiry with its reference and queue its mails, all in one transaction,
    then try to send them. A failing mail server never loses the enquiry.

    With a `sender` address, the enquiry uses one of that address's ENQUIRY_RATE_LIMIT in the
    same transaction (spam too: quarantining is silent); AllowanceUsedUp when none is left.
    With the `form_nonce` of the form's clock, the clock is spent in the same transaction; a
    clock spent before quarantines the enquiry."""
    now = timezone.now()
    enquiry.received_at = now
    enquiry.consent_at = now
    enquiry.reply_due_at = now + timedelta(hours=settings.ENQUIRY_RESPONSE_HOURS)
    enquiry.priority = enquiry.compute_priority()
    mails = []
    with transaction.atomic():
        if sender is not None and not ratelimit.take("enquiry", sender, settings.ENQUIRY_RATE_LIMIT):
            raise AllowanceUsedUp
        if form_nonce and not spam.spend(form_nonce):
            spam_reason = spam_reason or "form sent before"
        if spam_reason:
            enquiry.status = Enquiry.Status.SPAM
            enquiry.spam_reason = spam_reason[:100]
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


def renew_status_link(enquiry: Enquiry) -> OutgoingMail:
    """Withdraw the enquiry's status link and queue a mail to the investor, in their language,
    with the new one; both in the caller's transaction. Deliver the mail once it has committed."""
    with transaction.atomic():
        enquiry.status_key = new_status_key()
        enquiry.save(update_fields=["status_key", "updated_at"])
        context = {"enquiry": enquiry, "status_url": status_url(enquiry)}
        subject, body = render_mail("status_link", context, enquiry.language)
        return outbox.queue(OutgoingMail.Kind.STATUS_LINK, [enquiry.email], subject, body, enquiry)


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
    their details, message, notes and mails, and the key of their status link (whose page then
    says only that the enquiry is closed). Country, industry, park, size and dates stay,
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
            status_key="",
            anonymised_at=now,
        )
        EnquiryNote.objects.filter(enquiry__anonymised_at=now).update(text=ANONYMISED)
        OutgoingMail.objects.filter(enquiry__anonymised_at=now).delete()
    return count
