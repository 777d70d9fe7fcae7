"""“Reassessment due”: the daily job that tells the managers, and their My work items.

Registered in AssessmentsConfig.ready() with notifications.reminders and
alliances.pages. Each runs a fixed number of queries whatever the number of alliances.
"""

from dataclasses import replace
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.access import my_team_alliances
from alliances.models import Alliance, Membership
from alliances.pages import WorkItem
from assessments.round_selectors import KIND_LABELS, reassessment_statuses
from notifications.models import Kind
from notifications.services import notify


def _kind(round_due) -> str:
    """The assessment kind in the active language."""
    return str(KIND_LABELS.get(round_due.kind, round_due.kind_label))


def reassessment_due_job(today: date) -> int:
    """Tell each manager of an alliance once per round that falls due (the key names the
    alliance, the kind and the due date, so later runs and other beats add nothing).
    Returns the number of notifications created."""
    alliances = list(Alliance.objects.filter(is_archived=False))
    statuses = reassessment_statuses(alliances, today=today)
    due = [a for a in alliances if statuses[a.pk].is_due]
    managers: dict[int, list] = {}
    for membership in Membership.objects.filter(
        alliance__in=due, role=Membership.Role.MANAGER
    ).select_related("user"):
        managers.setdefault(membership.alliance_id, []).append(membership.user)
    created = 0
    for alliance in due:
        url = reverse("assessments:list", args=[alliance.slug])
        for round_due in statuses[alliance.pk].due:
            created += len(
                notify(
                    Kind.REASSESSMENT_DUE,
                    alliance=alliance,
                    recipients=managers.get(alliance.pk, []),
                    # In each manager's language (notify calls these in theirs).
                    title=lambda round_due=round_due, alliance=alliance: (
                        _("Reassessment due: %(alliance)s — %(kind)s")
                        % {"alliance": alliance.name, "kind": _kind(round_due)}
                    ),
                    body=lambda round_due=round_due: (
                        replace(round_due, kind_label=_kind(round_due)).sentence
                    ),
                    url=url,
                    key=f"reassessment_due:{alliance.pk}:{round_due.kind}:{round_due.due_on}",
                )
            )
    return created


def my_reassessments(request) -> list[WorkItem]:
    """The rounds due on alliances the user manages."""
    user = request.user
    if not user.is_authenticated:
        return []
    managed = list(my_team_alliances(user, role=Membership.Role.MANAGER))
    items = []
    statuses = reassessment_statuses(managed)
    for alliance in managed:
        for round_due in statuses[alliance.pk].due:
            items.append(
                WorkItem(
                    kind="reassessment_due",
                    title=_("Reassess %(kind)s") % {"kind": round_due.kind_label},
                    url=reverse("assessments:list", args=[alliance.slug]),
                    detail=round_due.sentence,
                    due=round_due.due_on,
                    overdue=True,
                    alliance_name=alliance.name,
                )
            )
    return items
