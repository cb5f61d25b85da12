"""Who is asking: one rule for a visitor's address, used by the rate limits, the address
stored with an enquiry and the admin's login lockout alike."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's IP address, or None when no valid one is known.

    Each of the DJANGO_PROXY_COUNT trusted proxies in front appends the address it saw to
    X-Forwarded-For, so the visitor's is that many places from the right; anything further
    left was written by the visitor and is not believed. A value that is not an IP address
    falls back to the address of the connection itself."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and (address := valid_ip(forwarded[-proxies])):
            return address
    return valid_ip(request.META.get("REMOTE_ADDR", ""))


def valid_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
