"""Public pages are cached whole and thrown away the moment any content changes.

Every cached page is keyed by a content version; saving or deleting any content object
(in the admin, by loaddata, anywhere) moves the version on, so no stale page is served.
Browsers get an ETag and Last-Modified and may keep a page for a minute.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

VERSION_KEY = "promotion:content-version"
ENQUIRY_MODELS = {"enquiry", "enquirynote", "outgoingmail"}


def content_version() -> float:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time(), None)


def is_content_model(model) -> bool:
    return model._meta.app_label == "promotion" and model._meta.model_name not in ENQUIRY_MODELS


def public_page(view):
    """Cache a public GET view's 200 responses per address and language, and answer conditional GETs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = content_version()
        digest = hashlib.sha256(f"{request.get_host()}|{get_language()}|{request.get_full_path()}".encode()).hexdigest()
        key = f"promotion:page:{version}:{digest}"
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
