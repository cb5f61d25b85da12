from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..caching import public_page, site_chrome
from ..figure_text import figures_in, prose_of, slugs_in
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
)
from ..models.content import address_by_slug
from .params import query_param

ENTERPRISES_PER_PAGE = 12
# Parks, industries, projects and policies, as cards.
CARDS_PER_PAGE = 24
# A page number past any list's end (and inside what the database can count to).
MAX_PAGE_NUMBER = 10**6
# Detail pages list this many related enterprises and link to the directory for the rest.
RELATED_LIMIT = 24
ENVIRONMENT_TOPICS = [Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION]
ENVIRONMENT_CATEGORIES = [
    KeyFigure.Category.INFRASTRUCTURE,
    KeyFigure.Category.INFORMATISATION,
    KeyFigure.Category.URBANISATION,
]
INNOVATION_TOPICS = [Highlight.Topic.INNOVATION, Highlight.Topic.TALENT]


def grouped(objects: list, field: str, choices) -> list[dict]:
    """Objects under the label of each choice of `field`, in the choices' order; empty groups left out."""
    groups = [
        {"label": label, "items": [o for o in objects if getattr(o, field) == value]}
        for value, label in choices.choices
    ]
    return [group for group in groups if group["items"]]


class CountedPaginator(Paginator):
    """A paginator told its count (by card_page), so that it does not ask the database."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self.count = count


def page_number(text: str) -> int:
    """The page a visitor asked for: 1 when the parameter is no number or less than one."""
    try:
        number = int(text)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def card_page(request: HttpRequest, objects: QuerySet, per_page: int = CARDS_PER_PAGE) -> Page:
    """The page of `objects` the "page" parameter asks for, counted in the query that fetches it (a window over
    the whole list), so that paging costs no query of its own. Past the end, the last page, as Paginator.get_page
    gives it."""
    number = page_number(query_param(request, "page"))
    counted = objects.annotate(list_count=Window(Count("pk")))

    def rows(number: int) -> list:
        return list(counted[(number - 1) * per_page : number * per_page])

    found = rows(number)
    if found:
        count = found[0].list_count
    else:
        count = objects.count()
        number = max(1, -(-count // per_page))
        found = rows(number) if count else []
    paginator = CountedPaginator(count, per_page)
    return Page(found, number, paginator)


def with_urls(objects: Iterable, model) -> Iterable:
    """The objects of `model`, each given its page's address as `url`: one reverse() a list rather than one an
    object (models.content.address_by_slug)."""
    address = address_by_slug(model)
    for obj in objects:
        obj.url = address(obj.slug)
    return objects


def last_updated(*groups, stamps: Iterable = ()) -> object:
    """The latest change among the objects a page shows, for its "last updated" line: each group an iterable of
    objects (None, or objects without a stamp, skipped), the key figures its prose names among them; `stamps`,
    changes the page counted without fetching the objects (None skipped)."""
    stamps = [stamp for stamp in stamps if stamp]
    stamps += [obj.updated_at for group in groups if group for obj in group if getattr(obj, "updated_at", None)]
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


def sections_figures(sections: list[dict], *groups) -> dict:
    """The key figures the sections' highlights and the other objects name, those the sections chart not fetched
    again."""
    highlights = [h for section in sections for h in section["highlights"]]
    charted = [f for section in sections for f in section["figures"]]
    return figures_in(highlights, *groups, known=charted)


def sections_updated(sections: list[dict], *groups):
    return last_updated(
        *(section["highlights"] for section in sections), *(section["figures"] for section in sections), *groups
    )


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": site_chrome(request)["zone"],
        "industries": list(with_urls(Industry.objects.leading(), Industry)),
        "parks": list(with_urls(Park.objects.featured(), Park)),
        "policies": list(with_urls(Policy.objects.featured(), Policy)),
        "projects": list(with_urls(Project.objects.featured(), Project)),
    }
    groups = [context[key] for key in ("industries", "parks", "policies", "projects")]
    # The headline figures and those the cards' prose names, in one query.
    named = slugs_in(*prose_of(*groups))
    figures = list(KeyFigure.objects.filter(Q(is_headline=True) | Q(slug__in=named)))
    context["figures"] = [figure for figure in figures if figure.is_headline]
    context["prose_figures"] = {figure.slug: figure for figure in figures if figure.slug in named}
    context["updated_at"] = last_updated(
        [context["profile"]], context["figures"], *groups, context["prose_figures"].values()
    )
    return render(request, "promotion/home.html", context)


@require_GET
@public_page
def about(request: HttpRequest) -> HttpResponse:
    profile = site_chrome(request)["zone"]
    if profile is None:
        raise Http404
    context = {
        "profile": profile,
        "milestones": list(Milestone.objects.all()),
        "honours": list(Honour.objects.all()),
        "targets": list(PlanTarget.objects.select_related("baseline")),
    }
    # The key figures the plan chart sets beside its targets, and those the overview and history name (the ones
    # not charted in one query).
    charted = [target.baseline for target in context["targets"] if target.baseline]
    context["prose_figures"] = figures_in([context["profile"]], context["milestones"], known=charted)
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
@public_page(params=("page",))
def park_list(request: HttpRequest) -> HttpResponse:
    page = with_urls(card_page(request, Park.objects.all()), Park)
    figures = figures_in(page)
    # The parks' industries count too: their latest change, without fetching them.
    industries_changed = Industry.objects.filter(parks__in=page).aggregate(latest=Max("updated_at"))["latest"]
    context = {
        "page": page,
        "prose_figures": figures,
        "updated_at": last_updated(page, figures.values(), stamps=[industries_changed]),
    }
    return render(request, "promotion/park_list.html", context)


@require_GET
@public_page
def park_detail(request: HttpRequest, slug: str) -> HttpResponse:
    park = get_object_or_404(Park, slug=slug)
    industries = with_urls(list(park.industries.as_links()), Industry)
    # One more than are shown, to know whether to link to the directory for the rest.
    enterprises = list(Enterprise.objects.filter(park=park).as_links()[: RELATED_LIMIT + 1])
    in_industries = (
        Enterprise.objects.filter(industry__in=industries)
        .exclude(park=park)
        .select_related("industry")
        .as_links("industry__name", "industry__updated_at")
    )
    context = {
        "park": park,
        "industries": industries,
        "enterprises": with_urls(enterprises[:RELATED_LIMIT], Enterprise),
        "more_enterprises": len(enterprises) > RELATED_LIMIT,
        "industry_enterprises": with_urls(list(in_industries[:RELATED_LIMIT]), Enterprise),
        "projects": with_urls(list(park.projects.as_links("status", "park")), Project),
    }
    context["prose_figures"] = figures_in([park])
    context["updated_at"] = last_updated(
        [park],
        *(context[key] for key in ("industries", "enterprises", "industry_enterprises", "projects")),
        [enterprise.industry for enterprise in context["industry_enterprises"]],
        context["prose_figures"].values(),
    )
    return render(request, "promotion/park_detail.html", context)


@require_GET
@public_page(params=("page",))
def industry_list(request: HttpRequest) -> HttpResponse:
    # The stages as a plain list on each industry: cheaper than a prefetched manager for each.
    stages = Prefetch("chain_stages", to_attr="stages")
    page = card_page(request, Industry.objects.select_related("parent").prefetch_related(stages))
    with_urls(page, Industry)
    figures = figures_in(page)
    context = {
        "page": page,
        "prose_figures": figures,
        "updated_at": last_updated(page, figures.values()),
    }
    return render(request, "promotion/industry_list.html", context)


@require_GET
@public_page
def industry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    industry = get_object_or_404(Industry.objects.select_related("parent"), slug=slug)
    context = {
        "industry": industry,
        "stages": list(industry.chain_stages.all()),
        # A related list also sets each row's link back to the industry: it loads the column.
        "branches": list(industry.branches.as_links("parent")),
        "enterprises": list(industry.enterprises.as_links("industry")[: RELATED_LIMIT + 1]),
        "related_limit": RELATED_LIMIT,
        "projects": list(industry.projects.as_links("status", "industry")),
        "parks": list(industry.parks.as_links()),
        "prose_figures": figures_in([industry]),
    }
    context["updated_at"] = last_updated(
        [industry, industry.parent],
        context["branches"],
        context["enterprises"][:RELATED_LIMIT],
        context["projects"],
        context["parks"],
        context["prose_figures"].values(),
    )
    return render(request, "promotion/industry_detail.html", context)


@require_GET
@public_page(params=("industry", "park", "page"))
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = Enterprise.objects.in_directory()
    industry = query_param(request, "industry")
    park = query_param(request, "park")
    if industry:
        enterprises = enterprises.filter(industry__slug=industry)
    if park:
        enterprises = enterprises.filter(park__slug=park)
    page = Paginator(enterprises, ENTERPRISES_PER_PAGE).get_page(query_param(request, "page"))
    with_urls(page, Enterprise)
    context = {
        "page": page,
        "industries": list(Industry.objects.as_choices()),
        "parks": list(Park.objects.as_choices()),
        "selected_industry": industry,
        "selected_park": park,
        "prose_figures": figures_in(page),
    }
    # The filters name every industry and park; the cards each enterprise's.
    context["updated_at"] = last_updated(
        page,
        context["prose_figures"].values(),
        stamps=[choices[0]["changed"] for choices in (context["industries"], context["parks"]) if choices],
    )
    return render(request, "promotion/enterprise_list.html", context)


@require_GET
@public_page
def enterprise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.select_related("industry", "park"), slug=slug)
    context = {
        "enterprise": enterprise,
        "projects": with_urls(list(enterprise.projects.all()), Project),
        "prose_figures": figures_in([enterprise]),
    }
    context["updated_at"] = last_updated(
        [enterprise, enterprise.industry, enterprise.park], context["projects"], context["prose_figures"].values()
    )
    return render(request, "promotion/enterprise_detail.html", context)


# Projects in the order of their statuses (in operation, under way, introduced, signed); built once, as the
# database resolves a copy for each query.
BY_STATUS = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(Project.Status.values)),
    output_field=IntegerField(),
)


@require_GET
@public_page(params=("page",))
def project_list(request: HttpRequest) -> HttpResponse:
    page = with_urls(card_page(request, Project.objects.order_by(BY_STATUS, *Project._meta.ordering)), Project)
    figures = figures_in(page)
    context = {
        "page": page,
        "groups": grouped(list(page), "status", Project.Status),
        "prose_figures": figures,
        "updated_at": last_updated(page, figures.values()),
    }
    return render(request, "promotion/project_list.html", context)


@require_GET
@public_page
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("enterprise", "industry", "park"), slug=slug)
    figures = figures_in([project])
    context = {
        "project": project,
        "prose_figures": figures,
        "updated_at": last_updated([project, project.enterprise, project.industry, project.park], figures.values()),
    }
    return render(request, "promotion/project_detail.html", context)


@require_GET
@public_page(params=("page",))
def policy_list(request: HttpRequest) -> HttpResponse:
    page = with_urls(card_page(request, Policy.objects.all()), Policy)
    figures = figures_in(page)
    context = {"page": page, "prose_figures": figures, "updated_at": last_updated(page, figures.values())}
    return render(request, "promotion/policy_list.html", context)


@require_GET
@public_page(params=("tax",))
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug)
    measures = list(policy.measures.all())
    figures = figures_in([policy], measures)
    # Measures carry no stamp of their own: they are edited with their policy, whose stamp moves when they change.
    context = {
        "policy": policy,
        "measures": measures,
        "prose_figures": figures,
        "updated_at": last_updated([policy], figures.values()),
    }
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
    parks = list(Park.objects.on_environment_page())
    figures = sections_figures(sections, parks)
    context = {
        "sections": sections,
        "parks": parks,
        "prose_figures": figures,
        "updated_at": sections_updated(sections, parks, figures.values()),
    }
    return render(request, "promotion/environment.html", context)


@require_GET
@public_page
def innovation(request: HttpRequest) -> HttpResponse:
    sections = topic_sections(INNOVATION_TOPICS, [KeyFigure.Category.INNOVATION])
    parks = list(Park.objects.on_innovation_page())
    policies = list(Policy.objects.on_innovation_page())
    figures = sections_figures(sections, parks, policies)
    context = {
        "sections": sections,
        "parks": parks,
        "policies": policies,
        "prose_figures": figures,
        "updated_at": sections_updated(sections, parks, policies, figures.values()),
    }
    return render(request, "promotion/innovation.html", context)
