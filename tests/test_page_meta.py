"""Each page says its title and its description once; search engines and link previews read the same words."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from promotion.models import ZoneProfile

from .html import parse
from .test_journey import sitemap_paths

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def head(client, path):
    """The page's <head> (charts in the body carry <title>s of their own)."""
    return parse(client.get(path).content.decode().split("</head>", 1)[0])


def test_every_sitemap_page_gives_one_description_and_one_title_to_search_engines_and_link_previews(client):
    paths = sitemap_paths(client)
    assert any(p.startswith("/en/") for p in paths) and any(p.startswith("/zh-hans/") for p in paths)
    for path in paths:
        page = head(client, path)
        description, title = page.meta.get("description", ""), page.meta.get("og:title", "")
        assert description.strip() and "<" not in description, path
        assert page.meta.get("og:description") == description, path
        assert title.strip(), path
        site_name = page.meta["og:site_name"]
        assert page.title in {title, f"{title} | {site_name}"}, path


def test_a_page_with_its_own_description_shows_it_and_the_others_fall_back_to_the_zone(client):
    about = head(client, "/zh-hans/about/")
    home = head(client, "/zh-hans/")
    positioning = ZoneProfile.objects.get().positioning_zh_hans
    assert about.meta["description"] != home.meta["description"]
    assert about.meta["og:title"] != home.meta["og:title"]
    assert home.meta["description"] == home.meta["og:description"]
    assert positioning.startswith(home.meta["description"].removesuffix("…").strip())


def test_error_pages_say_their_title_once_too(client):
    page = head(client, "/en/no-such-page/")
    assert page.meta["og:title"] == "Page not found"
    assert page.title == f"Page not found | {page.meta['og:site_name']}"
    assert page.meta["description"] == page.meta["og:description"] != ""


def test_no_template_writes_a_title_or_description_for_open_graph_separately():
    pairs = re.compile(r"{%\s*block\s+(og_description|og_title|description)\s*%}")
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match[1]}"
        for path in TEMPLATES.rglob("*.html")
        for match in pairs.finditer(path.read_text())
    ]
    assert offenders == []
    base = (TEMPLATES / "base.html").read_text()
    assert 'property="og:description"' not in base and 'property="og:title"' not in base
