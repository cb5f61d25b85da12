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
- throughput: --concurrency threads hammering the page for --duration seconds → requests/s;
- first-load bytes of the home page, a park page and the tax calculator: the HTML and every
  same-origin stylesheet and script, as served with `Accept-Encoding: gzip, br`.

Writes bench/results.json and prints a table with both datasets side by side. The scaled
database is reused while the code and fixtures it was built from are unchanged (`--rebuild`
forces a new one). Only the Python standard library is used on the client side.
"""

import argparse
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
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
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
ACCEPT_ENCODING = "gzip, br"
USER_AGENT = "zone-site-bench/1"
WARM_UP = 3
UNCACHED_REQUESTS = 5
FIRST_LOAD_PAGES = ["home", "park detail", "tax calculator"]
BENCH_USER = "bench"


def say(message: str = "") -> None:
    print(message, flush=True)


# --- The databases ---------------------------------------------------------------------


def dataset_env(name: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES) and k not in SCRUBBED}
    var = BENCH_VAR / name
    env.update(
        DJANGO_SETTINGS_MODULE="zone_site.settings",
        DJANGO_VAR_DIR=str(var),
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
        say(f"[{name}] reusing {db.relative_to(ROOT)} (unchanged since it was built; --rebuild to rebuild)")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
    else:
        say(
            f"[{name}] building {db.relative_to(ROOT)}: migrate, load_zone"
            + (", build_scaled_data" * (name == "scaled"))
        )
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


# --- The server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the production settings, started and always stopped here."""

    def __init__(self, name: str, workers: int):
        self.name = name
        self.port = free_port()
        self.log_path = BENCH_VAR / name / "gunicorn.log"
        self.env = {
            **dataset_env(name),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "PORT": str(self.port),
        }
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
        self.process = None
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


def measure_page(port: int, path: str, cookies: dict, args, uncached: bool) -> dict:
    """Warm-up, sequential requests (p50/p95), a few cache-missing ones, then the throughput run.

    Public pages may be cached whole; `uncached` asks UNCACHED_REQUESTS more times with a query
    parameter no view reads (so no cache has the page), to show what rendering it costs."""
    started = time.monotonic()
    client = Client(port, cookies)
    statuses, samples, missed, errors, cold_ms, size = Counter(), [], [], 0, None, 0
    encoding = ""
    capped = False
    plan = ["warm-up"] * WARM_UP + ["sample"] * args.requests + ["uncached"] * (UNCACHED_REQUESTS * uncached)
    for i, phase in enumerate(plan):
        if time.monotonic() - started > args.page_cap:
            capped = True
            break
        url = path
        if phase == "uncached":
            url += ("&" if "?" in path else "?") + f"bench-nocache={os.urandom(6).hex()}"
        try:
            response = client.get(url)
        except (OSError, http.client.HTTPException) as error:
            statuses[type(error).__name__] += 1
            errors += 1
            continue
        if i == 0:
            cold_ms = response.ms
        if phase == "warm-up":
            continue
        statuses[response.status] += 1
        errors += response.status != 200
        if phase == "uncached":
            missed.append(response.ms)
            continue
        samples.append(response.ms)
        size = len(response.body)
        encoding = response.encoding
    client.close()
    result = {
        "url": path,
        "status": dict(statuses),
        "n": len(samples),
        "cold_ms": round(cold_ms, 1) if cold_ms is not None else None,
        "p50_ms": round(percentile(samples, 50), 1) if samples else None,
        "p95_ms": round(percentile(samples, 95), 1) if samples else None,
        "mean_ms": round(statistics.fmean(samples), 1) if samples else None,
        "uncached_p50_ms": round(percentile(missed, 50), 1) if missed else None,
        "uncached_n": len(missed),
        "bytes": size,
        "content_encoding": encoding,
        "errors": errors,
        "capped": capped,
    }
    if not uncached:  # never cached (the admin): every request renders the page
        result["uncached_p50_ms"] = result["p50_ms"]
    if capped:
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


def measure_dataset(name: str, info: dict, args, password: str, deadline: float) -> dict:
    pages = {}
    with Server(name, args.workers) as server:
        say(f"[{name}] gunicorn on 127.0.0.1:{server.port} ({args.workers} workers), log {server.log_path}")
        cookies = admin_login(server.port, info["login"], info["admin"], password)
        for label, path in info["pages"].items():
            if args.only and label not in args.only:
                continue
            if time.monotonic() > deadline:
                pages[label] = {"url": path, "skipped": "the run's time budget was spent"}
                say(f"  {label:<22} skipped (time budget)")
                continue
            admin = label.startswith("admin")
            result = measure_page(server.port, path, cookies if admin else {}, args, uncached=not admin)
            pages[label] = result
            flag = "" if not result["errors"] else f"  {result['errors']} errors {result['status']}"
            say(
                f"  {label:<22} p50 {fmt(result['p50_ms']):>7} ms  p95 {fmt(result['p95_ms']):>7} ms"
                f"  {fmt(result['rps']):>6} req/s  {result['bytes'] / 1024:7.1f} KB{flag}"
                + ("  (capped)" if result["capped"] else "")
            )
        loads = {label: first_load(server.port, info["pages"][label]) for label in FIRST_LOAD_PAGES}
    return {"pages": pages, "first_load": loads}


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
    lines = []
    header = f"{'page':<22}"
    for name in names:
        header += f" | {name + ' p50':>13} {'p95':>7} {'uncach':>7} {'req/s':>6} {'KB':>6}"
    if len(names) == 2:
        header += f" | {'growth':>6} {'uncach':>6}"
    lines += [header, "-" * len(header)]
    labels = list(dict.fromkeys(label for name in names for label in datasets[name]["pages"]))
    for label in labels:
        line = f"{label:<22}"
        for name in names:
            page = datasets[name]["pages"].get(label, {})
            if "skipped" in page or not page:
                line += f" | {'skipped':>13} {'':>7} {'':>7} {'':>6} {'':>6}"
                continue
            mark = "!" if page["errors"] else ("*" if page["capped"] else " ")
            line += (
                f" | {fmt(page['p50_ms']) + mark:>13} {fmt(page['p95_ms']):>7} {fmt(page['uncached_p50_ms']):>7}"
                f" {fmt(page['rps']):>6}"
                f" {page['bytes'] / 1024:>6.1f}"
            )
        if len(names) == 2:
            factors = [results[key].get(label) for key in ("growth", "growth_uncached")]
            line += " |" + "".join(f" {(f'{factor:.2f}×' if factor else '—'):>6}" for factor in factors)
        lines.append(line)
    lines.append("")
    lines.append(
        "ms: client-measured server time on loopback; uncach = p50 of requests no page cache can answer;"
        " req/s at the given concurrency; KB as served."
    )
    lines.append(
        "! = errors (see results.json), * = capped at the per-page time limit;"
        " growth = scaled p50 / fixtures p50 (and the same for uncached)"
    )
    lines.append("")
    lines.append("First load (HTML + same-origin CSS + JS as served, Accept-Encoding: gzip, br), KB:")
    lines.append(
        f"{'page':<22}" + "".join(f" | {name + ' html':>14} {'css':>6} {'js':>6} {'total':>7}" for name in names)
    )
    for label in FIRST_LOAD_PAGES:
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
        lines.append(line)
    lines.append("")
    lines.append(
        "Rows: "
        + "; ".join(f"{name}: " + ", ".join(f"{k} {v:,}" for k, v in datasets[name]["rows"].items()) for name in names)
    )
    return "\n".join(lines)


def page_problem(where: str, page: dict) -> str | None:
    """Errors, a page cut short by the time limit, or a p50 (cached or not) over a second."""
    slow = max(page.get("p50_ms") or 0, page.get("uncached_p50_ms") or 0)
    if page.get("errors"):
        return f"{where} — {page['errors']} errors {page['status']}"
    if page.get("capped") or slow > 1000:
        capped = " (capped at the per-page time limit)" if page.get("capped") else ""
        return f"{where} — p50 {fmt(page['p50_ms'])} ms, uncached {fmt(page['uncached_p50_ms'])} ms{capped}"
    return None


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even when they are up to date")
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page (default 50)")
    parser.add_argument("--concurrency", type=int, default=8, help="threads in the throughput run (default 8)")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of each throughput run (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--page-cap", type=float, default=30.0, help="seconds before a page's measuring stops")
    parser.add_argument(
        "--budget", type=float, default=600.0, help="seconds of measuring per run, then pages are skipped"
    )
    parser.add_argument("--only", nargs="*", help="measure only these pages (labels as in the table)")
    parser.add_argument("--datasets", nargs="*", choices=DATASETS, default=DATASETS)
    args = parser.parse_args()

    started = time.monotonic()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    password = os.urandom(18).hex()
    results = {
        "machine": machine(),
        "config": {
            "requests": args.requests,
            "warm_up": WARM_UP,
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "gunicorn_workers": args.workers,
            "page_cap_s": args.page_cap,
            "scale": SCALE,
        },
        "datasets": {},
    }
    say("Static files: collectstatic into var/bench/static")
    manage(dataset_env(args.datasets[0]), "collectstatic", "--noinput", "--verbosity", "0")
    infos = {}
    for name in args.datasets:
        build = build_database(name, args.rebuild)
        infos[name] = prepare(name, password)
        results["datasets"][name] = {"build": build, "rows": infos[name]["rows"]}
    deadline = time.monotonic() + args.budget
    for name in args.datasets:
        say(f"[{name}] measuring {len(args.only or infos[name]['pages'])} pages")
        results["datasets"][name].update(measure_dataset(name, infos[name], args, password, deadline))
    if len(args.datasets) == 2:
        fixtures, scaled = (results["datasets"][name]["pages"] for name in DATASETS)
        results["growth"] = {label: growth(fixtures[label], scaled.get(label, {})) for label in fixtures}
        results["growth_uncached"] = {
            label: growth(fixtures[label], scaled.get(label, {}), "uncached_p50_ms") for label in fixtures
        }
    problems = [
        problem
        for name, dataset in results["datasets"].items()
        for label, page in dataset.get("pages", {}).items()
        if (problem := page_problem(f"{name}: {label}", page))
    ]
    problems += [
        f"{name}: first load of {label} — {load['errors']} responses not 200"
        for name, dataset in results["datasets"].items()
        for label, load in dataset.get("first_load", {}).items()
        if load["errors"]
    ]
    results["problems"] = problems
    results["runtime_s"] = round(time.monotonic() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    say()
    say(table(results))
    say()
    if problems:
        say("Problems (errors, capped pages, or p50 over 1 s):")
        for problem in problems:
            say(f"  - {problem}")
    say(f"Wrote {RESULTS.relative_to(ROOT)} in {results['runtime_s']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
