"""The Chinese catalogue is complete, current and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "zh_Hans",
    "--no-location",
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=tests",
    "--ignore=screenshots",
    "-v0",
]


def statistics(po: Path, output: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(output), str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def assert_complete(report: str) -> None:
    assert "fuzzy" not in report, report
    assert "untranslated" not in report, report
    assert re.search(r"\d+ translated message", report), report


def test_catalogue_has_no_untranslated_or_fuzzy_entry(tmp_path):
    assert_complete(statistics(CATALOGUE, tmp_path / "django.mo"))


def test_compiled_catalogue_matches_the_source(tmp_path):
    statistics(CATALOGUE, tmp_path / "django.mo")
    assert COMPILED.read_bytes() == (tmp_path / "django.mo").read_bytes(), "run `make messages` and commit django.mo"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over the current code adds nothing that lacks a translation."""
    for name in ["manage.py", "zone_site", "promotion", "templates", "locale"]:
        source = BASE / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    env = {"DJANGO_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "catalogue-check"}
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert_complete(statistics(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po", tmp_path / "django.mo"))


@pytest.mark.parametrize("text", ["Send an enquiry", "Key figures", "Parks and bases"])
def test_catalogue_is_used(client, text):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext(text) != text
