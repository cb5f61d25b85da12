"""Once an enquiry is concluded the investor rates the service, once; a low rating is flagged to
the team and waits on the admin index until an officer records how it was followed up."""

import re
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from promotion import services
from promotion.models import Enquiry, OutgoingMail

from .factories import days_ago, make_enquiry, status_path

pytestmark = pytest.mark.django_db

TEAM = "promotion@zone.example.cn"


@pytest.fixture(autouse=True)
def enquiry_settings(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = [TEAM]
    settings.ENQUIRY_RATE_LIMIT = "100/h"
    settings.ENQUIRY_INVALID_RATE_LIMIT = "1000/h"
    settings.SITE_URL = "https://zone.example.cn"
    return settings


def concluded(status=Enquiry.Status.LANDED, **fields) -> Enquiry:
    enquiry = make_enquiry(**fields)
    Enquiry.objects.filter(pk=enquiry.pk).update(status=status)
    enquiry.refresh_from_db()
    mail.outbox.clear()
    return enquiry


def change_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_change", args=[enquiry.pk])


def follow_up_url(enquiry) -> str:
    return reverse("admin:promotion_enquiry_rating_follow_up", args=[enquiry.pk])


def rate(client, enquiry, rating, comment=""):
    data = {"form": "rating", "rating-rating": str(rating), "rating-comment": comment}
    return client.post(status_path(enquiry), data)


@pytest.mark.parametrize("status", [Enquiry.Status.LANDED, Enquiry.Status.NOT_PURSUED])
def test_a_concluded_enquiry_invites_a_rating_with_radio_buttons_in_a_fieldset(client, status):
    enquiry = concluded(status)
    body = client.get(status_path(enquiry)).content.decode()
    fieldset = body[body.index("<fieldset") : body.index("</fieldset>")]
    assert re.search(r"<legend[^>]*>\s*How satisfied are you with our service\?", fieldset)
    assert fieldset.count('type="radio"') == 5
    for value in range(1, 6):
        assert f'name="rating-rating" value="{value}"' in fieldset
    assert "5 – Very satisfied" in fieldset and "1 – Very dissatisfied" in fieldset
    assert re.search(r'<label\s+for="id_rating-comment"', body)
    assert 'name="form" value="rating"' in body


@pytest.mark.parametrize("status", [Enquiry.Status.NEW, Enquiry.Status.IN_PROGRESS, Enquiry.Status.QUALIFIED])
def test_an_open_enquiry_does_not_ask_for_a_rating(client, status):
    enquiry = concluded(status)
    body = client.get(status_path(enquiry)).content.decode()
    assert 'name="rating-rating"' not in body
    response = rate(client, enquiry, 5)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "once your enquiry is concluded" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.rating is None and enquiry.rated_at is None


def test_the_investor_rates_once(client):
    enquiry = concluded()
    response = rate(client, enquiry, 4, "Quick and helpful.")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{status_path(enquiry)}?sent=rating#rating"
    assert response["Cache-Control"] == "private, no-store"
    enquiry.refresh_from_db()
    assert (enquiry.rating, enquiry.rating_comment) == (4, "Quick and helpful.")
    assert enquiry.rated_at is not None
    assert mail.outbox == []  # only low ratings are flagged

    page = client.get(response["Location"]).content.decode()
    assert "Thank you for rating our service." in page and "4 out of 5" in page
    assert 'name="rating-rating"' not in page

    assert rate(client, enquiry, 1, "Changed my mind").status_code == HTTPStatus.FOUND
    enquiry.refresh_from_db()
    assert (enquiry.rating, enquiry.rating_comment) == (4, "Quick and helpful.")
    assert not services.rate_enquiry(enquiry, 1)


def test_a_low_rating_is_flagged_to_the_team_and_the_owner(client, officer):
    enquiry = concluded(Enquiry.Status.NOT_PURSUED, organisation="Example Auto Parts")
    Enquiry.objects.filter(pk=enquiry.pk).update(owner=officer)
    rate(client, enquiry, 2, "Nobody called back.")
    (flag,) = mail.outbox
    assert flag.to == [TEAM, "wang.fang@zone.example.cn"]
    assert flag.subject == f"Low rating (2 out of 5) on enquiry {enquiry.reference}"
    assert "Nobody called back." in flag.body and "Fang Wang" in flag.body
    assert f"https://zone.example.cn{change_url(enquiry)}#rating" in flag.body
    assert OutgoingMail.objects.get(kind=OutgoingMail.Kind.LOW_RATING).sent_at is not None
    assert list(Enquiry.objects.low_ratings_awaiting_follow_up()) == [enquiry]


def test_ratings_of_three_or_more_await_no_follow_up(client):
    for rating in (3, 4, 5):
        rate(client, concluded(), rating)
    assert mail.outbox == [] and not Enquiry.objects.low_ratings_awaiting_follow_up().exists()


def test_an_officer_records_the_follow_up_and_the_rating_leaves_the_list(client, officer_client, officer):
    enquiry = concluded()
    rate(client, enquiry, 1, "Too slow.")
    page = officer_client.get(change_url(enquiry)).content.decode()
    assert "1 – Very dissatisfied" in page and "Too slow." in page and "low, awaiting follow-up" in page
    assert f'action="{follow_up_url(enquiry)}#rating"' in page

    response = officer_client.post(follow_up_url(enquiry), {"follow-up-note": ""})
    assert response.status_code == HTTPStatus.OK
    assert "Say how the rating was followed up." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.rating_followed_up_at is None

    note = "Called the investor on 3 March; apologised and arranged a site visit."
    response = officer_client.post(follow_up_url(enquiry), {"follow-up-note": note})
    assert response["Location"] == f"{change_url(enquiry)}#rating"
    enquiry.refresh_from_db()
    assert enquiry.rating_followed_up_at is not None and enquiry.rating_follow_up_note == note
    assert not Enquiry.objects.low_ratings_awaiting_follow_up().exists()
    entry = LogEntry.objects.filter(object_id=str(enquiry.pk)).latest("action_time")
    assert entry.user == officer and "Low rating followed up" in entry.get_change_message()

    page = officer_client.get(change_url(enquiry)).content.decode()
    assert note in page and "low, followed up" in page and 'name="follow-up-note"' not in page
    officer_client.post(follow_up_url(enquiry), {"follow-up-note": "Again"})
    enquiry.refresh_from_db()
    assert enquiry.rating_follow_up_note == note


def test_a_good_rating_cannot_be_marked_followed_up(client, officer_client):
    enquiry = concluded()
    rate(client, enquiry, 5)
    assert 'name="follow-up-note"' not in officer_client.get(change_url(enquiry)).content.decode()
    response = officer_client.post(follow_up_url(enquiry), {"follow-up-note": "n/a"}, follow=True)
    assert "needs no follow-up" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.rating_followed_up_at is None


def test_editors_cannot_see_ratings_or_follow_them_up(client, django_user_model):
    enquiry = concluded()
    services.rate_enquiry(enquiry, 1, "Private comment")
    editor = django_user_model.objects.create_user("editor", "editor@zone.example.cn", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)
    assert client.get(change_url(enquiry)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(follow_up_url(enquiry), {"follow-up-note": "x"}).status_code == HTTPStatus.FORBIDDEN
    assert "Private comment" not in client.get(reverse("admin:index")).content.decode()
    enquiry.refresh_from_db()
    assert enquiry.rating_followed_up_at is None


def test_anonymising_erases_the_comment_and_keeps_the_rating(client):
    enquiry = concluded(received_at=days_ago(800))
    rate(client, enquiry, 2, "Mr Zhang of Example Auto Parts was unhappy")
    services.anonymise_old_enquiries(days=730)
    enquiry.refresh_from_db()
    assert enquiry.rating == 2 and enquiry.rating_comment == ""
    assert not Enquiry.objects.low_ratings_awaiting_follow_up().exists()
    assert rate(client, enquiry, 5).status_code == HTTPStatus.OK  # the closed page; nothing changes
    enquiry.refresh_from_db()
    assert enquiry.rating == 2


@pytest.mark.parametrize(
    "rating, comment",
    [
        ("", ""),
        ("0", ""),
        ("6", ""),
        ("-1", ""),
        ("abc", ""),
        ("1.5", ""),
        ("٣", ""),  # an Arabic-Indic three
        (" 4 ", "x" * 2001),
        ("4", "nul \x00 byte"),
        ("9" * 40, ""),
        ("1e309", ""),
    ],
)
def test_bad_ratings_come_back_with_errors_and_store_nothing(client, rating, comment):
    enquiry = concluded()
    response = rate(client, enquiry, rating, comment)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Please correct the following:" in page
    assert 'href="#id_rating-rating_0"' in page or 'href="#id_rating-comment"' in page
    enquiry.refresh_from_db()
    assert enquiry.rating is None and enquiry.rated_at is None and mail.outbox == []


def test_the_rating_error_links_to_the_first_radio_button(client):
    enquiry = concluded()
    page = rate(client, enquiry, "").content.decode()
    assert (
        '<a href="#id_rating-rating_0">How satisfied are you with our service?: Choose a rating from 1 to 5.</a>'
        in page
    )
    assert 'id="id_rating-rating_0"' in page


RATING_FIELDS = ["form", "rating-rating", "rating-comment", "answer-body"]
ANY_TEXT = st.text(max_size=100) | st.sampled_from(["", "0", "1", "5", "6", "-1", "\x00", "1e309", "x" * 3000])


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(fields=st.dictionaries(st.sampled_from(RATING_FIELDS), ANY_TEXT))
def test_arbitrary_input_on_the_rating_form_never_causes_a_server_error(client, fields):
    enquiry = Enquiry.objects.filter(organisation="Hypothesis Ltd").first() or concluded(organisation="Hypothesis Ltd")
    response = client.post(status_path(enquiry), {"form": "rating", **fields})
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.CONFLICT)
    enquiry.refresh_from_db()
    if response.status_code != HTTPStatus.FOUND:
        assert enquiry.rated_at is None
    Enquiry.objects.filter(pk=enquiry.pk).update(rating=None, rating_comment="", rated_at=None)
