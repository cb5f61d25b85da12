"""Bulk actions on enquiries leave the trace a single edit leaves, and never take an enquiry
from a colleague without asking."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promotion.models import Enquiry

from .factories import days_ago, make_enquiry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promotion_enquiry_changelist")


def make_officer(django_user_model, username, **fields):
    user = django_user_model.objects.create_user(username, f"{username}@zone.example.cn", "pw", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Promotion officers"))
    return user


@pytest.fixture
def officer(django_user_model):
    return make_officer(django_user_model, "officer")


@pytest.fixture
def colleague(django_user_model):
    return make_officer(django_user_model, "colleague", first_name="Fang", last_name="Wang")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def owned_by(user, **fields) -> Enquiry:
    enquiry = make_enquiry(**fields)
    Enquiry.objects.filter(pk=enquiry.pk).update(owner=user)
    enquiry.refresh_from_db()
    return enquiry


def age(*enquiries) -> None:
    """Pretend the enquiries were last changed yesterday, so a save shows."""
    Enquiry.objects.filter(pk__in=[e.pk for e in enquiries]).update(updated_at=days_ago(1))
    for enquiry in enquiries:
        enquiry.refresh_from_db()


def history(enquiry) -> list[LogEntry]:
    return list(LogEntry.objects.filter(object_id=str(enquiry.pk), content_type__model="enquiry"))


def act(client, action, enquiries, follow=False, **data):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [e.pk for e in enquiries], **data}, follow=follow
    )


class HiddenFields(HTMLParser):
    """The hidden fields a browser would post back from the page's form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields.append((attrs["name"], attrs.get("value", "")))


def form_data(response) -> dict[str, list[str]]:
    parser = HiddenFields()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def test_set_status_saves_each_changed_enquiry_with_a_history_entry(officer_client, officer):
    first, second, done = make_enquiry(), make_enquiry(), make_enquiry(status=Enquiry.Status.QUALIFIED)
    age(first, second, done)
    response = act(officer_client, "set_status", [first, second, done], follow=True, status="qualified")
    page = response.content.decode()
    assert "2 enquiries set to “Qualified”." in page
    assert "1 enquiry was already “Qualified” and was left as it was." in page
    for enquiry in (first, second):
        before = enquiry.updated_at
        enquiry.refresh_from_db()
        assert enquiry.status == "qualified"
        assert enquiry.updated_at > before
        [entry] = history(enquiry)
        assert (entry.user, entry.action_flag, entry.object_repr) == (officer, CHANGE, enquiry.reference)
        assert entry.get_change_message() == "Changed Status."
    before = done.updated_at
    done.refresh_from_db()
    assert done.updated_at == before
    assert history(done) == []

    response = act(officer_client, "set_status", [first], follow=True, status="")
    assert "Choose a new status beside the action first." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "qualified"
    assert len(history(first)) == 1


def test_assign_to_me_assigns_unowned_enquiries_and_logs_them(officer_client, officer):
    assert not officer.is_superuser
    first, second = make_enquiry(), make_enquiry()
    mine = owned_by(officer)
    age(first, second, mine)
    response = act(officer_client, "assign_to_me", [first, second, mine], follow=True)
    page = response.content.decode()
    assert "2 enquiries assigned to you." in page
    assert "1 enquiry was already yours and was left as it was." in page
    for enquiry in (first, second):
        before = enquiry.updated_at
        enquiry.refresh_from_db()
        assert enquiry.owner == officer
        assert enquiry.updated_at > before
        [entry] = history(enquiry)
        assert (entry.user, entry.action_flag) == (officer, CHANGE)
        assert entry.get_change_message() == "Changed Owner."
    before = mine.updated_at
    mine.refresh_from_db()
    assert mine.updated_at == before
    assert history(mine) == []


def test_taking_over_a_colleagues_enquiry_asks_first_and_changes_nothing(officer_client, officer, colleague):
    free = make_enquiry(organisation="Free Co")
    theirs = owned_by(colleague, organisation="Taken Co")
    age(free, theirs)
    response = act(officer_client, "assign_to_me", [free, theirs])
    assert response.status_code == HTTPStatus.OK
    assert "admin/promotion/enquiry/assign_to_me_confirmation.html" in [t.name for t in response.templates]
    page = response.content.decode()
    taken_table = page.split('id="taken-over"')[1].split("</table>")[0]
    assert theirs.reference in taken_table and "Taken Co" in taken_table
    assert '<td class="current-owner">Fang Wang</td>' in taken_table
    assert free.reference not in taken_table
    assert free.reference in page.split('id="unowned"')[1]
    assert 'class="breadcrumbs"' in page
    assert f'href="{CHANGELIST}"' in page  # the way back
    fields = form_data(response)
    assert sorted(fields["_selected_action"]) == sorted([str(free.pk), str(theirs.pk)])
    assert fields["action"] == ["assign_to_me"]
    assert fields["post"] == ["yes"]
    assert 'type="submit"' in page

    for enquiry, owner in ((free, None), (theirs, colleague)):
        before = enquiry.updated_at
        enquiry.refresh_from_db()
        assert (enquiry.owner, enquiry.updated_at) == (owner, before)
        assert history(enquiry) == []


def test_confirming_the_take_over_assigns_all_and_logs(officer_client, officer, colleague):
    free = make_enquiry()
    theirs = owned_by(colleague)
    age(free, theirs)
    confirmation = act(officer_client, "assign_to_me", [free, theirs])
    response = officer_client.post(CHANGELIST, form_data(confirmation), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == CHANGELIST
    page = response.content.decode()
    assert "2 enquiries assigned to you." in page
    assert "1 of them was taken over from its owner (Fang Wang)." in page
    for enquiry in (free, theirs):
        before = enquiry.updated_at
        enquiry.refresh_from_db()
        assert enquiry.owner == officer
        assert enquiry.updated_at > before
        [entry] = history(enquiry)
        assert (entry.user, entry.get_change_message()) == (officer, "Changed Owner.")


def test_an_owner_who_changed_after_the_confirmation_page_is_asked_about_again(
    officer_client, officer, colleague, django_user_model
):
    free = make_enquiry()
    theirs = owned_by(colleague)
    confirmation = act(officer_client, "assign_to_me", [free, theirs])
    third = make_officer(django_user_model, "third")
    Enquiry.objects.filter(pk=free.pk).update(owner=third)  # someone took it meanwhile
    response = officer_client.post(CHANGELIST, form_data(confirmation))
    assert response.status_code == HTTPStatus.OK
    assert "Some owners changed after you looked." in response.content.decode()
    free.refresh_from_db(), theirs.refresh_from_db()
    assert (free.owner, theirs.owner) == (third, colleague)
    assert history(free) == history(theirs) == []


def test_a_confirmation_forged_without_the_owners_takes_nothing(officer_client, colleague):
    theirs = owned_by(colleague)
    response = act(officer_client, "assign_to_me", [theirs], post="yes")
    assert response.status_code == HTTPStatus.OK  # asked, not done
    theirs.refresh_from_db()
    assert theirs.owner == colleague


def test_bulk_actions_cost_one_save_per_changed_enquiry_and_nothing_more(officer_client, officer):
    def queries(action, count, **data) -> int:
        enquiries = [make_enquiry() for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            act(officer_client, action, enquiries, **data)
        assert len(history_of := LogEntry.objects.filter(object_id__in=[str(e.pk) for e in enquiries])) == count
        assert all(entry.user == officer for entry in history_of)
        return len(captured)

    for action, data in (("assign_to_me", {}), ("set_status", {"status": "landed"})):
        queries(action, 1, **data)  # warm the caches a first request fills
        assert queries(action, 4, **data) - queries(action, 2, **data) == 2  # the two more UPDATEs
