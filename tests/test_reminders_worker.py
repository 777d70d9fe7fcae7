"""The daily job on a real Celery worker over the real broker: run twice for one day, it
leaves one reminder and one digest; another day brings the next ones. And a real
`celery beat` process sends it on its schedule."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app
from notifications.models import Kind, Notification
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago
from tests.test_worker import broker, queue  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until(check, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not get there in time")


def test_the_daily_job_run_twice_leaves_one_reminder_per_thing_and_day(queue, open_team):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    sponsorship = SponsorshipFactory(alliance=open_team.alliance)
    SignalFactory(sponsorship=sponsorship, kind="resources_requested", date=days_ago(45))
    manager = open_team.users["manager"]
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    reminders = Notification.objects.filter(recipient=manager, kind=Kind.SIGNAL_OVERDUE)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # Two beats (or a beat and a retry) for the same day, then the next day's: the
        # solo worker runs them in order, so the third one's reminder means all ran.
        for day in (today, today, tomorrow):
            app.send_task("notifications.tasks.daily", args=[day.isoformat()], queue=queue)
        wait_until(lambda: reminders.filter(key__endswith=tomorrow.isoformat()).exists())
        wait_until(lambda: not reminders.filter(emailed_at__isnull=True).exists())
        # Each digest goes out through the mail path: one more task, after the day's.
        wait_until(lambda: len([m for m in mail.outbox if m.to == [manager.email]]) >= 2)

    assert reminders.filter(key__endswith=today.isoformat()).count() == 1
    assert reminders.count() == 2
    # Each day's reminder went out in that day's digest, once.
    digests = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(digests) == 2
    assert all("Your daily digest" in m.subject for m in digests)
    assert open_team.alliance.name in digests[0].body
    # Nobody outside the managers (and the sponsor) was reminded.
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {manager.pk}


def test_a_real_beat_sends_the_daily_job_and_its_repeats_remind_once(
    queue,  # noqa: F811
    open_team,
    tmp_path,
):
    """`celery -A config beat` (the docker-compose `beat` service), its schedule cut to a
    second: the worker runs the job it sends several times, and the manager still gets
    one reminder and one digest for the day."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    sponsorship = SponsorshipFactory(alliance=open_team.alliance)
    SignalFactory(sponsorship=sponsorship, kind="resources_requested", date=days_ago(45))
    manager = open_team.users["manager"]
    runs = []

    def count(sender=None, **kwargs):
        if sender is not None and sender.name == "notifications.tasks.daily":
            runs.append(kwargs.get("state"))

    task_postrun.connect(count, weak=False)
    env = {**os.environ, "CELERY_QUEUE": queue, "DAILY_JOBS_EVERY_SECONDS": "1"}
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "WARNING",
         "--schedule", str(tmp_path / "celerybeat-schedule")],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            wait_until(lambda: len(runs) >= 3 or beat.poll() is not None, timeout=90)
            wait_until(lambda: any(m.to == [manager.email] for m in mail.outbox))
    finally:
        beat.terminate()
        errors = beat.communicate(timeout=30)[1].decode()
        task_postrun.disconnect(count)
    assert len(runs) >= 3, errors
    assert set(runs) == {"SUCCESS"}
    reminders = Notification.objects.filter(recipient=manager, kind=Kind.SIGNAL_OVERDUE)
    assert reminders.count() == 1
    digests = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(digests) == 1
