"""Celery tasks: thin wrappers that take ids and call the worker side (briefs/worker.py).

This module imports `briefs.worker` only; `briefs/services.py` imports this one to
enqueue, so the two never import each other.
"""

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from briefs import worker

logger = logging.getLogger(__name__)

# Worth another try: the database or the storage hiccupped.
TRANSIENT = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 5
# The name the task had before briefs left `assessments`: messages queued under it by an
# older release are still on the broker after an upgrade, and must still run.
FORMER_NAME = "assessments.tasks.render_brief"
OPTIONS = dict(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)


def backoff(retries: int) -> float:
    """Seconds before retry n: 5, 10, 20, 40 … capped at 5 minutes, with jitter."""
    return min(5 * 2**retries, 300) * random.uniform(0.8, 1.2)


def _render_brief(task, brief_id: int) -> None:
    try:
        worker.brief_render(brief_id=brief_id)
    except worker.BriefBusy as busy:
        # Another worker holds a live claim; look again once it would have expired.
        raise task.retry(countdown=busy.retry_in, max_retries=None) from None
    except SoftTimeLimitExceeded:
        worker.brief_fail(brief_id=brief_id, error=_("Rendering took too long and was stopped."))
    except TRANSIENT as exc:
        worker.brief_release(brief_id=brief_id)
        if task.request.retries >= MAX_RETRIES:
            worker.brief_fail(
                brief_id=brief_id, error=_("Gave up after retries: %(error)s") % {"error": exc}
            )
            return
        raise task.retry(exc=exc, countdown=backoff(task.request.retries)) from exc
    except Exception as exc:
        logger.exception("Brief %s failed to render", brief_id)
        worker.brief_fail(brief_id=brief_id, error=f"{type(exc).__name__}: {exc}")


render_brief = shared_task(name="briefs.tasks.render_brief", **OPTIONS)(_render_brief)
render_brief_former_name = shared_task(name=FORMER_NAME, **OPTIONS)(_render_brief)
