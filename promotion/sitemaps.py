from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Enterprise, Industry, Park, Policy, Project


class BilingualSitemap(Sitemap):
    """Every URL in both languages, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


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


class ContentSitemap(BilingualSitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "parks": ContentSitemap(Park),
    "industries": ContentSitemap(Industry),
    "enterprises": ContentSitemap(Enterprise),
    "projects": ContentSitemap(Project),
    "policies": ContentSitemap(Policy),
}
