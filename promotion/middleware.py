import codecs
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A charset a form may be sent in writes ASCII as ASCII, escapes included, and can stand any other byte.
ESCAPE_SAMPLE = b"\\u0041"
ASCII_SAMPLE = bytes(range(0x20, 0x7F))
HIGH_BYTES = bytes(range(0x80, 0x100))


def add_security_headers(response: HttpResponse) -> HttpResponse:
    response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
    response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
    return response


class SecurityHeadersMiddleware:
    """The headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return add_security_headers(self.get_response(request))


@lru_cache(maxsize=64)
def readable_charset(name: str) -> str | None:
    """The codec's own name if a form may be read in it: a text encoding that writes ASCII as ASCII
    (UTF-8, ISO-8859-1, GBK, Shift_JIS…). None for names Python does not know ("x-nonsense") and
    for codecs that would misread or fail on a form (base64, rot13, punycode, idna, UTF-16, UTF-7)."""
    try:
        codec = codecs.lookup(name)
        readable = all(sample.decode(codec.name) == sample.decode("ascii") for sample in (ESCAPE_SAMPLE, ASCII_SAMPLE))
        HIGH_BYTES.decode(codec.name, "replace")
    except (LookupError, UnicodeError, ValueError):
        return None
    return codec.name if readable else None


UNREADABLE_CONTENT_TYPE = "zone.unreadable_content_type"


def readable_content_type(application):
    """Wrap the WSGI application (zone_site/wsgi.py) so that no Content-Type fails the request.

    Django reads the Content-Type's parameters while it builds the request, before any middleware
    runs; there a parameter it cannot decode (`a*=zz''x`), a charset holding NUL, or a non-text
    codec with a query string (`charset=base64`) raises, and the server answers 500. Such a header
    is cut down to its media type here and noted in the environ, so that ReadableRequestMiddleware
    answers with the site's 400 page."""

    def wrapped(environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        if ";" in content_type:
            try:
                charset = parse_header_parameters(content_type)[1].get("charset")
                readable = charset is None or readable_charset(charset) is not None
            except (LookupError, UnicodeError, ValueError):
                readable = False
            if not readable:
                environ = {**environ, "CONTENT_TYPE": content_type.partition(";")[0].strip()}
                environ[UNREADABLE_CONTENT_TYPE] = content_type
        return application(environ, start_response)

    return wrapped


class ReadableRequestMiddleware:
    """No cookie, header or body a browser (or a robot) sends turns into a server error.

    - A cookie holding a NUL character is dropped: PostgreSQL refuses NUL in text, and a session
      key with one in it would fail the session lookup.
    - A request that declares a character set the site cannot read gets the 400 page (and so does
      one whose Content-Type readable_content_type had to cut down).
    - A form sent in a legal charset other than UTF-8 (old browsers, ISO-8859-1 or GBK) is read in
      that charset; Django reads multipart forms in it itself but refuses such url-encoded forms.

    It runs before the session middleware, so that the session never sees a dropped cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, value in list(request.COOKIES.items()):
            if "\x00" in name or "\x00" in value:
                del request.COOKIES[name]
        if UNREADABLE_CONTENT_TYPE in request.META:
            return bad_request(request)
        declared = (request.content_params or {}).get("charset")
        if declared is not None:
            charset = readable_charset(declared)
            if charset is None:
                return bad_request(request)
            if charset != "utf-8":
                try:
                    self.read_in(request, charset)
                except (LookupError, UnicodeError, ValueError):
                    return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def read_in(request: HttpRequest, charset: str) -> None:
        """Decode the query string and the form now, in the declared charset, so that no codec error
        surfaces later in a view."""
        request.GET  # noqa: B018 — decoded here, where a failure is a 400
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return
        if request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 — Django parses multipart forms in the declared charset
            return
        request.POST = QueryDict(request.body, encoding=charset)
        request._files = MultiValueDict()  # what Django sets for a url-encoded form: no files


def bad_request(request: HttpRequest) -> HttpResponse:
    """The site's 400 page, in the visitor's language (the locale middleware has not run yet)."""
    with translation.override(translation.get_language_from_request(request, check_path=True)):
        response = render(request, "400.html", status=HTTPStatus.BAD_REQUEST)
    return add_security_headers(response)


class StaffAreaMiddleware:
    """The admin's own rules: search engines never index it, and a signed-in session lasts
    SESSION_COOKIE_AGE from the last admin request (a working day of inactivity ends it).

    An admin request by a signed-in user renews the session, at most once every RENEW_EVERY (a
    session write per click would be one more query on every admin page). Public pages neither
    write to the session table nor send a session cookie."""

    RENEW_EVERY = timedelta(minutes=5)
    RENEWED_KEY = "zone_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                self.renew(request.session, user.last_login)
        return response

    def renew(self, session, last_login: datetime | None) -> None:
        """Saving the session moves its expiry SESSION_COOKIE_AGE ahead. A session saved anyway (a
        login) notes the time for free; one never renewed counts from the login."""
        now = timezone.now()
        stamp = session.get(self.RENEWED_KEY)
        renewed = datetime.fromtimestamp(stamp, UTC) if stamp else last_login
        if session.modified or renewed is None or now - renewed >= self.RENEW_EVERY:
            session[self.RENEWED_KEY] = now.timestamp()
