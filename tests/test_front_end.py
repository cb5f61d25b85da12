"""What a phone downloads on the first visit: small, with nothing that blocks rendering."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from .html import parse

pytestmark = pytest.mark.django_db

FIRST_LOAD_BUDGET = 150 * 1024


def first_load_bytes(client, path: str) -> dict[str, int]:
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    sizes = {"html": len(response.content)}
    html = gzip.decompress(response.content).decode()
    patterns = [("css", r'<link rel="stylesheet" href="/static/([^"]+)"'), ("js", r'<script src="/static/([^"]+)"')]
    for kind, pattern in patterns:
        for name in re.findall(pattern, html):
            # whitenoise serves each static file precompressed; this is the size it sends.
            data = Path(finders.find(name)).read_bytes()
            sizes[kind] = sizes.get(kind, 0) + len(gzip.compress(data, compresslevel=9))
    return sizes


@pytest.mark.parametrize("path", ["/en/", "/zh-hans/", "/en/parks/electronics-park/", "/en/policies/tax-sharing/"])
def test_first_load_stays_within_150_kb_compressed_photos_excluded(client, path):
    sizes = first_load_bytes(client, path)
    assert sum(sizes.values()) <= FIRST_LOAD_BUDGET, sizes


def test_no_script_blocks_rendering(client):
    for path in ["/en/", "/en/policies/tax-sharing/", "/en/enquiry/"]:
        html = client.get(path).content.decode()
        head = html.split("</head>", 1)[0]
        for tag in re.findall(r"<script[^>]*src=[^>]*>", html):
            assert " defer" in tag or " async" in tag or 'type="module"' in tag, (path, tag)
        assert "<script src=" not in head or "defer" in head


def test_pages_load_only_the_script_they_use(client):
    assert "<script src=" not in client.get("/en/").content.decode()
    assert "tax-calculator" in client.get("/en/policies/tax-sharing/").content.decode()


def test_only_vendored_or_own_stylesheets(client):
    page = parse(client.get("/en/").content)
    stylesheets = [r for r in page.resources if r.endswith(".css")]
    assert stylesheets and all(s.startswith("/static/") for s in stylesheets)
