"""`make bench` fails when a budget is missed.

Quick runs of `python -m bench` on the shipped fixtures (two pages, a few requests each), in a
folder of their own that the runs share, so that only the first builds the database: with a
p50 budget no server can meet the run exits 1 and marks the rows; with generous time budgets
(and the real query counts and kilobytes) it exits 0."""

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
QUICK = [
    *("--datasets", "fixtures", "--pages", "home,park-detail", "--workers", "1"),
    *("--requests", "5", "--uncached-requests", "3", "--duration", "0.3", "--concurrency", "2"),
]


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench")
    yield path
    # A run that died without stopping its servers leaves their process groups' ids behind.
    for pid_file in path.rglob("*.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)


def run_bench(bench_dir: Path, *options: str) -> tuple[int, str, dict]:
    results = bench_dir / "results.json"
    results.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench", *QUICK, "--var-dir", str(bench_dir / "var")]
    process = subprocess.Popen(
        [*command, "--results", str(results), *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        process.terminate()  # the bench stops its servers on SIGTERM
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        pytest.fail(f"the bench did not finish in 150 s:\n{output}")
    assert not list(bench_dir.rglob("*.pid")), f"gunicorn left running:\n{output}"
    return process.returncode, output, json.loads(results.read_text()) if results.exists() else {}


def table_row(output: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)} +\|.*$", output, re.MULTILINE)
    assert match, output
    return match.group(0)


def test_a_missed_budget_fails_the_run_and_marks_its_rows(bench_dir):
    code, output, results = run_bench(bench_dir, "--budget", "p50_ms=0.001")
    assert code == 1, output
    for label in ("home", "park detail"):
        assert re.search(r"✗ .*p50 [\d.]+ > 0\.001 ms", table_row(output, label)), output
    assert "budgets missed:" in output
    budget = {"metric": "p50_ms", "page": "*", "dataset": "*", "limit": 0.001, "unit": "ms"}
    assert budget | {"why": "set on the command line"} in results["budgets"]
    assert re.search(r"^  p50_ms +\* +\* +0\.001 ms +worst [\d.]+ ms \(fixtures: .+\) of 2 ✗ 2 missed", output, re.M)
    missed = {(miss["page"], miss["metric"]) for miss in results["misses"]}
    assert {("home", "p50_ms"), ("park detail", "p50_ms")} <= missed


def test_a_run_within_its_budgets_passes(bench_dir):
    code, output, results = run_bench(bench_dir, "--budget-scale", "100")
    assert code == 0, output
    assert results["misses"] == [] and results["checked"] >= 10, output
    assert re.search(r"^✓ all \d+ budgets met\.$", output, re.MULTILINE), output
    assert table_row(output, "home").endswith("| ✓")
    assert table_row(output, "park detail").endswith("| ✓")
    page = results["datasets"]["fixtures"]["pages"]["home"]
    assert page["n"] == 5 and page["uncached_n"] == 3
    assert results["datasets"]["fixtures"]["queries"]["home"]["queries"] <= 10
    speed = results["machine"]
    assert speed["reference_ms"] > 0 and speed["reference_ms_at_end"] > 0
    assert f"reference workload in {speed['reference_ms']:g} ms at the start" in output


def test_a_run_that_measured_nothing_fails(bench_dir):
    code, output, results = run_bench(bench_dir, "--time-limit", "0", "--budget-scale", "100")
    assert code == 1, output
    assert "skipped" in table_row(output, "home")
    assert "no page was measured" in output
    assert results["skipped"] == ["fixtures: home", "fixtures: park detail"]


def test_the_product_ships_none_of_the_tools():
    """The bench imports the product, never the other way round, and is no app of the site."""
    product = [ROOT / "manage.py", *ROOT.glob("promotion/**/*.py"), *ROOT.glob("zone_site/**/*.py")]
    tool_import = re.compile(r"^\s*(from|import)\s+bench\b", re.MULTILINE)
    assert [str(path.relative_to(ROOT)) for path in product if tool_import.search(path.read_text())] == []
    assert not [app for app in settings.INSTALLED_APPS if app.split(".")[0] == "bench"]
    assert "build_scaled_data" not in get_commands()
    assert not (ROOT / "promotion" / "scaled.py").exists()


def test_each_figure_is_held_to_the_budget_of_its_page_and_dataset():
    from bench.budgets import BUDGETS, budget_key, budgets_for_run, parse_budget

    def limit(metric, page, dataset, budgets=BUDGETS):
        return budgets[budget_key(budgets, metric, page, dataset)].limit

    assert limit("uncached_p50_ms", "park list", "fixtures") == 10
    assert limit("uncached_p50_ms", "park list", "scaled") == 15
    assert limit("uncached_p50_ms", "sitemap section", "scaled") == 50
    assert limit("p50_ms", "enquiry form", "fixtures") == 10 and limit("p50_ms", "enquiry form", "scaled") == 12
    assert limit("p50_ms", "search (Chinese)", "scaled") == 5
    assert limit("p50_ms", "admin enquiry search", "scaled") == 50

    one_run = budgets_for_run([parse_budget("uncached_p50_ms:park-list@scaled=20")], scale=2)
    assert limit("uncached_p50_ms", "park list", "scaled", one_run) == 20
    assert limit("uncached_p50_ms", "park list", "fixtures", one_run) == 20  # 10 ms × 2
    with pytest.raises(argparse.ArgumentTypeError):
        parse_budget("p50_ms@nowhere=5")
