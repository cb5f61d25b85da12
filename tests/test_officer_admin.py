"""The admin as a promotion officer meets it without training: the zone's name at the top, what
waits for them on the index, a list that fits a laptop, filters that fit the data, search in
both languages, and the history of each enquiry with who changed what and when."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth.models import Group
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_noop

from promotion.admin.enquiry_filters import OwnerFilter
from promotion.history import SITE_ACCOUNT, record_change
from promotion.models import Enquiry, Industry, Park

from .factories import days_ago, make_enquiry

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promotion_enquiry_changelist")
HISTORY_BLOCK = "admin/promotion/enquiry/_history.html"


def change_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_change", args=[enquiry.pk])


def make_officer(django_user_model, username, first_name="", last_name="", **extra):
    user = django_user_model.objects.create_user(
        username,
        f"{username}@zone.example.cn",
        "pw",
        is_staff=True,
        first_name=first_name,
        last_name=last_name,
        **extra,
    )
    user.groups.add(Group.objects.get(name="Promotion officers"))
    return user


@pytest.fixture
def officer(django_user_model):
    return make_officer(django_user_model, "lina", "Na", "Li")


@pytest.fixture
def colleague(django_user_model):
    return make_officer(django_user_model, "wangfang", "Fang", "Wang")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def results(client, **query) -> list[int]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == HTTPStatus.OK
    return [enquiry.pk for enquiry in response.context["cl"].result_list]


def set_fields(enquiry, **fields) -> Enquiry:
    Enquiry.objects.filter(pk=enquiry.pk).update(**fields)
    enquiry.refresh_from_db()
    return enquiry


def filter_choices(response, title: str) -> list[str]:
    cl = response.context["cl"]
    (spec,) = [spec for spec in cl.filter_specs if str(spec.title) == title]
    return [str(choice["display"]) for choice in spec.choices(cl)][1:]  # after "All"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- The header ------------------------------------------------------------------------------


def test_the_admin_header_names_the_zone_in_the_readers_language(client, officer_client):
    english = officer_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("admin:index")}">Hongqi Canal ETDZ — investment promotion</a>' in english
    assert "<title>Investment promotion desk | Hongqi Canal ETDZ admin</title>" in english
    assert "Django administration" not in english

    chinese = officer_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "红旗渠经济技术开发区招商管理" in chinese

    client.logout()
    login = client.get(reverse("admin:login")).content.decode()
    assert "Hongqi Canal ETDZ — investment promotion" in login
    assert "/static/css/admin.css" in login


# --- The officer's desk on the index ---------------------------------------------------------


def test_the_index_counts_what_waits_for_the_officer_and_links_to_exactly_those(officer_client, officer, colleague):
    today = timezone.localdate()
    awaiting_reply = make_enquiry(owner=officer, organisation="Mine, not yet answered")
    follow_up = set_fields(
        make_enquiry(owner=officer, organisation="Mine, follow up today"),
        status=Enquiry.Status.IN_PROGRESS,
        first_reply_at=timezone.now(),
        follow_up_on=today,
    )
    set_fields(make_enquiry(owner=officer), status=Enquiry.Status.LANDED, follow_up_on=today)  # closed
    make_enquiry(owner=colleague)
    unassigned_overdue = make_enquiry(received_at=days_ago(20), organisation="Nobody's, late")
    make_enquiry(organisation="Nobody's, still in time")
    rated = make_enquiry(owner=colleague)
    if hasattr(Enquiry.objects, "low_ratings_awaiting_follow_up"):
        set_fields(rated, rating=1, rated_at=timezone.now(), first_reply_at=timezone.now())

    response = officer_client.get(reverse("admin:index"))
    body = response.content.decode()
    expected = {
        "mine-open": {awaiting_reply.pk, follow_up.pk},
        "mine-follow-up": {follow_up.pk},
        "mine-awaiting-reply": {awaiting_reply.pk},
        "unassigned-overdue": {unassigned_overdue.pk},
    }
    if hasattr(Enquiry.objects, "low_ratings_awaiting_follow_up"):
        expected["low-ratings"] = {rated.pk}
    rows = {row["key"]: row for row in response.context["desk"]}
    assert set(rows) == set(expected)
    for key, pks in expected.items():
        assert re.search(rf'<td class="desk-{key}">{len(pks)}</td>', body), key
        assert f'href="{rows[key]["url"]}"'.replace("&", "&amp;") in body, key
        listed = officer_client.get(rows[key]["url"]).context["cl"].result_list
        assert {enquiry.pk for enquiry in listed} == pks, key
    assert "overdue-count" in body  # the team's counts stay below


def test_content_editors_see_no_desk(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@zone.example.cn", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)
    body = client.get(reverse("admin:index")).content.decode()
    assert "officer-desk" not in body and "Hongqi Canal ETDZ — investment promotion" in body


# --- The list --------------------------------------------------------------------------------


def test_the_list_has_the_columns_that_fit_a_laptop(officer_client):
    make_enquiry()
    response = officer_client.get(CHANGELIST)
    headings = [capfirst(text_of(str(header["text"]))) for header in result_headers(response.context["cl"])][1:]
    assert headings == [
        "Reference",
        "Organisation",
        "Country or region",
        "Park of interest",
        "Status",
        "Owner",
        "Due",
        "Priority",
    ]


def test_the_list_is_ordered_by_open_then_priority_then_due_date(officer_client):
    big = {"investment_band": "over_1b", "industry": Industry.objects.get(slug="electronic-products")}
    small = {"investment_band": "under_10m", "industry": Industry.objects.get(slug="biotechnology")}
    big_later = make_enquiry(**big, received_at=days_ago(1))
    big_sooner = make_enquiry(**big, received_at=days_ago(2))
    small_sooner = make_enquiry(**small, received_at=days_ago(5))
    big_closed = set_fields(make_enquiry(**big, received_at=days_ago(9)), status=Enquiry.Status.LANDED)
    assert results(officer_client) == [big_sooner.pk, big_later.pk, small_sooner.pk, big_closed.pk]


def test_an_overdue_row_says_so_in_words_and_not_with_a_green_tick(officer_client):
    late = make_enquiry(received_at=days_ago(20), organisation="Late Co")
    follow = set_fields(
        make_enquiry(organisation="Follow Co"), first_reply_at=timezone.now(), follow_up_on=timezone.localdate()
    )
    in_time = make_enquiry(organisation="In Time Co")
    body = officer_client.get(CHANGELIST).content.decode()
    rows = {pk: row for row in body.split("<tr")[1:] if (pk := int_or_none(re.search(r'value="(\d+)"', row)))}
    assert '<span class="due-badge due-badge--overdue">Overdue</span>' in rows[late.pk]
    assert '<span class="due-badge due-badge--follow-up">Follow-up due</span>' in rows[follow.pk]
    assert "due-badge" not in rows[in_time.pk] and "Reply by" in rows[in_time.pk]
    assert "icon-yes" not in body and "icon-no" not in body


def int_or_none(match):
    return int(match.group(1)) if match else None


def test_owners_are_chosen_among_active_officers_by_full_name(officer_client, officer, colleague, django_user_model):
    make_officer(django_user_model, "retired", "Gone", "Away", is_active=False)
    make_officer(django_user_model, "zhao")  # no name given: shown by username
    django_user_model.objects.create_user("editor", "e@zone.example.cn", "pw", is_staff=True, first_name="Content")
    django_user_model.objects.create_superuser("root", "root@zone.example.cn", "pw", first_name="Super")
    enquiry = make_enquiry()
    form = officer_client.get(change_url(enquiry)).context["adminform"].form
    labels = [str(label) for value, label in form.fields["owner"].choices if value]
    assert labels == ["zhao", "Fang Wang", "Na Li"]


# --- Filters ---------------------------------------------------------------------------------


def test_country_park_and_industry_filters_list_only_what_occurs(officer_client):
    electronics = Park.objects.get(slug="electronics-park")
    make_enquiry(country="DE", park=electronics, industry=Industry.objects.get(slug="steel"))
    make_enquiry(country="CN", industry=Industry.objects.get(slug="auto-parts"))
    response = officer_client.get(CHANGELIST)
    countries = filter_choices(response, "country or region")
    assert countries == ["China", "Germany"]
    parks = [choice for choice in filter_choices(response, "park of interest") if choice != "-"]
    assert parks == [electronics.name]
    industries = set(filter_choices(response, "industry of interest")) - {"-"}
    assert industries == {Industry.objects.get(slug="steel").name, Industry.objects.get(slug="auto-parts").name}
    assert Park.objects.count() > 1 and Industry.objects.count() > 2

    chinese = officer_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert filter_choices(chinese, "国家或地区") == ["中国", "德国"]
    assert officer_client.get(CHANGELIST, {"_facets": "True"}).status_code == HTTPStatus.OK


def test_owner_filter_offers_me_and_unassigned(officer_client, officer, colleague):
    mine, theirs, nobodys = make_enquiry(owner=officer), make_enquiry(owner=colleague), make_enquiry()
    response = officer_client.get(CHANGELIST)
    assert filter_choices(response, "owner") == ["Me", "Unassigned", "Fang Wang"]
    assert results(officer_client, owner=OwnerFilter.ME) == [mine.pk]
    assert results(officer_client, owner=OwnerFilter.NOBODY) == [nobodys.pk]
    assert results(officer_client, owner=colleague.pk) == [theirs.pk]


# --- Search ----------------------------------------------------------------------------------


def test_search_by_country_name_in_either_language_and_by_iso_code(officer_client):
    german = make_enquiry(country="DE", organisation="Rhein Maschinenbau")
    chinese = make_enquiry(country="CN")
    taiwanese = make_enquiry(country="TW")
    for term in ["Germany", "germany", "德国", "DEU"]:
        assert results(officer_client, q=term) == [german.pk], term
    assert results(officer_client, q="China") == [chinese.pk]  # a name is that country, not every "…, China"
    assert results(officer_client, q="中国台湾") == [taiwanese.pk]
    assert results(officer_client, q="Rhein") == [german.pk]  # the usual fields still count


def test_search_by_park_and_industry_names_in_both_languages(officer_client):
    park = Park.objects.get(slug="electronics-park")
    steel = Industry.objects.get(slug="steel")
    in_park = make_enquiry(park=park, industry=Industry.objects.get(slug="auto-parts"))
    in_steel = make_enquiry(industry=steel)
    for term in [park.name_en, park.name_zh_hans]:
        assert results(officer_client, q=term) == [in_park.pk], term
    for term in [steel.name_en, steel.name_zh_hans]:
        assert results(officer_client, q=term) == [in_steel.pk], term


def test_parks_and_industries_are_plain_text_for_an_officer(officer_client):
    make_enquiry(park=Park.objects.get(slug="electronics-park"))
    body = officer_client.get(CHANGELIST).content.decode()
    assert Park.objects.get(slug="electronics-park").name in body
    assert "/admin/promotion/park/" not in body and "/admin/promotion/industry/" not in body


# --- History ---------------------------------------------------------------------------------


def history_block(enquiry, user) -> str:
    """The block as the change page includes it: {% include … with enquiry=original only %}."""
    request = RequestFactory().get(change_url(enquiry))
    request.user = user
    page = engines["django"].from_string(f'{{% include "{HISTORY_BLOCK}" with enquiry=original only %}}')
    return text_of(page.render({"original": enquiry}, request))


def test_a_bulk_status_change_is_recorded_with_who_and_when_and_shown(officer_client, officer):
    first, second = make_enquiry(), make_enquiry()
    before = timezone.now()
    officer_client.post(
        CHANGELIST, {"action": "set_status", "status": "qualified", "_selected_action": [first.pk, second.pk]}
    )
    for enquiry in (first, second):
        (entry,) = LogEntry.objects.filter(object_id=str(enquiry.pk))
        assert entry.user == officer and entry.action_time >= before
        assert entry.get_change_message() == "Changed Status."
        block = history_block(enquiry, officer)
        assert "Recent changes" in block and "Na Li" in block and "Changed Status." in block
    history = officer_client.get(reverse("admin:promotion_enquiry_history", args=[first.pk])).content.decode()
    assert "lina" in history and "Changed Status." in history


def test_a_single_edit_is_recorded_with_who_and_when_and_shown(officer_client, officer):
    enquiry = make_enquiry()
    form = officer_client.get(change_url(enquiry)).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-0-text": ""})
    data.update({"status": "in_progress", "owner": str(officer.pk), "follow_up_on": "2030-01-15"})
    response = officer_client.post(change_url(enquiry), {k: v for k, v in data.items() if v is not None})
    assert response.status_code == HTTPStatus.FOUND
    (entry,) = LogEntry.objects.filter(object_id=str(enquiry.pk))
    assert entry.user == officer and timezone.now() - entry.action_time < timedelta(minutes=1)
    assert entry.get_change_message() == "Changed Status, Owner and Follow up on."
    block = history_block(enquiry, officer)
    assert "Na Li" in block and "Changed Status, Owner and Follow up on." in block
    chinese = history_block_in(enquiry, officer, "zh-hans")
    assert "状态" in chinese and "负责人" in chinese and "Status" not in chinese


def history_block_in(enquiry, user, language: str) -> str:
    with translation.override(language):
        return history_block(enquiry, user)


def test_a_change_no_officer_made_is_recorded_under_the_sites_account(officer):
    enquiry = set_fields(make_enquiry(), status=Enquiry.Status.IN_PROGRESS)
    entry = record_change(enquiry, None, ["status"], gettext_noop("Follow-up due"))
    assert entry.user.get_username() == SITE_ACCOUNT and not entry.user.is_active
    assert not entry.user.has_usable_password()
    block = history_block(enquiry, officer)
    assert "The site (no officer)" in block and "Changed Status. Follow-up due" in block
    assert "待跟进" in history_block_in(enquiry, officer, "zh-hans")

    by_officer = record_change(enquiry, officer, ["owner"])
    assert by_officer.user == officer and by_officer.get_change_message() == "Changed Owner."
