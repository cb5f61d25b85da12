"""What happens to an enquiry: saving it, telling people about it, reminding, forgetting."""

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop

from . import history, outbox, ratelimit, spam, workdays
from .models import Enquiry, EnquiryMessage, EnquiryNote, OutgoingMail
from .models.enquiries import LOW_RATING, new_status_key

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


ENQUIRY_SCOPE = "enquiry"
ENQUIRY_INVALID_SCOPE = "enquiry-invalid"


def invalid_forms_used_up(address: str | None, scope: str = ENQUIRY_INVALID_SCOPE) -> bool:
    """Whether the address has sent as many invalid forms as ENQUIRY_INVALID_RATE_LIMIT allows for now;
    asked before a form is validated, so that a flood of them costs no more than this."""
    return ratelimit.exhausted(scope, address, settings.ENQUIRY_INVALID_RATE_LIMIT)


def count_invalid_form(address: str | None, scope: str = ENQUIRY_INVALID_SCOPE) -> None:
    """Count an invalid form against the address; the person gets it back with what was wrong."""
    ratelimit.take(scope, address, settings.ENQUIRY_INVALID_RATE_LIMIT)


def submit_enquiry(
    enquiry: Enquiry,
    *,
    address: str | None,
    spam_reason: str = "",
    form_nonce: str = "",
    limited: bool = True,
) -> Enquiry:
    """Save a new enquiry with its reference and queue its mails, all in one transaction,
    then try to send them. A failing mail server never loses the enquiry.

    The visitor's `address` (promotion.clients; None when unknown) is stored with the enquiry,
    which uses one of that address's ENQUIRY_RATE_LIMIT in the same transaction (spam too:
    quarantining is silent); AllowanceUsedUp when none is left. Only enquiries that do not come
    from the site's form are not `limited`. With a `spam_reason` (the form's defences,
    promotion.spam) the enquiry is quarantined: saved with its reference, mailed to no one. With
    the `form_nonce` of the form's clock, the clock is spent in the same transaction; a clock
    spent before quarantines the enquiry."""
    now = timezone.now()
    enquiry.ip_address = address
    enquiry.received_at = now
    enquiry.consent_at = now
    enquiry.reply_due_at = workdays.reply_due(now, settings.ENQUIRY_REPLY_WORKING_DAYS)
    enquiry.priority = enquiry.compute_priority()
    mails = []
    with transaction.atomic():
        if limited and not ratelimit.take(ENQUIRY_SCOPE, address, settings.ENQUIRY_RATE_LIMIT):
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
    }
    subject, body = render_mail("enquiry_acknowledgement", context, enquiry.language)
    mails = [
        outbox.queue(
            OutgoingMail.Kind.ACKNOWLEDGEMENT, [enquiry.email], subject, body, enquiry, reply_to=owner_or_team(enquiry)
        )
    ]
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
        return outbox.queue(
            OutgoingMail.Kind.STATUS_LINK, [enquiry.email], subject, body, enquiry, reply_to=owner_or_team(enquiry)
        )


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
    their details, message, notes, conversation, comment on the service and mails, and the key of
    their status link (whose page then says only that the enquiry is closed). Country, industry,
    park, size, dates and the rating itself stay, for the zone's statistics."""
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
            rating_comment="",
            rating_follow_up_note="",
            anonymised_at=now,
        )
        EnquiryNote.objects.filter(enquiry__anonymised_at=now).update(text=ANONYMISED)
        EnquiryMessage.objects.filter(enquiry__anonymised_at=now).update(body=ANONYMISED)
        OutgoingMail.objects.filter(enquiry__anonymised_at=now).delete()
    return count


# --- The conversation: replies, the investor's answers, the rating -----------------------

ANSWER_SCOPE = "enquiry-answer"
ANSWER_INVALID_SCOPE = "enquiry-answer-invalid"
# The statuses an officer may leave an enquiry in when replying; the first is the default.
REPLY_STATUSES = (
    Enquiry.Status.AWAITING_INVESTOR,
    Enquiry.Status.IN_PROGRESS,
    Enquiry.Status.QUALIFIED,
    Enquiry.Status.LANDED,
    Enquiry.Status.NOT_PURSUED,
)
# A concluded enquiry invites the investor to rate the service, and takes no more answers.
CONCLUDED_STATUSES = (Enquiry.Status.LANDED, Enquiry.Status.NOT_PURSUED)


class EnquiryClosed(Exception):
    """The enquiry takes no such message: it is anonymised, or (for the investor's answers) concluded."""


def owner_or_team(enquiry: Enquiry) -> list[str]:
    """Who answers for an enquiry: its owner, else the promotion team. The Reply-To of every mail
    to the investor, and where the investor's answers are sent."""
    owner = enquiry.owner
    if owner is not None and owner.is_active and owner.email:
        return [owner.email]
    return team_recipients()


def officer_name(user) -> str:
    """How an officer signs a reply: their full name; nothing when the account has none (a
    login name is not for investors)."""
    return user.get_full_name() if user is not None else ""


def snippet_text(snippet, language: str) -> str:
    """A reply snippet's text in a language (in English where it has no translation yet)."""
    with translation.override(language):
        return snippet.body


def reply_mail(enquiry: Enquiry, body: str, author, language: str) -> tuple[str, str]:
    """Subject and body of a reply exactly as the investor receives it; the admin previews this."""
    context = {"enquiry": enquiry, "message": body, "officer": officer_name(author), "status_url": status_url(enquiry)}
    return render_mail("enquiry_reply", context, language)


def send_reply(
    enquiry: Enquiry, *, author, body: str, language: str, status: str = Enquiry.Status.AWAITING_INVESTOR
) -> tuple[EnquiryMessage, bool]:
    """An officer's reply: joins the thread, records the first reply's time, leaves the enquiry
    in `status`, goes in the enquiry's history, and is queued to the investor (Reply-To: owner
    or team), all in one transaction; then it is sent. The message, and whether the mail server
    took the mail (if not, send_pending_mail retries it). EnquiryClosed for an anonymised enquiry."""
    now = timezone.now()
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update(of=("self",)).select_related("owner").get(pk=enquiry.pk)
        if enquiry.anonymised_at is not None:
            raise EnquiryClosed
        message = EnquiryMessage(
            enquiry=enquiry,
            direction=EnquiryMessage.Direction.REPLY,
            author=author,
            body=body,
            language=language,
            created_at=now,
        )
        message.full_clean()
        message.save()
        changed = ["updated_at"]
        if enquiry.first_reply_at is None:
            enquiry.first_reply_at = now
            changed.append("first_reply_at")
        if enquiry.status != status:
            enquiry.status = status
            changed.append("status")
        enquiry.save(update_fields=changed)
        if fields := [name for name in changed if name != "updated_at"]:
            history.record_change(enquiry, author, fields, gettext_noop("Replied to the investor."))
        subject, text = reply_mail(enquiry, body, author, language)
        mail = outbox.queue(
            OutgoingMail.Kind.REPLY, [enquiry.email], subject, text, enquiry, reply_to=owner_or_team(enquiry)
        )
    return message, outbox.deliver(mail)


def takes_answers(enquiry: Enquiry) -> bool:
    return enquiry.anonymised_at is None and enquiry.status not in CONCLUDED_STATUSES


def takes_rating(enquiry: Enquiry) -> bool:
    return enquiry.anonymised_at is None and enquiry.status in CONCLUDED_STATUSES and enquiry.rated_at is None


def record_answer(
    enquiry: Enquiry, body: str, *, language: str, address: str | None, spam_reason: str = "", form_nonce: str
) -> EnquiryMessage | None:
    """The investor's answer from their private page: stored in the thread and mailed to the
    owner (or the team), in one transaction; then sent. An enquiry awaiting the investor is in
    progress again (a new one stays new, so that it still counts as unanswered; a quarantined
    one stays quarantined, silently, and no one is told).

    An answer with a `spam_reason` (the form's defences) is dropped: nothing stored or counted,
    None returned. Otherwise it uses one of the visitor's `address`'s ENQUIRY_RATE_LIMIT, in a
    scope of its own (AllowanceUsedUp when none is left), and spends the form's clock: a form
    sent before stores nothing and returns None. EnquiryClosed for an anonymised or concluded
    enquiry."""
    if spam_reason:
        logger.info("Answer on enquiry %s dropped as automated: %s", enquiry.reference, spam_reason)
        return None
    mails = []
    with transaction.atomic():
        if not ratelimit.take(ANSWER_SCOPE, address, settings.ENQUIRY_RATE_LIMIT):
            raise AllowanceUsedUp
        enquiry = Enquiry.objects.select_for_update(of=("self",)).select_related("owner").get(pk=enquiry.pk)
        if not takes_answers(enquiry):
            raise EnquiryClosed
        if not form_nonce or not spam.spend(form_nonce):
            return None
        message = EnquiryMessage(
            enquiry=enquiry, direction=EnquiryMessage.Direction.ANSWER, body=body, language=language
        )
        message.full_clean()
        message.save()
        if enquiry.status != Enquiry.Status.SPAM:
            changed = ["updated_at"]
            if enquiry.status == Enquiry.Status.AWAITING_INVESTOR:
                enquiry.status = Enquiry.Status.IN_PROGRESS
                changed.append("status")
            enquiry.save(update_fields=changed)
            if "status" in changed:
                history.record_change(enquiry, None, ["status"], gettext_noop("The investor answered."))
            recipients = owner_or_team(enquiry)
            if recipients:
                context = {
                    "enquiry": enquiry,
                    "answer": message.body,
                    "admin_url": f"{settings.SITE_URL}{enquiry.get_absolute_url()}#conversation",
                }
                subject, text = render_mail("enquiry_answer", context, settings.LANGUAGE_CODE)
                mails.append(outbox.queue(OutgoingMail.Kind.ANSWER, recipients, subject, text, enquiry))
            else:
                logger.error("No one to tell of the answer on enquiry %s: set ENQUIRY_NOTIFY_EMAILS", enquiry.reference)
    outbox.deliver_all(mails)
    return message


def rate_enquiry(enquiry: Enquiry, rating: int, comment: str = "") -> bool:
    """The investor's rating of the service (1 to 5, with a comment), once, on a concluded
    enquiry. A rating of LOW_RATING or less is mailed to the team and the owner in the same
    transaction; then sent. False, and nothing stored, when the enquiry takes no rating (any more)."""
    now = timezone.now()
    mails = []
    with transaction.atomic():
        rated = Enquiry.objects.filter(
            pk=enquiry.pk, rated_at=None, anonymised_at=None, status__in=CONCLUDED_STATUSES
        ).update(rating=rating, rating_comment=comment, rated_at=now, updated_at=now)
        if not rated:
            return False
        if rating <= LOW_RATING:
            enquiry = Enquiry.objects.select_related("owner").get(pk=enquiry.pk)
            recipients = team_recipients()
            if enquiry.owner and enquiry.owner.is_active and enquiry.owner.email not in ("", *recipients):
                recipients.append(enquiry.owner.email)
            if recipients:
                context = {
                    "enquiry": enquiry,
                    "owner": (enquiry.owner.get_full_name() or enquiry.owner.get_username()) if enquiry.owner else "",
                    "admin_url": f"{settings.SITE_URL}{enquiry.get_absolute_url()}#rating",
                }
                subject, text = render_mail("low_rating", context, settings.LANGUAGE_CODE)
                mails.append(outbox.queue(OutgoingMail.Kind.LOW_RATING, recipients, subject, text, enquiry))
            else:
                logger.error("No one to tell of the low rating of %s: set ENQUIRY_NOTIFY_EMAILS", enquiry.reference)
    outbox.deliver_all(mails)
    return True


def follow_up_low_rating(enquiry: Enquiry, note: str, officer) -> bool:
    """An officer's record of how a low rating was followed up, with its history entry; the
    enquiry leaves the admin index's list. False, and nothing changed, when the rating is not low
    or was followed up already."""
    now = timezone.now()
    with transaction.atomic():
        low = Enquiry.objects.filter(pk=enquiry.pk, rating__lte=LOW_RATING, rating_followed_up_at=None)
        followed_up = low.update(rating_followed_up_at=now, rating_follow_up_note=note, updated_at=now)
        if followed_up:
            history.record_change(enquiry, officer, ["rating_followed_up_at", "rating_follow_up_note"])
    return bool(followed_up)
