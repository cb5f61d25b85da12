from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import ZoneProfile


def site(request: HttpRequest) -> dict:
    """The zone's name for every page's header, footer and metadata, fetched only if a page uses it."""
    return {"zone": SimpleLazyObject(ZoneProfile.objects.first)}
