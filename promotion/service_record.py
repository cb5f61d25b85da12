"""The zone's service record: how many enquiries it received this year and how fast and how well
it answered them, worked out from the enquiries themselves, with spam left out.

The figures are read in one query (when each enquiry arrived, was first answered and was due,
and the investor's rating) over the last twelve months, and computed here; at the zone's scale
that is a few thousand rows at most. The year and the months are China Standard Time's.

A figure built on fewer than MIN_BASE enquiries is not shown on the public page: a median of two
says nothing, and a small count can point at a person. The admin shows every figure, per officer.

Everything here is arithmetic and words in the active language; the page and its chart are
written by templates/promotion/service_record.html and templates/includes/_month_chart.html.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from . import workdays
from .charts import CANAL, SLATE, BarChart, Group, bar
from .models import Enquiry
from .units import Quantity, Unit, format_number, quantity, year_text

ZONE = ZoneInfo("Asia/Shanghai")
MIN_BASE = 5
MONTHS = 12
# What working_days_between() counts as a working day, said once for the page.
WORKING_DAYS_RULE = gettext_lazy("by China's official calendar of public holidays and make-up working days")


def working_days_between(start: datetime, end: datetime) -> int:
    """The working days after the day of `start` up to and including the day of `end`, in China
    Standard Time: answered the same day is 0, on the next working day 1; arriving on Friday and
    answered on Monday is 1. It counts as the pledge does (a reply due by the end of the n-th
    working day after the day of receipt), so a reply within the pledge is never more than n.

    A working day is one of China's official calendar (promotion.workdays).
    """
    first, last = start.astimezone(ZONE).date(), end.astimezone(ZONE).date()
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        if workdays.is_workday(day):
            count += 1
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class Row:
    """One enquiry as the figures see it: times and a rating, nothing about the investor."""

    received_at: datetime
    first_reply_at: datetime | None
    reply_due_at: datetime | None
    rating: int | None
    owner_id: int | None = None

    def is_judged(self, now: datetime) -> bool:
        """Whether the pledge can be judged: the reply was due by now, or it has been sent."""
        return self.reply_due_at is not None and (self.first_reply_at is not None or self.reply_due_at <= now)

    @property
    def kept_pledge(self) -> bool:
        replied, due = self.first_reply_at, self.reply_due_at
        return replied is not None and due is not None and replied <= due


def _written(pattern: str, number: str) -> Quantity:
    """A number in its words, in pieces a page can set apart ("1.5" and "working days"), as units.py writes figures."""
    before, after = pattern.replace("%%", "%").split("%(number)s", 1)
    parts = []
    for role, text in (("unit", before), ("number", number), ("unit", after)):
        words = text.strip()
        if not words:
            parts += [("", text)] if text else []
            continue
        start = text.index(words)
        parts += [(r, t) for r, t in (("", text[:start]), (role, words), ("", text[start + len(words) :])) if t]
    return Quantity(tuple(parts))


def _count(value: int) -> Quantity:
    return _written("%(number)s", format_number(value))


def _days(days: float | None) -> Quantity | None:
    """ "1.5 working days" / "1.5个工作日", to a tenth of a day."""
    if days is None:
        return None
    number = format_number(Decimal(days).quantize(Decimal("0.1"), ROUND_HALF_UP))
    n = 1 if number == "1" else 2
    return _written(ngettext("%(number)s working day", "%(number)s working days", n), number)


def _share(part: int, whole: int) -> Quantity:
    """A share in whole per cent, rounded down: 100% only when every enquiry kept the pledge."""
    return quantity(Decimal(part * 100 // whole), Unit.PERCENT)


def _rating(ratings: tuple[int, ...]) -> Quantity:
    """The average to a tenth, "4.2 out of 5" / "4.2分（满分5分）"."""
    average = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _written(_("%(number)s out of 5"), format_number(average))


@dataclass(frozen=True)
class Figures:
    """The figures of a set of enquiries; each statistic is None when built on fewer than min_base."""

    received: int
    answered: int
    reply_days: tuple[int, ...]  # working days to the first reply, fewest first
    judged: int  # enquiries whose reply was due by now, or was sent
    kept_pledge: int
    ratings: tuple[int, ...]
    min_base: int = MIN_BASE

    @classmethod
    def of(cls, rows: Iterable[Row], now: datetime, min_base: int = MIN_BASE) -> "Figures":
        rows = list(rows)
        answered = [row for row in rows if row.first_reply_at is not None]
        judged = [row for row in rows if row.is_judged(now)]
        return cls(
            received=len(rows),
            answered=len(answered),
            reply_days=tuple(sorted(working_days_between(r.received_at, r.first_reply_at) for r in answered)),
            judged=len(judged),
            kept_pledge=sum(row.kept_pledge for row in judged),
            ratings=tuple(row.rating for row in rows if row.rating is not None),
            min_base=min_base,
        )

    def _enough(self, count: int) -> bool:
        return count >= max(self.min_base, 1)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.reply_days) if self._enough(len(self.reply_days)) else None

    @property
    def p90_days(self) -> int | None:
        """The nearest-rank 90th percentile: nine in ten enquiries were answered within it."""
        if not self._enough(len(self.reply_days)):
            return None
        rank = -(-9 * len(self.reply_days) // 10)  # ceil(0.9 n), in whole numbers (0.9 × 70 is 63.000…01 in floats)
        return self.reply_days[rank - 1]

    @property
    def pledge_share(self) -> float | None:
        return self.kept_pledge / self.judged if self._enough(self.judged) else None

    @property
    def average_rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self._enough(len(self.ratings)) else None

    @property
    def rating_count(self) -> int:
        return len(self.ratings)

    # The same, written out in the active language (None where the figure is not shown).
    @property
    def received_amount(self) -> Quantity:
        return _count(self.received)

    @property
    def answered_amount(self) -> Quantity:
        return _count(self.answered)

    @property
    def median_amount(self) -> Quantity | None:
        return _days(self.median_days)

    @property
    def p90_amount(self) -> Quantity | None:
        return _days(self.p90_days)

    @property
    def pledge_share_amount(self) -> Quantity | None:
        return None if self.pledge_share is None else _share(self.kept_pledge, self.judged)

    @property
    def average_rating_amount(self) -> Quantity | None:
        return None if self.average_rating is None else _rating(self.ratings)


@dataclass(frozen=True)
class Month:
    start: date
    figures: Figures

    @property
    def label(self) -> str:
        """ "March 2026" / "2026年3月"."""
        return formats.date_format(self.start, "YEAR_MONTH_FORMAT")


# --- The month chart (drawn as promotion.charts draws the plan chart) -----------------------------

# The busiest month's bar takes this share of the room, leaving the rest for its number.
MONTH_BAR_SPAN = 75.0


def month_chart(months: list[Month]) -> BarChart:
    """Per month, a bar for the enquiries received and one for those answered, on one scale.

    The bars carry their numbers; the first month's also say what they count, so the chart
    needs no legend (a screen reader hears the words with every month's numbers).
    """
    largest = max((month.figures.received for month in months), default=0)
    groups = []
    for index, month in enumerate(months):
        bars = []
        for kind, count, colour, words in (
            ("received", month.figures.received, SLATE, pgettext("service chart", "%(count)s received")),
            ("answered", month.figures.answered, CANAL, pgettext("service chart", "%(count)s answered")),
        ):
            number = format_number(count)
            said = words % {"count": number}
            text, spoken = (said, "") if index == 0 else (number, said)
            bars.append(bar(kind, count, largest, text, colour, span=MONTH_BAR_SPAN, spoken=spoken))
        groups.append(Group(month.label, tuple(bars)))
    return BarChart(tuple(groups))


# --- Reading the enquiries -----------------------------------------------------------------------


def _month_starts(now: datetime, count: int = MONTHS) -> list[date]:
    """The first day of each of the last `count` months, this one last."""
    local = now.astimezone(ZONE)
    year, month = local.year, local.month
    starts = []
    for _step in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, ZONE)


def _rows(since: datetime, now: datetime, with_owner: bool = False) -> list[Row]:
    fields = ["received_at", "first_reply_at", "reply_due_at", "rating"]
    queryset = Enquiry.objects.genuine().filter(received_at__gte=since, received_at__lte=now).order_by()
    if with_owner:
        return [Row(*values) for values in queryset.values_list(*fields, "owner_id")]
    return [Row(*values) for values in queryset.values_list(*fields)]


def _this_year(rows: list[Row], year: int) -> list[Row]:
    return [row for row in rows if row.received_at.astimezone(ZONE).year == year]


@dataclass(frozen=True)
class ServiceRecord:
    year: int
    figures: Figures  # this year's
    months: tuple[Month, ...]  # the last twelve, this one last
    as_of: datetime
    min_base: int = MIN_BASE
    working_days_rule: str = WORKING_DAYS_RULE

    @property
    def year_text(self) -> str:
        return year_text(self.year)

    @property
    def chart(self) -> BarChart:
        return month_chart(list(self.months))


def service_record(now: datetime | None = None) -> ServiceRecord:
    """This year's figures and the last twelve months', in one query."""
    now = now or timezone.now()
    starts = _month_starts(now)
    year = now.astimezone(ZONE).year
    rows = _rows(_start_of(starts[0]), now)
    by_month: dict[tuple[int, int], list[Row]] = {(start.year, start.month): [] for start in starts}
    for row in rows:
        local = row.received_at.astimezone(ZONE)
        by_month.setdefault((local.year, local.month), []).append(row)
    months = tuple(Month(start, Figures.of(by_month[(start.year, start.month)], now)) for start in starts)
    return ServiceRecord(year=year, figures=Figures.of(_this_year(rows, year), now), months=months, as_of=now)


@dataclass(frozen=True)
class OfficerFigures:
    name: str
    figures: Figures
    is_owner: bool = True  # False for the row of enquiries nobody owns


def officer_figures(now: datetime | None = None) -> tuple[int, list[OfficerFigures], Figures]:
    """This year's figures per owner (by full name), those of unowned enquiries last, and the total,
    in two queries. Every figure is given, however few enquiries it rests on: this is for staff."""
    now = now or timezone.now()
    year = now.astimezone(ZONE).year
    rows = _rows(_start_of(date(year, 1, 1)), now, with_owner=True)
    by_owner: dict[int | None, list[Row]] = {}
    for row in rows:
        by_owner.setdefault(row.owner_id, []).append(row)
    owners = get_user_model().objects.filter(pk__in=[pk for pk in by_owner if pk is not None])
    names = {user.pk: user.get_full_name() or user.get_username() for user in owners}
    table = sorted(
        (
            OfficerFigures(names.get(pk, str(pk)), Figures.of(owned, now, min_base=1))
            for pk, owned in by_owner.items()
            if pk
        ),
        key=lambda officer: officer.name.casefold(),
    )
    if None in by_owner:
        table.append(OfficerFigures(_("No owner"), Figures.of(by_owner[None], now, min_base=1), is_owner=False))
    return year, table, Figures.of(rows, now, min_base=1)
