#!/usr/bin/env python
"""`make bench`: how the site holds up when the zone has grown.

Builds two SQLite databases under var/bench/ — the shipped fixtures, and the fixtures plus a
scaled synthetic dataset (`manage.py build_scaled_data`: 100 parks, 50 industries, 10,000
enterprises, 100 policies, 200 projects, 100,000 enquiries with notes) — serves each with the
production stack (gunicorn with deploy/gunicorn.conf.py, DEBUG off, whitenoise) on a free
loopback port and measures every public page type, the admin enquiry list and an enquiry
change page:

- latency: 3 warm-up requests, then --requests sequential ones → p50 and p95 in ms (measured by
  the client on loopback, so it is the server's time plus a fraction of a millisecond);
- uncached latency: the same page from a second gunicorn on the same database started with
  PAGE_CACHE_SECONDS=0, so that no page cache answers (--uncached-requests of them);
- throughput: --concurrency threads hammering the page for --duration seconds → requests/s;
- SQL queries: each page built once through Django's test client (page cache cleared) under
  CaptureQueriesContext, in a subprocess on the same database;
- first-load bytes of the home page (English and Chinese), a park page and the tax calculator:
  the HTML and every same-origin stylesheet and script, as served with `Accept-Encoding: gzip, br`.

Every figure is held to a budget (BUDGETS below: the README's and the tests' figures, and p50s
today's code meets with room to spare). The table marks each row that misses one, a summary
lists the misses, and the exit status is 1 when anything was missed. A page skipped because the
run's --time-limit was spent is reported but is no miss, unless nothing at all was measured.
--budget and --budget-scale change budgets for one run; --datasets, --pages, --requests and
--duration make a quick one.

Writes bench/results.json (budgets and misses included) and prints a table with both datasets
side by side. The scaled database is reused while the code and fixtures it was built from are
unchanged (`--rebuild` forces a new one). Only the Python standard library is used on the
client side.
"""

import argparse
import contextlib
import gzip
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"  # --var-dir changes it for a run
RESULTS = ROOT / "bench" / "results.json"
PY = sys.executable

# What the issue asks the scaled dataset to hold at least (projects: 10× the fixtures).
SCALE = {"parks": 100, "industries": 50, "enterprises": 10_000, "policies": 100, "projects": 200, "enquiries": 100_000}
# The fixtures dataset gets one enquiry, so that the admin change page has something to show.
FIXTURES_EXTRA = {"parks": 0, "industries": 0, "enterprises": 0, "policies": 0, "projects": 0, "enquiries": 1}
DATASETS = ["fixtures", "scaled"]
# Variables that would change what is measured (HTTPS redirects, another admin path, Redis…).
SCRUBBED_PREFIXES = ("DJANGO_", "GUNICORN_", "ENQUIRY_", "AXES_", "EMAIL_", "UPLOAD_")
SCRUBBED = {"DATABASE_URL", "REDIS_URL", "ADMIN_URL", "PORT", "SITE_URL", "TIME_ZONE"}
SCRUBBED |= {"PAGE_CACHE_SECONDS", "PAGE_BROWSER_CACHE_SECONDS"}
ACCEPT_ENCODING = "gzip, br"
USER_AGENT = "zone-site-bench/1"
WARM_UP = 3
FIRST_LOAD_PAGES = ["home", "home (Chinese)", "park detail", "tax calculator"]
BENCH_USER = "bench"
ADMIN_PAGES = {"admin enquiries", "admin enquiry"}


# --- The budgets -----------------------------------------------------------------------


class Budget(NamedTuple):
    limit: float
    why: str


# What a run must meet, by (metric, page); page "*" is every page the metric has no row of its
# own for. Each check is `value <= limit`. The counts and kilobytes are the README's and the
# tests'. The p50s have room to spare over what this 2-core machine measured with other work
# running (issue 7's `make bench`, and runs at a load average of 3–4): "fixtures / scaled".
UNITS = {"p50_ms": "ms", "uncached_p50_ms": "ms", "queries": "queries", "first_load_kb": "KB", "errors": "errors"}
NAMES = {"p50_ms": "p50", "uncached_p50_ms": "uncached p50", "queries": "SQL", "first_load_kb": "first load"}
BUDGETS: dict[tuple[str, str], Budget] = {
    ("p50_ms", "*"): Budget(10, "a page from the page cache costs no SQL: 0.8–5.7 ms measured"),
    # Pages that are never cached whole render on every request: the uncached budget.
    ("p50_ms", "search"): Budget(100, "not cached (each query is a page of its own): 13–41 / 20–38 ms"),
    ("p50_ms", "enquiry form"): Budget(200, "not cached (it carries a CSRF token): 42–89 / 58–119 ms"),
    ("p50_ms", "enquiry status"): Budget(100, "not cached (one investor's signed link): 8–22 / 9–10 ms"),
    ("p50_ms", "admin enquiries"): Budget(300, "issue 7's budget at 100,000 enquiries: 26–45 / 167–201 ms"),
    ("p50_ms", "admin enquiry"): Budget(150, "one enquiry and its notes: 32–64 / 30–38 ms"),
    ("uncached_p50_ms", "*"): Budget(100, "a public page rendered with no page cache: 6–41 / 7–60 ms"),
    ("uncached_p50_ms", "park list"): Budget(200, "every park on one page: 17–41 / 60–119 ms"),
    ("uncached_p50_ms", "enquiry form"): Budget(200, "the country list in two languages: 41–86 / 57–78 ms"),
    ("uncached_p50_ms", "sitemap.xml"): Budget(1000, "the index counts every section: 11–24 / 354–483 ms"),
    ("queries", "*"): Budget(10, "every public page, on either dataset (README, tests/test_query_budgets.py)"),
    ("queries", "admin enquiries"): Budget(12, "the admin enquiry list (README, tests/test_query_budgets.py)"),
    ("queries", "admin enquiry"): Budget(12, "the enquiry change page (tests/test_query_budgets.py)"),
    ("first_load_kb", "*"): Budget(150, "HTML + CSS + JS, compressed (README, tests/test_front_end.py): 25–28 KB"),
    ("errors", "*"): Budget(0, "every request is answered 200"),
}


def budget_for(budgets: dict, metric: str, page: str) -> Budget | None:
    return budgets.get((metric, page)) or budgets.get((metric, "*"))


def budgets_for_run(overrides: list[tuple[str, str | None, float]], scale: float) -> dict:
    """BUDGETS with the time budgets multiplied by `scale`, then the command line's own."""
    budgets = {
        key: Budget(round(budget.limit * scale, 6), budget.why + (f" (× {scale:g})" if scale != 1 else ""))
        if key[0].endswith("_ms")
        else budget
        for key, budget in BUDGETS.items()
    }
    for metric, page, limit in overrides:
        if page is None:  # one limit for every page: the per-page rows go
            budgets = {key: budget for key, budget in budgets.items() if key[0] != metric}
        budgets[(metric, page or "*")] = Budget(limit, "set on the command line")
    return budgets


def parse_budget(text: str) -> tuple[str, str | None, float]:
    """`METRIC=LIMIT` (every page) or `METRIC:PAGE=LIMIT` (one page), e.g. `p50_ms=0.001`."""
    target, _, limit = text.partition("=")
    metric, _, page = target.partition(":")
    if metric not in UNITS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected METRIC[:PAGE]=LIMIT with METRIC one of {', '.join(UNITS)}"
            " (the run's time limit is --time-limit)"
        )
    try:
        return metric, page_label(page) if page else None, float(limit)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: the limit must be a number") from None


def page_label(name: str) -> str:
    """Page names as typed: `park-detail` and `park detail` are the same page."""
    return name.strip().replace("-", " ")


def say(message: str = "") -> None:
    print(message, flush=True)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --- The databases ---------------------------------------------------------------------


def dataset_env(name: str, cache: str = "cache") -> dict:
    """The environment of one dataset's processes; each `cache` is a cache folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES) and k not in SCRUBBED}
    var = BENCH_VAR / name
    env.update(
        DJANGO_SETTINGS_MODULE="zone_site.settings",
        DJANGO_VAR_DIR=str(var),
        DJANGO_CACHE_DIR=str(var / cache),
        DATABASE_URL=f"sqlite:///{BENCH_VAR / f'{name}.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(var / "media"),
        DJANGO_STATIC_ROOT=str(BENCH_VAR / "static"),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def fingerprint(name: str) -> str:
    """What a database was built from: reuse it only while none of that has changed."""
    digest = hashlib.sha256(json.dumps(SCALE if name == "scaled" else FIXTURES_EXTRA).encode())
    sources = [ROOT / "fixtures" / "zone.json", ROOT / "promotion" / "scaled.py"]
    sources += sorted((ROOT / "promotion" / "models").glob("*.py"))
    sources += sorted((ROOT / "promotion" / "migrations").glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def remove_database(db: Path) -> None:
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)


def build_database(name: str, rebuild: bool) -> dict:
    env = dataset_env(name)
    db = BENCH_VAR / f"{name}.sqlite3"
    marker = BENCH_VAR / f"{name}.fingerprint"
    wanted = fingerprint(name)
    started = time.monotonic()
    reused = not rebuild and db.exists() and marker.exists() and marker.read_text() == wanted
    if reused:
        say(f"[{name}] reusing {shown(db)} (unchanged since it was built; --rebuild to rebuild)")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
    else:
        say(f"[{name}] building {shown(db)}: migrate, load_zone" + (", build_scaled_data" * (name == "scaled")))
        marker.unlink(missing_ok=True)
        remove_database(db)
        shutil.rmtree(BENCH_VAR / name, ignore_errors=True)
        (BENCH_VAR / name).mkdir(parents=True, exist_ok=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_zone", "--verbosity", "0")
    counts = SCALE if name == "scaled" else FIXTURES_EXTRA
    options = [f"--{key}={value}" for key, value in counts.items()]
    if name == "fixtures":
        options.append("--officers=1")
    # Tops up what is missing: nothing at all when the database was complete.
    output = manage(env, "build_scaled_data", *options)
    if not reused:
        say("\n".join("    " + line for line in output.strip().splitlines()))
        with sqlite3.connect(db) as connection:  # fold the WAL into the file before it is reused
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        marker.write_text(wanted)
    seconds = time.monotonic() - started
    say(f"[{name}] ready in {seconds:.1f} s")
    return {"reused": reused, "seconds": round(seconds, 1)}


PREPARE = r"""
import json, os
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from promotion import services
from promotion.models import Enquiry, Enterprise, Industry, Park, Policy, Project
from promotion.scaled import counts

user, _ = get_user_model().objects.get_or_create(username=os.environ["BENCH_USER"])
user.is_staff = user.is_superuser = user.is_active = True
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()

first = lambda model, **filters: model.objects.filter(**filters).order_by("pk").first()
park, enterprise, project = first(Park), first(Enterprise), first(Project)
industry = first(Industry, is_leading=True) or first(Industry)
policy = first(Policy, owner_share_percent=None)
tax_policy = first(Policy, owner_share_percent__isnull=False)
busy = Industry.objects.annotate(n=Count("enterprises")).order_by("-n", "pk").first()
enquiry = Enquiry.objects.exclude(reference=None).order_by("-received_at").first()
with translation.override("en"):
    u = lambda name, *args: reverse(f"promotion:{name}", args=args)
    pages = {
        "home": u("home"),
        "about": u("about"),
        "figures": u("figure-list"),
        "park list": u("park-list"),
        "park detail": u("park-detail", park.slug),
        "industry list": u("industry-list"),
        "industry detail": u("industry-detail", industry.slug),
        "enterprises": u("enterprise-list"),
        "enterprises filtered": u("enterprise-list") + f"?industry={busy.slug}&page=2",
        "enterprise detail": u("enterprise-detail", enterprise.slug),
        "project list": u("project-list"),
        "project detail": u("project-detail", project.slug),
        "policy list": u("policy-list"),
        "policy detail": u("policy-detail", policy.slug),
        "tax calculator": u("policy-detail", tax_policy.slug) + "?tax=1000000",
        "environment": u("environment"),
        "innovation": u("innovation"),
        "search": u("search") + "?q=steel",
        "open data": u("open-data"),
        "figures CSV": u("key-figures-csv"),
        "figures JSON": u("key-figures-json"),
        "sitemap.xml": reverse("sitemap"),
        "enquiry form": u("enquiry"),
        "enquiry status": u("enquiry-status", services.status_token(enquiry)),
        "privacy": u("privacy"),
        "home (Chinese)": "/zh-hans/",
        "admin enquiries": reverse("admin:promotion_enquiry_changelist"),
        "admin enquiry": reverse("admin:promotion_enquiry_change", args=[enquiry.pk]),
    }
print("BENCH-JSON:" + json.dumps({
    "rows": counts(),
    "pages": pages,
    "login": reverse("admin:login"),
    "admin": reverse("admin:index"),
}))
"""


def prepare(name: str, password: str) -> dict:
    """The superuser, the rows each table holds and the addresses to measure."""
    env = {**dataset_env(name), "BENCH_USER": BENCH_USER, "BENCH_PASSWORD": password}
    done = subprocess.run([PY, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON:"):
            return json.loads(line.removeprefix("BENCH-JSON:"))
    raise RuntimeError(f"preparing {name} failed:\n{done.stdout}\n{done.stderr}")


QUERIES = r"""
import json, os
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

public = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
staff = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
staff.force_login(get_user_model().objects.get(username=os.environ["BENCH_USER"]))
counts = {}
for label, path in json.loads(os.environ["BENCH_PAGES"]).items():
    client = staff if label.startswith("admin") else public
    for _ in range(2):  # the first request also fills what a process keeps for good (content types…)
        cache.clear()  # the page as built, not as served from the page cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    counts[label] = {"queries": len(queries), "status": response.status_code}
print("BENCH-JSON:" + json.dumps(counts))
"""


def count_queries(name: str, pages: dict) -> dict:
    """SQL queries each page makes when it is built: Django's test client on the bench database."""
    env = {
        **dataset_env(name, cache="cache-queries"),
        "PAGE_CACHE_SECONDS": "0",
        "BENCH_USER": BENCH_USER,
        "BENCH_PAGES": json.dumps(pages),
    }
    done = subprocess.run([PY, "-c", QUERIES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON:"):
            return json.loads(line.removeprefix("BENCH-JSON:"))
    raise RuntimeError(f"counting the queries of {name} failed:\n{done.stdout}\n{done.stderr}")


# --- The server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the production settings, started and always stopped here.

    `page_cache=False` serves the same database with PAGE_CACHE_SECONDS=0 (and a cache folder of
    its own), so that every public page is rendered. While it runs, the process group's id is in
    a .pid file beside its log, for whoever must clean up after a run that was killed."""

    def __init__(self, name: str, workers: int, page_cache: bool = True):
        self.name = name
        self.port = free_port()
        role = "gunicorn" if page_cache else "gunicorn-uncached"
        self.log_path = BENCH_VAR / name / f"{role}.log"
        self.pid_path = BENCH_VAR / name / f"{role}.pid"
        self.env = {
            **dataset_env(name, cache="cache" if page_cache else "cache-uncached"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "PORT": str(self.port),
        }
        if not page_cache:
            self.env["PAGE_CACHE_SECONDS"] = "0"
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            # No control socket: it would take over ~/.gunicorn/gunicorn.ctl from a site running beside us.
            [PY, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--no-control-socket", "zone_site.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )
        self.pid_path.write_text(f"{self.process.pid}\n")
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                if Client(self.port, timeout=2).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGINT)  # quick shutdown of the master and its workers
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        else:  # the master is gone; any worker it left behind goes too
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        self.pid_path.unlink(missing_ok=True)
        self.log.close()


# --- The client ------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers, body: bytes, ms: float):
        self.status, self.headers, self.body, self.ms = status, headers, body, ms

    @property
    def encoding(self) -> str:
        return self.headers.get("Content-Encoding", "")

    @property
    def plain(self) -> bytes | None:
        """The body decoded from gzip; None for an encoding the standard library cannot read (br)."""
        if self.encoding == "gzip":
            return gzip.decompress(self.body)
        return self.body if self.encoding in ("", "identity") else None

    def text(self) -> str:
        return (self.plain or b"").decode("utf-8", "replace")


class Client:
    """One keep-alive HTTP connection (re-opened when the server closes it), with cookies."""

    def __init__(self, port: int, cookies: dict | None = None, timeout: float = 35):
        self.port, self.timeout = port, timeout
        self.cookies = dict(cookies or {})
        self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 1:
                    continue  # the server had closed the idle connection: what a browser retries
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            ms = (time.perf_counter() - started) * 1000
            if response.will_close:
                self.close()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for key, morsel in jar.items():
                    self.cookies[key] = morsel.value
            return Response(response.status, response.headers, data, ms)
        raise AssertionError("unreachable")

    def get(self, path: str) -> Response:
        return self.request("GET", path)


def admin_login(port: int, login_path: str, admin_path: str, password: str) -> dict:
    """Log in through the admin's own form (CSRF cookie and token); returns the session's cookies."""
    client = Client(port)
    form = client.get(f"{login_path}?next={admin_path}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text())
    if form.status != 200 or not token:
        raise RuntimeError(f"admin login form: HTTP {form.status}, no CSRF token")
    body = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": BENCH_USER,
            "password": password,
            "next": admin_path,
        }
    ).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{port}{login_path}",
        "Origin": f"http://127.0.0.1:{port}",
    }
    answer = client.request("POST", f"{login_path}?next={admin_path}", body=body, headers=headers)
    client.close()
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"admin login failed: HTTP {answer.status}")
    return client.cookies


# --- Measuring -------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def hammer(port: int, path: str, cookies: dict, threads: int, duration: float) -> dict:
    """`threads` clients, each on its own connection, asking for `path` until the time is up."""
    done, errors = [0] * threads, [0] * threads
    deadline = time.monotonic() + duration

    def run(index: int) -> None:
        client = Client(port, cookies)
        while time.monotonic() < deadline:
            try:
                ok = client.get(path).status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            if ok:
                done[index] += 1
            else:
                errors[index] += 1
        client.close()

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=duration + 40)
    elapsed = time.monotonic() - started
    return {"rps": round(sum(done) / elapsed, 1), "requests": sum(done), "errors": sum(errors)}


def sample(port: int, path: str, cookies: dict, requests: int, started: float, cap: float) -> dict:
    """WARM_UP requests, then `requests` timed ones, until `cap` seconds after `started`."""
    client = Client(port, cookies)
    run = {"ms": [], "status": Counter(), "errors": 0, "cold_ms": None, "bytes": 0, "encoding": "", "capped": False}
    for i in range(WARM_UP + requests):
        if time.monotonic() - started > cap:
            run["capped"] = True
            break
        try:
            response = client.get(path)
        except (OSError, http.client.HTTPException) as error:
            run["status"][type(error).__name__] += 1
            run["errors"] += 1
            continue
        if i == 0:
            run["cold_ms"] = response.ms
        if i < WARM_UP:
            continue
        run["status"][response.status] += 1
        run["errors"] += response.status != 200
        run["ms"].append(response.ms)
        run["bytes"], run["encoding"] = len(response.body), response.encoding
    client.close()
    return run


def ms(samples: list[float], p: float) -> float | None:
    return round(percentile(samples, p), 1) if samples else None


def measure_page(port: int, uncached_port: int | None, path: str, cookies: dict, args) -> dict:
    """Warm-up and sequential requests (p50/p95), the same on the uncached server, then the throughput run.

    `uncached_port` is the server started with PAGE_CACHE_SECONDS=0: what rendering the page
    costs. None for a page that is never cached (the admin), where every request renders it."""
    started = time.monotonic()
    cached = sample(port, path, cookies, args.requests, started, args.page_cap)
    samples = cached["ms"]
    result = {
        "url": path,
        "status": dict(cached["status"]),
        "n": len(samples),
        "cold_ms": round(cached["cold_ms"], 1) if cached["cold_ms"] is not None else None,
        "p50_ms": ms(samples, 50),
        "p95_ms": ms(samples, 95),
        "mean_ms": round(statistics.fmean(samples), 1) if samples else None,
        "uncached_p50_ms": ms(samples, 50),
        "uncached_p95_ms": ms(samples, 95),
        "uncached_n": 0,
        "bytes": cached["bytes"],
        "content_encoding": cached["encoding"],
        "errors": cached["errors"],
        "capped": cached["capped"],
    }
    if uncached_port is not None:
        fresh = sample(uncached_port, path, {}, args.uncached_requests, started, args.page_cap)
        result.update(
            uncached_p50_ms=ms(fresh["ms"], 50),
            uncached_p95_ms=ms(fresh["ms"], 95),
            uncached_n=len(fresh["ms"]),
            uncached_status=dict(fresh["status"]),
        )
        result["errors"] += fresh["errors"]
        result["capped"] = result["capped"] or fresh["capped"]
    if result["capped"]:
        result.update(rps=None, throughput_requests=0)
    else:
        load = hammer(port, path, cookies, args.concurrency, args.duration)
        result.update(rps=load["rps"], throughput_requests=load["requests"])
        result["errors"] += load["errors"]
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


class AssetLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split() and attrs.get("href"):
            self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


def same_origin_path(url: str, port: int) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.netloc != f"127.0.0.1:{port}":
            return None
    elif not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def wire_and_plain(response: Response) -> tuple[int, int]:
    plain = response.plain
    return len(response.body), len(plain) if plain is not None else 0


def first_load(port: int, path: str) -> dict:
    """The bytes a first visit downloads: the HTML and its same-origin stylesheets and scripts."""
    client = Client(port)
    page = client.get(path)
    links = AssetLinks()
    links.feed(page.text())
    result = {"url": path, "files": []}
    totals = {"html": wire_and_plain(page), "css": [0, 0], "js": [0, 0]}
    result["files"].append({"url": path, "kind": "html", "status": page.status, "encoding": page.encoding})
    for kind, urls in (("css", links.css), ("js", links.js)):
        for url in dict.fromkeys(urls):
            asset = same_origin_path(url, port)
            if asset is None:
                continue
            response = client.get(asset)
            wire, plain = wire_and_plain(response)
            totals[kind][0] += wire
            totals[kind][1] += plain
            result["files"].append(
                {"url": asset, "kind": kind, "status": response.status, "bytes": wire, "uncompressed": plain}
                | {"encoding": response.encoding}
            )
    client.close()
    result["files"][0].update(bytes=totals["html"][0], uncompressed=totals["html"][1])
    for kind, (wire, plain) in totals.items():
        result[f"{kind}_bytes"] = wire
        result[f"{kind}_uncompressed"] = plain
    result["total_bytes"] = sum(wire for wire, _ in totals.values())
    result["total_kb"] = round(result["total_bytes"] / 1024, 1)
    result["errors"] = sum(file["status"] != 200 for file in result["files"])
    return result


def measure_dataset(name: str, info: dict, labels: list[str], args, password: str, deadline: float) -> dict:
    for stale in (BENCH_VAR / name).glob("cache*"):  # pages cached by an earlier run, maybe of other code
        shutil.rmtree(stale, ignore_errors=True)
    queries = count_queries(name, {label: info["pages"][label] for label in labels})
    pages = {}
    with Server(name, args.workers) as server, Server(name, args.workers, page_cache=False) as uncached:
        say(
            f"[{name}] gunicorn on 127.0.0.1:{server.port}, and with PAGE_CACHE_SECONDS=0 on"
            f" 127.0.0.1:{uncached.port} ({args.workers} workers each), logs in {shown(server.log_path.parent)}"
        )
        cookies = admin_login(server.port, info["login"], info["admin"], password)
        for label in labels:
            path = info["pages"][label]
            sql = queries[label]["queries"]
            if time.monotonic() > deadline:
                pages[label] = {"url": path, "skipped": "the run's time limit was spent"}
                say(f"  {label:<22} skipped (time limit)  SQL {sql}")
                continue
            admin = label in ADMIN_PAGES
            result = measure_page(server.port, None if admin else uncached.port, path, cookies if admin else {}, args)
            pages[label] = result
            flag = "" if not result["errors"] else f"  {result['errors']} errors {result['status']}"
            say(
                f"  {label:<22} p50 {fmt(result['p50_ms']):>7} ms  p95 {fmt(result['p95_ms']):>7} ms"
                f"  uncached {fmt(result['uncached_p50_ms']):>7} ms  {fmt(result['rps']):>6} req/s"
                f"  {result['bytes'] / 1024:7.1f} KB  SQL {sql}{flag}" + ("  (capped)" if result["capped"] else "")
            )
        loads = {label: first_load(server.port, info["pages"][label]) for label in FIRST_LOAD_PAGES if label in labels}
    return {"pages": pages, "queries": queries, "first_load": loads}


# --- The budgets, checked --------------------------------------------------------------


def limit_text(metric: str, limit: float) -> str:
    unit = UNITS[metric]
    return f"{limit:g}" + (f" {unit}" if unit else "")


def check_budgets(results: dict, budgets: dict) -> list[dict]:
    """One check for every measured figure that has a budget; `met` says whether it kept to it."""
    checks = []

    def check(name: str, row: str, label: str, metric: str, value) -> None:
        budget = budget_for(budgets, metric, label)
        if budget is None or value is None:
            return
        met = value <= budget.limit
        if metric == "errors":
            text = f"{value} errors > {budget.limit:g}"
        else:
            text = f"{NAMES[metric]} {fmt(value)} > {limit_text(metric, budget.limit)}"
        checks.append(
            {"dataset": name, "row": row, "page": label, "metric": metric, "value": value}
            | {"limit": budget.limit, "met": met, "text": None if met else text, "why": budget.why}
        )

    for name, dataset in results["datasets"].items():
        for label, count in dataset.get("queries", {}).items():
            check(name, "page", label, "queries", count["queries"])
            if count["status"] != 200:
                check(name, "page", label, "errors", 1)
        for label, page in dataset.get("pages", {}).items():
            if "skipped" in page:
                continue
            check(name, "page", label, "p50_ms", page["p50_ms"])
            if page["uncached_n"]:
                check(name, "page", label, "uncached_p50_ms", page["uncached_p50_ms"])
            check(name, "page", label, "errors", page["errors"])
        for label, load in dataset.get("first_load", {}).items():
            check(name, "first load", label, "first_load_kb", load["total_kb"])
            check(name, "first load", label, "errors", load["errors"])
    return checks


def skipped_pages(results: dict) -> list[str]:
    return [
        f"{name}: {label}"
        for name, dataset in results["datasets"].items()
        for label, page in dataset.get("pages", {}).items()
        if "skipped" in page
    ]


def misses_of(checks: list[dict], results: dict) -> list[dict]:
    """The checks that failed; and one more when no page was measured at all (all skipped)."""
    misses = [check for check in checks if not check["met"]]
    measured = [page for dataset in results["datasets"].values() for page in dataset.get("pages", {}).values()]
    if measured and all("skipped" in page for page in measured):
        misses.append(
            {"dataset": None, "row": "page", "page": None, "metric": "pages measured", "value": 0, "limit": 1}
            | {"met": False, "text": "no page was measured: every one was skipped for the run's time limit"}
        )
    return misses


def row_marks(misses: list[dict], row: str, label: str, several: bool) -> str:
    texts = [
        (f"{miss['dataset']} " if several else "") + miss["text"]
        for miss in misses
        if miss["row"] == row and miss["page"] == label
    ]
    return "✗ " + "; ".join(texts) if texts else "✓"


def budgets_table(budgets: dict) -> str:
    lines = [f"  {'metric':<16} {'page':<16} {'limit':>12}  why"]
    for (metric, page), budget in budgets.items():
        lines.append(f"  {metric:<16} {page:<16} {limit_text(metric, budget.limit):>12}  {budget.why}")
    return "\n".join(lines)


# --- Reporting -------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def growth(fixtures: dict, scaled: dict, key: str = "p50_ms") -> float | None:
    a, b = fixtures.get(key), scaled.get(key)
    return round(b / a, 2) if a and b else None


def table(results: dict) -> str:
    datasets = results["datasets"]
    names = [name for name in DATASETS if name in datasets]
    several = len(names) > 1
    misses = results["misses"]
    lines = []
    header = f"{'page':<22}"
    for name in names:
        header += f" | {name + ' p50':>13} {'p95':>7} {'uncach':>7} {'req/s':>6} {'KB':>6} {'SQL':>4}"
    if len(names) == 2:
        header += f" | {'growth':>6} {'uncach':>6}"
    header += " | budgets"
    lines += [header, "-" * len(header)]
    labels = list(dict.fromkeys(label for name in names for label in datasets[name]["pages"]))
    for label in labels:
        line = f"{label:<22}"
        for name in names:
            page = datasets[name]["pages"].get(label, {})
            sql = fmt(datasets[name].get("queries", {}).get(label, {}).get("queries"))
            if "skipped" in page or not page:
                line += f" | {'skipped':>13} {'':>7} {'':>7} {'':>6} {'':>6} {sql:>4}"
                continue
            mark = "!" if page["errors"] else ("*" if page["capped"] else " ")
            line += (
                f" | {fmt(page['p50_ms']) + mark:>13} {fmt(page['p95_ms']):>7} {fmt(page['uncached_p50_ms']):>7}"
                f" {fmt(page['rps']):>6}"
                f" {page['bytes'] / 1024:>6.1f} {sql:>4}"
            )
        if len(names) == 2:
            factors = [results[key].get(label) for key in ("growth", "growth_uncached")]
            line += " |" + "".join(f" {(f'{factor:.2f}×' if factor else '—'):>6}" for factor in factors)
        line += " | " + row_marks(misses, "page", label, several)
        lines.append(line)
    lines.append("")
    lines.append(
        "ms: client-measured server time on loopback; uncach = p50 from the server started with"
        " PAGE_CACHE_SECONDS=0; req/s at the given concurrency; KB as served; SQL = queries to build the page."
    )
    lines.append(
        "! = errors (see results.json), * = capped at the per-page time limit;"
        " growth = scaled p50 / fixtures p50 (and the same for uncached); ✗ = a budget missed"
    )
    lines.append("")
    lines.append("First load (HTML + same-origin CSS + JS as served, Accept-Encoding: gzip, br), KB:")
    lines.append(
        f"{'page':<22}"
        + "".join(f" | {name + ' html':>14} {'css':>6} {'js':>6} {'total':>7}" for name in names)
        + " | budgets"
    )
    first_loads = list(dict.fromkeys(label for name in names for label in datasets[name].get("first_load", {})))
    for label in first_loads:
        line = f"{label:<22}"
        for name in names:
            load = datasets[name].get("first_load", {}).get(label)
            if not load:
                line += f" | {'—':>14} {'':>6} {'':>6} {'':>7}"
                continue
            line += (
                f" | {load['html_bytes'] / 1024:>14.1f} {load['css_bytes'] / 1024:>6.1f}"
                f" {load['js_bytes'] / 1024:>6.1f} {fmt(load['total_kb']) + ('!' if load['errors'] else ' '):>7}"
            )
        line += " | " + row_marks(misses, "first load", label, several)
        lines.append(line)
    lines.append("")
    lines.append(
        "Rows: "
        + "; ".join(f"{name}: " + ", ".join(f"{k} {v:,}" for k, v in datasets[name]["rows"].items()) for name in names)
    )
    return "\n".join(lines)


def summary(results: dict, budgets: dict) -> str:
    """The budgets in force, then what missed them (or that nothing did), then what was skipped."""
    lines = ["Budgets (BUDGETS in scripts/bench.py; --budget and --budget-scale change them):", budgets_table(budgets)]
    misses, checked = results["misses"], results["checked"]
    lines.append("")
    if misses:
        lines.append(f"✗ {len(misses)} of {checked} budgets missed:")
        for miss in misses:
            where = ""
            if miss["page"] is not None:
                what = ("first load of " if miss["row"] == "first load" else "") + miss["page"]
                where = f"{miss['dataset']}: {what} — "
            why = f"  ({miss['why']})" if miss.get("why") else ""
            lines.append(f"  ✗ {where}{miss['text']}{why}")
    else:
        lines.append(f"✓ all {checked} budgets met.")
    skipped = skipped_pages(results)
    if skipped:
        lines.append(
            f"{len(skipped)} pages skipped when the run's time limit was spent (reported, not counted as misses): "
            + ", ".join(skipped)
        )
    return "\n".join(lines)


def machine() -> dict:
    import django

    try:
        import gunicorn

        gunicorn_version = gunicorn.__version__
    except ImportError:  # pragma: no cover
        gunicorn_version = None
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even when they are up to date")
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page (default 50)")
    parser.add_argument(
        "--uncached-requests", type=int, default=10, help="sequential requests per page with no page cache (default 10)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="threads in the throughput run (default 8)")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of each throughput run (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server (default 2)")
    parser.add_argument("--page-cap", type=float, default=30.0, help="seconds before a page's measuring stops")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=600.0,
        help="seconds of measuring per run, then the remaining pages are skipped (default 600)",
    )
    parser.add_argument(
        "--pages",
        type=lambda text: [page_label(name) for name in text.split(",") if name.strip()],
        default=[],
        help="measure only these pages, comma-separated labels as in the table (park-detail = park detail)",
    )
    parser.add_argument("--only", nargs="*", default=[], help="the same as --pages, as separate words")
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=DATASETS)
    parser.add_argument(
        "--budget",
        type=parse_budget,
        action="append",
        default=[],
        metavar="METRIC[:PAGE]=LIMIT",
        help=f"a budget for this run, for every page or one (metrics: {', '.join(UNITS)}); may be repeated",
    )
    parser.add_argument(
        "--budget-scale",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="multiply the time budgets (ms) by this, e.g. 2 on a slow machine (default 1)",
    )
    parser.add_argument(
        "--var-dir", type=Path, default=BENCH_VAR, help=f"databases and logs (default {shown(BENCH_VAR)})"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"the JSON written (default {shown(RESULTS)})")
    args = parser.parse_args(argv)
    args.pages = list(dict.fromkeys(args.pages + [page_label(name) for name in args.only]))
    return args


def stop_on_sigterm(signum, frame) -> None:
    """A SIGTERM unwinds like Ctrl-C, so that the gunicorn servers are stopped on the way out."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    global BENCH_VAR, RESULTS
    args = arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    BENCH_VAR, RESULTS = args.var_dir.resolve(), args.results.resolve()
    budgets = budgets_for_run(args.budget, args.budget_scale)

    started = time.monotonic()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    password = os.urandom(18).hex()
    results = {
        "machine": machine(),
        "config": {
            "requests": args.requests,
            "uncached_requests": args.uncached_requests,
            "warm_up": WARM_UP,
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "gunicorn_workers": args.workers,
            "page_cap_s": args.page_cap,
            "time_limit_s": args.time_limit,
            "pages": args.pages or "all",
            "scale": SCALE,
        },
        "budgets": [
            {"metric": metric, "page": page, "limit": budget.limit, "unit": UNITS[metric], "why": budget.why}
            for (metric, page), budget in budgets.items()
        ],
        "datasets": {},
    }
    say(f"Static files: collectstatic into {shown(BENCH_VAR / 'static')}")
    manage(dataset_env(args.datasets[0]), "collectstatic", "--noinput", "--verbosity", "0")
    infos = {}
    for name in args.datasets:
        build = build_database(name, args.rebuild)
        infos[name] = prepare(name, password)
        results["datasets"][name] = {"build": build, "rows": infos[name]["rows"]}
    known = list(infos[args.datasets[0]]["pages"])
    asked = args.pages + [page for _, page, _ in args.budget if page]
    unknown = list(dict.fromkeys(label for label in asked if label not in known))
    if unknown:
        say(f"No such page: {', '.join(unknown)}. The pages are: {', '.join(known)}")
        return 2
    labels = [label for label in known if not args.pages or label in args.pages]
    deadline = time.monotonic() + args.time_limit
    for name in args.datasets:
        say(f"[{name}] measuring {len(labels)} pages")
        results["datasets"][name].update(measure_dataset(name, infos[name], labels, args, password, deadline))
    if len(args.datasets) == 2:
        fixtures, scaled = (results["datasets"][name]["pages"] for name in DATASETS)
        results["growth"] = {label: growth(fixtures[label], scaled.get(label, {})) for label in fixtures}
        results["growth_uncached"] = {
            label: growth(fixtures[label], scaled.get(label, {}), "uncached_p50_ms") for label in fixtures
        }
    checks = check_budgets(results, budgets)
    results["checked"] = len(checks)
    results["misses"] = misses_of(checks, results)
    results["skipped"] = skipped_pages(results)
    results["runtime_s"] = round(time.monotonic() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    say()
    say(table(results))
    say()
    say(summary(results, budgets))
    say(f"Wrote {shown(RESULTS)} in {results['runtime_s']:.0f} s.")
    return 1 if results["misses"] else 0


if __name__ == "__main__":
    sys.exit(main())
