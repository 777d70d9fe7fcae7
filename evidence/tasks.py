"""Celery task: a thin wrapper that takes a file's id and calls the worker side
(evidence/scanning.py), retrying with backoff while clamd is out of reach."""

import logging
import random

from celery import shared_task

from evidence import clamav, scanning

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def backoff(retries: int) -> float:
    """Seconds before retry n: 5, 10, 20 … capped at 5 minutes, with jitter."""
    return min(5 * 2**retries, 300) * random.uniform(0.8, 1.2)


@shared_task(
    name="evidence.tasks.scan_evidence_file",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def scan_evidence_file(task, file_id: int) -> None:
    try:
        scanning.evidence_file_scan(file_id=file_id)
    except clamav.ClamdUnavailable as exc:
        if task.request.retries >= MAX_RETRIES:
            logger.error("Evidence file %s could not be scanned: %s", file_id, exc)
            scanning.evidence_file_unscannable(file_id=file_id, error=str(exc))
            return
        raise task.retry(exc=exc, countdown=backoff(task.request.retries)) from exc
