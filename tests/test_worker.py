"""The brief on a real Celery worker over the real Redis broker (CI sets CELERY_BROKER_URL).

Eager mode runs a task in the caller and proves nothing about the worker, so these
tests publish to the broker and let a worker consume: one in a thread of this
process, and worker processes of their own for the crash test.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from briefs import services
from briefs.models import Brief
from config.celery import app
from tests.conftest import TEST_QUEUE
from tests.test_briefs import make_assessed, pdf_of, text_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def broker():
    if not BROKER:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the worker tests: set CELERY_BROKER_URL")
        pytest.skip("the worker tests need a broker: set CELERY_BROKER_URL=redis://…")
    return BROKER


@pytest.fixture
def queue(broker):
    """This session's queue (tests/conftest.py): the worker processes must use it too."""
    app.control.purge()
    return TEST_QUEUE


def wait_for(brief, statuses, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        brief.refresh_from_db()
        if brief.status in statuses:
            return brief
        time.sleep(0.05)
    raise AssertionError(f"brief still {brief.status} after {timeout} s")


@pytest.fixture
def assessed_tx(transactional_db, open_team):
    return make_assessed(open_team)


def test_a_real_worker_renders_the_brief_end_to_end(queue, assessed_tx):
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        brief, _ = services.brief_request(
            alliance=assessed_tx.alliance, by=assessed_tx.users["manager"]
        )
        wait_for(brief, {Brief.Status.READY, Brief.Status.FAILED}, timeout=60)
    assert brief.status == Brief.Status.READY, brief.error
    assert "NO-GO" in text_of(pdf_of(brief))


def test_a_message_queued_under_the_former_task_name_still_renders_after_the_upgrade(
    queue, assessed_tx
):
    """A release before the `briefs` app queued `assessments.tasks.render_brief`: a message
    left on the broker by it is consumed by today's worker."""
    from celery.contrib.testing.worker import start_worker

    brief, _ = services.brief_of_current_evidence(
        alliance=assessed_tx.alliance, by=assessed_tx.users["manager"]
    )
    app.send_task("assessments.tasks.render_brief", args=[brief.pk], queue=queue)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        wait_for(brief, {Brief.Status.READY, Brief.Status.FAILED}, timeout=60)
    assert brief.status == Brief.Status.READY, brief.error
    assert "NO-GO" in text_of(pdf_of(brief))


def worker_process(queue, media_root, log):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        "PRIVATE_MEDIA_ROOT": str(media_root),
        # Short limits so the crash test takes seconds, keeping visibility > hard limit.
        "CELERY_TASK_SOFT_TIME_LIMIT": "5",
        "CELERY_TASK_TIME_LIMIT": "6",
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "SECRET_KEY": "worker-test-secret",
        "DEBUG": "true",  # static files from source, as in the rest of the suite
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "INFO", "-n", f"{uuid.uuid4().hex[:8]}@%h",
         "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_a_worker_killed_mid_render_leaves_the_brief_to_the_next_worker(
    queue, assessed_tx, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share: run on PostgreSQL")
    media_root = settings.STORAGES["default"]["OPTIONS"]["location"]
    settings.CELERY_TASK_TIME_LIMIT = 6  # the lease the worker processes use
    log = (tmp_path / "workers.log").open("w")
    first = worker_process(queue, media_root, log)
    try:
        brief, _ = services.brief_request(
            alliance=assessed_tx.alliance, by=assessed_tx.users["manager"]
        )
        wait_for(brief, {Brief.Status.RENDERING}, timeout=60)
    finally:
        kill(first)  # SIGKILL: no ack, no cleanup, the claim stays behind
    brief.refresh_from_db()
    assert brief.status == Brief.Status.RENDERING
    assert brief.attempts == 1

    second = worker_process(queue, media_root, log)
    try:
        wait_for(brief, {Brief.Status.READY, Brief.Status.FAILED}, timeout=90)
    finally:
        second.terminate()
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill(second)  # a loaded machine: its warm shutdown is not what is tested here
    assert brief.status == Brief.Status.READY, (tmp_path / "workers.log").read_text()[-3000:]
    assert brief.attempts == 2
    assert "NO-GO" in text_of(pdf_of(brief))
