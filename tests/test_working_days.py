"""The reply pledge in working days (China's official calendar, Asia/Shanghai), its fallback for a
year the calendar does not know, and overdue meaning "no staff reply by the due time"."""

from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core import mail
from django.core.checks import run_checks
from django.template.loader import render_to_string

from promotion import workdays
from promotion.checks import holiday_calendar_is_known
from promotion.models import Enquiry

from .factories import days_ago, make_enquiry

SHANGHAI = ZoneInfo("Asia/Shanghai")


def received(text: str) -> datetime:
    """A time of receipt written as the zone's clock shows it: "2025-09-30 15:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def end_of(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), time.max, tzinfo=SHANGHAI)


def calendar_without_data():
    """The calendar as it is for a year it does not know: every lookup raises."""
    message = "no available data for year, only year between [2004, 2026] supported"
    return mock.patch("chinese_calendar.is_workday", side_effect=NotImplementedError(message))


@pytest.mark.parametrize(
    ("receipt", "due"),
    [
        # An ordinary week: the day of receipt never counts, whatever the hour.
        ("2025-11-18 15:00", "2025-11-20"),  # Tuesday afternoon: by the end of Thursday
        ("2025-11-18 00:05", "2025-11-20"),
        ("2025-11-18 23:55", "2025-11-20"),
        # A weekend: counted from the next working day.
        ("2025-11-14 10:00", "2025-11-18"),  # Friday: Monday and Tuesday
        ("2025-11-15 10:00", "2025-11-18"),  # Saturday
        ("2025-11-16 22:00", "2025-11-18"),  # Sunday
        # The National Day and Mid-autumn holiday, 1 to 8 October 2025.
        ("2025-09-30 15:00", "2025-10-10"),  # the working day before: 9 and 10 October
        ("2025-10-03 10:00", "2025-10-10"),  # during the holiday
        # Make-up working days: Sunday 28 September and Saturday 11 October 2025.
        ("2025-10-09 10:00", "2025-10-11"),  # Thursday: Friday and the make-up Saturday
        ("2025-09-27 10:00", "2025-09-29"),  # Saturday: the make-up Sunday, then Monday
        ("2025-09-28 10:00", "2025-09-30"),  # on the make-up Sunday itself, which is a working day
    ],
)
def test_the_reply_is_due_by_the_end_of_the_second_working_day_after_receipt(receipt, due):
    assert workdays.reply_due(received(receipt), 2) == end_of(due)


def test_the_calendar_marks_the_days_the_cases_above_rely_on():
    assert chinese_calendar.is_holiday(date(2025, 10, 1)) and chinese_calendar.is_holiday(date(2025, 10, 8))
    assert chinese_calendar.is_workday(date(2025, 9, 28)) and chinese_calendar.is_workday(date(2025, 10, 11))


def test_days_are_the_zones_not_utcs():
    # Wednesday 17:00 in UTC is already Thursday 01:00 in the zone: Friday, then Monday.
    assert workdays.reply_due(datetime(2025, 11, 19, 17, 0, tzinfo=ZoneInfo("UTC")), 2) == end_of("2025-11-24")


def test_other_numbers_of_working_days():
    assert workdays.reply_due(received("2025-09-30 15:00"), 1) == end_of("2025-10-09")
    assert workdays.reply_due(received("2025-09-30 15:00"), 3) == end_of("2025-10-11")
    assert workdays.reply_due(received("2025-11-18 15:00"), 0) == end_of("2025-11-18")
    assert workdays.reply_due(received("2025-10-03 10:00"), 0) == end_of("2025-10-09")
    with pytest.raises(ValueError):
        workdays.reply_due(received("2025-11-18 15:00"), -1)


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    with pytest.raises(NotImplementedError):  # what the package does for a year beyond its data
        chinese_calendar.is_workday(date(2100, 3, 5))
    assert workdays.reply_due(received("2100-03-05 10:00"), 2) == end_of("2100-03-09")  # Friday: Mon, Tue
    with calendar_without_data():
        # 1 October 2025 and the make-up Saturday become a plain Wednesday and Saturday.
        assert workdays.reply_due(received("2025-09-30 15:00"), 2) == end_of("2025-10-02")
        assert workdays.reply_due(received("2025-10-09 10:00"), 2) == end_of("2025-10-13")


def test_the_check_warns_while_this_year_or_next_is_unknown():
    with calendar_without_data():
        [warning] = holiday_calendar_is_known(None)
        assert warning.id == "promotion.W002"
        assert "Monday to Friday" in warning.msg
        assert "promotion.W002" in [message.id for message in run_checks()]
    with mock.patch("chinese_calendar.is_workday", return_value=True):
        assert holiday_calendar_is_known(None) == []
    assert workdays.unknown_years(date(2025, 6, 1)) == []
    assert workdays.unknown_years(date(2099, 6, 1)) == [2099]
    # In December a due date can fall in January: next year's calendar matters already.
    assert workdays.unknown_years(date(2098, 12, 15)) == [2098, 2099]


def test_the_admin_index_says_when_due_dates_fall_back_to_monday_to_friday():
    context = {"show": True, "changelist": "/admin/promotion/enquiry/", "by_status": [], "week_ago": days_ago(7)}
    html = render_to_string("admin/_enquiry_dashboard.html", {**context, "calendar_unknown_years": [2027]})
    assert "China's official holidays for 2027 are not known yet" in html
    assert "Monday to Friday" in html
    assert "calendar-fallback" not in render_to_string("admin/_enquiry_dashboard.html", context)


@pytest.mark.django_db
def test_a_new_enquiry_is_due_by_the_working_days_pledge(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    with mock.patch("django.utils.timezone.now", return_value=received("2025-09-30 15:00")):
        english = make_enquiry(email="en@example.com")
        settings.ENQUIRY_REPLY_WORKING_DAYS = 3
        three_days = make_enquiry(email="three@example.com")
    assert english.reply_due_at == end_of("2025-10-10")
    assert three_days.reply_due_at == end_of("2025-10-11")
    acknowledgement = next(m for m in mail.outbox if m.to == ["en@example.com"])
    assert "reply by 10 October 2025 (Beijing time)" in acknowledgement.body


@pytest.mark.django_db
def test_the_acknowledgement_states_the_due_date_in_chinese():
    with mock.patch("django.utils.timezone.now", return_value=received("2025-09-30 15:00")):
        make_enquiry(email="zh@example.com", language="zh-hans")
    acknowledgement = next(m for m in mail.outbox if m.to == ["zh@example.com"])
    assert "2025年10月10日前（北京时间）" in acknowledgement.body


def overdue_now(enquiry: Enquiry) -> bool:
    """Both ways of asking agree; the answer of either."""
    enquiry.refresh_from_db()
    in_filter = Enquiry.objects.overdue().filter(pk=enquiry.pk).exists()
    assert in_filter == enquiry.is_overdue()
    return in_filter


@pytest.mark.django_db
def test_a_staff_reply_before_the_due_time_is_not_overdue_even_while_still_new():
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(reply_due_at=days_ago(1), first_reply_at=days_ago(2))
    assert not overdue_now(enquiry)
    assert enquiry.status == Enquiry.Status.NEW


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["new", "in_progress", "awaiting_investor", "qualified"])
def test_no_reply_past_the_due_time_is_overdue_whatever_the_status(status):
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(status=status, reply_due_at=days_ago(1))
    assert overdue_now(enquiry)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["landed", "not_pursued", "spam"])
def test_a_closed_enquiry_is_never_overdue(status):
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(status=status, reply_due_at=days_ago(1))
    assert not overdue_now(enquiry)


@pytest.mark.django_db
def test_nothing_is_overdue_before_its_due_time():
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(status="in_progress", reply_due_at=days_ago(-1))
    assert not overdue_now(enquiry)
