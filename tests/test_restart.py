"""A restart keeps what editors saved: `make run`, edit, stop, `make run` again, as an operator does it.

Slow (two real starts: migrate, load_zone, collectstatic, gunicorn with three workers), so it
keeps to its own temporary var dir and port, and always stops the server's process group.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
START_SECONDS = 300
STOP_SECONDS = 45
FIGURE = "from promotion.models import KeyFigure\nfigure = KeyFigure.objects.get(slug='tax-revenue-2015')"
# Nothing of the test run's own setup may reach the server: its database, media, cache and make.
NOT_PASSED_ON = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_MEDIA_ROOT",
    "DJANGO_STATIC_ROOT",
    "DJANGO_DEBUG",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def start(env: dict, log: Path, port: int) -> subprocess.Popen:
    with open(log, "ab") as output:
        server = subprocess.Popen(
            ["make", "run"], cwd=BASE, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_home(server, log, port)
    except BaseException:
        stop(server)
        raise
    return server


def wait_for_home(server: subprocess.Popen, log: Path, port: int) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"make run ended with {server.returncode}:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError):
            if get(f"http://127.0.0.1:{port}/en/")[0] == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"no answer on port {port} after {START_SECONDS} s:\n{log.read_text()[-4000:]}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (make and gunicorn), then wait until every member has gone."""
    group = server.pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        server.poll()
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    server.wait(timeout=10)


def manage_shell(env: dict, code: str) -> str:
    result = subprocess.run(
        [str(BASE / ".venv" / "bin" / "python"), "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_restart_keeps_what_an_editor_saved():
    tmp_path = Path(tempfile.mkdtemp(prefix="zone-restart-"))
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON}
    env.update(DJANGO_VAR_DIR=str(tmp_path / "var"), PORT=str(port), GUNICORN_WORKERS="3")
    log = tmp_path / "make-run.log"
    marker = f"Tax revenue, edited {uuid.uuid4().hex[:8]}"
    server = None
    try:
        server = start(env, log, port)
        home = get(f"http://127.0.0.1:{port}/en/")[1]
        assert "Tax revenue" in home and marker not in home
        manage_shell(env, f"{FIGURE}\nfigure.label_en = {marker!r}\nfigure.save()")
        stop(server)
        server = None
        first_run = log.read_text()

        server = start(env, log, port)
        status, home = get(f"http://127.0.0.1:{port}/en/")
        assert status == 200
        assert marker in home
        assert manage_shell(env, f"{FIGURE}\nprint(figure.label_en)").strip() == marker
        second_run = log.read_text()[len(first_run) :]
        assert "1 stored object(s) differ from the fixtures and were left as they are" in second_run
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(tmp_path, ignore_errors=True)
