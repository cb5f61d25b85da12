"""Investors' enquiries, the staff notes on them, and the mail they cause."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .content import Industry, Park


class InvestmentBand(models.TextChoices):
    UNDER_10M = "under_10m", _("Under 10 million yuan")
    FROM_10M = "10m_50m", _("10–50 million yuan")
    FROM_50M = "50m_100m", _("50–100 million yuan")
    FROM_100M = "100m_500m", _("100–500 million yuan")
    FROM_500M = "500m_1b", _("500 million – 1 billion yuan")
    OVER_1B = "over_1b", _("Over 1 billion yuan")
    UNDECIDED = "undecided", _("Not decided yet")


# Larger projects weigh more; the zone counts projects over 100 million yuan as major.
BAND_WEIGHT = {
    InvestmentBand.UNDECIDED: 1,
    InvestmentBand.UNDER_10M: 1,
    InvestmentBand.FROM_10M: 2,
    InvestmentBand.FROM_50M: 3,
    InvestmentBand.FROM_100M: 4,
    InvestmentBand.FROM_500M: 5,
    InvestmentBand.OVER_1B: 6,
}
LEADING_INDUSTRY_WEIGHT = 2


class Timeline(models.TextChoices):
    WITHIN_6_MONTHS = "6m", _("Within 6 months")
    WITHIN_A_YEAR = "12m", _("6 to 12 months")
    ONE_TO_TWO_YEARS = "24m", _("1 to 2 years")
    LATER = "later", _("More than 2 years")
    UNDECIDED = "undecided", _("Not decided yet")


class HeardFrom(models.TextChoices):
    SEARCH = "search", _("Search engine")
    EVENT = "event", _("Investment fair or event")
    REFERRAL = "referral", _("Business partner or referral")
    MEDIA = "media", _("News or media")
    GOVERNMENT = "government", _("Government agency")
    OTHER = "other", _("Other")


def new_status_key() -> str:
    """The secret part of an enquiry's status link; a new one withdraws every link sent before."""
    return secrets.token_urlsafe(16)


# A rating of this or less (out of 5) is flagged to the team and waits for a follow-up.
LOW_RATING = 2


def overdue_condition(now=None) -> models.Q:
    """Open, and no staff reply by the due time: the rule of overdue(), also for annotating a row."""
    return models.Q(is_closed=False, first_reply_at__isnull=True, reply_due_at__lt=now or timezone.now())


def follow_up_due_condition(today=None) -> models.Q:
    """Open, and its follow-up date has come: the rule of follow_up_due(), also for annotating a row."""
    return models.Q(is_closed=False, follow_up_on__lte=today or timezone.localdate())


class EnquiryQuerySet(models.QuerySet):
    def genuine(self):
        return self.exclude(status=Enquiry.Status.SPAM)

    def low_ratings_awaiting_follow_up(self):
        """Low ratings no officer has marked followed up yet, the oldest first."""
        return self.filter(rating__lte=LOW_RATING, rating_followed_up_at=None, anonymised_at=None).order_by(
            "rated_at", "pk"
        )

    def overdue(self, now=None):
        """Open enquiries with no staff reply by their due time, whatever their status."""
        return self.filter(overdue_condition(now))

    def follow_up_due(self, today=None):
        return self.filter(follow_up_due_condition(today))

    def open(self):
        """Enquiries the team is still working on: not landed, not pursued, not spam."""
        return self.filter(is_closed=False)

    def awaiting_first_reply(self):
        """Open enquiries no officer has replied to yet, due or not."""
        return self.open().filter(first_reply_at__isnull=True)

    def older_than(self, days: int, now=None):
        return self.filter(received_at__lt=(now or timezone.now()) - timedelta(days=days))

    def received_span(self) -> tuple[datetime | None, datetime | None]:
        """When the first and the last of these enquiries came, each read from the index on
        `received_at` (SQLite reads a MIN or a MAX from an index only when it is a query's one
        aggregate, and reads every row for both). Asked once per queryset: the admin's date
        hierarchy asks twice, through aggregate() and datetimes()."""
        if getattr(self, "_received_span", None) is None:
            dated = self.filter(received_at__isnull=False).values("received_at")
            ends = self.model._base_manager.using(self.db).values(
                first=models.Subquery(dated.order_by("received_at")[:1]),
                last=models.Subquery(dated.order_by("-received_at")[:1]),
            )
            row = next(iter(ends[:1]), None)  # none at all when there are no enquiries
            self._received_span = (row["first"], row["last"]) if row else (None, None)
        return self._received_span

    def aggregate(self, *args, **kwargs):
        """MIN and MAX of `received_at`, as the admin's date hierarchy asks for them, from received_span()."""
        ends = {
            alias: value
            for alias, value in kwargs.items()
            if isinstance(value, models.Min | models.Max)
            and value.filter is None
            and value.default is None
            and value.source_expressions == [models.F("received_at")]
        }
        if args or not ends or len(ends) != len(kwargs) or self.query.is_sliced or self.query.combinator:
            return super().aggregate(*args, **kwargs)
        first, last = self.received_span()
        return {alias: first if isinstance(value, models.Min) else last for alias, value in ends.items()}

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The admin's date hierarchy asks for the distinct years, months or days of `received_at`.
        Truncating every row is slow over years of enquiries (on SQLite a Python call per row), so
        the periods are spanned from the first to the last enquiry, read from the index; a period
        without enquiries may appear, and shows an empty list when chosen."""
        if field_name != "received_at" or kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        first, last = self.received_span()
        if first is None:
            return []
        zone = tzinfo or timezone.get_current_timezone()
        first, last = timezone.localtime(first, zone), timezone.localtime(last, zone)
        periods = []
        if kind == "year":
            periods = [datetime(year, 1, 1, tzinfo=zone) for year in range(first.year, last.year + 1)]
        elif kind == "month":
            year, month = first.year, first.month
            while (year, month) <= (last.year, last.month):
                periods.append(datetime(year, month, 1, tzinfo=zone))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            day = first.date()
            while day <= last.date():
                periods.append(datetime(day.year, day.month, day.day, tzinfo=zone))
                day += timedelta(days=1)
        return periods if order == "ASC" else periods[::-1]


class Enquiry(models.Model):
    """What an investor asked, and where the promotion team stands with it."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("enquiry status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("enquiry status", "In progress")
        AWAITING_INVESTOR = "awaiting_investor", pgettext_lazy("enquiry status", "Awaiting investor")
        QUALIFIED = "qualified", pgettext_lazy("enquiry status", "Qualified")
        LANDED = "landed", pgettext_lazy("enquiry status", "Landed")
        NOT_PURSUED = "not_pursued", pgettext_lazy("enquiry status", "Not pursued")
        SPAM = "spam", pgettext_lazy("enquiry status", "Spam")

    CLOSED_STATUSES = (Status.LANDED, Status.NOT_PURSUED, Status.SPAM)
    # Stored by the database from the status, so that "open first" can be read from an index.
    is_closed = models.GeneratedField(
        verbose_name=_("closed"),
        expression=models.Q(status__in=CLOSED_STATUSES),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    # The written fields an investor fills in; staff may read but never change them.
    INVESTOR_FIELDS = (
        "name",
        "organisation",
        "email",
        "phone",
        "country",
        "industry",
        "park",
        "investment_band",
        "expected_jobs",
        "space_needed",
        "timeline",
        "heard_from",
        "message",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = CountryField(_("country or region"))
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry of interest"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park of interest"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    investment_band = models.CharField(_("intended investment"), max_length=20, choices=InvestmentBand)
    expected_jobs = models.PositiveIntegerField(
        _("expected jobs"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    space_needed = models.CharField(_("land or floor space needed"), max_length=200, blank=True)
    timeline = models.CharField(_("timeline"), max_length=20, choices=Timeline)
    heard_from = models.CharField(_("how they heard of the zone"), max_length=20, choices=HeardFrom, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    consent_at = models.DateTimeField(_("privacy notice accepted"), null=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW, db_index=True)
    spam_reason = models.CharField(_("why it was quarantined"), max_length=100, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        limit_choices_to={"is_staff": True, "is_active": True},
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0, db_index=True, editable=False)
    reply_due_at = models.DateTimeField(_("reply due"), null=True, editable=False, db_index=True)
    first_reply_at = models.DateTimeField(_("first replied"), null=True, blank=True, editable=False, db_index=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, editable=False, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment on the service"), max_length=2000, blank=True, editable=False)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True, editable=False)
    rating_followed_up_at = models.DateTimeField(_("low rating followed up"), null=True, blank=True, editable=False)
    rating_follow_up_note = models.TextField(_("how the low rating was followed up"), blank=True)
    # In the status link; empty once the enquiry is anonymised.
    status_key = models.CharField(_("status link"), max_length=32, blank=True, default=new_status_key, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["-priority", "-received_at"], name="promotion_enquiry_priority"),
            # The admin list's order: open enquiries first, then by priority.
            models.Index(fields=["is_closed", "-priority"], name="promotion_enquiry_open_first"),
            models.Index(fields=["status", "reply_due_at"], name="promotion_enquiry_overdue"),
            models.Index(fields=["country", "-received_at"], name="promotion_enquiry_country"),
            models.Index(fields=["language", "-received_at"], name="promotion_enquiry_language"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="%(app_label)s_%(class)s_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Enquiry being saved"))  # str() must return a str, not a lazy one

    def get_absolute_url(self) -> str:
        return reverse("admin:promotion_enquiry_change", args=[self.pk])

    def compute_priority(self) -> int:
        weight = BAND_WEIGHT.get(self.investment_band, 1)
        if self.industry and (self.industry.is_leading or (self.industry.parent and self.industry.parent.is_leading)):
            weight += LEADING_INDUSTRY_WEIGHT
        return weight

    @property
    def priority_label(self) -> str:
        if self.priority >= 6:
            return _("High")
        if self.priority >= 4:
            return _("Medium")
        return _("Low")

    @property
    def masked_email(self) -> str:
        """Enough of the address for its owner to recognise it: l***@example.com."""
        local, _at, domain = self.email.rpartition("@")
        return f"{local[:1]}***@{domain}" if local else "***"

    def is_overdue(self, now=None) -> bool:
        """No staff reply by the due time, and not closed: the same rule as the overdue() filter."""
        return (
            self.status not in self.CLOSED_STATUSES
            and self.first_reply_at is None
            and self.reply_due_at is not None
            and self.reply_due_at < (now or timezone.now())
        )


class EnquiryNote(models.Model):
    """A staff note on an enquiry; notes are only ever added, never edited."""

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("enquiry"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    text = models.TextField(_("note"), max_length=5000)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EnquiryMessage(models.Model):
    """One message of an enquiry's conversation: a staff reply sent to the investor, or the
    investor's answer on their private page. Internal notes are EnquiryNote, never shown there."""

    class Direction(models.TextChoices):
        REPLY = "reply", _("Reply from the zone")
        ANSWER = "answer", _("Answer from the investor")

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("enquiry"), on_delete=models.CASCADE, related_name="thread")
    direction = models.CharField(_("from"), max_length=10, choices=Direction)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=10000)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("conversation")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction="answer", author__isnull=True)
                | models.Q(direction="reply", author__isnull=False),
                name="%(app_label)s_%(class)s_reply_has_an_author",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]


class ReplySnippet(models.Model):
    """A paragraph the zone reuses in replies (a policy in brief, with a link to its page), in both languages."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=5000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("reply snippet")
        verbose_name_plural = _("reply snippets")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class OutgoingMail(models.Model):
    """A mail written to the database before it is sent, so a failing server loses nothing."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement to the investor")
        NOTIFICATION = "notification", _("Notification to the promotion team")
        REMINDER = "reminder", _("Reminder to an owner")
        STATUS_LINK = "status_link", _("New status link to the investor")
        REPLY = "reply", _("Reply to the investor")
        ANSWER = "answer", _("The investor's answer, to the owner")
        LOW_RATING = "low_rating", _("Low rating, to the team")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    enquiry = models.ForeignKey(
        Enquiry, verbose_name=_("enquiry"), on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    recipients = models.TextField(_("recipients"), help_text=_("One address per line."))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    reply_to = models.TextField(_("reply to"), blank=True, help_text=_("One address per line."))

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class UsedFormToken(models.Model):
    """The clock of an enquiry form that an enquiry was sent with: each form is sent once. Kept
    until the form would be out of date anyway (ENQUIRY_FORM_MAX_HOURS), then removed."""

    nonce = models.CharField(_("nonce"), max_length=32, unique=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")
        ordering = ["expires_at"]

    def __str__(self) -> str:
        return self.nonce
