"""What operators rely on: health check, backups, gunicorn settings, shared cache."""

import importlib.util
import os
import sqlite3
import subprocess
import tarfile
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection

from promotion.models import KeyFigure

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_does_not(client):
    with mock.patch("promotion.views.data.connection.cursor", side_effect=DatabaseError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_holds_the_database_and_the_media(tmp_path, settings):
    """Run outside a test transaction, as the command runs from cron."""
    call_command("loaddata", "zone", verbosity=0)
    (Path(settings.MEDIA_ROOT) / "parks").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "parks" / "photo.jpg").write_bytes(b"jpeg")
    call_command("backup_site", to=str(tmp_path), verbosity=0)
    media = next(tmp_path.glob("media-*.tar.gz"))
    with tarfile.open(media) as archive:
        assert "media/parks/photo.jpg" in archive.getnames()
    figures = KeyFigure.objects.count()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(next(tmp_path.glob("db-*.sqlite3")))
        assert copy.execute("select count(*) from promotion_keyfigure").fetchone()[0] == figures
        copy.close()
    else:
        dump = next(tmp_path.glob("db-*.dump"))
        listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True)
        assert "TABLE DATA public promotion_keyfigure" in listing.stdout


def test_gunicorn_settings_scale_with_the_machine():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", BASE / "deploy" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, {"PORT": "9100"}), mock.patch("multiprocessing.cpu_count", return_value=4):
        spec.loader.exec_module(conf)
    assert conf.workers == 9
    assert conf.bind == "127.0.0.1:9100"
    assert conf.accesslog == "-" and conf.timeout == 30


def test_redis_url_switches_the_cache_to_redis(tmp_path):
    import importlib

    from zone_site import settings as zone_settings

    try:
        with mock.patch.dict(os.environ, {"REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_VAR_DIR": str(tmp_path)}):
            loaded = importlib.reload(zone_settings)
            assert loaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
            assert loaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    finally:
        importlib.reload(zone_settings)


def test_logs_go_to_standard_output():
    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"


def test_shared_cache_in_use_when_configured():
    """In the PostgreSQL run REDIS_URL is set: the rate limiter's counters then live in Redis."""
    from django.core.cache import caches

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set; make test-postgres runs this against a real Redis")
    cache = caches["default"]
    cache.set("zone-site-probe", 1, 5)
    assert cache.incr("zone-site-probe") == 2
    assert type(cache).__name__ == "RedisCache"
