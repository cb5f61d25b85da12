"""gunicorn as `make run` starts it (deploy/gunicorn.conf.py), on a free loopback port, waited
for until /healthz answers, and stopped with every worker. The benchmark and the real-server
tests (tests/servers.py) both start their servers here."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# Variables of the calling process that would change what the site does (HTTPS redirects,
# another admin path, a Redis cache, the page cache's lifetime…): whoever starts a server
# sets the ones it means.
SCRUBBED_PREFIXES = ("DJANGO_", "GUNICORN_", "ENQUIRY_", "AXES_", "EMAIL_", "PAGE_", "UPLOAD_")
SCRUBBED = {"DATABASE_URL", "REDIS_URL", "ADMIN_URL", "PORT", "SITE_URL", "TIME_ZONE"}


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environ() -> dict[str, str]:
    """This process's environment without the variables that configure the site."""
    return {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith(SCRUBBED_PREFIXES)}


class Gunicorn:
    """One gunicorn master and its workers in a process group of their own.

    The port is chosen when the object is made, so that it is known before the server starts
    (a proxy in front needs it) and stays the same when a killed server is started again. The
    log is appended to. With `pid_path`, the process group's id is kept there while the server
    runs, for whoever must clean up after a run that was itself killed. `stop_signal` is
    SIGTERM (a graceful shutdown, which lets requests finish) or SIGINT (a quick one)."""

    def __init__(
        self,
        env: dict,
        log_path: Path,
        *,
        workers: int,
        options: tuple[str, ...] = (),
        pid_path: Path | None = None,
        stop_signal: int = signal.SIGTERM,
        stop_timeout: float = 30,
    ):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port), "GUNICORN_WORKERS": str(workers)}
        self.log_path, self.pid_path = log_path, pid_path
        self.options = options
        self.stop_signal, self.stop_timeout = stop_signal, stop_timeout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, size: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-size:] if self.log_path.exists() else ""

    def start(self, timeout: float = 60):
        """Start the server and return once /healthz answers 200; a server that never does is killed."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:  # the server keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                # No control socket: it would take over ~/.gunicorn/gunicorn.ctl from a site running beside us.
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--no-control-socket",
                 *self.options, "zone_site.wsgi"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the workers go with it
            )  # fmt: skip
        if self.pid_path is not None:
            self.pid_path.write_text(f"{self.process.pid}\n")
        try:
            self.wait_healthy(timeout)
        except BaseException:
            self.kill()
            raise
        return self

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited ({self.process.returncode}); {self.log_path}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/healthz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or its workers are still booting
                pass
            time.sleep(0.2)
        raise ServerError(f"gunicorn did not answer /healthz in {timeout:.0f} s; {self.log_path}:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a crash, not a shutdown."""
        if self.process is not None:
            self._signal_group(signal.SIGKILL)
            self.process.wait(10)
        self._forget_pid()

    def stop(self) -> None:
        """Shut down with `stop_signal`, and kill whatever has not gone after `stop_timeout` seconds."""
        if self.process is not None and self.process.poll() is None:
            self._signal_group(self.stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(self.stop_timeout)
        self.kill()  # the workers of a master that is gone (or would not go) go too

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def _forget_pid(self) -> None:
        if self.pid_path is not None:
            self.pid_path.unlink(missing_ok=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
