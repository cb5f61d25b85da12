"""The HTTP side of the benchmark: a page's latency (sequential requests, p50/p95), its
throughput (threads for a few seconds) and the bytes of a first visit, all with `requests`.

Latency is taken around each whole request, body included, on loopback: the server's time plus
what the client costs. requests (over urllib3) costs about 0.5–0.7 ms a request more than the
standard library's http.client on this machine, measured side by side on the cached home page.
p50 is `statistics.median`, p95 `statistics.quantiles` (inclusive)."""

import re
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests

ACCEPT_ENCODING = "gzip, br"  # what browsers send; requests decodes gzip (br only with the brotli package)
DECODED = {"", "identity", "gzip", "deflate"}
USER_AGENT = "zone-site-bench/1"
WARM_UP = 3
TIMEOUT = 35


def session(cookies: dict | None = None) -> requests.Session:
    browser = requests.Session()
    browser.headers.update({"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT})
    browser.trust_env = False  # no proxy from the environment between us and loopback
    browser.cookies.update(cookies or {})
    return browser


class Fetched:
    """One response: status, milliseconds, bytes on the wire and, where requests could decode it, the body."""

    def __init__(self, response: requests.Response, ms: float):
        self.status, self.ms = response.status_code, ms
        self.encoding = response.headers.get("Content-Encoding", "")
        self.wire = response.raw.tell()  # bytes read from the socket, before decoding
        self.plain = response.content if self.encoding in DECODED else None

    @property
    def text(self) -> str:
        return (self.plain or b"").decode("utf-8", "replace")


def fetch(browser: requests.Session, url: str, method: str = "GET", **kwargs) -> Fetched:
    """Send a request and read the whole body."""
    started = time.perf_counter()
    response = browser.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
    return Fetched(response, (time.perf_counter() - started) * 1000)


def admin_login(base: str, login_path: str, admin_path: str, username: str, password: str) -> dict:
    """Log in through the admin's own form (CSRF cookie and token); returns the session's cookies."""
    with session() as browser:
        form = fetch(browser, f"{base}{login_path}?next={admin_path}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status != 200 or not token:
            raise RuntimeError(f"admin login form: HTTP {form.status}, no CSRF token")
        fields = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        answer = fetch(
            browser,
            f"{base}{login_path}?next={admin_path}",
            method="POST",
            data={**fields, "next": admin_path},
            headers={"Referer": f"{base}{login_path}", "Origin": base},
        )
        cookies = browser.cookies.get_dict()
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"admin login failed: HTTP {answer.status}")
    return cookies


def p50_p95(samples: list[float]) -> tuple[float | None, float | None]:
    if not samples:
        return None, None
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1] if len(samples) > 1 else samples[0]
    return round(statistics.median(samples), 1), round(p95, 1)


def sample(url: str, cookies: dict, count: int, started: float, cap: float) -> dict:
    """WARM_UP requests, then `count` timed ones, until `cap` seconds after `started`."""
    run = {"ms": [], "status": Counter(), "errors": 0, "cold_ms": None, "bytes": 0, "encoding": "", "capped": False}
    with session(cookies) as browser:
        for i in range(WARM_UP + count):
            if time.monotonic() - started > cap:
                run["capped"] = True
                break
            try:
                response = fetch(browser, url)
            except requests.RequestException as error:
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
            run["bytes"], run["encoding"] = response.wire, response.encoding
    return run


def hammer(url: str, cookies: dict, threads: int, duration: float) -> dict:
    """`threads` clients, each with a session of its own, asking for `url` until the time is up."""
    deadline = time.monotonic() + duration

    def client() -> tuple[int, int]:
        done = errors = 0
        with session(cookies) as browser:
            while time.monotonic() < deadline:
                try:
                    ok = fetch(browser, url).status == 200
                except requests.RequestException:
                    ok = False
                done, errors = done + ok, errors + (not ok)
        return done, errors

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        tallies = [future.result() for future in [pool.submit(client) for _ in range(threads)]]
    elapsed = time.monotonic() - started
    done, errors = sum(done for done, _ in tallies), sum(errors for _, errors in tallies)
    return {"rps": round(done / elapsed, 1), "requests": done, "errors": errors}


def measure_page(base: str, uncached_base: str | None, path: str, cookies: dict, args) -> dict:
    """Warm-up and sequential requests (p50/p95), the same on the uncached server, then the throughput run.

    `uncached_base` is the server started with PAGE_CACHE_SECONDS=0: what rendering the page
    costs. None for a page that is never cached (the admin), where every request renders it."""
    started = time.monotonic()
    cached = sample(base + path, cookies, args.requests, started, args.page_cap)
    p50, p95 = p50_p95(cached["ms"])
    result = {
        "url": path,
        "status": dict(cached["status"]),
        "n": len(cached["ms"]),
        "cold_ms": round(cached["cold_ms"], 1) if cached["cold_ms"] is not None else None,
        "p50_ms": p50,
        "p95_ms": p95,
        "mean_ms": round(statistics.fmean(cached["ms"]), 1) if cached["ms"] else None,
        "uncached_p50_ms": p50,
        "uncached_p95_ms": p95,
        "uncached_n": 0,
        "bytes": cached["bytes"],
        "content_encoding": cached["encoding"],
        "errors": cached["errors"],
        "capped": cached["capped"],
    }
    if uncached_base is not None:
        fresh = sample(uncached_base + path, {}, args.uncached_requests, started, args.page_cap)
        result["uncached_p50_ms"], result["uncached_p95_ms"] = p50_p95(fresh["ms"])
        result.update(uncached_n=len(fresh["ms"]), uncached_status=dict(fresh["status"]))
        result["errors"] += fresh["errors"]
        result["capped"] = result["capped"] or fresh["capped"]
    if result["capped"]:
        result.update(rps=None, throughput_requests=0)
    else:
        load = hammer(base + path, cookies, args.concurrency, args.duration)
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


def same_origin_path(url: str, base: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.netloc != urlsplit(base).netloc:
            return None
    elif not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def first_load(base: str, path: str) -> dict:
    """The bytes a first visit downloads: the HTML and its same-origin stylesheets and scripts."""
    with session() as browser:
        page = fetch(browser, base + path)
        links = AssetLinks()
        links.feed(page.text)
        files = [{"url": path, "kind": "html", "status": page.status} | sizes(page)]
        for kind, urls in (("css", links.css), ("js", links.js)):
            for url in dict.fromkeys(urls):
                asset = same_origin_path(url, base)
                if asset is not None:
                    response = fetch(browser, base + asset)
                    files.append({"url": asset, "kind": kind, "status": response.status} | sizes(response))
    result = {"url": path, "files": files}
    for kind in ("html", "css", "js"):
        result[f"{kind}_bytes"] = sum(file["bytes"] for file in files if file["kind"] == kind)
        result[f"{kind}_uncompressed"] = sum(file["uncompressed"] for file in files if file["kind"] == kind)
    result["total_bytes"] = sum(file["bytes"] for file in files)
    result["total_kb"] = round(result["total_bytes"] / 1024, 1)
    result["errors"] = sum(file["status"] != 200 for file in files)
    return result


def sizes(response: Fetched) -> dict:
    plain = len(response.plain) if response.plain is not None else 0
    return {"bytes": response.wire, "uncompressed": plain, "encoding": response.encoding}
