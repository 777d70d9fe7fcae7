"""Celery tasks: thin, they take ids (or a day as ISO text) and call the e-mail and
reminder modules."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from notifications import emails, reminders

logger = logging.getLogger(__name__)

OPTIONS = dict(acks_late=True, reject_on_worker_lost=True)


@shared_task(name="notifications.tasks.send_notification_emails", **OPTIONS)
def send_notification_emails(notification_ids: list[int]) -> int:
    return emails.send_immediate(notification_ids)


def run_daily(day: date) -> dict[str, int]:
    """Every registered job for `day`, then the digests (so they carry today's reminders).
    A failing job is logged and the others still run."""
    done = {}
    for job in reminders.daily_jobs:
        name = f"{job.__module__}.{job.__qualname__}"
        try:
            done[name] = job(day)
        except Exception:
            logger.exception("Daily job %s failed for %s", name, day)
    done["digests"] = emails.send_digests(day)
    return done


@shared_task(name="notifications.tasks.daily", **OPTIONS)
def daily(day: str | None = None) -> dict[str, int]:
    """The beat's daily task; `day` (YYYY-MM-DD) defaults to today in TIME_ZONE."""
    return run_daily(date.fromisoformat(day) if day else timezone.localdate())
