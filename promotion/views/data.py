"""Search, open data, the files robots read and, where no nginx does it, the uploaded images."""

import csv
import logging
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve

from ..caching import public_page
from ..models import KeyFigure, ZoneProfile
from ..search import MAX_QUERY_LENGTH, search
from ..spreadsheets import spreadsheet_safe
from .params import query_param

logger = logging.getLogger(__name__)

OPEN_DATA_COLUMNS = [
    "slug",
    "label",
    "value",
    "unit",
    "qualifier",
    "year",
    "period",
    "growth_percent",
    "category",
    "note",
    "source",
    "last_updated",
]


class DecimalAsNumberEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = query_param(request, "q", MAX_QUERY_LENGTH)
    groups = search(query) if query else []
    context = {"query": query, "groups": groups, "count": sum(len(g["results"]) for g in groups)}
    return render(request, "promotion/search.html", context)


def figure_records() -> list[dict]:
    default_source = _("The zone's own account: %(zone)s") % {"zone": ZoneProfile.objects.first() or ""}
    return [
        {
            "slug": figure.slug,
            "label": figure.label,
            "value": figure.value.normalize(),
            "unit": figure.unit,
            "qualifier": figure.qualifier,
            "year": figure.year,
            "period": figure.period,
            "growth_percent": figure.growth_percent.normalize() if figure.growth_percent is not None else None,
            "category": figure.category,
            "note": figure.note,
            "source": figure.source or default_source,
            "last_updated": timezone.localtime(figure.updated_at).isoformat(),
        }
        for figure in KeyFigure.objects.all()
    ]


@require_GET
@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    figures = KeyFigure.objects.all()
    return render(request, "promotion/open_data.html", {"figures": figures})


@require_GET
@public_page
def key_figures_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hongqi-canal-key-figures-{get_language()}.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_COLUMNS)
    writer.writeheader()
    for record in figure_records():
        # Labels, notes and sources are typed in the admin: none may run as a formula where the
        # file is opened. Values and growth rates are numbers and stay numbers, negative or not.
        writer.writerow({key: spreadsheet_safe(value) for key, value in record.items()})
    return response


@require_GET
@public_page
def key_figures_json(request: HttpRequest) -> JsonResponse:
    data = {
        "dataset": _("Key figures of the Hongqi Canal Economic and Technological Development Zone"),
        "language": get_language(),
        "url": request.build_absolute_uri(reverse("promotion:open-data")),
        "units": _("Values are whole amounts in the unit given: 61 billion yuan is 61000000000."),
        "figures": figure_records(),
    }
    return JsonResponse(data, encoder=DecimalAsNumberEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    # The admin is not named here (robots.txt is public, and ADMIN_URL is meant to stay
    # unguessed): its pages say "noindex" themselves, in the X-Robots-Tag header.
    lines = [
        "User-agent: *",
        "Disallow: /en/enquiry/status/",
        "Disallow: /zh-hans/enquiry/status/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=settings.MEDIA_CACHE_SECONDS)
def media_file(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded image or one of its renditions, under DJANGO_SERVE_MEDIA (nginx serves them otherwise)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
