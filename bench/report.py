"""The table a run prints: both datasets side by side, each row marked with the budgets it
missed, then the budgets in force and a summary of the misses."""

import os
import platform
import sqlite3
import statistics
import time
from datetime import UTC, datetime

import django
import gunicorn
import requests

from .budgets import DATASETS, UNITS, fmt, limit_text, skipped_pages


def row_marks(misses: list[dict], row: str, label: str, several: bool) -> str:
    texts = [
        (f"{miss['dataset']} " if several else "") + miss["text"]
        for miss in misses
        if miss["row"] == row and miss["page"] == label
    ]
    return "✗ " + "; ".join(texts) if texts else "✓"


def budgets_table(budgets: dict, checks: list[dict]) -> str:
    """Each budget in force, and the figures held to it: the one figure, or how many and the worst."""
    lines = [f"  {'metric':<16} {'page':<22} {'dataset':<9} {'limit':>12}  {'figure':<34}  why"]
    for key, budget in budgets.items():
        metric, page, dataset = key
        held = [check for check in checks if check["budget"] == key]
        if not held:
            figure = "not measured in this run"
        else:
            worst = max(held, key=lambda check: check["value"])
            mark = "✓" if all(check["met"] for check in held) else f"✗ {sum(not c['met'] for c in held)} missed"
            value = fmt(worst["value"]) + (f" {UNITS[metric]}" if metric != "errors" else "")
            if len(held) == 1:
                figure = f"{value} {mark}"
            else:
                figure = f"worst {value} ({worst['dataset']}: {worst['page']}) of {len(held)} {mark}"
        lines.append(
            f"  {metric:<16} {page:<22} {dataset:<9} {limit_text(metric, budget.limit):>12}  {figure:<34}  {budget.why}"
        )
    return "\n".join(lines)


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
    speed = results["machine"]
    lines = [
        f"This machine ran the reference workload in {speed['reference_ms']:g} ms at the start and"
        f" {speed['reference_ms_at_end']:g} ms at the end (bench.report.reference_ms):"
        " the time figures scale with it, so compare runs made on other days by it.",
        "",
        "Budgets (BUDGETS in bench/budgets.py; --budget and --budget-scale change them), each with its figures:",
        budgets_table(budgets, results["checks"]),
    ]
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


def reference_ms() -> float:
    """How fast this machine runs Python today: the median of five runs of a fixed workload (formatting and
    measuring 300,000 numbers), in ms. Page times on the same machine have doubled from one day to the next;
    this figure tells such runs apart."""

    def once() -> float:
        started = time.perf_counter()
        sum(len(f"{number:,}") for number in range(300_000))
        return (time.perf_counter() - started) * 1000

    return round(statistics.median(once() for _ in range(5)), 1)


def machine() -> dict:
    return {
        "reference_ms": reference_ms(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "client": f"requests {requests.__version__}",
    }
