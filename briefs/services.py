"""Asking for a brief: freeze a snapshot of the current evidence and enqueue its render.

Writes with their permission checks; the render itself is the worker's job
(`briefs/worker.py`, run by `briefs.tasks.render_brief`). This module imports the
task to enqueue it; the task imports only the worker side, so there is no cycle.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.access import Action, can
from alliances.models import Alliance
from alliances.services import as_done_by
from briefs import worker
from briefs.models import Brief, BriefView
from briefs.snapshot import build_snapshot, snapshot_sha256
from briefs.tasks import render_brief

NOT_ALLOWED = gettext_lazy("Only the alliance's managers and executives prepare briefs.")


def _enqueue(brief: Brief) -> None:
    brief_id = brief.pk
    transaction.on_commit(lambda: render_brief.delay(brief_id))


@transaction.atomic
def brief_of_current_evidence(
    *, alliance: Alliance, by=None, language: str | None = None
) -> tuple[Brief, bool]:
    """The brief of the alliance's current evidence, new (requested by `by`) or existing:
    (brief, created). It is written in `language`, by default the active one (the
    asker's, in a request): the snapshot's text is in it, so each language has its own
    brief."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        snapshot = build_snapshot(alliance)[0]
    return Brief.objects.get_or_create(
        alliance=alliance,
        snapshot_sha256=snapshot_sha256(snapshot),
        defaults={"snapshot": snapshot, "requested_by": by, "language": language},
    )


@transaction.atomic
def brief_request(*, alliance: Alliance, by) -> tuple[Brief, bool]:
    """The brief of the alliance's current evidence: the existing one when the snapshot
    is unchanged (a failed one is retried), else a new one, enqueued on commit.
    Returns (brief, created)."""
    if not can(by, Action.PREPARE_BRIEF, alliance):
        raise PermissionDenied(NOT_ALLOWED)
    brief, created = brief_of_current_evidence(alliance=alliance, by=by)
    if created:
        _enqueue(brief)
    elif brief.status == Brief.Status.FAILED or brief.is_stale:
        brief_reset(brief=brief, by=by)
        _enqueue(brief)
    return brief, created


class BriefNotRendered(Exception):
    """The render in this process did not give a ready brief; the message says why."""


def brief_render_now(*, alliance: Alliance, by) -> Brief:
    """The brief of the alliance's current evidence, rendered in this process if it is not
    ready (for operators' commands and the demo), through the worker's code path.
    Raises worker.BriefBusy when a worker renders it now, BriefNotRendered on failure."""
    # Committed before the render: the worker's claim (and any other worker) must see it.
    with transaction.atomic():
        brief, created = brief_of_current_evidence(alliance=alliance, by=by)
        if brief.status != Brief.Status.READY and not created:
            brief_reset(brief=brief, by=by)
    if brief.status != Brief.Status.READY:
        worker.brief_render(brief_id=brief.pk)
        brief.refresh_from_db()
    if brief.status != Brief.Status.READY:
        raise BriefNotRendered(brief.error or brief.get_status_display())
    return brief


@transaction.atomic
def brief_reset(*, brief: Brief, by=None) -> None:
    """Back to the queue, for another render; the asker `by` becomes the requester if none."""
    brief.status, brief.error = Brief.Status.QUEUED, ""
    brief.requested_by = brief.requested_by or by
    as_done_by(brief, by).save(update_fields=["status", "error", "requested_by"])


@transaction.atomic
def brief_retry(*, brief: Brief, by) -> Brief:
    if not can(by, Action.PREPARE_BRIEF, brief.alliance):
        raise PermissionDenied(NOT_ALLOWED)
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    if not (brief.status == Brief.Status.FAILED or brief.is_stale):
        raise ValidationError(_("Only a brief that failed can be tried again."))
    brief_reset(brief=brief, by=by)
    _enqueue(brief)
    return brief


@transaction.atomic
def brief_opened(*, brief: Brief, by) -> None:
    """Remember that `by` opened a ready brief (once; a second opening changes nothing)."""
    if brief.status != Brief.Status.READY or not by.is_authenticated:
        return
    BriefView.objects.bulk_create([BriefView(brief=brief, user=by)], ignore_conflicts=True)
