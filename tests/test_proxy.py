"""The site behind the shipped nginx config, as production runs it: TLS, one trusted proxy."""

import json
import os
import shutil
import subprocess

import pytest

from .servers import (
    ADMIN_PASSWORD,
    ROOT,
    Nginx,
    Server,
    admin_login,
    create_superuser,
    free_port,
    query,
    send_enquiry,
    session_from,
)

ATTACKER, OFFICER = "127.0.0.2", "127.0.0.3"


@pytest.fixture
def nginx_binary():
    if not shutil.which("nginx"):
        pytest.fail("nginx is missing: run scripts/install-system-packages (make test does)")


def proxied(site: dict, tmp_path, media_root, http_port=None, https_port=None):
    https_port = https_port or free_port()
    env = {
        **site,
        "DJANGO_HTTPS": "1",
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_SERVE_MEDIA": "0",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
        "AXES_FAILURE_LIMIT": "3",
    }
    server = Server(env, tmp_path, workers=2)
    proxy = Nginx(tmp_path, server.port, media_root, http_port or free_port(), https_port)
    return env, server, proxy


def test_the_shipped_nginx_config_loads(nginx_binary, site, tmp_path, site_database):
    _env, _server, proxy = proxied(site, tmp_path, site_database.media_root)
    checked = proxy.test_config()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_failed_logins_at_one_address_never_lock_out_an_officer_at_another(nginx_binary, site, tmp_path, site_database):
    env, server, proxy = proxied(site, tmp_path, site_database.media_root)
    create_superuser(env)
    with server, proxy:
        attacker, officer = session_from(ATTACKER, proxy.cert), session_from(OFFICER, proxy.cert)
        answers = [admin_login(attacker, proxy.url, "editor", "guessing").status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        assert admin_login(attacker, proxy.url, "editor", ADMIN_PASSWORD).status_code == 429

        response = admin_login(officer, proxy.url, "editor", ADMIN_PASSWORD)
        assert response.status_code == 200
        assert response.url == proxy.url + "/admin/"
    assert query(env, "SELECT DISTINCT ip_address FROM axes_accessattempt") == [(ATTACKER,)]


def test_the_stored_address_is_the_one_nginx_saw_not_the_one_a_visitor_wrote(
    nginx_binary, site, tmp_path, site_database
):
    env, server, proxy = proxied(site, tmp_path, site_database.media_root)
    with server, proxy:
        visitor = session_from(OFFICER, proxy.cert)
        visitor.headers["X-Forwarded-For"] = "203.0.113.250"
        assert send_enquiry(visitor, proxy.url).status_code == 200
    assert query(env, "SELECT ip_address FROM promotion_enquiry") == [(OFFICER,)]


def ports_free(*ports: int) -> bool:
    import socket

    for port in ports:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx does: TIME_WAIT is no owner
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def test_the_http_observatory_grades_the_site_behind_nginx_a_plus(nginx_binary, site, tmp_path, site_database):
    """The MDN HTTP Observatory scans a host on ports 80 and 443 only; it trusts the throwaway
    certificate through NODE_EXTRA_CA_CERTS, as a browser trusts a real one."""
    if not ports_free(80, 443):
        pytest.fail("the Observatory scans ports 80 and 443 of localhost, and something else holds them")
    installed = subprocess.run([ROOT / "scripts" / "install-observatory"], capture_output=True, text=True, check=True)
    scanner = ROOT / installed.stdout.strip()
    env, server, proxy = proxied(site, tmp_path, site_database.media_root, http_port=80, https_port=443)
    with server, proxy:
        scan = subprocess.run(
            ["node", str(scanner), "localhost"],
            env={**os.environ, "NODE_EXTRA_CA_CERTS": str(proxy.cert)},
            capture_output=True,
            text=True,
            timeout=180,
        )
    report = json.loads(scan.stdout)
    failed = {name: test["result"] for name, test in report.get("tests", {}).items() if not test["pass"]}
    print(f"HTTP Observatory: {report['scan']['grade']} / {report['scan']['score']}, failed: {failed or 'none'}")
    assert failed == {}
    assert report["scan"]["grade"] == "A+"


def test_slow_clients_wait_in_nginx_not_in_a_gunicorn_worker(nginx_binary, site, tmp_path, site_database):
    """30 connections that send their headers a byte at a time hold every worker of a server
    exposed on its own; behind nginx, visitors are still answered at once."""
    import socket
    import ssl

    _env, server, proxy = proxied(site, tmp_path, site_database.media_root)
    context = ssl.create_default_context(cafile=str(proxy.cert))
    with server, proxy:
        slow = []
        for _ in range(30):
            connection = context.wrap_socket(
                socket.create_connection(("127.0.0.1", proxy.https_port), timeout=5), server_hostname="localhost"
            )
            connection.sendall(b"GET /en/ HTTP/1.1\r\nHost: localhost\r\n")  # and never the blank line
            slow.append(connection)
        visitor = session_from(OFFICER, proxy.cert)
        # Held workers would leave these waiting past gunicorn's 30 s timeout: the request times out.
        answers = [visitor.get(proxy.url + "/en/", timeout=10).status_code for _ in range(5)]
        for connection in slow:
            connection.close()
    assert answers == [200] * 5
