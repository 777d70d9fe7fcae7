"""Celery tasks: thin, they take ids (or a day as ISO text) and call the worker side of
the mail path (notifications/worker.py), the e-mails and the reminder modules.

`notifications/services.py` imports this module to enqueue `deliver_mail`; nothing
imported here imports the services, so the two never import each other.
"""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from notifications import emails, reminders, worker

logger = logging.getLogger(__name__)

OPTIONS = dict(acks_late=True, reject_on_worker_lost=True)
# The e-mail's row counts its attempts and says when to stop (MAIL_RETRIES), so that a
# task enqueued again by the sweep goes on counting: Celery's own count is no limit.
MAIL_OPTIONS = dict(bind=True, max_retries=None, **OPTIONS)


@shared_task(name="notifications.tasks.deliver_mail", **MAIL_OPTIONS)
def deliver_mail(task, mail_id: int) -> None:
    """Send one queued e-mail; a failure worth another try is retried with backoff."""
    retry_in = worker.mail_deliver(mail_id=mail_id)
    if retry_in is None:
        return
    if task.request.is_eager:
        # In-process (no broker) the e-mail is left "retrying" for the sweep: the request
        # that queued it never waits out a backoff, nor sees the error.
        return
    raise task.retry(countdown=retry_in)


@shared_task(name="notifications.tasks.requeue_mail", **OPTIONS)
def requeue_mail() -> int:
    """The sweep (every few minutes from the beat, and in the daily job): enqueue again
    the e-mails whose task was lost. Idempotent: a second task for an e-mail finds it
    claimed or sent and does nothing."""
    overdue = worker.mails_overdue()
    for mail_id in overdue:
        deliver_mail.delay(mail_id)
    return len(overdue)


@shared_task(name="notifications.tasks.send_notification_emails", **OPTIONS)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Queue the e-mails of these notifications. `notify` queues them itself now; this
    task runs what an older release left on the broker."""
    return emails.send_immediate(notification_ids)


def run_daily(day: date) -> dict[str, int]:
    """Every registered job for `day`, then the digests (so they carry today's reminders),
    then the mail sweep. A failing job is logged and the others still run."""
    done = {}
    for job in reminders.daily_jobs:
        name = f"{job.__module__}.{job.__qualname__}"
        try:
            done[name] = job(day)
        except Exception:
            logger.exception("Daily job %s failed for %s", name, day)
    done["digests"] = emails.send_digests(day)
    done["mail_requeued"] = requeue_mail()
    return done


@shared_task(name="notifications.tasks.daily", **OPTIONS)
def daily(day: str | None = None) -> dict[str, int]:
    """The beat's daily task; `day` (YYYY-MM-DD) defaults to today in TIME_ZONE."""
    return run_daily(date.fromisoformat(day) if day else timezone.localdate())
