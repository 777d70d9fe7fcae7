"""Several web processes share one cache (Redis, where CACHE_URL names it), so a limit
counted in it holds across them: two gunicorn processes on the test's PostgreSQL and a
Redis database, wrong partner links sent to each in turn, and the limit is reached after
as many wrong links in all, not per process."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 4
GUNICORN = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1"]

pytestmark = pytest.mark.django_db(transaction=True)


def redis_url() -> str:
    """The broker's Redis (CI names it), another database of it for the cache."""
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(broker)
    return f"redis://{parts.hostname}:{parts.port or 6379}/7"


def database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def two_web_processes():
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a database only on PostgreSQL (CI runs it)")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url(),
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "PARTNER_LINK_FAILURE_LIMIT": str(LIMIT),
        "DEBUG": "true",
        "SECURE_SSL_REDIRECT": "false",
        "CELERY_BROKER_URL": "",
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    if status_of(f"{base}/healthz") == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def test_the_wrong_link_limit_holds_across_two_web_processes(two_web_processes):
    first, second = two_web_processes
    answers = [status_of(f"{(first, second)[n % 2]}/partner/wrong-link-{n}/") for n in range(LIMIT)]
    # Each process saw only half the wrong links: on its own it would still answer 404.
    assert answers == [404] * LIMIT
    assert status_of(f"{first}/partner/one-more/") == 429
    assert status_of(f"{second}/partner/one-more/") == 429


def sign_in(browser, base: str, username: str, password: str) -> None:
    browser.get(f"{base}/accounts/login/")
    browser.post(
        f"{base}/accounts/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
    )


def signed_in(browser, base: str) -> bool:
    return not browser.get(f"{base}/", allow_redirects=False).is_redirect


def test_a_log_out_in_one_web_process_ends_the_session_in_the_other(two_web_processes):
    """Sessions are read from the shared cache (written through to the database): a
    session ended by one process is ended for every process, none keeps its own copy."""
    import requests
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # A hash the servers verify (the tests' own hasher is not among theirs), cheap to check.
    password = PBKDF2PasswordHasher().encode("a long pass phrase 42", "s4lt", iterations=1000)
    get_user_model().objects.create(username="shared-session", password=password)
    first, second = two_web_processes
    browser = requests.Session()  # cookies go to both ports of 127.0.0.1
    sign_in(browser, first, "shared-session", "a long pass phrase 42")
    assert signed_in(browser, first)  # both read it now
    assert signed_in(browser, second)
    stolen = requests.Session()  # the session's cookie as it was before the log-out
    stolen.cookies.set("sessionid", browser.cookies["sessionid"])
    browser.post(
        f"{second}/accounts/logout/",
        {"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{second}/"},
    )
    assert not signed_in(browser, second)
    assert not signed_in(stolen, first)


def test_sessions_are_read_from_the_shared_cache_only_where_there_is_one():
    """With a shared cache (CACHE_URL) sessions are read from it; without one, from the
    database (a process's own cache would keep sessions another process ended)."""

    def engine(**extra) -> str:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "CACHE_URL": ""}
        env.pop("REDIS_URL", None)
        code = "import django; django.setup(); from django.conf import settings; "
        code += "print(settings.SESSION_ENGINE)"
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert engine(CACHE_URL=redis_url()) == "django.contrib.sessions.backends.cached_db"
    assert engine() == "django.contrib.sessions.backends.db"
