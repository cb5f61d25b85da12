"""The sitemap: an index of every page of every section, each page `limit` addresses.

The index counts each section in one query. A section's page reads only its own rows (slug and
date) and builds each address from the model's own URL, worked out once per language with a
stand-in slug, so that a page costs the same with ten enterprises or ten thousand.
"""

from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation

from .models import Enterprise, Industry, Park, Policy, Project
from .models.content import address_by_slug


class BilingualSitemap(Sitemap):
    """Every URL in both languages, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    # Addresses per sitemap page, both languages counted: 125 objects. Search engines accept
    # 50,000 a page, but the template renders about 15 a millisecond: 250 are some 25 ms.
    limit = 250


class PageSitemap(BilingualSitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "promotion:home",
            "promotion:about",
            "promotion:figure-list",
            "promotion:park-list",
            "promotion:industry-list",
            "promotion:enterprise-list",
            "promotion:project-list",
            "promotion:policy-list",
            "promotion:environment",
            "promotion:innovation",
            "promotion:open-data",
            "promotion:enquiry",
            "promotion:service-record",
            "promotion:privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class InEachLanguage:
    """(row, language) for each row of a queryset and each language, in that order, as
    Sitemap._items() makes them, but fetching only the rows of the slice the paginator asks for."""

    def __init__(self, rows, languages: list[str], count: int):
        self.rows, self.languages, self.count_of_rows = rows, languages, count

    def __len__(self) -> int:
        return self.count_of_rows * len(self.languages)

    def __getitem__(self, index: slice) -> list[tuple]:
        start, stop, step = index.indices(len(self))
        if start >= stop:
            return []
        per_row = len(self.languages)
        first_row = start // per_row
        pairs = [(row, language) for row in self.rows[first_row : -(-stop // per_row)] for language in self.languages]
        return pairs[start - first_row * per_row : stop - first_row * per_row : step]


class ContentSitemap(BilingualSitemap):
    """One model's detail pages; an item is a (slug, updated_at) row."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        # Read once, not from the settings and the active time zone again for every address.
        self.languages = [code for code, _name in settings.LANGUAGES]
        self.time_zone = timezone.get_current_timezone()

    def __call__(self) -> "ContentSitemap":
        # The sitemap views call a callable section once per request: each request gets an
        # instance of its own, so no count or latest date one request worked out is served to
        # another (the views set latest_lastmod on the instance).
        return type(self)(self.model)

    def items(self):
        return self.model.objects.order_by("pk").values_list("slug", "updated_at")

    @cached_property
    def summary(self) -> dict:
        return self.model.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))

    @property
    def paginator(self) -> Paginator:
        return Paginator(InEachLanguage(self.items(), self._languages(), self.summary["count"]), self.limit)

    def get_latest_lastmod(self):
        return self.summary["latest"]

    @cached_property
    def address_in(self) -> dict:
        """Each language's detail address from a slug."""
        addresses = {}
        for language in self._languages():
            with translation.override(language):
                addresses[language] = address_by_slug(self.model)
        return addresses

    def address(self, slug: str, language: str) -> str:
        return self.address_in[language](slug)

    def location(self, item: tuple) -> str:
        return self.address(item[0], translation.get_language())

    def _location(self, item: tuple, force_lang_code: str | None = None) -> str:
        # Sitemap._location activates the language around each call of location(), four times
        # an address with the alternates; the language in hand picks the address directly.
        row, language = item
        return self.address(row[0], force_lang_code or language)

    def lastmod(self, item: tuple) -> date:
        # The day in the site's time zone, which the template's date filter formats without
        # converting each datetime again.
        return item[1].astimezone(self.time_zone).date()


SITEMAPS = {
    "pages": PageSitemap,
    "parks": ContentSitemap(Park),
    "industries": ContentSitemap(Industry),
    "enterprises": ContentSitemap(Enterprise),
    "projects": ContentSitemap(Project),
    "policies": ContentSitemap(Policy),
}
