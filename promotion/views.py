from http import HTTPStatus

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from . import ratelimit, services, spam
from .forms import EnquiryForm
from .models import (
    Enquiry,
    Enterprise,
    Highlight,
    Honour,
    Industry,
    KeyFigure,
    Milestone,
    Park,
    PlanTarget,
    Policy,
    Project,
    ZoneProfile,
)

ENTERPRISES_PER_PAGE = 12
ENVIRONMENT_TOPICS = [Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION]
ENVIRONMENT_CATEGORIES = [
    KeyFigure.Category.INFRASTRUCTURE,
    KeyFigure.Category.INFORMATISATION,
    KeyFigure.Category.URBANISATION,
]
INNOVATION_TOPICS = [Highlight.Topic.INNOVATION, Highlight.Topic.TALENT]


def topic_sections(topics, categories) -> list[dict]:
    """Group highlights and figures under each topic, in one query each."""
    highlights = list(Highlight.objects.filter(topic__in=topics))
    figures = list(KeyFigure.objects.filter(category__in=categories))
    sections = []
    for topic in topics:
        sections.append(
            {
                "topic": topic,
                "label": Highlight.Topic(topic).label,
                "highlights": [h for h in highlights if h.topic == topic],
                "figures": [f for f in figures if f.category == topic],
            }
        )
    return sections


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": ZoneProfile.objects.first(),
        "figures": KeyFigure.objects.headline(),
        "industries": Industry.objects.leading().prefetch_related("chain_stages"),
        "parks": Park.objects.filter(is_featured=True),
        "policies": Policy.objects.filter(is_featured=True),
        "projects": Project.objects.filter(is_featured=True).select_related("enterprise", "park"),
    }
    return render(request, "promotion/home.html", context)


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": ZoneProfile.objects.first(),
        "figures": KeyFigure.objects.headline(),
        "milestones": Milestone.objects.all(),
        "honours": Honour.objects.all(),
        "targets": PlanTarget.objects.select_related("baseline"),
    }
    return render(request, "promotion/about.html", context)


@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    figures = list(KeyFigure.objects.all())
    groups = [
        {"label": label, "figures": [f for f in figures if f.category == value]}
        for value, label in KeyFigure.Category.choices
    ]
    return render(request, "promotion/figure_list.html", {"groups": [g for g in groups if g["figures"]]})


@require_GET
def park_list(request: HttpRequest) -> HttpResponse:
    parks = Park.objects.prefetch_related("industries")
    return render(request, "promotion/park_list.html", {"parks": parks})


@require_GET
def park_detail(request: HttpRequest, slug: str) -> HttpResponse:
    park = get_object_or_404(Park, slug=slug)
    industries = park.industries.all()
    context = {
        "park": park,
        "industries": industries,
        "enterprises": Enterprise.objects.filter(park=park).select_related("industry"),
        "projects": park.projects.select_related("enterprise"),
    }
    return render(request, "promotion/park_detail.html", context)


@require_GET
def industry_list(request: HttpRequest) -> HttpResponse:
    industries = Industry.objects.select_related("parent").prefetch_related("chain_stages")
    return render(request, "promotion/industry_list.html", {"industries": industries})


@require_GET
def industry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    industry = get_object_or_404(Industry.objects.select_related("parent"), slug=slug)
    context = {
        "industry": industry,
        "stages": industry.chain_stages.all(),
        "branches": industry.branches.all(),
        "enterprises": industry.enterprises.select_related("park"),
        "projects": industry.projects.all(),
        "parks": industry.parks.all(),
    }
    return render(request, "promotion/industry_detail.html", context)


@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = Enterprise.objects.select_related("industry", "park")
    industry = request.GET.get("industry", "")
    park = request.GET.get("park", "")
    if industry:
        enterprises = enterprises.filter(industry__slug=industry)
    if park:
        enterprises = enterprises.filter(park__slug=park)
    page = Paginator(enterprises, ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "industries": Industry.objects.all(),
        "parks": Park.objects.all(),
        "selected_industry": industry,
        "selected_park": park,
    }
    return render(request, "promotion/enterprise_list.html", context)


@require_GET
def enterprise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.select_related("industry", "park"), slug=slug)
    context = {"enterprise": enterprise, "projects": enterprise.projects.all()}
    return render(request, "promotion/enterprise_detail.html", context)


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.select_related("enterprise", "industry", "park")
    groups = [
        {"label": label, "projects": [p for p in projects if p.status == value]}
        for value, label in Project.Status.choices
    ]
    return render(request, "promotion/project_list.html", {"groups": [g for g in groups if g["projects"]]})


@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("enterprise", "industry", "park"), slug=slug)
    return render(request, "promotion/project_detail.html", {"project": project})


@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = Policy.objects.prefetch_related("measures")
    return render(request, "promotion/policy_list.html", {"policies": policies})


@require_GET
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug)
    return render(request, "promotion/policy_detail.html", {"policy": policy, "measures": policy.measures.all()})


@require_GET
def environment(request: HttpRequest) -> HttpResponse:
    context = {"sections": topic_sections(ENVIRONMENT_TOPICS, ENVIRONMENT_CATEGORIES)}
    return render(request, "promotion/environment.html", context)


@require_GET
def innovation(request: HttpRequest) -> HttpResponse:
    context = {"sections": topic_sections(INNOVATION_TOPICS, [KeyFigure.Category.INNOVATION])}
    return render(request, "promotion/innovation.html", context)


@require_http_methods(["GET", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not ratelimit.hit(request, "enquiry"):
            return render(request, "promotion/enquiry_rate_limited.html", status=HTTPStatus.TOO_MANY_REQUESTS)
        form = EnquiryForm(request.POST)
        if form.is_valid():
            enquiry = form.save(commit=False)
            enquiry.language = get_language()
            enquiry.ip_address = request.META.get("REMOTE_ADDR") or None
            reason = spam.spam_reason(form.cleaned_data["website"], form.cleaned_data["started"])
            services.submit_enquiry(enquiry, spam_reason=reason)
            return redirect("promotion:enquiry-sent", token=services.status_token(enquiry))
    else:
        park = Park.objects.filter(slug=request.GET.get("park", "")).first()
        industry = Industry.objects.filter(slug=request.GET.get("industry", "")).first()
        form = EnquiryForm(initial={"park": park, "industry": industry})
    context = {"form": form, "response_hours": settings.ENQUIRY_RESPONSE_HOURS}
    return render(request, "promotion/enquiry_form.html", context)


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
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "retention_days": settings.ENQUIRY_RETENTION_DAYS,
        "retention_years": round(settings.ENQUIRY_RETENTION_DAYS / 365, 1),
        "response_hours": settings.ENQUIRY_RESPONSE_HOURS,
    }
    return render(request, "promotion/privacy.html", context)
