from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import ratelimit, services, spam
from ..caching import public_page
from ..clients import client_address
from ..forms import EnquiryForm
from ..models import (
    Enquiry,
    Industry,
    Park,
)
from .params import query_param


@require_http_methods(["GET", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        address = client_address(request)
        sender = address or "unknown"
        if ratelimit.exhausted("enquiry-invalid", sender, settings.ENQUIRY_INVALID_RATE_LIMIT):
            return rate_limited(request)
        form = EnquiryForm(request.POST)
        if form.is_valid():
            enquiry = form.save(commit=False)
            enquiry.language = get_language()
            enquiry.ip_address = address
            clock = form.cleaned_data["started"]
            reason = spam.spam_reason(form.cleaned_data["website"], clock)
            nonce = clock.nonce if clock else ""
            try:
                services.submit_enquiry(enquiry, spam_reason=reason, sender=sender, form_nonce=nonce)
            except services.AllowanceUsedUp:
                return rate_limited(request)
            return redirect("promotion:enquiry-sent", token=services.sent_page_token(enquiry))
        ratelimit.take("enquiry-invalid", sender, settings.ENQUIRY_INVALID_RATE_LIMIT)
    else:
        park = Park.objects.filter(slug=query_param(request, "park")).first()
        industry = Industry.objects.filter(slug=query_param(request, "industry")).first()
        form = EnquiryForm(initial={"park": park, "industry": industry})
    context = {"form": form, "response_hours": settings.ENQUIRY_RESPONSE_HOURS}
    return render(request, "promotion/enquiry_form.html", context)


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "promotion/enquiry_rate_limited.html", status=HTTPStatus.TOO_MANY_REQUESTS)


def private_page(response: HttpResponse) -> HttpResponse:
    """A page about one investor's enquiry: kept by no cache, indexed by no robot, and its
    address (a secret) sent to no other site or page as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def enquiry_sent(request: HttpRequest, token: str) -> HttpResponse:
    """The reference and what happens next, for SENT_PAGE_SECONDS; never the status link."""
    enquiry = services.enquiry_from_sent_token(token)
    status = HTTPStatus.OK if enquiry else HTTPStatus.NOT_FOUND
    return private_page(render(request, "promotion/enquiry_sent.html", {"enquiry": enquiry}, status=status))


@require_GET
def enquiry_status(request: HttpRequest, token: str) -> HttpResponse:
    """Where the enquiry stands; once anonymised, only that it is closed; for a withdrawn or
    forged link, only that the link is not valid."""
    enquiry = services.enquiry_from_token(token)
    if enquiry is None:
        context, status = {"enquiry": None}, HTTPStatus.NOT_FOUND
    elif enquiry.anonymised_at is not None:
        context, status = {"closed": True}, HTTPStatus.OK
    else:
        context, status = {"enquiry": enquiry, "stage": investor_stage(enquiry)}, HTTPStatus.OK
    return private_page(render(request, "promotion/enquiry_status.html", context, status=status))


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
        "response_hours": settings.ENQUIRY_RESPONSE_HOURS,
    }
    return render(request, "promotion/privacy.html", context)
