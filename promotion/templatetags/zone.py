import json
from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import renditions
from ..units import Unit, plain_number, quantity

register = template.Library()


@register.simple_tag
def yuan(amount: Decimal) -> str:
    """An amount of yuan in the reader's language: "350 million yuan", "3.5亿元"."""
    return str(quantity(amount, Unit.YUAN))


@register.filter
def money(amount: Decimal | None) -> str:
    """1000000.00 → "1,000,000"; 333333.33 stays "333,333.33"."""
    return "" if amount in (None, "") else plain_number(amount)


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """The address of this same page in another language, query string kept."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    url = translate_url(request.path, language)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    request = context.get("request")
    if request is None:
        return settings.SITE_URL + (path or "/")
    return request.build_absolute_uri(path or request.path)


JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def zone_structured_data(context) -> str:
    """schema.org description of the zone, for search engines."""
    profile = context.get("profile") or context.get("zone")
    if profile is None:
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": profile.name,
        "alternateName": [name for name in (profile.short_name, profile.other_brand) if name],
        "description": profile.positioning,
        "url": absolute_url(context, reverse("promotion:home")),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Linzhou",
            "addressRegion": "Henan",
            "addressCountry": "CN",
        },
        "areaServed": {"@type": "Place", "name": profile.location},
    }
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_LD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 — escaped above


@register.inclusion_tag("includes/_picture.html")
def picture(obj, sizes: str = "100vw", lazy: bool = True, css_class: str = "") -> dict:
    """A responsive <picture> of an object's image: WebP with a JPEG fallback, sized, lazy below the fold."""
    return {
        "picture": renditions.picture(obj.image, obj.image_width, obj.image_height),
        "alt": obj.image_alt,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }
