from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .caching import site_chrome


def site(request: HttpRequest) -> dict:
    """The zone's profile for every page's header, footer and metadata, and the navigation and footer made from
    it (promotion.caching.site_chrome): fetched only if a page uses them, and then from the cache."""
    chrome = SimpleLazyObject(lambda: site_chrome(request))
    return {"chrome": chrome, "zone": SimpleLazyObject(lambda: chrome["zone"])}
