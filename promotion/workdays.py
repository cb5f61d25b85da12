"""Working days in the zone, by China's official calendar of public holidays and make-up working
days (the State Council's yearly notice, as published in the `chinesecalendar` package).

The pledge to investors: the first reply is due by the end (23:59:59.999999, Asia/Shanghai) of
the ENQUIRY_REPLY_WORKING_DAYS-th working day after the day the enquiry was received. The day of
receipt never counts, whatever the hour; after one received on a weekend or holiday, the next
working day is the first. With 0, the reply is due by the end of the day of receipt, or of the
next working day if that is not one.

The package knows each year only once its notice is out (usually in November of the year
before). For a year it does not know, Monday to Friday count as working days; the system check
promotion.W002 and the admin index say so while this year or next is unknown.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone

ZONE = ZoneInfo("Asia/Shanghai")


def year_is_known(year: int) -> bool:
    """Whether the calendar has the official holidays of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:  # what the package raises for a year outside its data
        return False
    return True


def is_workday(day: date) -> bool:
    """A working day by the official calendar (make-up Saturdays and Sundays included, public
    holidays excluded); in a year the calendar does not know yet, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


# A reply due date set today falls within this many days (a week of holidays and the pledge).
DUE_DATE_HORIZON = timedelta(days=31)


def unknown_years(today: date | None = None) -> list[int]:
    """The years a due date set today can fall in (in the zone) whose holidays the calendar does not know."""
    today = today or timezone.localdate(timezone=ZONE)
    years = sorted({today.year, (today + DUE_DATE_HORIZON).year})
    return [year for year in years if not year_is_known(year)]


def reply_due(received_at: datetime, working_days: int) -> datetime:
    """When the first reply to an enquiry received at `received_at` is due: the end of the
    `working_days`-th working day after the day of receipt, in the zone's time."""
    if working_days < 0:
        raise ValueError("working_days must be 0 or more")
    day = timezone.localtime(received_at, ZONE).date()
    if working_days == 0:
        while not is_workday(day):
            day += timedelta(days=1)
    counted = 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return datetime.combine(day, time.max, tzinfo=ZONE)
