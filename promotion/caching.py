"""Public pages are cached whole and thrown away the moment any content changes.

Every cached page is keyed by a content version kept in the shared cache. Saving or deleting
an object of a model that the public pages show (a subclass of `promotion.models.Shown`), or
changing the many-to-many relations of one, moves the version on once the transaction commits
(signals; loaddata sends them too), so every worker and every server renders afresh from then
on. Code that changes content without signals — `QuerySet.update()`, `bulk_create()`, raw SQL —
must call `bump_content_version()` itself.

A page's cache key holds only the query parameters its view reads; any other parameter is
dropped before the view sees the request, so `?x=1`, `?x=2`, … serve one cached copy.
Browsers get an ETag and Last-Modified and may keep a page for a minute.

The parts every page shares — the zone profile, the main navigation and the footer — are kept
under the same content version, per language (`site_chrome`), so that a page rendered afresh
(PAGE_CACHE_SECONDS=0 included) does not build them again; the home and about pages take the
profile from there too. They are rendered from the zone profile alone, never from the request,
so no visitor's data can reach another's page. The enquiry form and the status page's forms as
a visitor first sees them are kept the same way (`promotion.forms.blank_enquiry_form`,
`blank_form`), their form clock written in per page.
The rule above holds for them as well: a change without signals shows once
`bump_content_version()` is called.

Pages built from the enquiries (the service record) are keyed by a second version as well,
moved whenever an Enquiry or EnquiryMessage is saved or deleted, so that enquiry traffic
never throws away the content pages.
"""

import hashlib
import time
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from .models import Shown, ZoneProfile

VERSION_KEY = "promotion:content-version"
ENQUIRY_VERSION_KEY = "promotion:enquiry-version"
MAX_PARAMETER_LENGTH = 100
# A new content version makes new keys; this only lets the old copies go.
KEPT_SECONDS = 24 * 60 * 60
# What kept_with_content() found, in this process too: a lookup then reads only the version from the shared cache,
# not the copy as well. Keyed by the version, so a change shows here as soon as it shows in the shared cache. Read-only.
KEPT_HERE: dict = {}
MAX_KEPT_HERE = 256
CHROME_TEMPLATES = {"nav": "includes/_site_nav.html", "footer": "includes/_footer.html"}


def version(key: str) -> float:
    """The version kept under `key`; the first worker to ask sets it."""
    current = cache.get(key)
    if current is None:
        current = time.time()
        cache.add(key, current, None)
        current = cache.get(key, current)
    return current


def kept_with_content(name: str, parts: tuple[str, ...], build):
    """What `build()` returns, made once per content version, language and script prefix and kept in the shared
    cache; `parts` (never a visitor's own text) tell apart the copies of one `name`."""
    key = ":".join(("promotion", name, str(version(VERSION_KEY)), get_language(), get_script_prefix(), *parts))
    kept = KEPT_HERE.get(key)
    if kept is None:
        kept = cache.get(key)
        if kept is None:
            kept = build()
            cache.set(key, kept, KEPT_SECONDS)
        if len(KEPT_HERE) >= MAX_KEPT_HERE:
            KEPT_HERE.clear()
        KEPT_HERE[key] = kept
    return kept


def site_chrome(request=None) -> dict:
    """The zone profile ("zone") and the HTML of the parts of every page made from it and the
    active language alone ("nav", "footer"), kept under the content version; looked up once per
    request given."""
    if request is not None:
        if "_site_chrome" not in request.__dict__:
            request._site_chrome = site_chrome()
        return request._site_chrome
    return kept_with_content("chrome", (), build_chrome)


def build_chrome() -> dict:
    zone = ZoneProfile.objects.first()
    # Rendered with no request and nothing but the profile in the context.
    parts = {name: render_to_string(template, {"zone": zone}) for name, template in CHROME_TEMPLATES.items()}
    return {"zone": zone, **parts}


def bump_version(key: str) -> None:
    """Make the pages keyed by this version stale: now, and again once the change commits (in
    between, another worker may have cached the old content under the first new version)."""
    set_new_version(key)
    transaction.on_commit(partial(set_new_version, key))


def set_new_version(key: str) -> None:
    cache.set(key, time.time(), None)


def bump_content_version() -> None:
    """Make every cached page stale, after a change to content that sent no signal."""
    bump_version(VERSION_KEY)


def bump_enquiry_version() -> None:
    """Make what is kept of the enquiries stale, after a change to them that sent no signal."""
    bump_version(ENQUIRY_VERSION_KEY)


def is_content_model(model) -> bool:
    """What the public pages show, and the tables that join it to more of it (a park's industries,
    the parks a page points to)."""
    through_of = model._meta.auto_created
    return issubclass(model, Shown) or bool(through_of and issubclass(through_of, Shown))


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
        versions = [version(VERSION_KEY), *([version(ENQUIRY_VERSION_KEY)] if enquiries else [])]
        newest = max(versions)
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
        response.headers["Last-Modified"] = http_date(int(newest))
        patch_cache_control(response, public=True, max_age=settings.PAGE_BROWSER_CACHE_SECONDS)
        return get_conditional_response(request, etag=etag, last_modified=int(newest), response=response)

    return wrapper
