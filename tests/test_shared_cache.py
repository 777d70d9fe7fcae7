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
