"""The public service record and its per-officer table in the admin, checked against a hand count.

The enquiries below fall on dates with no public holiday or make-up working day in China, so the
working days counted are the same by Monday to Friday and by the official calendar.

Hand count for 2026 (NOW is Wednesday 17 June 2026, noon, China Standard Time):

  #  received          first reply        working days  due (end of day)  pledge   rating
  1  Mon 1 Jun 09:00   Mon 1 Jun 15:00    0             Wed 3 Jun         kept     5
  2  Fri 5 Jun 18:00   Mon 8 Jun 12:00    1             Tue 9 Jun         kept     4
  3  Tue 2 Jun 10:00   Wed 3 Jun 10:00    1             Thu 4 Jun         kept     3
  4  Wed 4 Mar 09:00   at its due time    2             Fri 6 Mar         kept     5
  5  Thu 12 Mar 09:00  Tue 17 Mar 09:00   3             Mon 16 Mar        missed   4
  6  Mon 16 Mar 09:00  Mon 23 Mar 09:00   5             Wed 18 Mar        missed   –
  7  Wed 10 Jun 09:00  none               –             Fri 12 Jun        missed   –
  8  Tue 16 Jun 15:00  none               –             Thu 18 Jun        not due  –

  received 8, answered 6; days 0 1 1 2 3 5: median (1 + 2) / 2 = 1.5, 90th percentile (rank
  ceil(0.9 × 6) = 6) = 5; pledge judged on 1–7, kept by 4: 4/7 = 57.1% → 57%; ratings 5 4 3 5 4:
  21 / 5 = 4.2 from 5. A spam enquiry of 2026 and one of December 2025 are not counted in 2026.
"""

import re
from datetime import datetime, time
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from promotion import service_record as record
from promotion.models import Enquiry, EnquiryMessage

from .html import parse

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 17, 12, 0, tzinfo=CST)
INVESTOR_NAME = "Ouyang Mingzhe"
INVESTOR_ORGANISATION = "Qilin Precision Castings Co., Ltd."


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CST)


def end_of(month: int, day: int, year: int = 2026) -> datetime:
    return datetime.combine(datetime(year, month, day).date(), time.max, tzinfo=CST)


def enquiry(received, replied=None, due=None, rating=None, status=Enquiry.Status.NEW, owner=None) -> Enquiry:
    return Enquiry.objects.create(
        name=INVESTOR_NAME,
        organisation=INVESTOR_ORGANISATION,
        email="ouyang@example.com",
        country="CN",
        investment_band="10m_50m",
        timeline="24m",
        message="Looking for a site.",
        received_at=received,
        first_reply_at=replied,
        reply_due_at=due,
        rating=rating,
        rated_at=replied if rating else None,
        status=status,
        owner=owner,
    )


def hand_counted(owners=(None, None)) -> list[Enquiry]:
    first, second = owners
    return [
        enquiry(at(6, 1), at(6, 1, 15), end_of(6, 3), rating=5, owner=first),
        enquiry(at(6, 5, 18), at(6, 8, 12), end_of(6, 9), rating=4, owner=first),
        enquiry(at(6, 2, 10), at(6, 3, 10), end_of(6, 4), rating=3, owner=first),
        enquiry(at(3, 4), end_of(3, 6), end_of(3, 6), rating=5, owner=first),
        enquiry(at(3, 12), at(3, 17), end_of(3, 16), rating=4, owner=first),
        enquiry(at(3, 16), at(3, 23), end_of(3, 18), owner=second),
        enquiry(at(6, 10), None, end_of(6, 12), owner=second),
        enquiry(at(6, 16, 15), None, end_of(6, 18), owner=second),
    ]


def not_counted() -> None:
    enquiry(at(6, 3), at(6, 3, 9, 30), end_of(6, 5), rating=1, status=Enquiry.Status.SPAM)
    enquiry(at(12, 10, year=2025), at(12, 10, 10, year=2025), end_of(12, 12, year=2025), rating=1)


@pytest.fixture
def frozen_now(monkeypatch):
    """The page reads the clock; hold it at NOW (the figures' year and months follow it)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user(
        "wang.fang", "wang.fang@zone.example.cn", "pw", is_staff=True, first_name="Fang", last_name="Wang"
    )
    user.groups.add(Group.objects.get(name="Promotion officers"))
    return user


def page_text(response) -> str:
    return " ".join(" ".join(parse(response.content).text).split())


# --- Working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (at(6, 1), at(6, 1, 23), 0),  # the same day
        (at(6, 1, 23), at(6, 2, 1), 1),  # the next working day, two hours later
        (at(6, 5, 18), at(6, 8, 12), 1),  # Friday evening to Monday
        (at(6, 6), at(6, 8), 1),  # Saturday to Monday
        (at(6, 6), at(6, 7), 0),  # Saturday to Sunday
        (at(3, 16), at(3, 23), 5),
        (datetime(2026, 6, 1, 16, 30, tzinfo=ZoneInfo("UTC")), at(6, 2, 8), 0),  # 00:30 on 2 June in Shanghai
    ],
)
def test_working_days_count_the_days_after_the_day_of_receipt(start, end, days):
    assert record.working_days_between(start, end) == days


# --- The figures --------------------------------------------------------------------------------


def test_this_years_figures_match_the_hand_count():
    hand_counted()
    not_counted()
    figures = record.service_record(now=NOW).figures
    assert (figures.received, figures.answered) == (8, 6)
    assert figures.reply_days == (0, 1, 1, 2, 3, 5)
    assert figures.median_days == 1.5
    assert figures.p90_days == 5
    assert (figures.kept_pledge, figures.judged) == (4, 7)
    assert str(figures.pledge_share_amount) == "57%"
    assert figures.ratings and sorted(figures.ratings) == [3, 4, 4, 5, 5]
    assert figures.average_rating == pytest.approx(4.2)
    assert figures.rating_count == 5
    assert str(figures.median_amount) == "1.5 working days"
    assert str(figures.p90_amount) == "5 working days"
    assert str(figures.average_rating_amount) == "4.2 out of 5"


def test_the_last_twelve_months_count_by_the_month_of_arrival():
    hand_counted()
    not_counted()
    months = record.service_record(now=NOW).months
    assert [(m.start.year, m.start.month) for m in months] == [(2025, m) for m in range(7, 13)] + [
        (2026, m) for m in range(1, 7)
    ]
    counts = {(m.start.year, m.start.month): (m.figures.received, m.figures.answered) for m in months}
    assert counts[(2025, 12)] == (1, 1)  # last year's enquiry is in the window, not in 2026's figures
    assert counts[(2026, 3)] == (3, 3)
    assert counts[(2026, 6)] == (5, 3)
    assert sum(received for received, _answered in counts.values()) == 9
    june = months[-1].figures
    assert june.median_amount is None  # 3 answered: too few
    assert june.pledge_share_amount is None  # 4 judged: too few


def test_a_figure_on_fewer_than_five_enquiries_is_not_shown():
    enquiry(at(6, 1), at(6, 1, 15), end_of(6, 3), rating=5)
    enquiry(at(6, 2), at(6, 2, 15), end_of(6, 4), rating=4)
    enquiry(at(6, 3), at(6, 4, 15), end_of(6, 5), rating=4)
    enquiry(at(6, 4), at(6, 4, 15), end_of(6, 8), rating=3)
    figures = record.service_record(now=NOW).figures
    assert figures.received == 4
    assert None is figures.median_days is figures.p90_days is figures.pledge_share is figures.average_rating
    enquiry(at(6, 5), at(6, 5, 15), end_of(6, 9), rating=5)
    figures = record.service_record(now=NOW).figures
    assert figures.median_days == 0 and figures.p90_days == 1
    assert figures.pledge_share == 1 and str(figures.pledge_share_amount) == "100%"
    assert figures.average_rating == pytest.approx(4.2)


def test_spam_is_never_counted():
    for day in range(1, 8):
        enquiry(at(6, day), at(6, day, 10), end_of(6, day + 2), rating=1, status=Enquiry.Status.SPAM)
    service = record.service_record(now=NOW)
    assert service.figures.received == 0 and service.figures.rating_count == 0
    assert all(month.figures.received == 0 for month in service.months)


@pytest.mark.parametrize(("count", "rank"), [(5, 5), (6, 6), (10, 9), (11, 10), (70, 63), (100, 90)])
def test_the_90th_percentile_is_the_nearest_rank(count, rank):
    figures = record.Figures(count, count, tuple(range(1, count + 1)), 0, 0, ())
    assert figures.p90_days == rank


def test_the_figures_read_the_enquiries_in_one_query(django_assert_num_queries):
    hand_counted()
    with django_assert_num_queries(1):
        service = record.service_record(now=NOW)
        str(service.chart)


# --- The page -----------------------------------------------------------------------------------


def test_the_page_shows_the_hand_counted_figures(client, frozen_now):
    hand_counted()
    not_counted()
    response = client.get("/en/service/")
    assert response.status_code == HTTPStatus.OK
    text = page_text(response)
    for expected in [
        "Enquiries in 2026",
        "Enquiries received 8",
        "Answered 6",
        "Median time to first reply 1.5 working days",
        "Nine in ten answered within 5 working days",
        "Answered by the promised date 57",
        "Of 7 enquiries whose reply was due by now or has been sent.",
        "Average rating from investors 4.2 out of 5",
        "From 5 ratings.",
    ]:
        assert expected in text, expected
    assert "Too few enquiries this year" not in text
    assert '<span class="figure-number">57</span><span class="figure-unit">%</span>' in response.content.decode()


def test_the_page_says_why_a_figure_is_missing(client, frozen_now):
    for day in (1, 2, 3):
        enquiry(at(6, day), at(6, day, 15), end_of(6, day + 2), rating=5)
    text = page_text(client.get("/en/service/"))
    assert "Enquiries received 3" in text
    assert text.count("Too few enquiries this year to show this figure.") == 3
    assert "Too few ratings this year to show this figure. From 3 ratings." in text
    assert "working day" not in text.split("How these figures are counted")[0]


def test_the_month_table_and_chart_carry_the_same_counts(client, frozen_now):
    hand_counted()
    not_counted()
    response = client.get("/en/service/")
    html = response.content.decode()
    page = parse(response.content)
    text = page_text(response)
    assert "March 2026 3 3" in text and "December 2025 1 1" in text
    assert "June 2026 5 3" in text
    assert '<caption id="service-table-caption">' in html
    assert html.count('<th scope="row">') == 12 and html.count('<th scope="col">') == 5
    assert 'aria-labelledby="service-chart-title"' in html
    assert '<p class="visually-hidden" id="service-chart-title">' in html
    chart = html.split('id="service-chart"', 1)[1].split("</figure>", 1)[0]
    assert chart.count('class="bar-chart-bar bar-chart-bar-received"') == 12
    # The first month's bars say what they count; the other months' say it to a screen reader.
    first = chart.split('class="bar-chart-group"')[1]
    assert re.search(r'<span class="bar-chart-value">\d+ received</span>', first)
    march = chart.split("March 2026", 1)[1].split("April 2026", 1)[0]
    assert '<span class="visually-hidden">3 received</span>' in march
    assert '<span class="visually-hidden">3 answered</span>' in march
    assert not [link for link in page.resources if link.endswith(".js")]  # nothing needs a script


def test_the_page_names_no_investor(client, frozen_now):
    hand_counted()
    html = client.get("/en/service/").content.decode()
    assert INVESTOR_NAME not in html and INVESTOR_ORGANISATION not in html and "ouyang@" not in html


def test_the_page_answers_in_chinese(client, frozen_now):
    hand_counted()
    response = client.get("/zh-hans/service/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "2026年6月" in html and "2025年7月" in html  # months the Chinese way
    english = client.get("/en/service/").content.decode()
    assert "June 2026" in english and "2026年6月" not in english


def test_footer_and_enquiry_page_link_to_it(client):
    url = reverse("promotion:service-record")
    assert url == "/en/service/"
    for path in ["/en/", "/en/enquiry/"]:
        assert url in parse(client.get(path).content).links, path
    assert "/zh-hans/service/" in parse(client.get("/zh-hans/").content).links


def test_the_page_is_in_the_sitemap(client):
    sections = client.get("/sitemap-pages.xml").content.decode()
    assert "/en/service/" in sections and "/zh-hans/service/" in sections


def test_the_page_keeps_its_query_count_however_many_enquiries(client, frozen_now):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/service/").status_code == HTTPStatus.OK
        return len(captured)

    few = queries()
    hand_counted()
    for day in range(1, 29):
        for hour in (9, 14):
            enquiry(at(5, day, hour), at(5, day, hour + 2), end_of(5, day), rating=4)
    many = queries()
    assert few <= 10 and many == few, (few, many)


def test_a_new_enquiry_or_reply_shows_at_once_though_the_page_is_cached(client, frozen_now):
    hand_counted()
    assert "Enquiries received 8" in page_text(client.get("/en/service/"))
    assert "Enquiries received 8" in page_text(client.get("/en/service/"))  # from the cache
    waiting = enquiry(at(6, 17, 9), None, end_of(6, 19))  # saved: the signal moves the version
    assert "Enquiries received 9" in page_text(client.get("/en/service/"))
    Enquiry.objects.filter(pk=waiting.pk).update(first_reply_at=at(6, 17, 11))
    assert "Answered 6" in page_text(client.get("/en/service/"))  # an update() alone sends no signal
    EnquiryMessage.objects.create(enquiry=waiting, direction="answer", body="Thank you.", language="en")
    assert "Answered 7" in page_text(client.get("/en/service/"))


def test_enquiry_changes_leave_the_content_pages_cached(client, django_assert_num_queries):
    client.get("/en/about/")
    enquiry(at(6, 1), None, end_of(6, 3))
    with django_assert_num_queries(0):
        assert client.get("/en/about/").status_code == HTTPStatus.OK


# --- The admin ----------------------------------------------------------------------------------


def test_officers_see_the_figures_per_officer(client, officer, django_user_model, frozen_now):
    colleague = django_user_model.objects.create_user("li.na", is_staff=True, first_name="Na", last_name="Li")
    hand_counted(owners=(officer, colleague))
    enquiry(at(6, 11), at(6, 11, 10), end_of(6, 15))  # nobody owns it
    not_counted()
    client.force_login(officer)
    url = reverse("admin:promotion_service_record")
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    officers = {row.name: row.figures for row in response.context["officers"]}
    assert list(officers) == ["Fang Wang", "Na Li", "No owner"]  # by name, unowned last
    wang, li = officers["Fang Wang"], officers["Na Li"]
    assert (wang.received, wang.answered, wang.median_days, wang.kept_pledge, wang.judged) == (5, 5, 1, 4, 5)
    assert wang.average_rating == pytest.approx(4.2)
    assert (li.received, li.answered, li.median_days, li.kept_pledge, li.judged, li.rating_count) == (3, 1, 5, 0, 2, 0)
    html = response.content.decode()
    assert "<caption>Service record by officer, 2026</caption>" in html
    assert '<th scope="row">Fang Wang</th>' in html
    text = page_text(response)
    assert "Fang Wang 5 5 1 working day 80% (4 of 5) 4.2 out of 5 (5 ratings)" in text
    assert "Na Li 3 1 5 working days 0% (0 of 2) –" in text
    assert "All enquiries 9 7" in text
    assert INVESTOR_NAME not in html
    index = client.get(reverse("admin:index")).content.decode()
    assert url in index and "Service record by officer" in index


def test_staff_who_may_not_see_enquiries_cannot_open_it(client, django_user_model):
    editor = django_user_model.objects.create_user("editor2", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)
    url = reverse("admin:promotion_service_record")
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert url not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the login page
