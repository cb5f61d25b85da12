"""Public pages are cached whole and thrown away the moment any content changes.

Every cached page is keyed by a content version kept in the shared cache. Saving or deleting
a content object, or changing its many-to-many relations, moves the version on once the
transaction commits (signals; loaddata sends them too), so every worker and every server
renders afresh from then on. Code that changes content without signals — `QuerySet.update()`,
`bulk_create()`, raw SQL — must call `bump_content_version()` itself.

A page's cache key holds only the query parameters its view reads; any other parameter is
dropped before the view sees the request, so `?x=1`, `?x=2`, … serve one cached copy.
Browsers get an ETag and Last-Modified and may keep a page for a minute.

Pages built from the enquiries (the service record) are keyed by a second version as well,
moved whenever an Enquiry or EnquiryMessage is saved or deleted, so that enquiry traffic
never throws away the content pages.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from .models import ChainStage, Content, PolicyMeasure

VERSION_KEY = "promotion:content-version"
ENQUIRY_VERSION_KEY = "promotion:enquiry-version"
# Rows that belong to a content object and are shown with it.
CONTENT_PARTS = (ChainStage, PolicyMeasure)
MAX_PARAMETER_LENGTH = 100


def _version(key: str) -> float:
    version = cache.get(key)
    if version is None:
        version = time.time()
        cache.add(key, version, None)
        version = cache.get(key, version)
    return version


def content_version() -> float:
    return _version(VERSION_KEY)


def enquiry_version() -> float:
    return _version(ENQUIRY_VERSION_KEY)


def bump_content_version(**kwargs) -> None:
    """Make every cached page stale: now, and again once the change commits (in between,
    another worker may have cached the old content under the first new version)."""
    set_new_version()
    transaction.on_commit(set_new_version)


def set_new_version() -> None:
    cache.set(VERSION_KEY, time.time(), None)


def bump_enquiry_version(**kwargs) -> None:
    """Make the pages built from enquiries stale, as bump_content_version() does for content."""
    set_new_enquiry_version()
    transaction.on_commit(set_new_enquiry_version)


def set_new_enquiry_version() -> None:
    cache.set(ENQUIRY_VERSION_KEY, time.time(), None)


def is_content_model(model) -> bool:
    """Content, its parts, and the tables that join content to content (a park's industries)."""
    through_of = model._meta.auto_created
    return issubclass(model, (Content, *CONTENT_PARTS)) or bool(through_of and issubclass(through_of, Content))


def known_parameters(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """The named parameters only, each with the one value a view reads (the last), as query_param bounds it."""
    kept = QueryDict(mutable=True)
    for name in names:
        if name in query:
            kept[name] = query[name].replace("\x00", "").strip()[:MAX_PARAMETER_LENGTH]
    kept._mutable = False
    return kept


def public_page(view=None, *, params: tuple[str, ...] = (), enquiries: bool = False):
    """Cache a public GET view's 200 responses per host, language, path and the query
    parameters named in `params`, and answer conditional GETs. With `enquiries`, the page is
    built from enquiries too and is also thrown away when they change."""
    if view is None:
        return lambda view: public_page(view, params=params, enquiries=enquiries)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        request.GET = known_parameters(request.GET, params)
        request.META["QUERY_STRING"] = request.GET.urlencode()
        if settings.PAGE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        versions = [content_version(), *([enquiry_version()] if enquiries else [])]
        version = max(versions)
        digest = hashlib.sha256(f"{request.get_host()}|{get_language()}|{request.get_full_path()}".encode()).hexdigest()
        key = f"promotion:page:{':'.join(map(str, versions))}:{digest}"
        cached = cache.get(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            cached = {"content": response.content, "headers": dict(response.headers)}
            cache.set(key, cached, settings.PAGE_CACHE_SECONDS)
        else:
            response = HttpResponse(cached["content"])
            for header, value in cached["headers"].items():
                response.headers[header] = value
        etag = '"' + hashlib.md5(cached["content"], usedforsecurity=False).hexdigest() + '"'
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(int(version))
        patch_cache_control(response, public=True, max_age=settings.PAGE_BROWSER_CACHE_SECONDS)
        return get_conditional_response(request, etag=etag, last_modified=int(version), response=response)

    return wrapper
