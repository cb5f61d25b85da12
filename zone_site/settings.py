"""Settings for the Hongqi Canal ETDZ site.

Every value that differs between a laptop and production is read from the
environment; the defaults are safe for one machine on SQLite.
"""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret_key(path: Path) -> str:
    """Keep one generated key per installation, outside the repository."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


# --- Core -------------------------------------------------------------------

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "axes",
    "reversion",
    "promotion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed on the way out (static files come precompressed from whitenoise).
    "django.middleware.gzip.GZipMiddleware",
    # Before the session: drops cookies no database would store, refuses unreadable charsets.
    "promotion.middleware.ReadableRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "promotion.middleware.SecurityHeadersMiddleware",
    # After authentication: noindex on the admin, and its sessions renewed by admin work only.
    "promotion.middleware.StaffAreaMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zone_site.urls"
WSGI_APPLICATION = "zone_site.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "promotion.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

# Each gunicorn worker keeps its connection for this long (0 closes it after every request):
# opening one costs some 2 ms a request on SQLite, a network round trip or more on PostgreSQL.
# The health check replaces a connection the server dropped before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write enquiries at once: WAL lets readers go on while one
    # writes, IMMEDIATE takes the write lock up front, and the timeout waits for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that the live server's threads share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

# --- Passwords and logins ---------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection of the admin login (django-axes): this many failures from one
# address for one user name locks that pair out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind DJANGO_PROXY_COUNT trusted proxies the client address is in X-Forwarded-For; the
# lockout reads it by the same rule as the rate limits (promotion/clients.py).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "promotion.clients.client_address"


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time -----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)


def localized_verbose_name(verbose_name, language: str):
    """The label of one language's copy of a translated field: "Summary (English)", 摘要（中文）."""
    from django.utils.text import format_lazy
    from django.utils.translation import pgettext_lazy

    names = {
        "en": pgettext_lazy("language of a field", "English"),
        "zh-hans": pgettext_lazy("language of a field", "Chinese"),
    }
    pattern = pgettext_lazy("translated field", "{field} ({language})")
    return format_lazy(pattern, field=verbose_name, language=names.get(language.replace("_", "-"), language))


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = localized_verbose_name
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Countries and regions --------------------------------------------------

# Wherever a country is shown (the enquiry form, the admin, the CSV export, mail): China first,
# then Hong Kong, Macao and Taiwan as regions of China, and every name in the reader's language.
from promotion import countries as zone_countries  # noqa: E402

COUNTRIES_FIRST = zone_countries.FIRST
COUNTRIES_OVERRIDE = zone_countries.NAMES

# --- Static and media files -------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# On one machine Django serves uploads itself; behind nginx, turn this off.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=True)
# How long browsers keep an image served from /media/, as deploy/nginx.conf has it where nginx serves them:
# an upload never takes the name of an earlier one, nor do its renditions.
MEDIA_CACHE_SECONDS = 7 * 24 * 3600

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files browsers ask for at the site's root (/favicon.ico, /apple-touch-icon.png, made by
# scripts/make-favicon): whitenoise serves everything in this folder at /, so nothing else goes
# in it. Their addresses cannot change with their content, so they are cached for a month, not
# for ever as the hashed static files are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
ROOT_FILE_CACHE_SECONDS = 30 * 24 * 3600


def root_file_headers(headers, path: str, url: str) -> None:
    if Path(path).parent == WHITENOISE_ROOT:
        headers["Cache-Control"] = f"max-age={ROOT_FILE_CACHE_SECONDS}, public"


WHITENOISE_ADD_HEADERS_FUNCTION = root_file_headers

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Forms ------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Cache ------------------------------------------------------------------

# Every worker and every server must see one cache, or an edit shows on some workers only.
# One machine: files under var/cache/, shared by all of its gunicorn workers. Several app
# servers: REDIS_URL. Rate limits and login lockouts are not kept here but in the database,
# where no amount of page traffic can evict them.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(os.environ.get("DJANGO_CACHE_DIR", VAR_DIR / "cache"))),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "5000"))},
        }
    }
# How many processes serve the site, by the rule of deploy/gunicorn.conf.py; a per-process
# cache with more than one of them fails the system check promotion.W001.
WEB_WORKERS = int(os.environ.get("GUNICORN_WORKERS") or (os.cpu_count() or 1) * 2 + 1)

# Whole public pages are cached until any content changes (or this many seconds pass; 0 turns
# the page cache off); browsers may keep a page this long before they ask again.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_BROWSER_CACHE_SECONDS = int(os.environ.get("PAGE_BROWSER_CACHE_SECONDS", "60"))

# --- Mail -------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Hongqi Canal ETDZ <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# --- Enquiries --------------------------------------------------------------

# Absolute links in mail sent without a request (reminders, retries).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ENQUIRY_NOTIFY_EMAILS = env_list("ENQUIRY_NOTIFY_EMAILS")
# The first reply is due by the end of this many working days after the day of receipt, by
# China's official holiday calendar in Asia/Shanghai (promotion/workdays.py); no reply by then is overdue.
ENQUIRY_REPLY_WORKING_DAYS = int(os.environ.get("ENQUIRY_REPLY_WORKING_DAYS", "2"))
# Accepted enquiries per client address; submissions with errors have a looser limit of their
# own, so that a person correcting mistakes is never locked out but a flood is.
ENQUIRY_RATE_LIMIT = os.environ.get("ENQUIRY_RATE_LIMIT", "10/h")
ENQUIRY_INVALID_RATE_LIMIT = os.environ.get("ENQUIRY_INVALID_RATE_LIMIT", "60/h")
ENQUIRY_MIN_SECONDS = int(os.environ.get("ENQUIRY_MIN_SECONDS", "4"))
# A form open longer than this comes back with its values and a fresh clock.
ENQUIRY_FORM_MAX_HOURS = int(os.environ.get("ENQUIRY_FORM_MAX_HOURS", "24"))
ENQUIRY_RETENTION_DAYS = int(os.environ.get("ENQUIRY_RETENTION_DAYS", "730"))

# --- Uploads ----------------------------------------------------------------

UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "10")) * 1024 * 1024
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_MEGAPIXELS", "40")) * 1_000_000
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security ---------------------------------------------------------------

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No script and no style runs unless it is a file from this site (the charts' styles are in site.css).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'none'; frame-ancestors 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# Behind a proxy that terminates TLS (nginx in deploy/), set DJANGO_HTTPS=1.
HTTPS = env_bool("DJANGO_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    # /healthz is asked over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
# Sessions are the admin's: one ends this long after its last admin request (a working day by
# default). StaffAreaMiddleware renews it as staff work in the admin, at most every five minutes —
# SESSION_SAVE_EVERY_REQUEST without a session write on every click and every public page.
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_HOURS", "9")) * 3600)
# After logging in with no safe "next", staff land on the admin, not on /accounts/profile/.
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")
CSRF_COOKIE_HTTPONLY = False

# --- Logging ----------------------------------------------------------------


def one_line_warning(record: logging.LogRecord) -> bool:
    """A request for a host the site does not serve is a robot knocking, not a fault: one line at
    WARNING instead of a traceback at ERROR."""
    record.msg, record.args = " ".join(record.getMessage().split()), ()
    record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
    record.exc_info = record.exc_text = record.stack_info = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "filters": {"one_line_warning": {"()": "django.utils.log.CallbackFilter", "callback": one_line_warning}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "loggers": {"django.security.DisallowedHost": {"filters": ["one_line_warning"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
