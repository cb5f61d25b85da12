"""Full-page screenshots of the home page, a park and the tax calculator at phone and laptop widths.

    make screenshots        (or: .venv/bin/python scripts/screenshots.py)

Builds a throwaway site under var/ (its own SQLite database, media and collected static files),
serves it with gunicorn on a free port as `make run` would, drives Debian's Chromium through
Playwright, writes PNGs into screenshots/, then stops the server and removes the throwaway site.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the tests' own launch settings)

OUT_DIR = BASE_DIR / "screenshots"
WIDTHS = [375, 1280]
PAGES = {
    "home": "/en/",
    "park-electronics": "/en/parks/electronics-park/",
    "tax-calculator": "/en/policies/tax-sharing/?tax=1000000",
}
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def prepare_site(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["load_zone"], ["collectstatic", "--noinput"]):
        subprocess.run([PYTHON, "manage.py", *command, "--verbosity", "0"], cwd=BASE_DIR, env=env, check=True)


def take_screenshots(base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: run scripts/install-system-packages (make system-packages)")
    OUT_DIR.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
                page = context.new_page()
                for name, path in PAGES.items():
                    response = page.goto(f"{base_url}{path}", wait_until="load")
                    if response is None or not response.ok:
                        raise SystemExit(f"{path} answered {response.status if response else 'nothing'}")
                    # Lazy images below the fold load only when scrolled to; a full-page picture wants them all.
                    page.evaluate(
                        "document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')"
                    )
                    page.wait_for_load_state("networkidle")
                    target = OUT_DIR / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    site_dir = Path(tempfile.mkdtemp(prefix="screenshots-", dir=BASE_DIR / "var"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zone_site.settings",
        "DJANGO_VAR_DIR": str(site_dir),
        "DJANGO_DEBUG": "",
        "DATABASE_URL": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        prepare_site(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "zone_site.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base_url}/en/", server)
        written = take_screenshots(base_url)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(site_dir, ignore_errors=True)
    for path in written:
        print(path.relative_to(BASE_DIR))


if __name__ == "__main__":
    main()
