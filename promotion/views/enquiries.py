from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..caching import public_page
from ..clients import client_address
from ..forms import EnquiryAnswerForm, EnquiryForm, EnquiryRatingForm, blank_enquiry_form, blank_form, rendered
from ..models import Enquiry
from .params import query_param


@require_http_methods(["GET", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        address = client_address(request)
        if services.invalid_forms_used_up(address):
            return rate_limited(request)
        form = EnquiryForm(request.POST)
        if form.is_valid():
            try:
                enquiry = services.submit_enquiry(
                    form.enquiry(), address=address, spam_reason=form.spam_reason, form_nonce=form.nonce
                )
            except services.AllowanceUsedUp:
                return rate_limited(request)
            return redirect("promotion:enquiry-sent", token=services.sent_page_token(enquiry))
        services.count_invalid_form(address)
        form_html = rendered(form)
    else:
        form = None
        form_html = blank_enquiry_form(park=query_param(request, "park"), industry=query_param(request, "industry"))
    context = {"form": form, "form_html": form_html, "reply_working_days": settings.ENQUIRY_REPLY_WORKING_DAYS}
    return render(request, "promotion/enquiry_form.html", context)


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "promotion/enquiry_rate_limited.html", status=HTTPStatus.TOO_MANY_REQUESTS)


def private_page(response: HttpResponse, referrer: str = "no-referrer") -> HttpResponse:
    """A page about one investor's enquiry: kept by no cache, indexed by no robot, and its
    address (a secret) sent to no other site as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = referrer
    return response


def status_page(response: HttpResponse) -> HttpResponse:
    """The status page holds forms: under "no-referrer" browsers post them with `Origin: null`,
    which Django's CSRF check refuses; "same-origin" still tells no other site the address."""
    return private_page(response, referrer="same-origin")


@require_GET
def enquiry_sent(request: HttpRequest, token: str) -> HttpResponse:
    """The reference and what happens next, for SENT_PAGE_SECONDS; never the status link."""
    enquiry = services.enquiry_from_sent_token(token)
    status = HTTPStatus.OK if enquiry else HTTPStatus.NOT_FOUND
    return private_page(render(request, "promotion/enquiry_sent.html", {"enquiry": enquiry}, status=status))


@require_http_methods(["GET", "POST"])
def enquiry_status(request: HttpRequest, token: str) -> HttpResponse:
    """Where the enquiry stands, the conversation with the zone and a form to answer it; once the
    enquiry is concluded, an invitation to rate the service. Once anonymised, only that it is
    closed; for a withdrawn or forged link, only that the link is not valid. A form sent here
    redirects back to the page when it was taken; otherwise the page shows it with its errors."""
    enquiry = services.enquiry_from_token(token)
    if enquiry is None:
        response = render(request, "promotion/enquiry_status.html", {"enquiry": None}, status=HTTPStatus.NOT_FOUND)
        return status_page(response)
    if enquiry.anonymised_at is not None:
        return status_page(render(request, "promotion/enquiry_status.html", {"closed": True}))
    forms, status = {}, HTTPStatus.OK
    if request.method == "POST":
        kind = "rating" if request.POST.get("form") == "rating" else "answer"
        form, status, taken = (take_rating if kind == "rating" else take_answer)(request, enquiry)
        if taken:
            return status_page(redirect(f"{request.path}?sent={kind}#{kind}"))
        forms[f"{kind}_form"] = form
    sent = query_param(request, "sent") if request.method == "GET" else ""
    context = status_context(request, enquiry, sent=sent, **forms)
    return status_page(render(request, "promotion/enquiry_status.html", context, status=status))


ANSWER_REFUSED = {
    "too_many": _(
        "We have received many messages from your connection in a short time, so we cannot take another one right "
        "now. What you typed is still here: please wait an hour and send it again."
    ),
    "concluded": _("This enquiry is concluded, so it takes no more answers. For a new question, send a new enquiry."),
    "not_concluded": _("You can rate our service once your enquiry is concluded."),
}


def take_answer(request: HttpRequest, enquiry: Enquiry) -> tuple[EnquiryAnswerForm, HTTPStatus, bool]:
    """The investor's answer: taken (or, when it looks automated or was sent before, quietly
    dropped), or the form back with what was wrong. Nothing is stored unless it is taken."""
    address = client_address(request)
    form = EnquiryAnswerForm(request.POST)
    if services.invalid_forms_used_up(address, services.ANSWER_INVALID_SCOPE):
        return refused(form, "too_many"), HTTPStatus.TOO_MANY_REQUESTS, False
    if not form.is_valid():
        services.count_invalid_form(address, services.ANSWER_INVALID_SCOPE)
        return form, HTTPStatus.OK, False
    if not services.takes_answers(enquiry):
        return refused(form, "concluded"), HTTPStatus.CONFLICT, False
    try:
        services.record_answer(
            enquiry,
            form.cleaned_data["body"],
            language=get_language(),
            address=address,
            spam_reason=form.spam_reason,
            form_nonce=form.nonce,
        )
    except services.AllowanceUsedUp:
        return refused(form, "too_many"), HTTPStatus.TOO_MANY_REQUESTS, False
    except services.EnquiryClosed:
        return refused(form, "concluded"), HTTPStatus.CONFLICT, False
    return form, HTTPStatus.OK, True


def take_rating(request: HttpRequest, enquiry: Enquiry) -> tuple[EnquiryRatingForm, HTTPStatus, bool]:
    """The investor's rating, once, of a concluded enquiry; sent again (a second click), it is
    taken as the first was and changes nothing."""
    address = client_address(request)
    form = EnquiryRatingForm(request.POST)
    if services.invalid_forms_used_up(address, services.ANSWER_INVALID_SCOPE):
        return refused(form, "too_many"), HTTPStatus.TOO_MANY_REQUESTS, False
    if not form.is_valid():
        services.count_invalid_form(address, services.ANSWER_INVALID_SCOPE)
        return form, HTTPStatus.OK, False
    if services.rate_enquiry(enquiry, form.cleaned_data["rating"], form.cleaned_data["comment"]):
        return form, HTTPStatus.OK, True
    enquiry.refresh_from_db(fields=["rated_at", "status"])
    if enquiry.rated_at is not None:
        return form, HTTPStatus.OK, True
    return refused(form, "not_concluded"), HTTPStatus.CONFLICT, False


def refused(form, reason: str):
    """The form, valid or not, with why it was not taken at the top."""
    form.is_valid()
    form.add_error(None, ValidationError(ANSWER_REFUSED[reason], code=reason))
    return form


def status_context(
    request: HttpRequest,
    enquiry: Enquiry,
    *,
    answer_form: EnquiryAnswerForm | None = None,
    rating_form: EnquiryRatingForm | None = None,
    sent: str = "",
) -> dict:
    thread = list(enquiry.thread.select_related("author"))
    for message in thread:
        message.signature = services.officer_name(message.author)
    return {
        "enquiry": enquiry,
        "stage": investor_stage(enquiry),
        "thread": thread,
        "answer_form": answer_form,
        "answer_form_html": form_html(answer_form, EnquiryAnswerForm, services.takes_answers(enquiry)),
        "rating_form": rating_form,
        "rating_form_html": form_html(rating_form, EnquiryRatingForm, services.takes_rating(enquiry)),
        "sent": sent if sent in ("answer", "rating") else "",
        "page_url": request.path,
        "concluded": enquiry.status in services.CONCLUDED_STATUSES,
    }


def form_html(form, form_class, shown: bool) -> str:
    """A form sent back with its errors, or else a blank one of `form_class` when the page shows it ("" if not)."""
    if form is not None:
        return rendered(form)
    return blank_form(form_class) if shown else ""


def investor_stage(enquiry: Enquiry) -> dict:
    """What the investor may know of where their enquiry stands; spam looks like any new enquiry."""
    stages = {
        Enquiry.Status.NEW: (1, _("Received: an investment-promotion officer will reply by the date below.")),
        Enquiry.Status.SPAM: (1, _("Received: an investment-promotion officer will reply by the date below.")),
        Enquiry.Status.IN_PROGRESS: (2, _("An investment-promotion officer is working on your enquiry.")),
        Enquiry.Status.AWAITING_INVESTOR: (2, _("We have replied and are waiting for your answer.")),
        Enquiry.Status.QUALIFIED: (3, _("Your project is under detailed discussion with the zone.")),
        Enquiry.Status.LANDED: (4, _("Your project has been agreed with the zone.")),
        Enquiry.Status.NOT_PURSUED: (4, _("This enquiry is closed.")),
    }
    step, text = stages[enquiry.status]
    return {"step": step, "text": text}


@require_GET
@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "retention_days": settings.ENQUIRY_RETENTION_DAYS,
        "retention_years": f"{settings.ENQUIRY_RETENTION_DAYS / 365:.1f}".removesuffix(".0"),
    }
    return render(request, "promotion/privacy.html", context)
