"""Executive briefs: asked for in a request, rendered by a worker, downloaded through a view.

The request only freezes a snapshot and enqueues `assessments.tasks.render_brief`;
the worker claims the brief atomically (queued → rendering), renders it and
stores the PDF privately. A claim older than the task's hard time limit
belongs to a worker that died, so a redelivered task may take it over; a
younger one means another worker is on it, and a duplicate delivery waits.
`manage.py render_brief` goes through the same functions.
"""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from alliances.access import Action, can
from alliances.models import Alliance
from assessments.charts import dimension_chart
from assessments.models import Brief
from assessments.snapshot import build_snapshot, chart_score, snapshot_sha256

logger = logging.getLogger(__name__)

ERROR_MAX = 2000
REVIEW_AFTER = timedelta(days=30)  # next review when no condition has a due date


class BriefBusy(Exception):
    """Another worker holds a live claim on the brief; ask again in `retry_in` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(f"Brief is being rendered; retry in {retry_in:.0f} s.")
        self.retry_in = retry_in


def claim_lease() -> timedelta:
    """How long a render may hold its claim: the hard time limit kills it before that."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _enqueue(brief: Brief) -> None:
    from assessments.tasks import render_brief  # the task module imports this one

    brief_id = brief.pk
    transaction.on_commit(lambda: render_brief.delay(brief_id))


def brief_of_current_evidence(*, alliance: Alliance, requested_by=None) -> tuple[Brief, bool]:
    """The brief of the alliance's current evidence, new or existing: (brief, created)."""
    snapshot, _ = build_snapshot(alliance)
    return Brief.objects.get_or_create(
        alliance=alliance,
        snapshot_sha256=snapshot_sha256(snapshot),
        defaults={"snapshot": snapshot, "requested_by": requested_by},
    )


@transaction.atomic
def brief_request(*, alliance: Alliance, user) -> tuple[Brief, bool]:
    """The brief of the alliance's current evidence: the existing one when the snapshot
    is unchanged (a failed one is retried), else a new one, enqueued on commit.
    Returns (brief, created)."""
    if not can(user, Action.PREPARE_BRIEF, alliance):
        raise PermissionDenied("Only the alliance's managers and executives prepare briefs.")
    brief, created = brief_of_current_evidence(alliance=alliance, requested_by=user)
    if created:
        _enqueue(brief)
    elif brief.status == Brief.Status.FAILED or is_stale(brief):
        brief_reset(brief=brief, requested_by=user)
        _enqueue(brief)
    return brief, created


def is_stale(brief: Brief) -> bool:
    """Rendering for longer than any render may last: its worker died."""
    return (
        brief.status == Brief.Status.RENDERING
        and brief.claimed_at is not None
        and brief.claimed_at < timezone.now() - claim_lease()
    )


def brief_reset(*, brief: Brief, requested_by=None) -> None:
    """Back to the queue, for another render; the asker becomes the requester if none."""
    brief.status, brief.error = Brief.Status.QUEUED, ""
    brief.requested_by = brief.requested_by or requested_by
    brief.save(update_fields=["status", "error", "requested_by"])


@transaction.atomic
def brief_retry(*, brief: Brief, user) -> Brief:
    if not can(user, Action.PREPARE_BRIEF, brief.alliance):
        raise PermissionDenied("Only the alliance's managers and executives prepare briefs.")
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    if not (brief.status == Brief.Status.FAILED or is_stale(brief)):
        raise ValidationError("Only a brief that failed can be tried again.")
    brief_reset(brief=brief, requested_by=user)
    _enqueue(brief)
    return brief


def brief_claim(brief_id: int) -> Brief | None:
    """Take the brief for rendering, atomically. None when there is nothing to do
    (unknown, ready or failed); BriefBusy when a live claim exists."""
    now = timezone.now()
    stale = now - claim_lease()
    claimable = Q(status=Brief.Status.QUEUED) | Q(
        status=Brief.Status.RENDERING, claimed_at__lt=stale
    )
    taken = Brief.objects.filter(claimable, pk=brief_id).update(
        status=Brief.Status.RENDERING, claimed_at=now, attempts=F("attempts") + 1
    )
    if taken:
        return Brief.objects.select_related("alliance", "requested_by").get(pk=brief_id)
    current = Brief.objects.filter(pk=brief_id).values("status", "claimed_at").first()
    if current and current["status"] == Brief.Status.RENDERING:
        remaining = current["claimed_at"] + claim_lease() - now
        raise BriefBusy(max(remaining.total_seconds(), 0) + 1)
    return None


def brief_context(brief: Brief) -> dict:
    """Template context of briefs/brief.html: the snapshot plus the charts drawn from it."""
    snapshot = brief.snapshot
    assessments = [{**a, "chart": dimension_chart(chart_score(a))} for a in snapshot["assessments"]]
    prepared_on = timezone.localdate(brief.created_at)
    next_due = snapshot.get("next_due")
    return {
        "s": {**snapshot, "assessments": assessments},
        "prepared_on": prepared_on,
        "review_on": date.fromisoformat(next_due) if next_due else prepared_on + REVIEW_AFTER,
        "snapshot_sha256": brief.snapshot_sha256,
    }


def brief_pdf(brief: Brief) -> bytes:
    """Render the brief's snapshot to PDF (WeasyPrint is imported here, in the worker)."""
    from assessments.pdf import render_pdf

    html = render_to_string("briefs/brief.html", brief_context(brief))
    pdf, refused = render_pdf(html)
    if refused:
        logger.warning("Brief %s: refused %d URL(s) while rendering", brief.pk, len(refused))
    return pdf


@transaction.atomic
def brief_store(*, brief: Brief, pdf: bytes) -> Brief:
    name = default_storage.save(
        f"briefs/{brief.alliance.slug}/brief-{brief.pk}-{brief.snapshot_sha256[:12]}.pdf",
        ContentFile(pdf),
    )
    brief.pdf.name = name
    brief.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    brief.rendered_at = timezone.now()
    brief.status, brief.error = Brief.Status.READY, ""
    brief.save(update_fields=["pdf", "pdf_sha256", "rendered_at", "status", "error"])
    transaction.on_commit(lambda: notify_ready(brief))
    return brief


def brief_render(*, brief_id: int) -> Brief | None:
    """Claim, render, store: the one path for the worker and `manage.py render_brief`."""
    brief = brief_claim(brief_id)
    if brief is None:
        return None
    return brief_store(brief=brief, pdf=brief_pdf(brief))


def brief_fail(*, brief_id: int, error: str) -> None:
    Brief.objects.filter(pk=brief_id).exclude(status=Brief.Status.READY).update(
        status=Brief.Status.FAILED, error=error[:ERROR_MAX]
    )


def brief_release(*, brief_id: int) -> None:
    """Give the claim back before a retry, so the retried task can take it."""
    Brief.objects.filter(pk=brief_id, status=Brief.Status.RENDERING).update(
        status=Brief.Status.QUEUED
    )


def notify_ready(brief: Brief) -> None:
    user = brief.requested_by
    if user is None or not user.email:
        return
    link = settings.SITE_URL.rstrip("/") + brief.get_absolute_url()
    send_mail(
        subject=f"Your brief of {brief.alliance.name} is ready",
        message=(
            f"The executive brief of {brief.alliance.name} is ready "
            f"({brief.verdict}).\n\nDownload it here: {link}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
