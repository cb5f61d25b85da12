"""Site search: the words a visitor types, looked for in every kind of content and page."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Highlight, Honour, Industry, Milestone, Park, Policy, Project

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 20

# model, the fields searched, the field shown as the result's title, its kind's label
SEARCHABLE = [
    (Park, ["name", "summary", "description"], "name", _("Parks and bases")),
    (Industry, ["name", "summary", "description"], "name", _("Industries")),
    (Enterprise, ["name", "summary"], "name", _("Enterprises")),
    (Policy, ["title", "summary", "description", "eligibility", "benefits"], "title", _("Policies")),
    (Project, ["name", "summary", "capacity"], "name", _("Projects")),
]


@dataclass
class Result:
    title: str
    url: str
    summary: str


def page_results(words: list[str]) -> list[Result]:
    """Pages that are not one object: about (history, honours), environment and innovation (highlights)."""
    results = []
    about = reverse("promotion:about")
    for milestone in Milestone.objects.filter(matching(["title", "description"], words)):
        results.append(Result(f"{milestone.year}: {milestone.title}", about + "#history-title", milestone.description))
    for honour in Honour.objects.filter(matching(["title", "description"], words)):
        results.append(Result(honour.title, about + "#honours-title", honour.years))
    environment_topics = {Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION}
    for highlight in Highlight.objects.filter(matching(["title", "body"], words)):
        page = "promotion:environment" if highlight.topic in environment_topics else "promotion:innovation"
        results.append(Result(highlight.title, f"{reverse(page)}#topic-{highlight.topic}", highlight.body))
    return results[:RESULTS_PER_KIND]


def matching(fields: list[str], words: list[str]) -> Q:
    """Every word must appear in at least one of the fields."""
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def search(query: str) -> list[dict]:
    words = query[:MAX_QUERY_LENGTH].split()
    if not words:
        return []
    groups = []
    for model, fields, title_field, label in SEARCHABLE:
        found = model.objects.filter(matching(fields, words))[:RESULTS_PER_KIND]
        results = [Result(getattr(obj, title_field), obj.get_absolute_url(), obj.summary) for obj in found]
        if results:
            groups.append({"label": label, "results": results})
    pages = page_results(words)
    if pages:
        groups.append({"label": _("Pages"), "results": pages})
    return groups
