"""Writes of the decision's tracked conditions: their follow-up by the alliance's managers
and by the condition's owner. Each write keeps its history and rechecks the decision,
whose words count met and waived conditions."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import Action, can
from alliances.people import team_people
from alliances.services import as_done_by
from alliances.signals import decision_inputs_changed_on
from decisions.models import TrackedCondition

Status = TrackedCondition.Status


def may_update_tracked(user, condition: TrackedCondition) -> bool:
    """The alliance's managers, and the condition's owner while on the team."""
    alliance = condition.alliance
    if alliance.is_archived or condition.status == Status.CLOSED:
        return False
    if can(user, Action.RUN_ASSESSMENT, alliance):
        return True
    return (
        condition.owner_id == user.pk
        and can(user, Action.VIEW, alliance)
        and alliance.memberships.filter(user=user).exists()
    )


def tracked_condition_update(
    *,
    condition: TrackedCondition,
    by,
    owner,
    due_date: date | None,
    status: str,
    note: str = "",
    evidence_url: str = "",
) -> TrackedCondition:
    """Name the owner (a team member) and the due date, move the status (met needs what
    was done, waived needs why: both record who and when), keep a note and a link."""
    if not may_update_tracked(by, condition):
        raise PermissionDenied(_("Only the alliance's managers and the condition's owner may."))
    with transaction.atomic():
        condition = TrackedCondition.objects.select_for_update().get(pk=condition.pk)
        alliance = condition.alliance
        if owner is not None and not team_people(alliance).filter(pk=owner.pk).exists():
            raise ValidationError({"owner": _("The owner must be a member of the team.")})
        if status not in (Status.OPEN, Status.IN_PROGRESS, Status.MET, Status.WAIVED):
            raise ValidationError({"status": _("Choose open, in progress, met or waived.")})
        note = note.strip()
        if status == Status.MET and not note:
            raise ValidationError({"note": _("Say what was done.")})
        if status == Status.WAIVED and not note:
            raise ValidationError({"note": _("Say why the condition is waived.")})
        if status != condition.status:
            condition.status_by, condition.status_on = by, timezone.localdate()
        condition.owner, condition.due_date, condition.status = owner, due_date, status
        condition.note, condition.evidence_url = note, evidence_url.strip()
        as_done_by(condition, by).save()
        # The decision's words count met and waived conditions; an owner or due date
        # named anew is new evidence for a sign-off (signoffs listens too).
        decision_inputs_changed_on(alliance, by)
    return condition
