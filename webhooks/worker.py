"""The worker side of a webhook: claim the delivery, check where it goes, sign it, POST
it, record what happened.

`webhooks/services.py` stores a `Delivery` and enqueues `webhooks.tasks.deliver_webhook`
once the transaction commits. The worker claims the delivery atomically (a duplicate
task finds it claimed and does nothing), checks the address again (a host may have moved
to a private address since it was registered), signs the body per Standard Webhooks with
the endpoint's current secret and a fresh timestamp, and POSTs it without following
redirects. A 2xx answer delivers it; anything else is retried with backoff until
WEBHOOK_MAX_ATTEMPTS, then it has failed. Nothing here enqueues a task, so tasks.py
imports this module freely.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from webhooks.addresses import UnsafeURL, check_url
from webhooks.models import ERROR_MAX, Delivery
from webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

Status = Delivery.Status
BACKOFF_MAX_SECONDS = 3600
# A pending delivery this late is one whose task was lost: the daily sweep enqueues it.
OVERDUE_AFTER = timedelta(minutes=10)
USER_AGENT = "AllianceReadiness-Webhooks/1"


class NotDelivered(Exception):
    """An attempt that failed: `error` says why in plain words, `retry` whether another
    attempt may help, `code` the receiver's HTTP status when it answered."""

    def __init__(self, error: str, *, retry: bool = True, code: int | None = None):
        super().__init__(error)
        self.error, self.retry, self.code = error, retry, code


def claim_lease() -> timedelta:
    """How long an attempt may hold its claim: the task's hard time limit stops it before."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def backoff(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: the base
    (WEBHOOK_RETRY_BACKOFF_SECONDS, 2 s) doubled after each failure, so 2, 4, 8, 16 s,
    at most an hour."""
    base = settings.WEBHOOK_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def body_of(delivery: Delivery) -> bytes:
    """The JSON body, compact, the same bytes for every attempt."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def delivery_claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for one attempt, atomically; None when there is nothing to do:
    delivered or failed, or another worker holds a live claim on it."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_lease())
    taken = Delivery.objects.filter(free, pk=delivery_id, status=Status.PENDING).update(
        claimed_at=now, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not taken:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


def delivery_post(delivery: Delivery) -> int:
    """POST the signed body to the endpoint; returns the 2xx status, raises NotDelivered."""
    endpoint = delivery.endpoint
    try:
        check_url(endpoint.url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE)
    except UnsafeURL as exc:
        raise NotDelivered(f"Address refused ({exc})", retry=False) from exc
    body = body_of(delivery)
    headers = signed_headers(
        secret=endpoint.secret, message_id=delivery.webhook_id, body=body, at=timezone.now()
    )
    headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
    try:
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    except requests.Timeout as exc:
        raise NotDelivered(f"No answer within {settings.WEBHOOK_TIMEOUT:g} s") from exc
    except requests.RequestException as exc:
        raise NotDelivered(f"Could not connect: {type(exc).__name__}") from exc
    response.close()
    if not 200 <= response.status_code < 300:
        raise NotDelivered(f"HTTP {response.status_code}", code=response.status_code)
    return response.status_code


def _ours(delivery: Delivery):
    """The delivery while this attempt's claim holds (a claim taken over is not ours)."""
    return Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at)


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Claim, send, record: the one path of the task. Returns the seconds until the next
    attempt when this one failed and another may help, else None."""
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return None
    try:
        code = delivery_post(delivery)
    except NotDelivered as failed:
        logger.warning(
            "Webhook delivery %s, attempt %s: %s", delivery.pk, delivery.attempts, failed
        )
        fields = dict(
            claimed_at=None, response_code=failed.code, last_error=failed.error[:ERROR_MAX]
        )
        if failed.retry and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
            delay = backoff(delivery.attempts)
            _ours(delivery).update(
                next_attempt_at=timezone.now() + timedelta(seconds=delay), **fields
            )
            return delay
        _ours(delivery).update(status=Status.FAILED, next_attempt_at=None, **fields)
        return None
    _ours(delivery).update(
        status=Status.SUCCEEDED,
        claimed_at=None,
        response_code=code,
        last_error="",
        next_attempt_at=None,
        delivered_at=timezone.now(),
    )
    return None


def deliveries_overdue(now: datetime | None = None) -> list[int]:
    """Pending deliveries whose task was lost: never tried or due for a retry for longer
    than OVERDUE_AFTER, or claimed by a worker that died (its lease ran out)."""
    now = now or timezone.now()
    late = now - OVERDUE_AFTER
    waiting = Q(claimed_at__isnull=True) & (
        Q(attempts=0, created_at__lt=late) | Q(next_attempt_at__lt=late)
    )
    stuck = Q(claimed_at__lt=now - claim_lease())
    overdue = Delivery.objects.filter(waiting | stuck, status=Status.PENDING)
    return list(overdue.order_by("pk").values_list("pk", flat=True))
