from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..caching import public_page
from ..service_record import service_record as build_service_record


@require_GET
@public_page(enquiries=True)
def service_record(request: HttpRequest) -> HttpResponse:
    """How fast and how well the zone has answered enquiries this year, live from the enquiries:
    cached until an enquiry or a message of one changes, and for PAGE_CACHE_SECONDS at most, so
    that enquiries falling due (or a new month) show within minutes without any change."""
    record = build_service_record()
    return render(request, "promotion/service_record.html", {"record": record, "updated_at": record.as_of})
