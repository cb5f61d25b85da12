"""What holds on the servers people really run: several gunicorn workers, restarts, crashes,
and (on PostgreSQL and Redis) two app servers sharing one database and one cache."""

import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .servers import (
    REFERENCE,
    Server,
    admin_login,
    admin_session,
    change_key_figure_in_admin,
    create_superuser,
    manage,
    postgres_url,
    query,
    send_enquiry,
)

MAIN_BUSINESS_INCOME = 8  # the key figure's primary key in fixtures/zone.json
REPEATS = 30


def fetch_each(url: str, times: int = REPEATS) -> list[str]:
    """The page as `times` visitors see it, each on a connection of its own and three at a time, so that several
    workers answer (one after another, a fast page may all be answered by the worker that woke first)."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(lambda _number: requests.get(url, timeout=30), range(times)))
    assert [response.status_code for response in responses] == [200] * times
    return [response.text for response in responses]


def main_business_income(body: str) -> str:
    """The figure as the home page's card reads: "61 billion yuan", "610亿元"."""
    card = re.search(r'id="main-business-income-2015">\s*<p class="figure-value">(.*?)</p>', body, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", card).split())


def stored_references(env: dict) -> list[str]:
    return [row[0] for row in query(env, "SELECT reference FROM promotion_enquiry")]


def integrity_problems(env: dict) -> list:
    """SQLite's integrity check, or PostgreSQL's amcheck over every B-tree index: [] when sound."""
    if env["DATABASE_URL"].startswith("sqlite"):
        result = [row[0] for row in query(env, "PRAGMA integrity_check")]
        return [] if result == ["ok"] else result
    query(env, "CREATE EXTENSION IF NOT EXISTS amcheck")
    indexes = query(
        env,
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE a.amname = 'btree' AND n.nspname = 'public'",
    )
    for (name,) in indexes:
        query(env, "SELECT bt_index_check(%s::regclass, true)", (name,))
    return [] if indexes else ["no index was checked"]


def park_menu(body: str) -> list[str]:
    """The names in the enquiry form's park menu."""
    menu = re.search(r'<select name="park".*?</select>', body, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", menu)


def form_clock(body: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', body).group(1)


def test_an_edit_in_the_admin_or_the_shell_shows_at_once_on_every_worker(site, tmp_path):
    create_superuser(site)
    with Server(site, tmp_path, workers=3) as server:
        for body in fetch_each(server.url + "/en/", 10) + fetch_each(server.url + "/zh-hans/", 10):
            assert main_business_income(body) in {"61 billion yuan", "610亿元"}  # every worker has cached it
        forms = fetch_each(server.url + "/en/enquiry/", 10)  # the workers have kept the blank form
        assert all("Electronics Industrial Park" in park_menu(body) for body in forms)
        forms += fetch_each(server.url + "/zh-hans/enquiry/", 10)
        assert all("电子产业园" in park_menu(body) for body in forms[10:])

        change_key_figure_in_admin(admin_session(server.url), server.url, MAIN_BUSINESS_INCOME, "62300000000")
        english, chinese = fetch_each(server.url + "/en/"), fetch_each(server.url + "/zh-hans/")
        assert [main_business_income(body) for body in english] == ["62.3 billion yuan"] * REPEATS
        assert [main_business_income(body) for body in chinese] == ["623亿元"] * REPEATS

        rename = (
            "from promotion.models import Park; park = Park.objects.get(slug='electronics-park'); "
            "park.name_en = 'Optoelectronics Park'; park.name_zh_hans = '光电产业园'; park.save()"
        )
        manage(site, "shell", "-c", rename)
        english, chinese = fetch_each(server.url + "/en/parks/"), fetch_each(server.url + "/zh-hans/parks/")
        assert sum("Optoelectronics Park" in body for body in english) == REPEATS
        assert sum("光电产业园" in body for body in chinese) == REPEATS
        english, chinese = fetch_each(server.url + "/en/enquiry/"), fetch_each(server.url + "/zh-hans/enquiry/")
        assert all("Optoelectronics Park" in park_menu(body) for body in english)
        assert all("光电产业园" in park_menu(body) for body in chinese)
        assert len({form_clock(body) for body in forms + english + chinese}) == 20 + 2 * REPEATS  # each page its own

        assert len(server.workers_that_answered("GET /en/parks/")) >= 2
        assert len(server.workers_that_answered("GET /en/enquiry/")) >= 2


def test_the_rate_limit_holds_on_every_worker_and_page_traffic_cannot_flush_it(site, tmp_path):
    with Server({**site, "ENQUIRY_RATE_LIMIT": "3/h"}, tmp_path, workers=3) as server:
        for number in range(3):
            sent = send_enquiry(requests.Session(), server.url, name=f"Investor {number}")
            assert sent.status_code == 200 and REFERENCE.search(sent.text)
        with requests.Session() as visitor:
            for number in range(1000):
                assert visitor.get(f"{server.url}/en/?{secrets.token_hex(6)}={number}", timeout=30).status_code == 200
        refused = [send_enquiry(requests.Session(), server.url).status_code for _ in range(6)]
        assert refused == [429] * 6
        assert len(server.workers_that_answered("POST /en/enquiry/")) >= 2
    assert len(stored_references(site)) == 3


def test_every_reference_shown_survives_the_server_being_killed_twice(site, tmp_path):
    """300 enquiries from 16 investors at once while the whole server is SIGKILLed twice."""
    server = Server({**site, "ENQUIRY_RATE_LIMIT": "100000/h"}, tmp_path, workers=3).start()
    wanted, investors = 300, 16
    shown: list[str] = []
    lock = threading.Lock()
    done = threading.Event()

    def investor(number: int) -> None:
        session = requests.Session()
        while not done.is_set():
            try:
                response = send_enquiry(session, server.url, name=f"Investor {number}")
            except requests.RequestException:
                time.sleep(0.05)  # the server is down: try again, as a person would
                continue
            found = REFERENCE.search(response.text) if response.status_code == 200 else None
            if found:
                with lock:
                    shown.append(found.group())
                    if len(shown) >= wanted:
                        done.set()

    try:
        with ThreadPoolExecutor(investors) as pool:
            for number in range(investors):
                pool.submit(investor, number)
            for kill_at in (wanted // 4, wanted // 2):
                while len(shown) < kill_at and not done.is_set():
                    time.sleep(0.02)
                server.kill()
                time.sleep(0.5)
                server.start()
            done.wait(300)
            done.set()
    finally:
        server.stop()

    stored = stored_references(site)
    assert len(shown) >= wanted
    assert set(shown) <= set(stored), f"lost: {sorted(set(shown) - set(stored))}"
    assert len(set(stored)) == len(stored)
    assert integrity_problems(site) == []


# --- Several app servers on one PostgreSQL and one Redis ----------------------------------------

several_servers = pytest.mark.skipif(
    not (postgres_url() and __import__("os").environ.get("REDIS_URL")),
    reason="several app servers need PostgreSQL and Redis (make test-postgres)",
)


@pytest.fixture
def two_servers(site, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env = {**site, "ENQUIRY_RATE_LIMIT": "3/h", "AXES_FAILURE_LIMIT": "3"}
    with Server(env, tmp_path / "a", workers=2, name="a") as a, Server(env, tmp_path / "b", workers=2, name="b") as b:
        yield a, b


@several_servers
def test_an_edit_through_one_server_shows_on_the_other(site, two_servers):
    a, b = two_servers
    create_superuser(site)
    assert main_business_income(requests.get(b.url + "/en/", timeout=30).text) == "61 billion yuan"
    change_key_figure_in_admin(admin_session(a.url), a.url, MAIN_BUSINESS_INCOME, "62300000000")
    assert main_business_income(requests.get(b.url + "/en/", timeout=30).text) == "62.3 billion yuan"
    assert main_business_income(requests.get(b.url + "/zh-hans/", timeout=30).text) == "623亿元"


@several_servers
def test_the_rate_limit_and_the_login_lockout_hold_across_servers(site, two_servers):
    a, b = two_servers
    for server in (a, b, a):
        assert REFERENCE.search(send_enquiry(requests.Session(), server.url).text)
    assert send_enquiry(requests.Session(), b.url).status_code == 429
    assert send_enquiry(requests.Session(), a.url).status_code == 429

    create_superuser(site)
    for server in (a, b, a):
        assert "/admin/login/" in admin_login(requests.Session(), server.url, "editor", "wrong password").url
    locked = admin_login(requests.Session(), b.url, "editor", "a-long-test-password")
    assert locked.status_code == 429
    assert "locked" in locked.text


@several_servers
def test_enquiries_sent_alternately_to_two_servers_are_all_stored_once(site, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env = {**site, "ENQUIRY_RATE_LIMIT": "100000/h"}
    with Server(env, tmp_path / "a", workers=2, name="a") as a, Server(env, tmp_path / "b", workers=2, name="b") as b:

        def send(number: int) -> str:
            server = (a, b)[number % 2]
            response = send_enquiry(requests.Session(), server.url, name=f"Investor {number}")
            return REFERENCE.search(response.text).group()

        with ThreadPoolExecutor(8) as pool:
            shown = list(pool.map(send, range(300)))
    stored = stored_references(site)
    assert len(set(shown)) == 300
    assert sorted(stored) == sorted(shown)


ODD_CONTENT_TYPES = [
    "application/x-www-form-urlencoded; charset=iso-8859-1",
    "application/x-www-form-urlencoded; charset=x-nonsense",
    "application/x-www-form-urlencoded; charset=base64",
    "application/x-www-form-urlencoded; charset*=utf-8''utf-8%00",
    "application/x-www-form-urlencoded; x*=zz''a",
    "multipart/form-data; boundary=x; charset=punycode",
]


def test_no_content_type_makes_the_server_answer_500(site, tmp_path):
    """Some headers fail while Django builds the request, before any middleware: only the real server shows it."""
    with Server(site, tmp_path, workers=1) as server:
        url = f"{server.url}/en/enquiry/?next=1"
        answers = {
            content_type: requests.post(url, data=b"name=Li\xe9", headers={"Content-Type": content_type}, timeout=30)
            for content_type in ODD_CONTENT_TYPES
        }
    answers = {content_type: response.status_code for content_type, response in answers.items()}
    assert {content_type: status for content_type, status in answers.items() if status >= 500} == {}
