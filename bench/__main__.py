"""`python -m bench` (`make bench`): how the site holds up when the zone has grown.

Builds two SQLite databases under var/bench/ (`bench.datasets`): the shipped fixtures, and the
fixtures plus the scaled synthetic dataset (`bench.scale`, built by `bench.data`), serves each
with the production stack (gunicorn with deploy/gunicorn.conf.py, DEBUG off, whitenoise) on a
free loopback port and measures every public page type, the admin enquiry list and an enquiry
change page (`bench.measure`):

- latency: 3 warm-up requests, then --requests sequential ones → p50 and p95 in ms;
- uncached latency: the same page from a second gunicorn on the same database started with
  PAGE_CACHE_SECONDS=0, so that no page cache answers (--uncached-requests of them);
- throughput: --concurrency threads asking for the page for --duration seconds → requests/s;
- SQL queries: each page built once through Django's test client (page cache cleared) under
  CaptureQueriesContext, in a process of its own on the same database (`bench.probe`);
- first-load bytes of the home page (English and Chinese), a park page and the tax calculator:
  the HTML and every same-origin stylesheet and script, as served with `Accept-Encoding: gzip, br`.

Every figure is held to a budget (`bench.budgets`). The table marks each row that misses one, a
summary lists the misses, and the exit status is 1 when anything was missed (2 for a page that
does not exist). A page skipped because the run's --time-limit was spent is reported but is no
miss, unless nothing at all was measured. --budget and --budget-scale change budgets for one
run; --datasets, --pages, --requests and --duration make a quick one.

Writes bench/results.json (budgets and misses included) and prints a table with both datasets
side by side. The scaled database is reused while the code and fixtures it was built from are
unchanged (`--rebuild` forces a new one).
"""

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from .budgets import UNITS, budgets_for_run, check_budgets, fmt, misses_of, page_label, parse_budget, skipped_pages
from .datasets import Dataset, say, shown
from .measure import WARM_UP, admin_login, first_load, measure_page
from .report import DATASETS, growth, machine, reference_ms, summary, table
from .scale import SCALE
from .server import ROOT

VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results.json"
BENCH_USER = "bench"
ADMIN_PAGES = {"admin enquiries", "admin enquiry search", "admin enquiry"}
FIRST_LOAD_PAGES = ["home", "home (Chinese)", "park detail", "tax calculator"]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
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
        metavar="METRIC[:PAGE][@DATASET]=LIMIT",
        help=f"a budget for this run, for every page or one, on both datasets or one (metrics: {', '.join(UNITS)});"
        " may be repeated",
    )
    parser.add_argument(
        "--budget-scale",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="multiply the time budgets (ms) by this, e.g. 2 on a slow machine (default 1)",
    )
    parser.add_argument("--var-dir", type=Path, default=VAR, help=f"databases and logs (default {shown(VAR)})")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"the JSON written (default {shown(RESULTS)})")
    args = parser.parse_args(argv)
    args.pages = list(dict.fromkeys(args.pages + [page_label(name) for name in args.only]))
    return args


def measure_dataset(dataset: Dataset, info: dict, labels: list[str], args, password: str, deadline: float) -> dict:
    dataset.forget_cached_pages()
    queries = dataset.probe("queries", BENCH_USER, pages={label: info["pages"][label] for label in labels})
    pages = {}
    with dataset.server(args.workers) as server, dataset.server(args.workers, page_cache=False) as uncached:
        say(
            f"[{dataset.name}] gunicorn on {server.url}, and with PAGE_CACHE_SECONDS=0 on {uncached.url}"
            f" ({args.workers} workers each), logs in {shown(server.log_path.parent)}"
        )
        cookies = admin_login(server.url, info["login"], info["admin"], BENCH_USER, password)
        for label in labels:
            path = info["pages"][label]
            sql = queries[label]["queries"]
            if time.monotonic() > deadline:
                pages[label] = {"url": path, "skipped": "the run's time limit was spent"}
                say(f"  {label:<22} skipped (time limit)  SQL {sql}")
                continue
            admin = label in ADMIN_PAGES
            result = measure_page(server.url, None if admin else uncached.url, path, cookies if admin else {}, args)
            pages[label] = result
            flag = "" if not result["errors"] else f"  {result['errors']} errors {result['status']}"
            say(
                f"  {label:<22} p50 {fmt(result['p50_ms']):>7} ms  p95 {fmt(result['p95_ms']):>7} ms"
                f"  uncached {fmt(result['uncached_p50_ms']):>7} ms  {fmt(result['rps']):>6} req/s"
                f"  {result['bytes'] / 1024:7.1f} KB  SQL {sql}{flag}" + ("  (capped)" if result["capped"] else "")
            )
        loads = {label: first_load(server.url, info["pages"][label]) for label in FIRST_LOAD_PAGES if label in labels}
    return {"pages": pages, "queries": queries, "first_load": loads}


def config(args) -> dict:
    return {
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
    }


def budget_rows(budgets: dict) -> list[dict]:
    return [
        {"metric": metric, "page": page, "dataset": dataset, "limit": budget.limit, "unit": UNITS[metric]}
        | {"why": budget.why}
        for (metric, page, dataset), budget in budgets.items()
    ]


def stop_on_sigterm(signum, frame) -> None:
    """A SIGTERM unwinds like Ctrl-C, so that the gunicorn servers are stopped on the way out."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    var, results_path = args.var_dir.resolve(), args.results.resolve()
    budgets = budgets_for_run(args.budget, args.budget_scale)

    started = time.monotonic()
    var.mkdir(parents=True, exist_ok=True)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    password = os.urandom(18).hex()
    results = {"machine": machine(), "config": config(args), "budgets": budget_rows(budgets), "datasets": {}}
    datasets = [Dataset(name, var) for name in args.datasets]
    say(f"Static files: collectstatic into {shown(var / 'static')}")
    datasets[0].manage("collectstatic", "--noinput", "--verbosity", "0")
    infos = {}
    for dataset in datasets:
        build = dataset.build(args.rebuild)
        infos[dataset.name] = dataset.probe("pages", BENCH_USER, password)
        results["datasets"][dataset.name] = {"build": build, "rows": infos[dataset.name]["rows"]}
    known = list(infos[args.datasets[0]]["pages"])
    asked = args.pages + [page for _, page, _, _ in args.budget if page]
    unknown = list(dict.fromkeys(label for label in asked if label not in known))
    if unknown:
        say(f"No such page: {', '.join(unknown)}. The pages are: {', '.join(known)}")
        return 2
    labels = [label for label in known if not args.pages or label in args.pages]
    deadline = time.monotonic() + args.time_limit
    for dataset in datasets:
        say(f"[{dataset.name}] measuring {len(labels)} pages")
        measured = measure_dataset(dataset, infos[dataset.name], labels, args, password, deadline)
        results["datasets"][dataset.name].update(measured)
    if len(datasets) == 2:
        fixtures, scaled = (results["datasets"][name]["pages"] for name in DATASETS)
        for key, metric in (("growth", "p50_ms"), ("growth_uncached", "uncached_p50_ms")):
            results[key] = {label: growth(fixtures[label], scaled.get(label, {}), metric) for label in fixtures}
    checks = check_budgets(results, budgets)
    results["checked"] = len(checks)
    results["checks"] = checks
    results["misses"] = misses_of(checks, results)
    results["skipped"] = skipped_pages(results)
    results["machine"]["reference_ms_at_end"] = reference_ms()
    results["runtime_s"] = round(time.monotonic() - started, 1)
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    say()
    say(table(results))
    say()
    say(summary(results, budgets))
    say(f"Wrote {shown(results_path)} in {results['runtime_s']:.0f} s.")
    return 1 if results["misses"] else 0


if __name__ == "__main__":
    sys.exit(main())
