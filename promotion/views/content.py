from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..caching import public_page
from ..figure_text import figures_named
from ..forms import TaxShareForm
from ..models import (
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
from .params import query_param

ENTERPRISES_PER_PAGE = 12
# Detail pages list this many related enterprises and link to the directory for the rest.
RELATED_LIMIT = 24
ENVIRONMENT_TOPICS = [Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION]
ENVIRONMENT_CATEGORIES = [
    KeyFigure.Category.INFRASTRUCTURE,
    KeyFigure.Category.INFORMATISATION,
    KeyFigure.Category.URBANISATION,
]
INNOVATION_TOPICS = [Highlight.Topic.INNOVATION, Highlight.Topic.TALENT]
# Places and policies these pages point to; editors may rename them, the slugs stay.
ENVIRONMENT_PARKS = ["huan-river-park", "e-commerce-base"]
INNOVATION_PARKS = ["tsinghua-new-material-base"]
INNOVATION_POLICIES = ["talent-100-entrepreneurs"]


def grouped(objects: list, field: str, choices) -> list[dict]:
    """Objects under the label of each choice of `field`, in the choices' order; empty groups left out."""
    groups = [
        {"label": label, "items": [o for o in objects if getattr(o, field) == value]}
        for value, label in choices.choices
    ]
    return [group for group in groups if group["items"]]


def last_updated(*groups) -> object:
    """The latest change among the objects a page shows, for its "last updated" line."""
    stamps = [obj.updated_at for group in groups for obj in group if getattr(obj, "updated_at", None)]
    return max(stamps, default=None)


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


def sections_updated(sections: list[dict]):
    return last_updated(*(section["highlights"] for section in sections), *(section["figures"] for section in sections))


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": ZoneProfile.objects.first(),
        "figures": list(KeyFigure.objects.headline()),
        "industries": list(Industry.objects.leading().prefetch_related("chain_stages")),
        "parks": list(Park.objects.filter(is_featured=True)),
        "policies": list(Policy.objects.filter(is_featured=True)),
        "projects": list(Project.objects.filter(is_featured=True)),
    }
    groups = [context[key] for key in ("figures", "industries", "parks", "policies", "projects")]
    context["updated_at"] = last_updated([context["profile"]] if context["profile"] else [], *groups)
    return render(request, "promotion/home.html", context)


@require_GET
@public_page
def about(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": get_object_or_404(ZoneProfile.objects.all()[:1]),
        "milestones": list(Milestone.objects.all()),
        "honours": list(Honour.objects.all()),
        "targets": list(PlanTarget.objects.select_related("baseline")),
    }
    # The key figures the overview names, in one query, and those the plan chart sets beside its targets.
    context["prose_figures"] = figures_named(context["profile"].overview)
    charted = [target.baseline for target in context["targets"] if target.baseline]
    context["updated_at"] = last_updated(
        [context["profile"]],
        context["milestones"],
        context["honours"],
        context["targets"],
        charted,
        context["prose_figures"].values(),
    )
    return render(request, "promotion/about.html", context)


@require_GET
@public_page
def figure_list(request: HttpRequest) -> HttpResponse:
    figures = list(KeyFigure.objects.all())
    context = {"groups": grouped(figures, "category", KeyFigure.Category), "updated_at": last_updated(figures)}
    return render(request, "promotion/figure_list.html", context)


@require_GET
@public_page
def park_list(request: HttpRequest) -> HttpResponse:
    parks = list(Park.objects.prefetch_related("industries"))
    return render(request, "promotion/park_list.html", {"parks": parks, "updated_at": last_updated(parks)})


@require_GET
@public_page
def park_detail(request: HttpRequest, slug: str) -> HttpResponse:
    park = get_object_or_404(Park, slug=slug)
    industries = list(park.industries.all())
    enterprises = list(Enterprise.objects.filter(park=park).select_related("industry"))
    in_industries = Enterprise.objects.filter(industry__in=industries).exclude(park=park).select_related("industry")
    context = {
        "park": park,
        "industries": industries,
        "enterprises": enterprises,
        "industry_enterprises": list(in_industries[:RELATED_LIMIT]),
        "projects": list(park.projects.select_related("enterprise")),
        "updated_at": park.updated_at,
    }
    return render(request, "promotion/park_detail.html", context)


@require_GET
@public_page
def industry_list(request: HttpRequest) -> HttpResponse:
    industries = list(Industry.objects.select_related("parent").prefetch_related("chain_stages"))
    context = {"industries": industries, "updated_at": last_updated(industries)}
    return render(request, "promotion/industry_list.html", context)


@require_GET
@public_page
def industry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    industry = get_object_or_404(Industry.objects.select_related("parent"), slug=slug)
    context = {
        "industry": industry,
        "stages": industry.chain_stages.all(),
        "branches": industry.branches.all(),
        "enterprises": list(industry.enterprises.select_related("park")[: RELATED_LIMIT + 1]),
        "related_limit": RELATED_LIMIT,
        "projects": industry.projects.all(),
        "parks": industry.parks.all(),
        "updated_at": industry.updated_at,
    }
    return render(request, "promotion/industry_detail.html", context)


@require_GET
@public_page(params=("industry", "park", "page"))
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = Enterprise.objects.select_related("industry", "park")
    industry = query_param(request, "industry")
    park = query_param(request, "park")
    if industry:
        enterprises = enterprises.filter(industry__slug=industry)
    if park:
        enterprises = enterprises.filter(park__slug=park)
    page = Paginator(enterprises, ENTERPRISES_PER_PAGE).get_page(query_param(request, "page"))
    context = {
        "page": page,
        "industries": Industry.objects.all(),
        "parks": Park.objects.all(),
        "selected_industry": industry,
        "selected_park": park,
        "updated_at": last_updated(page),
    }
    return render(request, "promotion/enterprise_list.html", context)


@require_GET
@public_page
def enterprise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.select_related("industry", "park"), slug=slug)
    context = {"enterprise": enterprise, "projects": enterprise.projects.all(), "updated_at": enterprise.updated_at}
    return render(request, "promotion/enterprise_detail.html", context)


@require_GET
@public_page
def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(Project.objects.all())
    context = {"groups": grouped(projects, "status", Project.Status), "updated_at": last_updated(projects)}
    return render(request, "promotion/project_list.html", context)


@require_GET
@public_page
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("enterprise", "industry", "park"), slug=slug)
    return render(request, "promotion/project_detail.html", {"project": project, "updated_at": project.updated_at})


@require_GET
@public_page
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = list(Policy.objects.all())
    return render(request, "promotion/policy_list.html", {"policies": policies, "updated_at": last_updated(policies)})


@require_GET
@public_page(params=("tax",))
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug)
    context = {"policy": policy, "measures": policy.measures.all(), "updated_at": policy.updated_at}
    if policy.shares_tax:
        calculator = TaxShareForm(request.GET if "tax" in request.GET else None)
        context["calculator"] = calculator
        if calculator.is_valid():
            tax = calculator.cleaned_data["tax"]
            context["split"] = dict(zip(("owner", "zone"), policy.split_tax(tax), strict=True), tax=tax)
    return render(request, "promotion/policy_detail.html", context)


@require_GET
@public_page
def environment(request: HttpRequest) -> HttpResponse:
    sections = topic_sections(ENVIRONMENT_TOPICS, ENVIRONMENT_CATEGORIES)
    parks = list(Park.objects.filter(slug__in=ENVIRONMENT_PARKS))
    context = {"sections": sections, "parks": parks, "updated_at": sections_updated(sections)}
    return render(request, "promotion/environment.html", context)


@require_GET
@public_page
def innovation(request: HttpRequest) -> HttpResponse:
    sections = topic_sections(INNOVATION_TOPICS, [KeyFigure.Category.INNOVATION])
    parks = list(Park.objects.filter(slug__in=INNOVATION_PARKS))
    policies = list(Policy.objects.filter(slug__in=INNOVATION_POLICIES))
    context = {"sections": sections, "parks": parks, "policies": policies, "updated_at": sections_updated(sections)}
    return render(request, "promotion/innovation.html", context)
