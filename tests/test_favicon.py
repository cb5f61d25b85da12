"""The zone's mark as the icons browsers ask the site's root for, served by whitenoise."""

import io
from http import HTTPStatus
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from PIL import Image, ImageChops

ROOT_FILES = Path(settings.WHITENOISE_ROOT)
SLATE, CANAL, FLAG_RED = (0x1F, 0x2A, 0x33), (0x0B, 0x6E, 0x69), (0xB3, 0x12, 0x1B)


def make_favicon():
    """scripts/make-favicon as a module (it has no .py, being a command)."""
    path = Path(settings.BASE_DIR) / "scripts" / "make-favicon"
    loader = SourceFileLoader("make_favicon", str(path))
    module = module_from_spec(spec_from_loader("make_favicon", loader))
    loader.exec_module(module)
    return module


def ico_frames(path: Path) -> dict[int, Image.Image]:
    frames = {}
    with Image.open(path) as ico:
        assert ico.format == "ICO"
        for size in sorted(ico.info["sizes"]):
            ico.size = size
            ico.load()
            frames[size[0]] = ico.copy().convert("RGBA")
    return frames


def near(pixel, colour, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_the_root_folder_holds_the_icons_and_nothing_else():
    # whitenoise serves every file of this folder at /, so a stray file here would be public.
    assert sorted(p.name for p in ROOT_FILES.iterdir()) == ["apple-touch-icon.png", "favicon.ico"]


def test_the_favicon_is_an_ico_of_the_mark_at_16_32_and_48_pixels():
    frames = ico_frames(ROOT_FILES / "favicon.ico")
    assert sorted(frames) == [16, 32, 48]
    for size, frame in frames.items():
        assert frame.size == (size, size)
        assert frame.getpixel((0, 0))[3] < 16, "the rounded corner is transparent"
        assert near(frame.getpixel((size // 2, size // 8)), SLATE), size
        assert near(frame.getpixel((size // 2, size * 27 // 32)), CANAL), size
        assert near(frame.getpixel((size * 23 // 32, size // 4)), FLAG_RED), size


def test_the_touch_icon_is_the_mark_at_180_pixels_with_square_opaque_corners():
    with Image.open(ROOT_FILES / "apple-touch-icon.png") as icon:
        assert (icon.format, icon.size, icon.mode) == ("PNG", (180, 180), "RGB")
        assert near(icon.getpixel((0, 0)), SLATE, tolerance=0)
        assert near(icon.getpixel((90, 150)), CANAL)
        assert near(icon.getpixel((129, 45)), FLAG_RED)


def test_the_committed_icons_are_what_the_script_draws_from_the_svg():
    drawn = make_favicon().icons()
    image, others = drawn["favicon.ico"]
    frames = ico_frames(ROOT_FILES / "favicon.ico")
    for expected in [*others, image]:
        difference = ImageChops.difference(frames[expected.width], expected.convert("RGBA"))
        assert max(high for _low, high in difference.getextrema()) <= 1, expected.width
    with Image.open(ROOT_FILES / "apple-touch-icon.png") as committed:
        assert ImageChops.difference(committed.convert("RGB"), drawn["apple-touch-icon.png"][0]).getbbox() is None


@pytest.fixture
def application():
    """The site as gunicorn calls it (zone_site/wsgi.py), whitenoise and all; the database connection
    is kept open for the test's transaction, as the test client keeps it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from zone_site.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(application, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    answer = {}
    response = application(environ, lambda status, headers: answer.update(status=status, headers=dict(headers)))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(answer["status"].split()[0]), answer["headers"], body


@pytest.mark.parametrize(
    ("path", "content_type"), [("/favicon.ico", "image/x-icon"), ("/apple-touch-icon.png", "image/png")]
)
def test_the_icons_are_served_from_the_root_with_a_long_cache_life(application, path, content_type):
    assert settings.DEBUG is False
    status, headers, body = call(application, path)
    assert status == HTTPStatus.OK
    assert headers["Content-Type"] == content_type
    assert headers["Cache-Control"] == f"max-age={30 * 24 * 3600}, public"
    assert body == (ROOT_FILES / path.lstrip("/")).read_bytes()
    assert call(application, path, method="HEAD")[:2] == (HTTPStatus.OK, headers)


@pytest.mark.django_db
def test_nothing_but_the_icons_is_served_from_the_root(application):
    for path in ["/favicon.svg", "/make-favicon", "/root/favicon.ico", "/img/favicon.svg"]:
        assert call(application, path)[0] == HTTPStatus.NOT_FOUND, path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/zh-hans/parks/", "/en/no-such-page/", "/admin/login/"])
def test_every_page_links_the_icons(client, path):
    body = client.get(path).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in body
    assert 'rel="icon" href="/static/img/favicon.' in body
