"""The worker side of the mail path: claim an e-mail, send it, record what happened.

`notifications/services.py` `mail_queue` stores an `OutgoingMail` and enqueues
`notifications.tasks.deliver_mail` once the sender's transaction commits; the worker
claims the e-mail atomically (queued or retrying → sending), sends it with Django's mail
API and records it sent, or the error in plain words: "retrying" with the time of the
next attempt (backoff), or "failed" after the last retry or when the server refuses it
for good. The row counts the attempts, so a task enqueued again by the sweep goes on
counting. Nothing here enqueues a task, so tasks.py imports this module freely.
"""

from __future__ import annotations

import logging
import random
import smtplib
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import OutgoingMail

logger = logging.getLogger(__name__)

Status, Problem = OutgoingMail.Status, OutgoingMail.Problem
ERROR_MAX = 1000
BACKOFF_MAX_SECONDS = 3600
# A queued or retrying e-mail this late is one whose task was lost (the broker was down
# when it was queued, or a retry was dropped): the sweep enqueues it again.
OVERDUE_AFTER = timedelta(minutes=10)


def claim_lease() -> timedelta:
    """How long a send may hold its claim: the task's hard time limit kills it before."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: MAIL_RETRY_BACKOFF_SECONDS,
    doubled after each failure, at most an hour, with ±20 % jitter so the e-mails queued
    during an outage do not all come back at the same second."""
    base = settings.MAIL_RETRY_BACKOFF_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), max(base, BACKOFF_MAX_SECONDS))
    return delay * random.uniform(0.8, 1.2)


def _words(text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())


def _timed_out(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, TimeoutError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def what_went_wrong(exc: BaseException) -> tuple[str, str, bool]:
    """(problem, detail, worth another try) of a failed send. The detail is the server's
    answer or the error's own words: no trace, no Python names."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = exc.recipients.values()
        detail = "; ".join(f"{code} {_words(text)}" for code, text in answers)
        for_good = all(code >= 500 for code, _text in answers)
        return (Problem.REFUSED if for_good else Problem.DEFERRED), detail, not for_good
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_words(exc.smtp_error)}"
        if exc.smtp_code >= 500:
            return Problem.REFUSED, detail, False
        return Problem.DEFERRED, detail, True
    # smtplib reports a read that timed out as a dropped connection: look behind it.
    if isinstance(exc, SoftTimeLimitExceeded) or _timed_out(exc):
        return Problem.TIMEOUT, "", True
    if isinstance(exc, OSError):  # refused or dropped connections, name look-ups, TLS
        return Problem.UNREACHABLE, _words(exc.strerror or exc), True
    return Problem.OTHER, _words(exc), False


def mail_claim(mail_id: int) -> OutgoingMail | None:
    """Take the e-mail for sending, atomically; None when there is nothing to do: it is
    sent or failed, or another worker holds a live claim on it."""
    now = timezone.now()
    claimable = Q(status__in=[Status.QUEUED, Status.RETRYING]) | Q(
        status=Status.SENDING, claimed_at__lt=now - claim_lease()
    )
    taken = OutgoingMail.objects.filter(claimable, pk=mail_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return OutgoingMail.objects.get(pk=mail_id) if taken else None


def mail_send(mail: OutgoingMail) -> None:
    """Hand the e-mail to the configured backend (EMAIL_URL); raises what it raises."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email or settings.DEFAULT_FROM_EMAIL,
        to=mail.recipients,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    message.send()


def _ours(mail: OutgoingMail):
    """The e-mail while this worker's claim holds (a claim taken over is no longer ours)."""
    return OutgoingMail.objects.filter(
        pk=mail.pk, status=Status.SENDING, claimed_at=mail.claimed_at
    )


def mail_failed(mail: OutgoingMail, exc: BaseException) -> float | None:
    """Record a failed attempt: "retrying" and the seconds until the next one, or
    "failed" (and None) after the last retry or when trying again cannot help."""
    problem, detail, worth_retrying = what_went_wrong(exc)
    now = timezone.now()
    fields = dict(problem=problem, last_error=detail[:ERROR_MAX])
    if worth_retrying and mail.attempts <= settings.MAIL_RETRIES:
        delay = backoff(mail.attempts)
        _ours(mail).update(
            status=Status.RETRYING, next_attempt_at=now + timedelta(seconds=delay), **fields
        )
        return delay
    _ours(mail).update(status=Status.FAILED, next_attempt_at=None, **fields)
    return None


def mail_deliver(*, mail_id: int) -> float | None:
    """Claim, send, record: the one path for the task and the sweep. Returns the seconds
    until the next attempt when the send failed and is worth another try, else None."""
    mail = mail_claim(mail_id)
    if mail is None:
        return None
    try:
        mail_send(mail)
    except OSError as exc:  # the server or the network: expected now and then
        logger.warning("E-mail %s, attempt %s: %s", mail.pk, mail.attempts, exc)
        return mail_failed(mail, exc)
    except Exception as exc:
        logger.exception("E-mail %s, attempt %s could not be sent", mail.pk, mail.attempts)
        return mail_failed(mail, exc)
    _ours(mail).update(
        status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, problem="", last_error=""
    )
    return None


def mails_overdue(now: datetime | None = None) -> list[int]:
    """The e-mails whose task was lost: queued or due for a retry for longer than
    OVERDUE_AFTER, or claimed by a worker that died (its lease ran out)."""
    now = now or timezone.now()
    late = now - OVERDUE_AFTER
    overdue = (
        Q(status=Status.QUEUED, created_at__lt=late)
        | Q(status=Status.RETRYING, next_attempt_at__lt=late)
        | Q(status=Status.SENDING, claimed_at__lt=now - claim_lease())
    )
    return list(OutgoingMail.objects.filter(overdue).order_by("pk").values_list("pk", flat=True))
