"""Every content object keeps its versions (who, when, what changed) and an editor restores an earlier one from the
admin; the team's log lists everyone's changes, each reader seeing only the models they may view."""

import json
import re
from http import HTTPStatus

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from promotion.loading import copy_fixture_media
from promotion.models import ChainStage, Enquiry, Industry, KeyFigure, Policy, PolicyMeasure

from .factories import make_enquiry
from .test_admin import CONTENT_MODELS, admin_url

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def staff_member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, f"{username}@zone.example.cn", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return staff_member(django_user_model, "zhaolei", "Content editors")


@pytest.fixture
def officer(django_user_model):
    return staff_member(django_user_model, "lina", "Promotion officers")


def edit_figure(client, figure, **changes):
    form = client.get(admin_url(KeyFigure, "change", figure.pk)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(changes)
    response = client.post(admin_url(KeyFigure, "change", figure.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors


# --- Versions -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_every_content_model_keeps_versions(model):
    assert reversion.is_registered(model)


def test_the_inline_children_are_versioned_with_their_parents():
    assert reversion.is_registered(ChainStage) and reversion.is_registered(PolicyMeasure)
    industry_follows = reversion.revisions._get_options(Industry).follow
    policy_follows = reversion.revisions._get_options(Policy).follow
    assert ChainStage._meta.get_field("industry").remote_field.get_accessor_name() in industry_follows
    assert PolicyMeasure._meta.get_field("policy").remote_field.get_accessor_name() in policy_follows


def test_an_edit_keeps_a_version_with_who_and_what_in_the_readers_language(client, editor):
    client.force_login(editor)
    figure = KeyFigure.objects.get(slug="employees")
    edit_figure(client, figure, label_en="Employees in the zone", value="125000")
    versions = Version.objects.get_for_object(figure)
    assert versions.count() == 1
    assert versions[0].revision.user == editor
    assert versions[0].field_dict["label_en"] == "Employees in the zone"

    history = admin_url(KeyFigure, "history", figure.pk)
    english = text_of(client.get(history).content.decode())
    assert "zhaolei" in english and "Label (English)" in english
    chinese = text_of(client.get(history, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "（英文）" in chinese and "Label (English)" not in chinese and "[en]" not in chinese


def test_the_differences_between_two_versions_show_field_by_field(client, editor):
    client.force_login(editor)
    figure = KeyFigure.objects.get(slug="employees")
    edit_figure(client, figure, value="120001")
    edit_figure(client, figure, value="125000", label_zh_hans="区内从业人员")
    history = client.get(admin_url(KeyFigure, "history", figure.pk))
    newest = history.context["action_list"][0]
    assert "compare_url" in newest and "compare_url" not in history.context["action_list"][-1]
    page = client.get(newest["compare_url"])
    assert page.status_code == HTTPStatus.OK
    rows = {label: (old, new) for label, old, new in page.context["rows"]}
    assert ("120001", "125000") in [(old.replace(".00", ""), new.replace(".00", "")) for old, new in rows.values()]
    assert any(new == "区内从业人员" for _old, new in rows.values())
    chinese = client.get(newest["compare_url"], HTTP_ACCEPT_LANGUAGE="zh-hans").context["rows"]
    assert any("（中文）" in label for label, _old, _new in chinese)


def test_restoring_an_earlier_version_shows_the_old_figure_on_the_public_page_again(client, editor):
    client.force_login(editor)
    figure = KeyFigure.objects.headline().get(slug="employees")
    edit_figure(client, figure, value="120001")
    edit_figure(client, figure, value="125000")
    assert "125,000" in client.get(reverse("promotion:home")).content.decode()  # now cached

    first = Version.objects.get_for_object(figure).order_by("pk").first()
    revision = admin_url(KeyFigure, "revision", figure.pk, first.pk)
    form = client.get(revision).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    assert client.post(revision, data).status_code == HTTPStatus.FOUND

    figure.refresh_from_db()
    assert int(figure.value) == 120001
    body = client.get(reverse("promotion:home")).content.decode()
    assert "120,001" in body and "125,000" not in body
    assert Version.objects.get_for_object(figure).count() == 3  # the restore is a version of its own


def test_officers_see_no_content_history(client, officer, editor):
    with reversion.create_revision():
        figure = KeyFigure.objects.get(slug="employees")
        figure.save()
        reversion.set_user(editor)
    version = Version.objects.get_for_object(figure).first()
    client.force_login(officer)
    for url in (
        admin_url(KeyFigure, "history", figure.pk),
        admin_url(KeyFigure, "compare", figure.pk, version.pk),
        admin_url(KeyFigure, "revision", figure.pk, version.pk),
    ):
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url
    client.force_login(editor)
    assert client.get(admin_url(KeyFigure, "history", figure.pk)).status_code == HTTPStatus.OK
    assert client.get(admin_url(KeyFigure, "compare", figure.pk, version.pk)).status_code == HTTPStatus.OK


def test_loading_the_fixtures_keeps_the_history(client, editor):
    client.force_login(editor)
    figure = KeyFigure.objects.get(slug="employees")
    edit_figure(client, figure, value="125000")
    kept = set(Version.objects.values_list("pk", flat=True))
    assert kept
    call_command("load_zone", verbosity=0)
    call_command("load_zone", force=True, verbosity=0)
    assert kept <= set(Version.objects.values_list("pk", flat=True))


# --- Inline rows: a policy's measures, an industry's chain stages -----------------------------


def change_form_data(response) -> dict:
    """What the change form posts back as it stands: the object's fields and each inline row's."""
    form = response.context["adminform"].form
    # An illustration is kept when none is uploaded.
    data = {name: value for name, value in form.initial.items() if value is not None and name != "image"}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value is not None and value is not False:
                    data[row.add_prefix(name)] = value
    return data


def edit_policy(client, policy, changes: dict) -> None:
    url = admin_url(Policy, "change", policy.pk)
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]


def measure_row(policy, measure) -> str:
    """The prefix of a measure's row in the policy's inline formset."""
    return f"measures-{list(policy.measures.all()).index(measure)}"


def newest_comparison(client, policy):
    history = client.get(admin_url(Policy, "history", policy.pk))
    return history.context["action_list"][0]["compare_url"]


def test_each_version_of_a_policy_keeps_its_measures(client, editor):
    client.force_login(editor)
    policy = Policy.objects.get(slug="project-promotion")
    edit_policy(client, policy, {})
    version = Version.objects.get_for_object(policy).get()
    kept = version.revision.version_set.get_for_model(PolicyMeasure)
    assert sorted(int(v.object_id) for v in kept) == sorted(policy.measures.values_list("pk", flat=True))


def test_the_differences_list_a_changed_measure_field_by_field_in_both_languages(client, editor):
    client.force_login(editor)
    policy = Policy.objects.get(slug="project-promotion")
    edit_policy(client, policy, {})
    measure = policy.measures.get(title_en="Supervision system")
    row = measure_row(policy, measure)
    edit_policy(
        client, policy, {f"{row}-title_en": "Supervision and inspection system", f"{row}-title_zh_hans": "督查督办制度"}
    )

    compare = newest_comparison(client, policy)
    page = client.get(compare)
    [group] = page.context["inline_groups"]
    [change] = group["changes"]
    assert change["status"] == "changed" and change["object_repr"] == "Supervision and inspection system"
    assert change["rows"] == [
        ("Title (English)", "Supervision system", "Supervision and inspection system"),
        ("Title (Chinese)", "督查制度", "督查督办制度"),
    ]
    body = text_of(page.content.decode())
    assert "Changed: Measure “Supervision and inspection system”" in body
    assert "Supervision system" in body and "督查督办制度" in body
    assert page.context["rows"] == []  # the policy's own fields are as they were

    chinese = text_of(client.get(compare, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "标题（英文）" in chinese and "标题（中文）" in chinese and "督查制度" in chinese

    # The history names the measure's changed fields in the reader's language too.
    history = admin_url(Policy, "history", policy.pk)
    assert "Changed Title (English)" in text_of(client.get(history).content.decode())
    chinese = text_of(client.get(history, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "标题（英文）" in chinese and "Title (English)" not in chinese
    # And so does the team's log.
    team_log = text_of(client.get(reverse("admin:team_log"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "标题（英文）" in team_log and "Title (English)" not in team_log


def test_a_deleted_measure_shows_as_removed_and_restoring_brings_it_back(client, editor):
    client.force_login(editor)
    policy = Policy.objects.get(slug="project-promotion")
    edit_policy(client, policy, {})
    measure = policy.measures.get(title_en="Supervision system")
    before = {f: getattr(measure, f) for f in ("pk", "position", "title_en", "title_zh_hans", "description_en")}
    edit_policy(client, policy, {f"{measure_row(policy, measure)}-DELETE": "on"})
    assert not PolicyMeasure.objects.filter(pk=measure.pk).exists()

    page = client.get(newest_comparison(client, policy))
    [group] = page.context["inline_groups"]
    [change] = group["changes"]
    assert (change["status"], change["object_repr"]) == ("removed", "Supervision system")
    assert ("Title (Chinese)", "督查制度", "—") in change["rows"]

    # Restore the version before the deletion, as the link under the differences does.
    restore = page.context["before_url"]
    form = client.get(restore)
    assert "Supervision system" in form.content.decode()
    assert client.post(restore, change_form_data(form)).status_code == HTTPStatus.FOUND
    restored = PolicyMeasure.objects.get(pk=measure.pk)
    assert {f: getattr(restored, f) for f in before} == before
    assert restored.policy == policy
    public = client.get(policy.get_absolute_url()).content.decode()
    assert "Supervision system" in public


def test_an_added_chain_stage_shows_as_added_and_restoring_removes_it_again(client, editor):
    copy_fixture_media()  # the industry's illustration must be on disk to save the industry
    client.force_login(editor)
    industry = ChainStage.objects.first().industry
    url = admin_url(Industry, "change", industry.pk)
    data = change_form_data(client.get(url))
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    stages = list(industry.chain_stages.values_list("pk", flat=True))

    response = client.get(url)
    data = change_form_data(response)
    formset = response.context["inline_admin_formsets"][0].formset
    new_row = formset.add_prefix(formset.initial_form_count())
    data[formset.management_form.add_prefix("TOTAL_FORMS")] = formset.initial_form_count() + 1
    data.update({f"{new_row}-position": "99", f"{new_row}-name_en": "Recycling", f"{new_row}-name_zh_hans": "回收利用"})
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert industry.chain_stages.count() == len(stages) + 1

    history = client.get(admin_url(Industry, "history", industry.pk))
    page = client.get(history.context["action_list"][0]["compare_url"])
    [group] = page.context["inline_groups"]
    [change] = group["changes"]
    assert change["status"] == "added" and change["object_repr"] == "Recycling"
    assert ("Name (Chinese)", "—", "回收利用") in change["rows"]
    assert "Added: Chain stage “Recycling”" in text_of(page.content.decode())

    restore = page.context["before_url"]
    assert client.post(restore, change_form_data(client.get(restore))).status_code == HTTPStatus.FOUND
    assert sorted(industry.chain_stages.values_list("pk", flat=True)) == sorted(stages)


def test_officers_see_no_policy_history_nor_its_measures(client, officer, editor):
    client.force_login(editor)
    policy = Policy.objects.get(slug="project-promotion")
    edit_policy(client, policy, {})
    version = Version.objects.get_for_object(policy).get()
    client.force_login(officer)
    for url in (
        admin_url(Policy, "history", policy.pk),
        admin_url(Policy, "compare", policy.pk, version.pk),
        admin_url(Policy, "revision", policy.pk, version.pk),
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert "Supervision system" not in response.content.decode()


# --- The team's log -------------------------------------------------------------------------


def log(user, obj, message, flag=CHANGE) -> LogEntry:
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=flag,
        change_message=json.dumps(message),
    )


@pytest.fixture
def entries(editor, officer):
    figure = KeyFigure.objects.get(slug="employees")
    enquiry = make_enquiry(organisation="Secret Auto Parts Ltd")
    log(editor, figure, [{"changed": {"fields": ["Label (English)"]}}])
    log(officer, enquiry, [{"changed": {"fields": ["Status"]}}])
    log(officer, enquiry, [{"added": {}}], flag=ADDITION)
    return figure, enquiry


TEAM_LOG = reverse("admin:team_log")


def test_the_team_log_lists_everyones_changes_newest_first_for_a_superuser(staff_client, entries):
    figure, enquiry = entries
    page = staff_client.get(TEAM_LOG)
    assert page.status_code == HTTPStatus.OK
    rows = page.context["rows"]
    assert [row["entry"].object_repr for row in rows] == [str(enquiry), str(enquiry), str(figure)]
    assert rows[-1]["url"] == admin_url(KeyFigure, "change", figure.pk)
    assert "zhaolei" in page.content.decode() and "lina" in page.content.decode()
    assert reverse("admin:team_log") in staff_client.get(reverse("admin:index")).content.decode()


def test_an_editor_sees_no_enquiry_in_the_team_log(client, editor, entries):
    figure, enquiry = entries
    client.force_login(editor)
    page = client.get(TEAM_LOG)
    assert page.status_code == HTTPStatus.OK
    assert [row["entry"].object_repr for row in page.context["rows"]] == [str(figure)]
    body = page.content.decode()
    assert "Secret Auto Parts" not in body and str(enquiry) not in body
    assert Enquiry._meta.verbose_name_plural not in [str(name) for _pk, name in page.context["models"]]
    enquiry_type = ContentType.objects.get_for_model(Enquiry)
    filtered = client.get(TEAM_LOG, {"model": enquiry_type.pk}).context["rows"]
    assert str(enquiry) not in [row["entry"].object_repr for row in filtered]


def test_an_officer_sees_the_enquiries_but_no_content_in_the_team_log(client, officer, entries):
    figure, enquiry = entries
    client.force_login(officer)
    rows = client.get(TEAM_LOG).context["rows"]
    assert {row["entry"].object_repr for row in rows} == {str(enquiry)}


def test_the_team_log_filters_by_person_and_model_and_reads_in_the_readers_language(staff_client, editor, entries):
    figure, enquiry = entries
    mine = staff_client.get(TEAM_LOG, {"user": editor.pk}).context["rows"]
    assert [row["entry"].object_repr for row in mine] == [str(figure)]
    figures = ContentType.objects.get_for_model(KeyFigure)
    only_figures = staff_client.get(TEAM_LOG, {"model": figures.pk}).context["rows"]
    assert [row["entry"].object_repr for row in only_figures] == [str(figure)]
    chinese = staff_client.get(TEAM_LOG, {"user": editor.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "（英文）" in chinese.context["rows"][0]["message"]
    assert "Label (English)" not in chinese.content.decode()


def test_the_team_log_is_paginated_and_read_only(staff_client, editor):
    figure = KeyFigure.objects.get(slug="employees")
    for _ in range(55):
        log(editor, figure, [{"changed": {"fields": ["Value"]}}])
    first = staff_client.get(TEAM_LOG)
    assert len(first.context["rows"]) == 50 and first.context["page"].has_next()
    assert len(staff_client.get(TEAM_LOG, {"p": 2}).context["rows"]) == 5
    assert staff_client.post(TEAM_LOG).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert admin.site.is_registered(KeyFigure)


def test_the_team_log_is_closed_to_anonymous_visitors(client):
    response = client.get(TEAM_LOG)
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
