import importlib
import os
from unittest import mock

from zone_site import settings as zone_settings


def test_secret_key_is_generated_once_and_kept(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    first = zone_settings.read_or_create_secret_key(key_file)
    second = zone_settings.read_or_create_secret_key(key_file)
    assert len(first) >= 50
    assert first == second
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def reload_with(env: dict):
    with mock.patch.dict(os.environ, env, clear=False):
        return importlib.reload(zone_settings)


def test_environment_drives_settings(tmp_path):
    try:
        loaded = reload_with(
            {
                "DJANGO_VAR_DIR": str(tmp_path),
                "DJANGO_DEBUG": "1",
                "DJANGO_ALLOWED_HOSTS": "zone.example.cn, www.zone.example.cn",
                "DATABASE_URL": "postgres://zone:pw@db.internal:5432/zone",
                "DJANGO_SECRET_KEY": "from-the-environment",
            }
        )
        assert loaded.DEBUG is True
        assert loaded.ALLOWED_HOSTS == ["zone.example.cn", "www.zone.example.cn"]
        assert loaded.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        assert loaded.DATABASES["default"]["HOST"] == "db.internal"
        assert loaded.SECRET_KEY == "from-the-environment"
    finally:
        importlib.reload(zone_settings)


def test_safe_defaults(tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path)}
    removed = ["DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SECRET_KEY", "TIME_ZONE"]
    try:
        with mock.patch.dict(os.environ, env):
            for name in removed:
                os.environ.pop(name, None)
            loaded = importlib.reload(zone_settings)
        assert loaded.DEBUG is False
        assert "*" not in loaded.ALLOWED_HOSTS
        assert loaded.DATABASES["default"]["NAME"] == str(tmp_path / "db.sqlite3")
        assert loaded.TIME_ZONE == "Asia/Shanghai"
        assert (tmp_path / "secret_key").read_text() == loaded.SECRET_KEY
        assert [code for code, _ in loaded.LANGUAGES] == ["en", "zh-hans"]
    finally:
        importlib.reload(zone_settings)


def test_mail_goes_to_files_locally_and_to_smtp_when_a_host_is_set(tmp_path):
    try:
        with mock.patch.dict(os.environ, {"DJANGO_VAR_DIR": str(tmp_path)}):
            os.environ.pop("EMAIL_HOST", None)
            local = importlib.reload(zone_settings)
            assert local.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
            assert local.EMAIL_FILE_PATH == tmp_path / "mail"
        with mock.patch.dict(
            os.environ,
            {
                "DJANGO_VAR_DIR": str(tmp_path),
                "EMAIL_HOST": "smtp.zone.example.cn",
                "EMAIL_PORT": "465",
                "EMAIL_HOST_USER": "site",
            },
        ):
            production = importlib.reload(zone_settings)
            assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
            assert (production.EMAIL_PORT, production.EMAIL_USE_SSL, production.EMAIL_USE_TLS) == (465, True, False)
            assert production.EMAIL_HOST_USER == "site"
    finally:
        importlib.reload(zone_settings)


def test_sqlite_is_configured_for_concurrent_writers(tmp_path):
    try:
        with mock.patch.dict(os.environ, {"DJANGO_VAR_DIR": str(tmp_path)}):
            os.environ.pop("DATABASE_URL", None)
            options = importlib.reload(zone_settings).DATABASES["default"]["OPTIONS"]
    finally:
        importlib.reload(zone_settings)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 10


def test_each_worker_keeps_its_database_connection_and_checks_it_before_use(tmp_path):
    try:
        with mock.patch.dict(os.environ, {"DJANGO_VAR_DIR": str(tmp_path)}):
            os.environ.pop("DJANGO_CONN_MAX_AGE", None)
            kept = importlib.reload(zone_settings).DATABASES["default"]
        with mock.patch.dict(os.environ, {"DJANGO_VAR_DIR": str(tmp_path), "DJANGO_CONN_MAX_AGE": "0"}):
            per_request = importlib.reload(zone_settings).DATABASES["default"]
    finally:
        importlib.reload(zone_settings)
    assert (kept["CONN_MAX_AGE"], kept["CONN_HEALTH_CHECKS"]) == (600, True)
    assert per_request["CONN_MAX_AGE"] == 0
