import json
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from .. import renditions
from ..units import Quantity, Unit, babel_locale, figure_quantity, figure_when, growth, quantity, year_text

register = template.Library()


@register.simple_tag
def yuan(amount: Decimal) -> str:
    """An amount of yuan in the reader's language: "350 million yuan", "3.5亿元"."""
    return str(quantity(amount, Unit.YUAN))


@register.filter
def money(amount: Decimal | None) -> str:
    """1000000.00 → "1,000,000"; 333333.33 stays "333,333.33" — grouped in both languages, as the
    calculator's script (Intl.NumberFormat) rewrites it."""
    if amount in (None, ""):
        return ""
    return format_decimal(
        Decimal(amount),
        locale=babel_locale(translation.get_language() or settings.LANGUAGE_CODE),
        decimal_quantization=False,
    )


# The amount's HTML and the "when" depend on a figure's own fields and the language alone (the catalogue is fixed for
# the process), so they are kept, as units.quantity() and units.growth() keep theirs.
@lru_cache(maxsize=4096)
def written_html(value: str, unit: str, qualifier: str, language: str) -> str:
    return quantity(Decimal(value), unit, qualifier, language).html


@lru_cache(maxsize=4096)
def written_when(year: int | None, period: str, language: str) -> str:
    return figure_when(SimpleNamespace(year=year, period=period), language)


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@register.simple_tag
def figure_amount(figure) -> Quantity | None:
    """A key figure's value, unit and qualifier as the reader's language writes them, with what it
    counts: "180 industrial clusters" / "180个". Use as {% figure_amount figure as amount %}."""
    return figure_quantity(figure)


@register.filter
def amount_html(figure) -> str:
    """A key figure's amount as HTML, each piece in its <span> (Quantity.html); "" where it has no value."""
    if figure.value is None:
        return ""
    return written_html(str(figure.value), figure.unit, figure.qualifier, active_language())


@register.filter
def amount_text(measured) -> str | None:
    """A key figure's or plan target's amount as text ("61 billion yuan" / "610亿元"); None where it has none."""
    amount = figure_quantity(measured)
    return None if amount is None else str(amount)


@register.filter
def growth_of(figure) -> str:
    """A key figure's year-on-year growth: "+10.3% year on year" / "同比增长10.3%"."""
    return growth(figure.growth_percent)


@register.filter(name="figure_when")
def figure_when_filter(figure) -> str:
    """When a figure holds, in brackets: "(2015)" / "（2015年）"; "" when the account does not say."""
    return written_when(figure.year, figure.period, active_language())


@lru_cache(maxsize=4096)
def written_card(fields: tuple, show_note: bool, language: str) -> str:
    figure = SimpleNamespace(**dict(fields))
    return render_to_string("includes/_figure.html", {"figure": figure, "show_note": show_note})


FIGURE_CARD_FIELDS = ("slug", "label", "value", "unit", "qualifier", "year", "period", "growth_percent", "note")


@register.simple_tag
def figure_card(figure, show_note: bool = False) -> str:
    """A key figure's card (includes/_figure.html), kept per process: it is made from the figure's own fields and the
    language alone, and the same figures repeat on every page that shows them."""
    fields = tuple((name, getattr(figure, name)) for name in FIGURE_CARD_FIELDS)
    # The value is keyed as text, as units.quantity() keys it.
    fields += (("value_text", str(figure.value)), ("growth_text", str(figure.growth_percent)))
    return written_card(fields, bool(show_note), active_language())


@register.filter
def bracketed(text) -> str:
    """A remark in brackets after the text it belongs to: " (2013–2015)" / "（2013—2015年）"."""
    return pgettext("after a text", " (%(text)s)") % {"text": text} if text else ""


@register.filter
def when_bracketed(figure) -> str:
    """When a figure holds, in brackets after it: " (2015)" / "（2015年）"."""
    return bracketed(year_text(figure.year) if figure.year else figure.period)


def page_path(context, language: str, home: bool = False) -> str:
    """The path of this page in a language, rebuilt from the URL pattern it resolved to — never the
    path as the visitor typed it, which may be "//evil.example/". Error pages and pages without a
    pattern (or without a request) get the home page of the language. Worked out once per request and
    language: the canonical link, the alternates, og:url and the language switch all ask."""
    request = context.get("request")
    match = None if home or request is None else request.resolver_match
    if request is None:
        return path_in_language(language, match)
    known = request.__dict__.setdefault("_zone_page_paths", {})
    key = (language, match is not None)
    if key not in known:
        known[key] = path_in_language(language, match)
    return known[key]


def path_in_language(language: str, match) -> str:
    with translation.override(language):
        if match is not None:
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
        return reverse("promotion:home")


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str, home: bool = False) -> str:
    """The address of this same page in another language, query string kept; with `home`, the home
    page of that language (for error pages)."""
    path = page_path(context, language, home)
    request = context.get("request")
    if home or request is None or request.resolver_match is None:
        return path
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "", home: bool = False) -> str:
    """An absolute address on the site's own origin, SITE_URL, whatever Host the request named: a
    path given, or else this page's (as page_path rebuilds it)."""
    if not path:
        path = page_path(context, translation.get_language(), home)
    parts = urlsplit(path)
    # Only the path and query of what was given: a "//host" or "https://host" never leaves the site.
    path = "/" + parts.path.lstrip("/\\")
    return settings.SITE_URL + path + (f"?{parts.query}" if parts.query else "")


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


PICTURES: dict = {}
MAX_PICTURES = 1024


def picture_of(image, width: int | None, height: int | None) -> dict | None:
    """renditions.picture(), kept per process: the addresses follow from the image's name, its size and the media
    URL alone. Read-only."""
    key = (image.name, width, height, default_storage.base_url)
    if key not in PICTURES:
        if len(PICTURES) >= MAX_PICTURES:
            PICTURES.clear()
        PICTURES[key] = renditions.picture(image, width, height)
    return PICTURES[key]


@register.simple_tag
def picture(obj, sizes: str = "100vw", lazy: bool = True, css_class: str = "") -> str:
    """A responsive <picture> of an object's image: WebP with a JPEG fallback, sized, lazy below the fold; "" when the
    object has no image of a known size."""
    picture = picture_of(obj.image, obj.image_width, obj.image_height) if obj.image else None
    if picture is None:
        return ""
    return format_html(
        '<picture>\n  <source type="image/webp" srcset="{webp}" sizes="{sizes}">\n'
        '  <img{css_class} src="{src}" srcset="{jpeg}" sizes="{sizes}" width="{width}" height="{height}" alt="{alt}"'
        ' decoding="async"{loading}>\n</picture>',
        webp=picture["webp_srcset"],
        jpeg=picture["jpeg_srcset"],
        src=picture["src"],
        sizes=sizes,
        width=picture["width"],
        height=picture["height"],
        alt=obj.image_alt,
        css_class=format_html(' class="{}"', css_class) if css_class else "",
        loading=mark_safe(' loading="lazy"' if lazy else ' fetchpriority="high"'),
    )


@register.simple_tag
def chain(industry, stages) -> str:
    """An industry's chain: the stages it climbs (an upgrading path) or the products it makes (a range), in order;
    "" when it has none. Written here rather than included: the industry list shows one for each of its industries,
    and the include cost more than the rest of the card."""
    if not stages:
        return ""
    portfolio = industry.chain_kind == "portfolio"
    return format_html(
        '<ol class="chain{}" aria-label="{}">\n  {}\n</ol>',
        " chain-portfolio" if portfolio else "",
        gettext("Product range") if portfolio else gettext("Upgrading path"),
        format_html_join("", "<li>{}</li>", ((stage.name,) for stage in stages)),
    )


CARD_PICTURE_SIZES = "(min-width: 992px) 33vw, (min-width: 576px) 50vw, 100vw"


@register.simple_tag
def card(title, url: str, summary: str, kicker: str = "", pictured=None, level: int = 3, extra: str = "") -> str:
    """The card of a park, industry, policy or project in a list: its picture if it has one, its title linking to
    it (a heading of `level`), a kicker (its kind or status), its summary and any `extra` HTML. Written here rather
    than included from a template: a page shows up to twenty of them, and each include cost about ten times as much
    as this."""
    return format_html(
        '<article class="card content-card h-100">{picture}\n  <div class="card-body">\n'
        '    <h{level} class="h5 card-title"><a href="{url}">{title}</a></h{level}>\n'
        '    {kicker}<p class="card-text">{summary}</p>{extra}\n  </div>\n</article>',
        picture=picture(pictured, CARD_PICTURE_SIZES, css_class="card-img-top") if pictured else "",
        level=int(level),
        url=url,
        title=title,
        kicker=format_html('<p class="card-kicker">{}</p>', kicker) if kicker else "",
        summary=summary,
        extra=conditional_escape(extra),
    )


@register.filter
def industry_kicker(industry) -> str:
    """What an industry is in the zone, for its card: a leading industry, or a part of which one; "" for neither."""
    if industry.is_leading:
        return gettext("Leading industry")
    if industry.parent:
        return gettext("Part of %(parent)s") % {"parent": industry.parent.name}
    return ""


@register.filter
def with_figures(text: str, figures) -> str:
    """Prose with its key-figure placeholders written out in the page's language (promotion.figure_text):
    "[[figure:main-business-income-2015]]" → "61 billion yuan" / "610亿元". Plain text, escaped when shown;
    `figures` are the ones the page fetched (its view's prose_figures)."""
    from ..figure_text import fill

    return fill(text, figures or {}, translation.get_language())


@register.filter
def page_numbers(page) -> list:
    """The page numbers a pagination bar links to: the first and the last, and two either side of this one, with
    the paginator's ELLIPSIS between where pages are left out — a directory of ten thousand stays a short bar."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag
def choice_options(choices, selected: str = "") -> str:
    """The <option>s of a filter's <select>, one for each {"slug", "name"} of `choices`, `selected` chosen:
    written here rather than in a template loop, which would cost more than the rest of the directory page."""
    options = []
    for choice in choices:
        chosen = " selected" if choice["slug"] == selected else ""
        options.append(f'<option value="{escape(choice["slug"])}"{chosen}>{escape(choice["name"])}</option>')
    return mark_safe("".join(options))  # noqa: S308 — each value escaped
