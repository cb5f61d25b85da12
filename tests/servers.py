"""The site as operators run it: real gunicorn servers, each a master with several workers,
on a database and cache of their own (SQLite and files, or PostgreSQL and Redis when the
test run has DATABASE_URL and REDIS_URL), and an HTTP client that behaves like a visitor."""

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.server import (
    Gunicorn,
    clean_environ,
    free_port,  # noqa: F401 - the proxy tests take their ports from here too
)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECRET_KEY = "servers-under-test-share-this-key-so-links-signed-on-one-open-on-another"
ADMIN_PASSWORD = "a-long-test-password"
REFERENCE = re.compile(r"HQ-\d{4}-\d{5}")
IPV4_OR_6 = (ipaddress.IPv4Address, ipaddress.IPv6Address)


def base_env(**overrides: str) -> dict:
    """The test run's environment without what would leak into the servers (HTTPS, another admin path…)."""
    env = clean_environ()
    env.update(
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        ENQUIRY_MIN_SECONDS="0",
        ENQUIRY_NOTIFY_EMAILS="promotion@zone.example.cn",
    )
    env.update(overrides)
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def query(env: dict, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows straight from a site's database (SQLite file or PostgreSQL), as an operator would look."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(urlsplit(url).path) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        # inet values come back as ipaddress objects; text, as SQLite gives them.
        return (
            [tuple(str(v) if isinstance(v, IPV4_OR_6) else v for v in row) for row in cursor]
            if cursor.description
            else []
        )


class SiteDatabase:
    """One database holding the migrated schema and the zone's content, copied for each site."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pg = postgres_url()
        self.copies = 0
        self.static_root = folder / "static"
        self.media_root = folder / "media"
        self.template = self.new_url("template")
        env = self.env(self.template)
        if self.pg:
            self.create(self.template)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_zone", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")

    def new_url(self, label: str) -> str:
        if self.pg:
            return with_database_name(self.pg, f"servers_{os.getpid()}_{label}")
        return f"sqlite:///{self.folder / f'{label}.sqlite3'}"

    def env(self, database_url: str, **overrides: str) -> dict:
        return base_env(
            DATABASE_URL=database_url,
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_MEDIA_ROOT=str(self.media_root),
            **overrides,
        )

    def admin_sql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg, autocommit=True) as connection:
            connection.execute(sql)

    def create(self, url: str, template: str | None = None) -> None:
        name = urlsplit(url).path.lstrip("/")
        self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def copy(self) -> str:
        """A fresh database with the zone's content, for one test."""
        self.copies += 1
        url = self.new_url(f"site{self.copies}")
        if self.pg:
            self.create(url, template=urlsplit(self.template).path.lstrip("/"))
        else:
            shutil.copyfile(urlsplit(self.template).path, urlsplit(url).path)
        return url

    def drop_all(self) -> None:
        if self.pg:
            for number in range(1, self.copies + 1):
                name = urlsplit(self.new_url(f"site{number}")).path.lstrip("/")
                self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin_sql(f'DROP DATABASE IF EXISTS "{urlsplit(self.template).path.lstrip("/")}" WITH (FORCE)')


class Server(Gunicorn):
    """One gunicorn master and its workers, started with deploy/gunicorn.conf.py as `make run` does."""

    def __init__(self, env: dict, folder: Path, workers: int = 3, name: str = "site"):
        super().__init__(
            {"DJANGO_VAR_DIR": str(folder), **env},
            folder / f"{name}.log",
            workers=workers,
            # %(p)s: which worker answered, so that a test can tell that several did.
            options=("--access-logformat", 'pid=%(p)s "%(r)s" %(s)s'),
        )

    def workers_that_answered(self, marker: str) -> set[str]:
        return {
            line.split()[0]
            for line in self.log_path.read_text().splitlines()
            if line.startswith("pid=") and marker in line
        }


def form_fields(html: str) -> dict:
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|started)" value="([^"]*)"', html))
    industry = re.search(r'<select name="industry"[^>]*>.*?<option value="(\d+)"', html, re.S)
    fields["industry"] = industry.group(1)
    return fields


def send_enquiry(
    session: requests.Session, base: str, name: str = "Li Wei", email: str = "li.wei@example.com", **headers
) -> requests.Response:
    """Open the form and send it as a person would; the response is the page that follows."""
    form = session.get(f"{base}/en/enquiry/", headers=headers, timeout=30)
    form.raise_for_status()
    data = {
        **form_fields(form.text),
        "name": name,
        "organisation": "Shenzhen Example Electronics Co., Ltd.",
        "email": email,
        "country": "CN",
        "investment_band": "100m_500m",
        "timeline": "12m",
        "message": "We plan an LED lighting plant and would like to know about land.",
        "consent": "on",
        "website": "",
    }
    return session.post(f"{base}/en/enquiry/", data=data, headers={"Referer": f"{base}/en/enquiry/", **headers},
                        timeout=30)  # fmt: skip


def admin_session(base: str, username: str = "editor", password: str = ADMIN_PASSWORD) -> requests.Session:
    session = requests.Session()
    response = admin_login(session, base, username, password)
    assert "/admin/login/" not in response.url, response.text[:2000]
    return session


def admin_login(session: requests.Session, base: str, username: str, password: str) -> requests.Response:
    login = session.get(f"{base}/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', login.text).group(1)
    return session.post(
        f"{base}/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/"},
        timeout=30,
    )


def create_superuser(env: dict) -> None:
    manage({**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}, "createsuperuser", "--noinput",
           "--username", "editor", "--email", "editor@example.com")  # fmt: skip


def change_key_figure_in_admin(session: requests.Session, base: str, pk: int, value: str) -> None:
    """Post the admin's change form for a key figure with a new value, every other field as it was."""
    url = f"{base}/admin/promotion/keyfigure/{pk}/change/"
    page = session.get(url, timeout=30)
    page.raise_for_status()
    data = admin_form_values(page.text)
    data["value"] = value
    data["_save"] = "Save"
    response = session.post(url, data=data, headers={"Referer": url}, timeout=30)
    assert response.url.rstrip("/").endswith("/admin/promotion/keyfigure"), response.text[:3000]


def admin_form_values(html: str) -> dict:
    """What a browser would send for the change form as shown: inputs, checked boxes, chosen options, text areas."""
    form = html[html.index('id="keyfigure_form"') :]
    form = form[: form.index("</form>")]
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in {"submit", "file"}):
            continue
        if kind and kind.group(1) == "checkbox" and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        checkbox = kind and kind.group(1) == "checkbox"
        data[name.group(1)] = unescape(value.group(1)) if value else ("on" if checkbox else "")
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = unescape(chosen.group(1)) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body.removeprefix("\n"))
    return data


NGINX_SITE = ROOT / "deploy" / "nginx.conf"
NGINX_MAIN = """user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for localhost, made with openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class Nginx:
    """The shipped deploy/nginx.conf, run as it is but for its ports, certificate and folders."""

    def __init__(self, folder: Path, app_port: int, media_root: Path, http_port: int, https_port: int):
        self.folder = folder
        self.http_port, self.https_port = http_port, https_port
        self.cert, key = self_signed_certificate(folder)
        site = NGINX_SITE.read_text()
        for shipped, here in [
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("/etc/ssl/zone-site/fullchain.pem", str(self.cert)),
            ("/etc/ssl/zone-site/privkey.pem", str(key)),
            ("/srv/zone-site/var/media/", f"{media_root}/"),
        ]:
            assert shipped in site, f"deploy/nginx.conf no longer has {shipped!r}"
            site = site.replace(shipped, here)
        (folder / "site.conf").write_text(site)
        self.config = folder / "nginx.conf"
        self.config.write_text(NGINX_MAIN.format(folder=folder))
        self.process: subprocess.Popen | None = None

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run(["nginx", "-t", "-c", str(self.config)], capture_output=True, text=True)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.https_port}"

    def __enter__(self) -> "Nginx":
        checked = self.test_config()
        assert checked.returncode == 0, checked.stderr
        log = (self.folder / "nginx.out").open("a")
        self.process = subprocess.Popen(["nginx", "-c", str(self.config)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return self
            except OSError:
                assert self.process.poll() is None, (self.folder / "nginx-error.log").read_text()
                time.sleep(0.1)
        raise AssertionError("nginx did not listen in 20 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def session_from(address: str, verify: Path) -> requests.Session:
    """A visitor's browser on its own loopback address (127.0.0.0/8 is all this machine's)."""
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("https://", FromAddress())
    session.mount("http://", FromAddress())
    session.verify = str(verify)
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise win over `verify`
    return session
