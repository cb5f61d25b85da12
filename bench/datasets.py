"""The benchmark's two databases, each an SQLite file under the run's folder with a var/ of its
own: the shipped fixtures (plus one enquiry, so that the admin change page has something to
show), and the fixtures plus the scaled dataset (`bench.scale`). Everything that runs on a
dataset (manage.py, the builder, the probes, gunicorn) is a process with the dataset's
environment, so that none of it touches the developer's own database."""

import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from . import probe
from .scale import SCALE
from .server import ROOT, Gunicorn, clean_environ

FIXTURES_EXTRA = dict.fromkeys(SCALE, 0) | {"enquiries": 1}
# What a database is built from: it is reused only while none of these has changed.
SOURCES = ["fixtures/zone.json", "bench/scale.py", "bench/scaled.py", "promotion/models/*.py"]
SOURCES += ["promotion/migrations/*.py"]


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def say(message: str = "") -> None:
    print(message, flush=True)


class Dataset:
    def __init__(self, name: str, folder: Path):
        self.name = name
        self.root = folder  # the run's folder: both databases and the static files they share
        self.var = folder / name
        self.db = folder / f"{name}.sqlite3"
        self.counts = SCALE if name == "scaled" else FIXTURES_EXTRA

    def env(self, cache: str = "cache", **extra: str) -> dict:
        """The environment of this dataset's processes; each `cache` is a cache folder of its own."""
        return clean_environ() | {
            "DJANGO_SETTINGS_MODULE": "zone_site.settings",
            "DJANGO_VAR_DIR": str(self.var),
            "DJANGO_CACHE_DIR": str(self.var / cache),
            "DATABASE_URL": f"sqlite:///{self.db}",
            "DJANGO_MEDIA_ROOT": str(self.var / "media"),
            "DJANGO_STATIC_ROOT": str(self.root / "static"),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def run(self, *command: str, env: dict | None = None, stdin: str | None = None, timeout: float = 900) -> str:
        """`python <command>` in this dataset's environment; its output, or an error with all of it."""
        done = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=env or self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"[{self.name}] {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def manage(self, *args: str) -> str:
        return self.run("manage.py", *args)

    def fingerprint(self) -> str:
        digest = hashlib.sha256(json.dumps(self.counts).encode())
        for pattern in SOURCES:
            for path in sorted(ROOT.glob(pattern)):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def build(self, rebuild: bool) -> dict:
        """Migrate, load the zone and add the synthetic rows; reuse a database built from the same sources."""
        marker = self.root / f"{self.name}.fingerprint"
        wanted = self.fingerprint()
        started = time.monotonic()
        reused = not rebuild and self.db.exists() and marker.exists() and marker.read_text() == wanted
        if reused:
            say(f"[{self.name}] reusing {shown(self.db)} (unchanged since it was built; --rebuild to rebuild)")
            self.manage("migrate", "--noinput", "--verbosity", "0")
        else:
            say(f"[{self.name}] building {shown(self.db)}: migrate, load_zone, bench.data")
            marker.unlink(missing_ok=True)
            for path in (self.db, Path(f"{self.db}-wal"), Path(f"{self.db}-shm")):
                path.unlink(missing_ok=True)
            shutil.rmtree(self.var, ignore_errors=True)
            self.var.mkdir(parents=True, exist_ok=True)
            self.manage("migrate", "--noinput", "--verbosity", "0")
            self.manage("load_zone", "--verbosity", "0")
        options = [f"--{key}={value}" for key, value in self.counts.items()]
        if self.name == "fixtures":
            options.append("--officers=1")
        # Tops up what is missing: nothing at all when the database was complete.
        output = self.run("-m", "bench.data", *options)
        if not reused:
            say("\n".join("    " + line for line in output.strip().splitlines()))
            with sqlite3.connect(self.db) as connection:  # fold the WAL into the file before it is reused
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            marker.write_text(wanted)
        seconds = time.monotonic() - started
        say(f"[{self.name}] ready in {seconds:.1f} s")
        return {"reused": reused, "seconds": round(seconds, 1)}

    def probe(self, what: str, user: str, password: str = "", pages: dict | None = None) -> dict:
        """`bench.probe pages` or `queries` on this dataset (queries with the page cache off)."""
        if what == "pages":
            env = self.env(BENCH_PASSWORD=password)
        else:
            env = self.env(cache="cache-queries", PAGE_CACHE_SECONDS="0")
        stdin = json.dumps(pages) if pages is not None else None
        found = probe.parse(self.run("-m", "bench.probe", what, "--user", user, env=env, stdin=stdin, timeout=600))
        if found is None:
            raise RuntimeError(f"[{self.name}] bench.probe {what} printed no result")
        return found

    def forget_cached_pages(self) -> None:
        """Pages cached by an earlier run, maybe of other code."""
        for stale in self.var.glob("cache*"):
            shutil.rmtree(stale, ignore_errors=True)

    def server(self, workers: int, page_cache: bool = True) -> Gunicorn:
        """gunicorn on this dataset; `page_cache=False` serves it with PAGE_CACHE_SECONDS=0 (and a
        cache folder of its own), so that every public page is rendered on every request."""
        role = "gunicorn" if page_cache else "gunicorn-uncached"
        log = self.var / f"{role}.log"
        log.unlink(missing_ok=True)
        env = self.env(cache="cache") if page_cache else self.env(cache="cache-uncached", PAGE_CACHE_SECONDS="0")
        return Gunicorn(
            env,
            log,
            workers=workers,
            pid_path=self.var / f"{role}.pid",
            stop_signal=signal.SIGINT,  # a quick shutdown: nothing is left to finish
            stop_timeout=10,
        )
