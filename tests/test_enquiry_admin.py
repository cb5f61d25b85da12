import csv
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from promotion.admin.enquiries import EnquiryAdmin
from promotion.models import Enquiry, EnquiryNote, Industry, Park

from .factories import days_ago, make_enquiry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promotion_enquiry_changelist")


def change_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_change", args=[enquiry.pk])


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", "officer@zone.example.cn", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Promotion officers"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@zone.example.cn", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def change_form_data(client, enquiry, **changes) -> dict:
    """What the admin change form would post back, with `changes` typed in."""
    form = client.get(change_url(enquiry)).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-0-text": ""})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_list_shows_the_columns_staff_triage_by(officer_client):
    make_enquiry(organisation="Overdue Co", received_at=days_ago(30))
    make_enquiry(organisation="Fresh Co")
    response = officer_client.get(CHANGELIST)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    for heading in [
        "Reference",
        "Organisation",
        "Country or region",
        "Park of interest",
        "Status",
        "Owner",
        "Due",
        "Priority",
    ]:
        assert heading in body, heading
    overdue = officer_client.get(CHANGELIST, {"overdue": "yes"}).context["cl"].result_list
    assert [e.organisation for e in overdue] == ["Overdue Co"]


def test_search_by_reference_name_organisation_and_email(officer_client):
    target = make_enquiry(organisation="Needle Ltd", email="needle@example.com", name="Wang Fang")
    make_enquiry(organisation="Haystack Ltd")
    for query in [target.reference, "Needle", "needle@example.com", "Wang Fang"]:
        results = officer_client.get(CHANGELIST, {"q": query}).context["cl"].result_list
        assert [e.pk for e in results] == [target.pk], query


def test_filters_by_status_park_industry_country_and_owner(officer_client, officer):
    park = Park.objects.get(slug="electronics-park")
    match = make_enquiry(park=park, country="DE", industry=Industry.objects.get(slug="steel"))
    Enquiry.objects.filter(pk=match.pk).update(owner=officer, status=Enquiry.Status.QUALIFIED)
    make_enquiry(country="CN")
    query = {
        "status__exact": "qualified",
        "park__id__exact": park.pk,
        "industry__id__exact": match.industry_id,
        "country__exact": "DE",
        "owner__id__exact": officer.pk,
    }
    assert [e.pk for e in officer_client.get(CHANGELIST, query).context["cl"].result_list] == [match.pk]


def test_priority_puts_large_leading_industry_projects_first(officer_client):
    small = make_enquiry(investment_band="under_10m", industry=Industry.objects.get(slug="biotechnology"))
    large = make_enquiry(investment_band="over_1b", industry=Industry.objects.get(slug="electronic-products"))
    branch = make_enquiry(investment_band="over_1b", industry=Industry.objects.get(slug="biotechnology"))
    assert large.priority > branch.priority > small.priority
    column = EnquiryAdmin.list_display.index("priority_column") + 1  # after the action checkbox
    ordered = officer_client.get(CHANGELIST, {"o": f"-{column}"}).context["cl"].result_list
    assert [e.pk for e in ordered] == [large.pk, branch.pk, small.pk]
    steel = make_enquiry(investment_band="over_1b", industry=Industry.objects.get(slug="steel"))
    assert steel.priority == large.priority  # steel is a branch of equipment manufacturing


def test_what_the_investor_wrote_cannot_be_changed(officer_client, officer):
    enquiry = make_enquiry()
    data = change_form_data(
        officer_client,
        enquiry,
        name="Someone Else",
        message="Rewritten",
        status="in_progress",
        owner=str(officer.pk),
        follow_up_on="2030-01-15",
    )
    response = officer_client.post(change_url(enquiry), data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    enquiry.refresh_from_db()
    assert (enquiry.name, enquiry.message) == ("Zhang San", "Looking for a site.")
    assert enquiry.status == "in_progress"
    assert enquiry.owner == officer
    assert str(enquiry.follow_up_on) == "2030-01-15"


def test_notes_are_appended_with_author_and_time_and_never_edited(officer_client, officer):
    enquiry = make_enquiry()
    data = change_form_data(officer_client, enquiry, **{"notes-0-text": "Called the investor; sending land map."})
    assert officer_client.post(change_url(enquiry), data).status_code == HTTPStatus.FOUND
    note = EnquiryNote.objects.get(enquiry=enquiry)
    assert note.author == officer
    assert note.created_at is not None

    page = officer_client.get(change_url(enquiry)).content.decode()
    assert "Called the investor; sending land map." in page
    assert 'name="notes-0-text"' not in page.split("Called the investor")[0][-400:]
    data = change_form_data(officer_client, enquiry)
    data.update(
        {
            "notes-TOTAL_FORMS": "2",
            "notes-INITIAL_FORMS": "1",
            "notes-0-id": str(note.pk),
            "notes-0-enquiry": str(enquiry.pk),
            "notes-0-text": "Rewritten history",
            "notes-1-text": "",
        }
    )
    officer_client.post(change_url(enquiry), data)
    note.refresh_from_db()
    assert note.text == "Called the investor; sending land map."


def test_assign_to_me_and_set_status_actions(officer_client, officer):
    first, second = make_enquiry(), make_enquiry()
    officer_client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]})
    assert set(Enquiry.objects.values_list("owner", flat=True)) == {officer.pk}
    officer_client.post(
        CHANGELIST, {"action": "set_status", "status": "awaiting_investor", "_selected_action": [first.pk]}
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("awaiting_investor", "new")
    response = officer_client.post(
        CHANGELIST, {"action": "set_status", "status": "", "_selected_action": [second.pk]}, follow=True
    )
    assert "Choose a new status" in response.content.decode()


def test_export_csv_is_excel_ready_and_neutralises_formulas(officer_client):
    enquiry = make_enquiry(
        name='=HYPERLINK("http://evil")', organisation="林州红旗渠电器", phone="+86 372 1234567", message="@SUM(A1)"
    )
    response = officer_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [enquiry.pk]})
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["Reference"] == enquiry.reference
    assert record["Organisation"] == "林州红旗渠电器"
    assert record["Name"] == '\'=HYPERLINK("http://evil")'
    assert record["Phone"] == "'+86 372 1234567"
    assert record["Message"] == "'@SUM(A1)"
    assert record["Country or region"] == "China"


def test_admin_index_counts_by_status_week_and_overdue(officer_client):
    this_week = make_enquiry(received_at=days_ago(3))
    Enquiry.objects.filter(pk=this_week.pk).update(reply_due_at=days_ago(1))  # no reply by then
    make_enquiry(received_at=days_ago(30))
    make_enquiry()
    make_enquiry(status=Enquiry.Status.SPAM)
    body = officer_client.get(reverse("admin:index")).content.decode()
    assert '<td class="overdue-count">2</td>' in body
    assert '<td class="week-count">2</td>' in body
    assert "?status__exact=spam" in body


def test_enquiries_cannot_be_added_or_deleted_by_officers(officer_client):
    enquiry = make_enquiry()
    assert officer_client.get(reverse("admin:promotion_enquiry_add")).status_code == HTTPStatus.FORBIDDEN
    assert officer_client.get(reverse("admin:promotion_enquiry_delete", args=[enquiry.pk])).status_code == 403


def test_officers_run_enquiries_but_cannot_touch_content(client, officer):
    client.force_login(officer)
    assert client.get(CHANGELIST).status_code == HTTPStatus.OK
    park = Park.objects.first()
    assert client.get(reverse("admin:promotion_park_changelist")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("admin:promotion_park_change", args=[park.pk])).status_code == HTTPStatus.FORBIDDEN
    assert officer.has_perm("promotion.add_enquirynote")
    assert not officer.has_perm("promotion.change_enquirynote")
    assert not officer.has_perm("promotion.delete_enquiry")


def test_editors_keep_content_but_cannot_see_enquiries(client, editor):
    client.force_login(editor)
    enquiry = make_enquiry()
    assert client.get(reverse("admin:promotion_park_changelist")).status_code == HTTPStatus.OK
    assert client.get(reverse("admin:promotion_keyfigure_add")).status_code == HTTPStatus.OK
    assert client.get(CHANGELIST).status_code == HTTPStatus.FORBIDDEN
    assert client.get(change_url(enquiry)).status_code == HTTPStatus.FORBIDDEN
    assert "overdue-count" not in client.get(reverse("admin:index")).content.decode()


def test_date_hierarchy_spans_the_enquiries_without_scanning_them(officer_client):
    make_enquiry(received_at=days_ago(800))
    make_enquiry(received_at=days_ago(1))
    years = [d.year for d in Enquiry.objects.datetimes("received_at", "year")]
    assert years == list(range(years[0], years[-1] + 1)) and len(years) >= 3
    response = officer_client.get(CHANGELIST)
    assert f"?received_at__year={years[0]}" in response.content.decode()
    months = Enquiry.objects.filter(received_at__year=years[-1]).datetimes("received_at", "month")
    assert months and all(m.year == years[-1] for m in months)
    drilled = officer_client.get(CHANGELIST, {"received_at__year": years[-1]})
    assert drilled.status_code == 200
