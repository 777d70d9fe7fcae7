"""Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("alliance_readiness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_start_without_a_secret_key(**kwargs):
    from config.startup import require_secret_key

    require_secret_key()


# The daily jobs (reminders, then digests): see notifications/reminders.py. Run a beat
# (`celery -A config beat`, the `beat` service of docker-compose) next to the workers;
# the jobs are idempotent, so a second beat or a missed-then-caught-up run sends nothing twice.
# DAILY_JOBS_EVERY_SECONDS (trials and the beat test) sends them every N seconds instead.
_every = os.environ.get("DAILY_JOBS_EVERY_SECONDS")
app.conf.beat_schedule = {
    "notifications-daily": {
        "task": "notifications.tasks.daily",
        "schedule": float(_every)
        if _every
        else crontab(
            hour=int(os.environ.get("DAILY_JOBS_HOUR", "7")),
            minute=int(os.environ.get("DAILY_JOBS_MINUTE", "0")),
        ),
    },
    # E-mails whose task was lost (a broker down when they were queued, a dropped retry)
    # go out again: notifications.tasks.requeue_mail, idempotent like the daily jobs.
    "notifications-mail-sweep": {
        "task": "notifications.tasks.requeue_mail",
        "schedule": 600.0,  # every ten minutes
    },
}
