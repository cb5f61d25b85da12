"""The conversation on an enquiry: officers reply from the admin (from snippets, after a
preview, through the outbox), investors answer on their private page, and what the investor
wrote or was sent stays as it was."""

import re
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from promotion import services, spam
from promotion.models import Enquiry, EnquiryMessage, EnquiryNote, OutgoingMail, ReplySnippet

from .factories import days_ago, make_enquiry, status_path

pytestmark = pytest.mark.django_db

TEAM = "promotion@zone.example.cn"
STATUS_LINK = re.compile(r"https://zone\.example\.cn(/[a-z-]+/enquiry/status/[^/\s]+/)")


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = [TEAM]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.ENQUIRY_INVALID_RATE_LIMIT = "100/h"
    settings.SITE_URL = "https://zone.example.cn"
    return settings


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@zone.example.cn", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(user)
    return client


def change_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_change", args=[enquiry.pk])


def reply_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_reply", args=[enquiry.pk])


def reply_data(button="_send", **fields) -> dict:
    data = {
        "reply-snippet": "",
        "reply-body": "Thank you. Plot A3 in the Electronics Park has 30,000 m² ready.",
        "reply-language": "en",
        "reply-status": "awaiting_investor",
        button: "1",
    }
    data.update({f"reply-{name}": value for name, value in fields.items()})
    return data


def answer_data(**fields) -> dict:
    """What the investor's browser sends from the status page; the page was opened a minute ago."""
    data = {
        "form": "answer",
        "answer-body": "Thank you. Could we visit the plot in March?",
        "answer-website": "",
        "answer-started": spam.form_started_token(time.time() - 60),
    }
    data.update({f"answer-{name}": value for name, value in fields.items()})
    return data


def sent_to(address: str):
    return [m for m in mail.outbox if address in m.to]


# --- Replies from the admin -----------------------------------------------------------------


def test_the_change_page_shows_the_message_the_thread_then_the_reply_box(officer_client, officer):
    enquiry = make_enquiry(message="We need 30,000 m² near the railway.")
    EnquiryMessage.objects.create(enquiry=enquiry, direction="reply", author=officer, body="First reply", language="en")
    EnquiryMessage.objects.create(enquiry=enquiry, direction="answer", body="Investor's answer", language="en")
    EnquiryNote.objects.create(enquiry=enquiry, author=officer, text="Internal: call on Monday")

    body = officer_client.get(change_url(enquiry)).content.decode()
    order = [
        body.index("We need 30,000 m² near the railway."),
        body.index("Reply from Fang Wang"),
        body.index("First reply"),
        body.index("Answer from the investor"),
        body.index("Investor&#x27;s answer"),
        body.index('id="enquiry-reply"'),
        body.index('id="enquiry_form"'),
        body.index("Internal: call on Monday"),
    ]
    assert order == sorted(order)
    assert body.count("We need 30,000 m² near the railway.") == 1  # said once: in the conversation
    assert f'action="{reply_url(enquiry)}#reply-box"' in body
    assert '<label for="id_reply-body" class="required">' in body


def test_the_reply_is_written_in_the_enquirys_language_by_default(officer_client):
    enquiry = make_enquiry(language="zh-hans")
    form = officer_client.get(change_url(enquiry)).context["reply_form"]
    assert form["language"].value() == "zh-hans"
    assert form["status"].value() == Enquiry.Status.AWAITING_INVESTOR
    assert [value for value, _label in form.fields["status"].choices] == list(services.REPLY_STATUSES)


def test_preview_shows_the_mail_as_it_will_be_sent_and_sends_nothing(officer_client):
    enquiry = make_enquiry(name="Li Wei", email="li.wei@example.com")
    mail.outbox.clear()
    response = officer_client.post(reply_url(enquiry), reply_data("_preview"))
    assert response.status_code == HTTPStatus.OK
    preview = response.context["reply_preview"]
    subject, body = services.reply_mail(enquiry, reply_data()["reply-body"], response.wsgi_request.user, "en")
    assert preview["subject"] == subject and enquiry.reference in subject
    assert preview["body"] == body
    assert preview["to"] == "li.wei@example.com" and preview["reply_to"] == [TEAM]
    page = response.content.decode()
    assert "Preview: the mail as it will be sent" in page
    assert "Dear Li Wei," in page and "Plot A3 in the Electronics Park" in page
    assert services.status_url(enquiry) in page
    assert "Fang Wang" in body  # signed with the officer's name
    # The page is the change page again: its own form still posts to the change page.
    assert f'action="{change_url(enquiry)}"' in page
    assert response.context["reply_form"]["body"].value() == reply_data()["reply-body"]

    assert mail.outbox == []
    assert not EnquiryMessage.objects.exists()
    assert not OutgoingMail.objects.filter(kind=OutgoingMail.Kind.REPLY).exists()
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at is None and enquiry.status == Enquiry.Status.NEW


def test_sending_a_reply_threads_it_mails_it_and_moves_the_status(officer_client, officer):
    enquiry = make_enquiry(email="li.wei@example.com")
    mail.outbox.clear()
    response = officer_client.post(reply_url(enquiry), reply_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{change_url(enquiry)}#conversation"

    message = EnquiryMessage.objects.get(enquiry=enquiry)
    assert (message.direction, message.author, message.language) == ("reply", officer, "en")
    assert message.body == reply_data()["reply-body"]
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.AWAITING_INVESTOR
    assert enquiry.first_reply_at == message.created_at

    (sent,) = mail.outbox
    assert sent.to == ["li.wei@example.com"]
    assert sent.reply_to == [TEAM]  # nobody owns it yet
    assert sent.subject == f"Reply to your enquiry {enquiry.reference} from the Hongqi Canal ETDZ"
    assert message.body in sent.body
    assert STATUS_LINK.search(sent.body).group(0) == services.status_url(enquiry)
    queued = OutgoingMail.objects.get(kind=OutgoingMail.Kind.REPLY)
    assert queued.sent_at is not None and queued.reply_to == TEAM and queued.enquiry == enquiry

    page = officer_client.get(change_url(enquiry)).content.decode()
    assert "Your reply was sent to li.wei@example.com." in page
    assert "Reply from Fang Wang" in page and message.body in page
    entry = LogEntry.objects.get(object_id=str(enquiry.pk))
    assert entry.user == officer
    assert "Status" in entry.get_change_message() and "First replied" in entry.get_change_message()


def test_only_the_first_reply_sets_first_reply_at_and_the_officer_may_choose_the_status(officer_client):
    enquiry = make_enquiry()
    officer_client.post(reply_url(enquiry), reply_data())
    enquiry.refresh_from_db()
    first = enquiry.first_reply_at
    officer_client.post(
        reply_url(enquiry), reply_data(body="The land price is 120,000 yuan per mu.", status="qualified")
    )
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at == first
    assert enquiry.status == Enquiry.Status.QUALIFIED
    assert enquiry.thread.count() == 2


def test_replies_and_acknowledgements_reach_the_owner_or_the_team(officer_client, officer):
    enquiry = make_enquiry(email="li.wei@example.com")
    acknowledgement = sent_to("li.wei@example.com")[0]
    assert acknowledgement.reply_to == [TEAM]
    assert OutgoingMail.objects.get(kind=OutgoingMail.Kind.ACKNOWLEDGEMENT).reply_to == TEAM

    Enquiry.objects.filter(pk=enquiry.pk).update(owner=officer)
    mail.outbox.clear()
    officer_client.post(reply_url(enquiry), reply_data())
    (reply,) = mail.outbox
    assert reply.reply_to == ["wang.fang@zone.example.cn"]
    assert reply.message()["Reply-To"] == "wang.fang@zone.example.cn"


def test_the_reply_to_falls_back_on_the_officers_when_no_team_address_is_set(settings, officer):
    settings.ENQUIRY_NOTIFY_EMAILS = []
    make_enquiry(email="li.wei@example.com")
    (acknowledgement,) = sent_to("li.wei@example.com")
    assert acknowledgement.reply_to == ["wang.fang@zone.example.cn"]


def test_a_new_status_link_carries_the_reply_to_as_well(officer):
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(owner=officer)
    enquiry.refresh_from_db()
    assert services.renew_status_link(enquiry).reply_to == "wang.fang@zone.example.cn"


def test_a_snippet_starts_the_reply_in_the_enquirys_language(officer_client):
    snippet = ReplySnippet.objects.create(
        title_en="Land prices",
        body_en="Industrial land costs 120,000 yuan per mu.",
        body_zh_hans="工业用地每亩12万元。",
    )
    chinese = make_enquiry(language="zh-hans")
    form = officer_client.get(change_url(chinese), {"snippet": snippet.pk}).context["reply_form"]
    assert form["body"].value() == "工业用地每亩12万元。"
    english = make_enquiry()
    body = officer_client.get(change_url(english), {"snippet": snippet.pk}).content.decode()
    assert "Industrial land costs 120,000 yuan per mu.</textarea>" in body
    for garbage in ["abc", "-1", "9" * 30, "١", "", "1 OR 1=1"]:
        response = officer_client.get(change_url(english), {"snippet": garbage})
        assert response.status_code == HTTPStatus.OK, garbage
        assert not response.context["reply_form"]["body"].value()


def test_insert_snippet_adds_its_text_to_what_was_typed_without_javascript(officer_client):
    snippet = ReplySnippet.objects.create(
        title_en="Land", body_en="Land: 120,000 yuan per mu.", body_zh_hans="土地：每亩12万元。"
    )
    enquiry = make_enquiry()
    data = reply_data("_insert", body="Dear partner, here are our prices.", snippet=str(snippet.pk), language="zh-hans")
    response = officer_client.post(reply_url(enquiry), data)
    assert response.status_code == HTTPStatus.OK
    form = response.context["reply_form"]
    assert form["body"].value() == "Dear partner, here are our prices.\n\n土地：每亩12万元。"
    assert form["language"].value() == "zh-hans"
    assert not EnquiryMessage.objects.exists() and mail.outbox[-1].subject.startswith("New enquiry")

    response = officer_client.post(reply_url(enquiry), reply_data("_insert", body="Kept as typed"))
    assert response.context["reply_form"]["body"].value() == "Kept as typed"
    assert "Choose a snippet to insert first." in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"body": ""},
        {"body": "   \n  "},
        {"body": "x" * 10001},
        {"body": "nul \x00 byte"},
        {"status": "spam"},
        {"status": "new"},
        {"status": ""},
        {"language": "fr"},
    ],
)
def test_a_reply_with_bad_input_comes_back_with_errors_and_stores_nothing(officer_client, fields):
    enquiry = make_enquiry()
    mail.outbox.clear()
    response = officer_client.post(reply_url(enquiry), reply_data(**fields))
    assert response.status_code == HTTPStatus.OK
    assert response.context["reply_form"].errors
    assert "Please correct the error below." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not EnquiryMessage.objects.exists() and mail.outbox == []
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW


def test_the_reply_and_its_mail_are_one_transaction(officer_client):
    enquiry = make_enquiry()
    with (
        mock.patch("promotion.outbox.OutgoingMail.objects.create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        officer_client.post(reply_url(enquiry), reply_data())
    enquiry.refresh_from_db()
    assert not EnquiryMessage.objects.exists()
    assert enquiry.first_reply_at is None and enquiry.status == Enquiry.Status.NEW
    assert not LogEntry.objects.filter(object_id=str(enquiry.pk)).exists()


def test_a_reply_the_mail_server_refuses_is_kept_and_retried(officer_client, settings):
    enquiry = make_enquiry()
    settings.EMAIL_BACKEND = "tests.failing_mail.EmailBackend"
    response = officer_client.post(reply_url(enquiry), reply_data(), follow=True)
    assert "it will be sent again" in response.content.decode()
    queued = OutgoingMail.objects.get(kind=OutgoingMail.Kind.REPLY)
    assert queued.sent_at is None and queued.attempts == 1
    assert EnquiryMessage.objects.filter(enquiry=enquiry).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("send_pending_mail")
    queued.refresh_from_db()
    assert queued.sent_at is not None
    replies = [m for m in mail.outbox if m.subject.startswith("Reply to your enquiry")]
    assert replies and replies[0].reply_to == [TEAM]


def test_what_the_investor_wrote_and_sent_replies_cannot_be_edited(officer_client, officer):
    enquiry = make_enquiry(message="Original words")
    officer_client.post(reply_url(enquiry), reply_data(body="Sent words"))
    form = officer_client.get(change_url(enquiry)).context["adminform"].form
    assert "message" not in form.fields and "thread" not in form.fields
    assert not officer.has_perm("promotion.change_enquirymessage")
    assert not officer.has_perm("promotion.delete_enquirymessage")
    with pytest.raises(NoReverseMatch):
        reverse("admin:promotion_enquirymessage_changelist")
    message = EnquiryMessage.objects.get()
    # Posting the change page with the thread's text changes neither.
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"notes-TOTAL_FORMS": "1", "notes-INITIAL_FORMS": "0", "notes-0-text": ""})
    data.update({"message": "Rewritten", "thread-0-body": "Rewritten", "body": "Rewritten"})
    officer_client.post(change_url(enquiry), {k: v for k, v in data.items() if v is not None})
    enquiry.refresh_from_db(), message.refresh_from_db()
    assert (enquiry.message, message.body) == ("Original words", "Sent words")


def test_editors_see_no_replies_and_cannot_send_one(editor_client):
    enquiry = make_enquiry()
    EnquiryMessage.objects.create(enquiry=enquiry, direction="answer", body="Private answer", language="en")
    assert editor_client.get(change_url(enquiry)).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.post(reply_url(enquiry), reply_data()).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.post(reply_url(enquiry), reply_data("_preview")).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.get(reverse("admin:promotion_replysnippet_changelist")).status_code == HTTPStatus.FORBIDDEN
    assert editor_client.get(reverse("admin:promotion_outgoingmail_changelist")).status_code == HTTPStatus.FORBIDDEN
    assert EnquiryMessage.objects.filter(direction="reply").count() == 0
    assert "Private answer" not in editor_client.get(reverse("admin:index")).content.decode()


def test_officers_keep_the_snippets(officer_client):
    response = officer_client.post(
        reverse("admin:promotion_replysnippet_add"),
        {
            "title_en": "Tax sharing",
            "title_zh_hans": "税收分成",
            "body_en": "8:2.",
            "body_zh_hans": "8∶2。",
            "position": 0,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    snippet = ReplySnippet.objects.get()
    assert services.snippet_text(snippet, "zh-hans") == "8∶2。"
    assert officer_client.get(reverse("admin:promotion_replysnippet_changelist")).status_code == HTTPStatus.OK


def test_a_view_only_user_sees_the_thread_but_no_reply_box(client, django_user_model, officer):
    viewer = django_user_model.objects.create_user("viewer", "v@zone.example.cn", "pw", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_enquiry"))
    client.force_login(viewer)
    enquiry = make_enquiry()
    EnquiryMessage.objects.create(enquiry=enquiry, direction="reply", author=officer, body="Seen", language="en")
    response = client.get(change_url(enquiry))
    assert "Seen" in response.content.decode() and response.context["reply_form"] is None
    assert client.post(reply_url(enquiry), reply_data()).status_code == HTTPStatus.FORBIDDEN


def test_an_anonymised_enquiry_takes_no_reply_and_its_thread_is_erased(officer_client, officer):
    enquiry = make_enquiry(received_at=days_ago(800))
    EnquiryMessage.objects.create(
        enquiry=enquiry, direction="reply", author=officer, body="Dear Mr Zhang", language="en"
    )
    services.anonymise_old_enquiries(days=730)
    assert EnquiryMessage.objects.get().body == services.ANONYMISED
    assert officer_client.get(change_url(enquiry)).context["reply_form"] is None
    response = officer_client.post(reply_url(enquiry), reply_data(), follow=True)
    assert "there is no one to reply to" in response.content.decode()
    assert EnquiryMessage.objects.count() == 1
    assert not OutgoingMail.objects.filter(kind=OutgoingMail.Kind.REPLY).exists()


def test_the_reply_views_answer_get_and_unknown_enquiries_without_errors(officer_client):
    enquiry = make_enquiry()
    assert officer_client.get(reply_url(enquiry))["Location"] == change_url(enquiry)
    missing = reverse("admin:promotion_enquiry_reply", args=[999999])
    assert officer_client.post(missing, reply_data()).status_code == HTTPStatus.FOUND
    assert not EnquiryMessage.objects.exists()


def test_the_change_page_stays_within_its_query_budget(officer_client, officer):
    enquiry = make_enquiry()
    for number in range(5):
        EnquiryMessage.objects.create(
            enquiry=enquiry, direction="reply", author=officer, body=f"R{number}", language="en"
        )
        EnquiryMessage.objects.create(enquiry=enquiry, direction="answer", body=f"A{number}", language="en")
    ReplySnippet.objects.create(title_en="One", body_en="One")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        officer_client.get(change_url(enquiry))
    for number in range(20):
        EnquiryMessage.objects.create(
            enquiry=enquiry, direction="reply", author=officer, body=f"S{number}", language="en"
        )
    with CaptureQueriesContext(connection) as many:
        officer_client.get(change_url(enquiry))
    assert len(many) == len(few)


# --- The investor's answers on the private page ---------------------------------------------


def test_the_status_page_shows_replies_and_answers_but_never_notes(client, officer):
    enquiry = make_enquiry()
    services.send_reply(enquiry, author=officer, body="Our reply about land", language="en")
    EnquiryMessage.objects.create(enquiry=enquiry, direction="answer", body="My earlier answer", language="en")
    EnquiryNote.objects.create(enquiry=enquiry, author=officer, text="Internal: budget looks thin")
    response = client.get(status_path(enquiry))
    body = response.content.decode()
    assert body.index("Our reply about land") < body.index("My earlier answer") < body.index('id="answer"')
    assert "Reply from the zone · Fang Wang" in body
    assert "budget looks thin" not in body
    assert "wangfang" not in body  # the login name is not for investors
    assert response["Cache-Control"] == "private, no-store"


def test_an_answer_is_threaded_mailed_to_the_owner_and_brings_the_enquiry_back_in_progress(client, officer):
    enquiry = make_enquiry(organisation="Example Auto Parts")
    Enquiry.objects.filter(pk=enquiry.pk).update(owner=officer)
    services.send_reply(enquiry, author=officer, body="Which month suits you?", language="en")
    mail.outbox.clear()

    response = client.post(status_path(enquiry), answer_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{status_path(enquiry)}?sent=answer#answer"
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "same-origin"

    answer = EnquiryMessage.objects.get(direction="answer")
    assert (answer.body, answer.author, answer.language) == ("Thank you. Could we visit the plot in March?", None, "en")
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.IN_PROGRESS

    (notice,) = mail.outbox
    assert notice.to == ["wang.fang@zone.example.cn"]
    assert notice.subject == f"Answer on enquiry {enquiry.reference} from Example Auto Parts"
    assert answer.body in notice.body
    assert f"https://zone.example.cn{change_url(enquiry)}#conversation" in notice.body
    assert OutgoingMail.objects.get(kind=OutgoingMail.Kind.ANSWER).sent_at is not None
    entry = LogEntry.objects.filter(object_id=str(enquiry.pk)).latest("action_time")
    assert entry.user.get_username() == "zone-site" and "Status" in entry.get_change_message()

    page = client.get(response["Location"]).content.decode()
    assert "Thank you: your answer has been sent" in page
    assert page.index("Which month suits you?") < page.index("Could we visit the plot in March?")


def test_an_answer_on_an_enquiry_nobody_owns_goes_to_the_team_and_a_new_one_stays_new(client):
    enquiry = make_enquiry()
    mail.outbox.clear()
    client.post(status_path(enquiry), answer_data())
    (notice,) = mail.outbox
    assert notice.to == [TEAM]
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW  # no one has replied yet: it still counts as unanswered


def test_an_answer_on_a_quarantined_enquiry_is_kept_quietly(client):
    enquiry = make_enquiry(status=Enquiry.Status.SPAM)
    mail.outbox.clear()
    response = client.post(status_path(enquiry), answer_data(), follow=True)
    assert "Spam" not in response.content.decode() and "spam" not in response.content.decode()
    assert EnquiryMessage.objects.filter(enquiry=enquiry).count() == 1
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.SPAM and mail.outbox == []


def test_the_answer_form_is_accessible_and_has_the_enquiry_forms_defences(client):
    enquiry = make_enquiry()
    body = client.get(status_path(enquiry)).content.decode()
    assert re.search(r'<label\s+for="id_answer-body"', body)
    assert 'name="answer-website"' in body and "enquiry-trap" in body
    assert 'name="answer-started"' in body and 'type="file"' not in body and "multipart" not in body
    assert 'action="' + status_path(enquiry) + '#answer"' in body

    response = client.post(status_path(enquiry), answer_data(body=""))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<a href="#id_answer-body">Your answer: Please write your answer before sending it.</a>' in page
    assert 'aria-describedby="id_answer-body_helptext id_answer-body_error"' in page
    assert not EnquiryMessage.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"website": "http://spam.example"},  # the field people never see
        {"started": "a second ago"},  # sent a second after opening the page
        {"started": "forged"},
        {"started": ""},
    ],
)
def test_answers_that_look_automated_are_dropped_quietly(client, fields):
    if fields.get("started") == "a second ago":
        fields = {"started": spam.form_started_token(time.time() - 1)}
    enquiry = make_enquiry()
    mail.outbox.clear()
    response = client.post(status_path(enquiry), answer_data(**fields))
    assert response.status_code == HTTPStatus.FOUND
    assert not EnquiryMessage.objects.exists() and mail.outbox == []


def test_an_answer_form_is_sent_once(client):
    enquiry = make_enquiry()
    data = answer_data()
    assert client.post(status_path(enquiry), data).status_code == HTTPStatus.FOUND
    assert client.post(status_path(enquiry), data).status_code == HTTPStatus.FOUND
    assert EnquiryMessage.objects.count() == 1


def test_an_answer_form_open_for_too_long_comes_back_with_the_text_and_a_new_clock(client, settings):
    enquiry = make_enquiry()
    old = spam.form_started_token(time.time() - (settings.ENQUIRY_FORM_MAX_HOURS * 3600 + 60))
    response = client.post(status_path(enquiry), answer_data(started=old, body="Typed long ago"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "your answer was not sent yet" in page and "Typed long ago</textarea>" in page
    fresh = response.context["answer_form"]["started"].value()
    assert fresh != old and spam.read_clock(fresh) is not None
    assert not EnquiryMessage.objects.exists()
    assert client.post(status_path(enquiry), answer_data(started=fresh)).status_code == HTTPStatus.FOUND


def test_answers_have_a_rate_limit_of_their_own(client, settings):
    settings.ENQUIRY_RATE_LIMIT = "2/h"
    enquiry = make_enquiry()
    for _ in range(2):
        assert client.post(status_path(enquiry), answer_data()).status_code == HTTPStatus.FOUND
    response = client.post(status_path(enquiry), answer_data(body="Third"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "please wait an hour" in response.content.decode() and "Third</textarea>" in response.content.decode()
    assert EnquiryMessage.objects.count() == 2
    # The enquiry form's allowance is its own.
    from promotion import ratelimit

    assert not ratelimit.exhausted("enquiry", "127.0.0.1", "2/h")


def test_a_flood_of_bad_answers_is_refused(client, settings):
    settings.ENQUIRY_INVALID_RATE_LIMIT = "3/h"
    enquiry = make_enquiry()
    for _ in range(3):
        assert client.post(status_path(enquiry), answer_data(body="")).status_code == HTTPStatus.OK
    assert client.post(status_path(enquiry), answer_data()).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not EnquiryMessage.objects.exists()


@pytest.mark.parametrize("status", [Enquiry.Status.LANDED, Enquiry.Status.NOT_PURSUED])
def test_a_concluded_enquiry_takes_no_answer(client, status):
    enquiry = make_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(status=status)
    page = client.get(status_path(enquiry)).content.decode()
    assert 'name="answer-body"' not in page and "takes no more answers" in page
    response = client.post(status_path(enquiry), answer_data())
    assert response.status_code == HTTPStatus.CONFLICT
    assert "This enquiry is concluded" in response.content.decode()
    assert not EnquiryMessage.objects.exists()


def test_an_anonymised_enquiry_takes_no_answer(client):
    enquiry = make_enquiry(received_at=days_ago(800))
    link = status_path(enquiry)
    services.anonymise_old_enquiries(days=730)
    response = client.post(link, answer_data())
    assert response.status_code == HTTPStatus.OK
    assert "This enquiry is closed." in response.content.decode()
    assert 'name="answer-body"' not in response.content.decode()
    assert not EnquiryMessage.objects.exists()


def test_a_forged_link_takes_no_answer(client):
    make_enquiry()
    response = client.post("/en/enquiry/status/HQ-2026-00001:forged/", answer_data())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not EnquiryMessage.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "x" * 5001},
        {"body": "\x00"},
        {"body": " \t\n "},
        {"body": "长" * 5001},
        {"website": "x" * 300},
    ],
)
def test_bad_answers_come_back_with_errors_and_store_nothing(client, fields):
    enquiry = make_enquiry()
    mail.outbox.clear()
    response = client.post(status_path(enquiry), answer_data(**fields))
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert not EnquiryMessage.objects.exists() and mail.outbox == []


ANY_TEXT = st.text(max_size=200) | st.sampled_from(["", " ", "\x00", "0", "-1", "1e309", "N" * 6000, "{{ 7*7 }}"])
ANSWER_FIELDS = ["form", "answer-body", "answer-website", "answer-started", "rating-rating", "rating-comment"]


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(fields=st.dictionaries(st.sampled_from(ANSWER_FIELDS), ANY_TEXT), keep_valid=st.booleans())
def test_arbitrary_input_on_the_status_page_never_causes_a_server_error(client, settings, fields, keep_valid):
    settings.ENQUIRY_RATE_LIMIT = settings.ENQUIRY_INVALID_RATE_LIMIT = "100000/h"
    enquiry = Enquiry.objects.filter(organisation="Hypothesis Ltd").first() or make_enquiry(
        organisation="Hypothesis Ltd"
    )
    data = {**answer_data(), **fields} if keep_valid else fields
    before = EnquiryMessage.objects.count()
    response = client.post(status_path(enquiry), data)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.CONFLICT)
    if response.status_code != HTTPStatus.FOUND:
        assert EnquiryMessage.objects.count() == before


def test_an_answer_goes_through_with_csrf_checks_on_and_in_chinese(settings):
    from django.test import Client

    settings.ENQUIRY_MIN_SECONDS = 0
    browser = Client(enforce_csrf_checks=True)
    enquiry = make_enquiry(language="zh-hans")
    page = browser.get(status_path(enquiry)).content.decode()
    assert status_path(enquiry).startswith("/zh-hans/")
    form = page[page.index('id="answer"') :]
    assert form.count('name="csrfmiddlewaretoken"') == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    started = re.search(r'name="answer-started" value="([^"]+)"', form).group(1)
    data = {**answer_data(started=started, body="我们希望三月份考察地块。"), "csrfmiddlewaretoken": token}
    assert browser.post(status_path(enquiry), data).status_code == HTTPStatus.FOUND
    answer = EnquiryMessage.objects.get()
    assert (answer.body, answer.language) == ("我们希望三月份考察地块。", "zh-hans")
    assert browser.post(status_path(enquiry), {**data, "csrfmiddlewaretoken": "forged"}).status_code == 403
