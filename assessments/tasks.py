"""Celery tasks: thin wrappers that take ids and call assessments/briefing.py."""

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from assessments import briefing

logger = logging.getLogger(__name__)

# Worth another try: the database or the storage hiccupped.
TRANSIENT = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 5


def backoff(retries: int) -> float:
    """Seconds before retry n: 5, 10, 20, 40 … capped at 5 minutes, with jitter."""
    return min(5 * 2**retries, 300) * random.uniform(0.8, 1.2)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def render_brief(self, brief_id: int) -> None:
    try:
        briefing.brief_render(brief_id=brief_id)
    except briefing.BriefBusy as busy:
        # Another worker holds a live claim; look again once it would have expired.
        raise self.retry(countdown=busy.retry_in, max_retries=None) from None
    except SoftTimeLimitExceeded:
        briefing.brief_fail(brief_id=brief_id, error="Rendering took too long and was stopped.")
    except TRANSIENT as exc:
        briefing.brief_release(brief_id=brief_id)
        if self.request.retries >= MAX_RETRIES:
            briefing.brief_fail(brief_id=brief_id, error=f"Gave up after retries: {exc}")
            return
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    except Exception as exc:
        logger.exception("Brief %s failed to render", brief_id)
        briefing.brief_fail(brief_id=brief_id, error=f"{type(exc).__name__}: {exc}")
