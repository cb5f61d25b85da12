from django.http import HttpRequest

from .models import ZoneProfile


def site(request: HttpRequest) -> dict:
    """The zone's name for every page's header, footer and metadata."""
    return {"zone": ZoneProfile.objects.first()}
