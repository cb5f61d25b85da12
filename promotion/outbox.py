"""Mail goes through the database: written in the same transaction as what caused it,
then sent; whatever could not be sent is retried by `manage.py send_pending_mail`."""

import logging
from collections.abc import Iterable

from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def queue(
    kind: str, recipients: Iterable[str], subject: str, body: str, enquiry=None, reply_to: Iterable[str] = ()
) -> OutgoingMail:
    """`reply_to`: where the recipient's answer to the mail goes (mails to investors: the
    enquiry's owner or the team)."""
    return OutgoingMail.objects.create(
        kind=kind,
        enquiry=enquiry,
        recipients="\n".join(recipients),
        subject=" ".join(subject.split()),
        body=body,
        reply_to="\n".join(reply_to),
    )


def reply_to_list(mail: OutgoingMail) -> list[str]:
    return [line.strip() for line in mail.reply_to.splitlines() if line.strip()]


def deliver(mail: OutgoingMail) -> bool:
    """Try to send one mail; record the outcome; never raise."""
    try:
        EmailMessage(mail.subject, mail.body, to=mail.recipient_list, reply_to=reply_to_list(mail) or None).send()
    except Exception as error:  # noqa: BLE001 — any failure of the mail server is retried later
        logger.warning("Could not send mail %s (%s): %s", mail.pk, mail.subject, error)
        OutgoingMail.objects.filter(pk=mail.pk).update(attempts=F("attempts") + 1, last_error=str(error)[:2000])
        return False
    OutgoingMail.objects.filter(pk=mail.pk).update(attempts=F("attempts") + 1, sent_at=timezone.now(), last_error="")
    return True


def deliver_all(mails: Iterable[OutgoingMail]) -> int:
    return sum(deliver(mail) for mail in mails)


def pending():
    return OutgoingMail.objects.filter(sent_at__isnull=True).order_by("created_at", "id")
