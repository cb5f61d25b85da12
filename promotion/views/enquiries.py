from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import ratelimit, services, spam
from ..caching import public_page
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
        sender = ratelimit.client_address(request)
        if ratelimit.exhausted("enquiry-invalid", sender, settings.ENQUIRY_INVALID_RATE_LIMIT):
            return rate_limited(request)
        form = EnquiryForm(request.POST)
        if form.is_valid():
            enquiry = form.save(commit=False)
            enquiry.language = get_language()
            enquiry.ip_address = sender if sender != "unknown" else None
            reason = spam.spam_reason(form.cleaned_data["website"], form.cleaned_data["started"])
            try:
                services.submit_enquiry(enquiry, spam_reason=reason, sender=sender)
            except services.AllowanceUsedUp:
                return rate_limited(request)
            return redirect("promotion:enquiry-sent", token=services.status_token(enquiry))
        ratelimit.take("enquiry-invalid", sender, settings.ENQUIRY_INVALID_RATE_LIMIT)
    else:
        park = Park.objects.filter(slug=query_param(request, "park")).first()
        industry = Industry.objects.filter(slug=query_param(request, "industry")).first()
        form = EnquiryForm(initial={"park": park, "industry": industry})
    context = {"form": form, "response_hours": settings.ENQUIRY_RESPONSE_HOURS}
    return render(request, "promotion/enquiry_form.html", context)


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "promotion/enquiry_rate_limited.html", status=HTTPStatus.TOO_MANY_REQUESTS)


def enquiry_for_token(token: str) -> Enquiry:
    enquiry = services.enquiry_from_token(token)
    if enquiry is None:
        raise Http404
    return enquiry


@require_GET
def enquiry_sent(request: HttpRequest, token: str) -> HttpResponse:
    enquiry = enquiry_for_token(token)
    context = {
        "enquiry": enquiry,
        "status_url": request.build_absolute_uri(reverse("promotion:enquiry-status", kwargs={"token": token})),
    }
    response = render(request, "promotion/enquiry_sent.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def enquiry_status(request: HttpRequest, token: str) -> HttpResponse:
    enquiry = enquiry_for_token(token)
    response = render(request, "promotion/enquiry_status.html", {"enquiry": enquiry, "stage": investor_stage(enquiry)})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


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
        "retention_years": round(settings.ENQUIRY_RETENTION_DAYS / 365, 1),
        "response_hours": settings.ENQUIRY_RESPONSE_HOURS,
    }
    return render(request, "promotion/privacy.html", context)
