"""A fixed-window counter per client address, kept in the shared cache."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/h" → (10, 3600). "5/10m" → (5, 600)."""
    count, _, period = rate.partition("/")
    period = period.strip() or "h"
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), multiplier * PERIODS[period[-1]]


def client_address(request: HttpRequest) -> str:
    """The visitor's address; behind DJANGO_PROXY_COUNT trusted proxies, the one they saw."""
    proxies = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request: HttpRequest, scope: str, rate: str | None = None) -> bool:
    """Count one request; False once the address has used up its allowance for this window."""
    limit, window = parse_rate(rate or settings.ENQUIRY_RATE_LIMIT)
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_address(request)}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
