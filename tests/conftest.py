import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the zone's real content once; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        call_command("loaddata", "zone", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory):
    """The cache the site runs with (files, or Redis where REDIS_URL is set), in a folder of the test run's own."""
    from django.conf import settings
    from django.test import override_settings

    if settings.REDIS_URL:
        yield
        return
    location = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and rate-limit counters belong to one test only."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    """Requests leave their language active in the thread; start each test in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def officer(django_user_model):
    """A member of "Promotion officers" with a full name (modules that need another define their own)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "wangfang", "wang.fang@zone.example.cn", "pw", first_name="Fang", last_name="Wang", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Promotion officers"))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-test-password")
    client.force_login(user)
    return client


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser is downloaded)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-packages (make test does)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def zone_media(tmp_path_factory, django_db_setup, django_db_blocker):
    """The zone's illustrations and their renditions, made once per session and shared by the browser tests
    (load_zone spends seconds on the renditions)."""
    from django.test import override_settings

    media = tmp_path_factory.getbasetemp() / "zone-media"
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        call_command("load_zone", verbosity=0)
    return media


@pytest.fixture
def live_zone(live_server, settings, transactional_db, zone_media):
    """A live server holding the zone's content, with the spam clock shortened for fast robots like us."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = zone_media
    call_command("loaddata", "zone", verbosity=0)
    # A transactional test empties the database after it; put back the staff groups the
    # data migration made, in case the previous test's flush outran their restore.
    importlib.import_module("promotion.migrations.0003_staff_groups").create_groups(django_apps, None)
    importlib.import_module("promotion.migrations.0012_conversation_permissions").grant(django_apps, None)
    settings.ENQUIRY_MIN_SECONDS = 0
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    cache.clear()
    return live_server


# --- The site on real servers (tests/servers.py) ---------------------------------------------


@pytest.fixture(scope="session")
def site_database(tmp_path_factory):
    from .servers import SiteDatabase

    database = SiteDatabase(tmp_path_factory.mktemp("site-database"))
    yield database
    database.drop_all()


@pytest.fixture
def site(site_database, tmp_path, settings):
    """The environment of a fresh site: its own copy of the database, its own var/ (and so its
    own file cache), or a Redis database of its own when the test run has REDIS_URL."""
    env = site_database.env(site_database.copy(), DJANGO_VAR_DIR=str(tmp_path))
    if settings.REDIS_URL:
        import redis

        env["REDIS_URL"] = settings.REDIS_URL.rsplit("/", 1)[0] + "/1"
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    return env
