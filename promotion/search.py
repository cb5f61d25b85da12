"""Site search: the words a visitor types, looked for in every kind of content and page.

A result matches when every word appears, in any case and in any alphabet, in at least one of its kind's
searched fields in the page's language: anywhere in the text, inside a longer word too, as `icontains` finds
it (Chinese needs no segmentation into words). A field is read in that language's own copy, as a query
filtering on it would: an enterprise without a Chinese summary is not found by words of its English one,
though it shows that one.
Each kind lists at most RESULTS_PER_KIND results, in the order its own list gives them.

Searching 10,000 enterprises with `icontains` over several columns costs tens of milliseconds, so each
process keeps the searched text of each language in memory, read from the database the first time that
language is searched and again once the content version (promotion.caching) has moved on: an edit shows in
the next search on every worker and every server, and a search makes no query at all.
"""

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Model
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as content_language

from .caching import VERSION_KEY, version
from .figure_text import fill
from .models import Enterprise, Highlight, Honour, Industry, KeyFigure, Milestone, Park, Policy, Project

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 20
EXCERPT_WORDS = 30
# Between the fields of one object and between objects: whitespace, which no word holds (str.split), so a
# word found in the text lies inside one field.
SEPARATOR = "\n"

# model, the fields searched, the field shown as the result's title, its kind's label
SEARCHABLE = [
    (Park, ["name", "summary", "description"], "name", _("Parks and bases")),
    (Industry, ["name", "summary", "description"], "name", _("Industries")),
    (Enterprise, ["name", "summary"], "name", _("Enterprises")),
    (Policy, ["title", "summary", "description", "eligibility", "benefits"], "title", _("Policies")),
    (Project, ["name", "summary", "capacity"], "name", _("Projects")),
]
ENVIRONMENT_TOPICS = {Highlight.Topic.INFRASTRUCTURE, Highlight.Topic.INFORMATISATION, Highlight.Topic.URBANISATION}


@dataclass
class Result:
    title: str
    url: str
    summary: str  # as the object holds it
    excerpt: str = ""  # as the page shows it: key figures written out, at most EXCERPT_WORDS words


@dataclass(frozen=True)
class Shown:
    """How the objects of one model become results: the columns read (a translated field's copy in every
    language, so that the object falls back to English as it does on its own page) and the result of one."""

    model: type[Model]
    columns: list[str]
    result: Callable[[Model], Result]

    def __call__(self, values: tuple) -> Result:
        return self.result(self.model(**dict(zip(self.columns, values, strict=True))))


@dataclass(frozen=True)
class Kind:
    """One group of results: the searched text of its objects, in order, and what each one shows."""

    label: str | Promise
    text: str
    starts: list[int]  # where each object's text begins in `text`
    objects: list[tuple[Shown, tuple]]
    figures: dict  # the key figures by slug, for the excerpts
    results: dict[int, Result] = field(default_factory=dict)  # those shown so far, by position

    @classmethod
    def of(cls, label, rows: Iterable[tuple[Shown, tuple, list]], figures: dict) -> "Kind":
        objects, starts, parts, length = [], [], [], 0
        for shown, values, searched in rows:
            part = SEPARATOR.join(value or "" for value in searched).lower() + SEPARATOR
            objects.append((shown, values))
            starts.append(length)
            parts.append(part)
            length += len(part)
        return cls(label, "".join(parts), starts, objects, figures)

    def matches(self, words: list[str]) -> Iterator[Result]:
        """The results whose text holds every word, in order. Each word is looked for from the candidate
        object on; one first found in a later object makes that object the candidate, as none between holds it."""
        text, starts, index = self.text, self.starts, 0
        while index < len(starts):
            for word in words:
                found = text.find(word, starts[index])
                if found < 0:
                    return
                holder = bisect_right(starts, found) - 1
                if holder != index:
                    index = holder
                    break
            else:
                yield self.shown(index)
                index += 1

    def shown(self, index: int) -> Result:
        """The result, made the first time it is shown: the same for every search in this language until the
        content changes."""
        result = self.results.get(index)
        if result is None:
            shown, values = self.objects[index]
            result = shown(values)
            result.excerpt = Truncator(fill(result.summary, self.figures)).words(EXCERPT_WORDS, truncate=" …")
            self.results[index] = result
        return result


def columns(model: type[Model], fields: list[str], languages: Iterable[str]) -> list[str]:
    translated = translator.get_options_for_model(model).get_field_names()
    return [
        column
        for name in fields
        for column in ([build_localized_fieldname(name, lang) for lang in languages] if name in translated else [name])
    ]


def rows(model: type[Model], shown: list[str], result, searched: list[str], language: str):
    """(how to show it, the values shown, the searched fields in `language`) for each object, in the order
    of the model's list in that language."""
    how = Shown(model, columns(model, shown, AVAILABLE_LANGUAGES), result)
    searched = columns(model, searched, [language])
    read = list(dict.fromkeys([*how.columns, *searched]))  # a column shown and searched is read once
    positions = [read.index(column) for column in searched]
    for values in model.objects.values_list(*read):
        yield how, values[: len(how.columns)], [values[position] for position in positions]


def object_kind(model, fields: list[str], title_field: str, label, language: str, figures: dict) -> Kind:
    def result(obj) -> Result:
        return Result(getattr(obj, title_field), obj.get_absolute_url(), obj.summary)

    return Kind.of(label, rows(model, ["slug", title_field, "summary"], result, fields, language), figures)


def pages_kind(language: str, figures: dict) -> Kind:
    """Pages that are not one object: about (history, honours), environment and innovation (highlights)."""
    about = reverse("promotion:about")
    history, honours = f"{about}#history-title", f"{about}#honours-title"
    pages = {"environment": reverse("promotion:environment"), "innovation": reverse("promotion:innovation")}

    def milestone(obj: Milestone) -> Result:
        return Result(f"{obj.year}: {obj.title}", history, obj.description)

    def honour(obj: Honour) -> Result:
        return Result(obj.title, honours, obj.years)

    def highlight(obj: Highlight) -> Result:
        page = pages["environment" if obj.topic in ENVIRONMENT_TOPICS else "innovation"]
        return Result(obj.title, f"{page}#topic-{obj.topic}", obj.body)

    objects = [
        *rows(Milestone, ["year", "title", "description"], milestone, ["title", "description"], language),
        *rows(Honour, ["title", "years"], honour, ["title", "description"], language),
        *rows(Highlight, ["topic", "title", "body"], highlight, ["title", "body"], language),
    ]
    return Kind.of(_("Pages"), objects, figures)


def build_index(language: str) -> list[Kind]:
    figures = {figure.slug: figure for figure in KeyFigure.objects.all()}
    kinds = [object_kind(model, *searchable, language, figures) for model, *searchable in SEARCHABLE]
    return [*kinds, pages_kind(language, figures)]


# (language, script prefix: what the results' addresses depend on) → (content version, kinds); per process.
indexes: dict[tuple[str | None, str], tuple[float, list[Kind]]] = {}


def current_index() -> list[Kind]:
    """The active language's index, read afresh when the content has changed since it was built. The
    version is read before the content, so a change committed during the build makes the next search
    build again."""
    key = (get_language(), get_script_prefix())
    current = version(VERSION_KEY)
    built = indexes.get(key)
    if built is None or built[0] != current:
        # The fields of the language modeltranslation reads for it, as a query would.
        built = indexes[key] = (current, build_index(content_language()))
    return built[1]


def search(query: str) -> list[dict]:
    # Distinct, the longest first: likely the rarest, it moves the candidate on fastest.
    words = sorted(set(query[:MAX_QUERY_LENGTH].lower().split()), key=len, reverse=True)
    if not words:
        return []
    groups = []
    for kind in current_index():
        results = list(islice(kind.matches(words), RESULTS_PER_KIND))
        if results:
            groups.append({"label": kind.label, "results": results})
    return groups
