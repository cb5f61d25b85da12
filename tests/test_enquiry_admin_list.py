"""The admin enquiry list as officers work it at 100,000 enquiries: open first and by priority from an
index, a reference found from the index on references, the other searches as before, a fixed number
of queries; and the login page's heading and the admin's icons."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db.models import Case, DateField, F, Max, Min, Value, When
from django.db.models.functions import TruncDate
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from promotion.caching import bump_enquiry_version
from promotion.models import Enquiry

from .factories import days_ago, make_enquiry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promotion_enquiry_changelist")


class Elements(HTMLParser):
    """The attributes of each element of a kind, and the text of each h1."""

    def __init__(self, tag: str):
        super().__init__()
        self.tag, self.found, self.headings, self._heading = tag, [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.found.append(dict(attrs))
        if tag == "h1":
            self._heading = []

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag):
        if tag == "h1" and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None


def elements(body: str, tag: str) -> Elements:
    parser = Elements(tag)
    parser.feed(body)
    return parser


def listed(client, **query) -> list[int]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return [enquiry.pk for enquiry in response.context["cl"].result_list]


def with_reference(reference: str, **fields) -> Enquiry:
    enquiry = make_enquiry(**fields)
    Enquiry.objects.filter(pk=enquiry.pk).update(reference=reference)
    enquiry.refresh_from_db()
    return enquiry


def test_open_enquiries_come_first_then_by_priority_then_by_what_is_due(staff_client):
    today = timezone.localdate()
    made = [
        (Enquiry.Status.NEW, 2, None),
        (Enquiry.Status.LANDED, 8, None),
        (Enquiry.Status.QUALIFIED, 6, today + timedelta(days=9)),
        (Enquiry.Status.SPAM, 7, None),
        (Enquiry.Status.IN_PROGRESS, 6, today + timedelta(days=2)),
        (Enquiry.Status.NOT_PURSUED, 1, None),
        (Enquiry.Status.AWAITING_INVESTOR, 6, None),
        (Enquiry.Status.NEW, 4, None),
    ]
    for number, (status, priority, follow_up_on) in enumerate(made):
        enquiry = make_enquiry(received_at=days_ago(30 - number))
        replied = timezone.now() if follow_up_on else None
        Enquiry.objects.filter(pk=enquiry.pk).update(
            status=status, priority=priority, follow_up_on=follow_up_on, first_reply_at=replied
        )
    # The order as the list wrote it before `is_closed` was stored: the status, then the rest.
    closed = Case(When(status__in=Enquiry.CLOSED_STATUSES, then=Value(1)), default=Value(0))
    due_on = Case(
        When(status__in=Enquiry.CLOSED_STATUSES, then=Value(None)),
        When(first_reply_at__isnull=True, then=TruncDate("reply_due_at")),
        default=F("follow_up_on"),
        output_field=DateField(),
    )
    before = Enquiry.objects.order_by(closed, "-priority", due_on.asc(nulls_last=True), "-received_at", "-pk")
    shown = listed(staff_client)
    assert shown == list(before.values_list("pk", flat=True))
    statuses = dict(Enquiry.objects.values_list("pk", "status"))
    is_closed = [statuses[pk] in Enquiry.CLOSED_STATUSES for pk in shown]
    assert is_closed == sorted(is_closed) and is_closed.count(True) == 3
    priorities = dict(Enquiry.objects.values_list("pk", "priority"))
    assert [priorities[pk] for pk in shown[:5]] == [6, 6, 6, 4, 2]


def test_the_open_first_order_is_read_from_an_index():
    from django.db import connection

    query = Enquiry.objects.order_by("is_closed", "-priority").values("pk")[:50]
    sql, params = query.query.sql_with_params()
    if connection.vendor != "sqlite":
        pytest.skip("the query plan is read from SQLite's EXPLAIN QUERY PLAN")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "promotion_enquiry_open_first" in plan and "TEMP B-TREE" not in plan, plan


def test_is_closed_follows_the_status_in_the_database():
    enquiry = make_enquiry()
    assert Enquiry.objects.get(pk=enquiry.pk).is_closed is False
    for status in Enquiry.Status.values:
        Enquiry.objects.filter(pk=enquiry.pk).update(status=status)
        assert Enquiry.objects.get(pk=enquiry.pk).is_closed is (status in Enquiry.CLOSED_STATUSES), status
    assert Enquiry.objects.open().count() == 0


def test_a_reference_finds_exactly_that_enquiry(staff_client):
    target = with_reference("HQ-2026-10000", name="Chen Jing")
    longer = with_reference("HQ-2026-100001")
    with_reference("HQ-2025-10000")
    assert listed(staff_client, q="HQ-2026-10000") == [target.pk]
    assert listed(staff_client, q="  hq-2026-10000 ") == [target.pk]
    assert listed(staff_client, q="HQ-2026-100001") == [longer.pk]
    assert listed(staff_client, q="HQ-2026-99999") == []


def test_the_start_of_a_reference_finds_those_it_begins(staff_client):
    ten_thousand = with_reference("HQ-2026-10000")
    hundred_thousand = with_reference("HQ-2026-100001")
    nines = with_reference("HQ-2026-09990")
    last_year = with_reference("HQ-2025-10000")
    assert set(listed(staff_client, q="HQ-2026-1000")) == {ten_thousand.pk, hundred_thousand.pk}
    assert listed(staff_client, q="HQ-2026-0999") == [nines.pk]  # the range runs up to HQ-2026-1
    assert listed(staff_client, q="hq-2026-099") == [nines.pk]
    assert set(listed(staff_client, q="HQ-2026")) == {ten_thousand.pk, hundred_thousand.pk, nines.pk}
    assert set(listed(staff_client, q="HQ-2025-")) == {last_year.pk}
    assert len(listed(staff_client, q="HQ-")) == 4
    assert listed(staff_client, q="HQ-2024") == []


def test_names_organisations_emails_and_countries_are_searched_as_before(staff_client):
    target = make_enquiry(name="Wang Fang", organisation="HQ Logistics GmbH", email="needle@example.com", country="DE")
    make_enquiry(organisation="Haystack Ltd", country="CN")
    for query in ["Wang Fang", "wang", "HQ Logistics", "needle@example.com", "Germany", "德国"]:
        assert listed(staff_client, q=query) == [target.pk], query
    assert listed(staff_client, q="nobody-by-this-name") == []


def test_filters_and_actions_work_on_the_list(staff_client):
    park_enquiry = make_enquiry()
    closed = make_enquiry()
    Enquiry.objects.filter(pk=closed.pk).update(status=Enquiry.Status.LANDED)
    assert listed(staff_client, status__exact="open") == [park_enquiry.pk]
    assert listed(staff_client, status__exact="landed") == [closed.pk]
    inputs = elements(staff_client.get(CHANGELIST).content.decode(), "input").found
    boxes = [box for box in inputs if box.get("class") == "action-select"]
    assert sorted(int(box["value"]) for box in boxes) == sorted([park_enquiry.pk, closed.pk])
    assert all(box["name"] == "_selected_action" and box["type"] == "checkbox" for box in boxes)
    assert boxes[0]["aria-label"].startswith("Select enquiry HQ-")
    response = staff_client.post(
        CHANGELIST,
        {"action": "set_status", "status": "qualified", "_selected_action": [park_enquiry.pk], "index": 0},
    )
    assert response.status_code == 302
    assert Enquiry.objects.get(pk=park_enquiry.pk).status == Enquiry.Status.QUALIFIED


def test_the_park_and_industry_filters_offer_only_what_enquiries_name(staff_client):
    from promotion.models import Park

    enquiry = make_enquiry(park=Park.objects.get(slug="electronics-park"))
    response = staff_client.get(CHANGELIST)
    specs = {spec.field_path: spec for spec in response.context["cl"].filter_specs if hasattr(spec, "field_path")}
    assert [pk for pk, _name in specs["park"].lookup_choices] == [enquiry.park_id]
    assert [pk for pk, _name in specs["industry"].lookup_choices] == [enquiry.industry_id]
    with translation.override("zh-hans"):
        chinese = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").context["cl"]
        industry = next(spec for spec in chinese.filter_specs if getattr(spec, "field_path", "") == "industry")
        assert industry.lookup_choices == [(enquiry.industry_id, str(enquiry.industry))]


def test_the_date_span_comes_from_the_index_once_per_queryset(django_assert_num_queries):
    first = make_enquiry(received_at=days_ago(400))
    last = make_enquiry(received_at=days_ago(2))
    enquiries = Enquiry.objects.all()
    with django_assert_num_queries(1):
        span = enquiries.aggregate(first=Min("received_at"), last=Max("received_at"))
        years = enquiries.datetimes("received_at", "year")
    assert span == {"first": first.received_at, "last": last.received_at}
    assert [year.year for year in years][0] == timezone.localtime(first.received_at).year
    assert Enquiry.objects.none().aggregate(first=Min("received_at"), last=Max("received_at")) == {
        "first": None,
        "last": None,
    }
    assert Enquiry.objects.aggregate(count=Max("priority"))["count"] == max(first.priority, last.priority)


LIST_QUERIES = 9  # session, user, owners, parks, industries, count, site profile, page, date span


@pytest.mark.parametrize("query", [{}, {"q": "reference"}, {"q": "HQ-20"}, {"q": "Wang"}])
def test_the_list_makes_a_fixed_number_of_queries(staff_client, django_assert_num_queries, query):
    enquiries = [make_enquiry(name=f"Wang {number}") for number in range(30)]
    if query.get("q") == "reference":
        query = {"q": enquiries[7].reference}
    staff_client.get(CHANGELIST, query)
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(CHANGELIST, query)
    assert response.status_code == 200 and response.context["cl"].result_count >= 1


def test_the_login_page_names_the_site_in_its_heading(client):
    for language in ["en", "zh-hans"]:
        body = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            header = str(admin.site.site_header)
        assert elements(body, "h1").headings == [header], language


def test_admin_pages_link_the_site_icons(staff_client):
    for page_client, url in [(Client(), reverse("admin:login")), (staff_client, CHANGELIST)]:
        links = elements(page_client.get(url).content.decode(), "link").found
        icons = {(link.get("href"), link.get("type"), link.get("sizes")) for link in links if link.get("rel") == "icon"}
        assert ("/favicon.ico", None, "32x32") in icons, url
        assert any(href.endswith("favicon.svg") and kind == "image/svg+xml" for href, kind, _sizes in icons), url


def test_countries_are_named_and_offered_as_django_countries_names_them(staff_client):
    germany = make_enquiry(country="DE")
    make_enquiry(country="CN")
    for language in ["en", "zh-hans"]:
        response = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            spec = next(s for s in response.context["cl"].filter_specs if getattr(s, "field_path", "") == "country")
            offered = [choice["display"] for choice in spec.choices(response.context["cl"])][1:]
            assert set(offered) == {germany.country.name, Enquiry(country="CN").country.name}, language
            assert f'<td class="field-country_column">{germany.country.name}</td>' in response.content.decode()


def test_the_countries_offered_are_cached_until_an_enquiry_changes(staff_client, django_assert_num_queries):
    make_enquiry(country="DE")

    def offered() -> set[str]:
        cl = staff_client.get(CHANGELIST).context["cl"]
        spec = next(s for s in cl.filter_specs if getattr(s, "field_path", "") == "country")
        return {code for code, _name in spec.lookup_choices(cl)}

    assert offered() == {"DE"}
    with django_assert_num_queries(LIST_QUERIES):
        staff_client.get(CHANGELIST)
    japan = make_enquiry(country="JP")
    assert offered() == {"DE", "JP"}
    japan.delete()
    assert offered() == {"DE"}
    Enquiry.objects.bulk_create([Enquiry(**model_to_dict(japan, exclude=["id", "industry", "park", "owner"]))])
    Enquiry.objects.filter(reference=None).update(reference="HQ-2026-99999")
    assert offered() == {"DE"}  # written without signals: kept until told
    bump_enquiry_version()
    assert offered() == {"DE", "JP"}
