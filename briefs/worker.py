"""The worker side of a brief: claim, render, store, fail, notify.

`briefs/services.py` freezes a snapshot and enqueues `briefs.tasks.render_brief`;
the worker claims the brief atomically (queued → rendering), renders it and
stores the PDF privately. A claim older than the task's hard time limit
belongs to a worker that died, so a redelivered task may take it over; a
younger one means another worker is on it, and a duplicate delivery waits.
`manage.py render_brief` goes through the same functions. Nothing here enqueues a
task, so `briefs/tasks.py` imports this module and nothing else of ours.
"""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.chart_svg import dimension_svg, trend_figures
from assessments.charts import dimension_chart
from briefs.models import Brief, claim_lease
from briefs.snapshot import chart_score
from kit import events
from kit.people import preferred_language
from notifications.models import Kind
from notifications.services import notify

logger = logging.getLogger(__name__)
User = get_user_model()

ERROR_MAX = 2000
REVIEW_AFTER = timedelta(days=30)  # next review when no condition has a due date


class BriefBusy(Exception):
    """Another worker holds a live claim on the brief; ask again in `retry_in` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(f"Brief is being rendered; retry in {retry_in:.0f} s.")
        self.retry_in = retry_in


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


def brief_language(brief: Brief) -> str:
    """The language the brief is written in: the asker's when it was asked for."""
    return brief.language or brief.snapshot.get("language") or settings.LANGUAGE_CODE


def brief_context(brief: Brief) -> dict:
    """Template context of briefs/brief.html: the snapshot plus the charts drawn from it."""
    snapshot = brief.snapshot
    # A two-sided assessment is shown with the partner's view (its own section), not among
    # our one-sided scores and answers: the brief keeps to two pages.
    two_sided = [a for a in snapshot["assessments"] if a["kind"] == "mutual_fit"]
    assessments = [
        {
            **a,
            "chart": dimension_svg(dimension_chart(chart_score(a)), dom_id=a["kind"], compact=True),
        }
        for a in snapshot["assessments"]
        if a["kind"] != "mutual_fit"
    ]
    prepared_on = timezone.localdate(brief.created_at)
    next_due = snapshot.get("next_due")
    return {
        "s": {**snapshot, "assessments": assessments},
        "two_sided": two_sided[0] if two_sided else None,
        "trend_charts": trend_figures(snapshot.get("trends") or {}, compact=True),
        "prepared_on": prepared_on,
        "review_on": date.fromisoformat(next_due) if next_due else prepared_on + REVIEW_AFTER,
        # A short reference to the snapshot, for the method note; the full hash stays out.
        "reference": brief.snapshot_sha256[:8],
    }


def brief_pdf(brief: Brief) -> bytes:
    """Render the brief's snapshot to PDF (WeasyPrint is imported here, in the worker)."""
    from briefs.pdf import render_pdf

    # In the language of the person who asked for it: headings, dates and numbers.
    with translation.override(brief_language(brief)):
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
    events.publish(events.BRIEF_READY, alliance_id=brief.alliance_id, brief_id=brief.pk)
    notify_ready(brief)
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
    """Everyone on the team (and whoever asked) hears the brief is ready, once per brief:
    a render taken over after a crash tells nobody twice. Each in their own language:
    the one they chose, else the one the brief was asked in."""
    alliance = brief.alliance
    team = User.objects.filter(
        alliance_memberships__alliance=alliance, is_active=True
    ).select_related("profile")
    by_language: dict[str, list] = {}
    for user in {*team, *([brief.requested_by] if brief.requested_by else [])}:
        language = preferred_language(user) or brief_language(brief)
        by_language.setdefault(language, []).append(user)
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            notify(
                Kind.BRIEF_READY,
                alliance=alliance,
                recipients=recipients,
                title=_("The brief of %(alliance)s is ready (%(verdict)s)")
                % {"alliance": alliance.name, "verdict": brief.verdict},
                body=_("The executive brief is ready to read and download."),
                url=brief.get_absolute_url(),
                key=f"brief_ready:{brief.pk}",
            )
