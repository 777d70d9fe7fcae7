"""The decision's conditions kept as tracked records: after each recheck the conditions it
names (other than a finding's, followed up on the finding) get a record each, found again
by the key of their cause; a record whose cause is gone is closed by the system, and one
whose cause comes back reopens with its owner and due date."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance
from decisions.models import TrackedCondition
from decisions.rules import Decision

Status = TrackedCondition.Status


@transaction.atomic
def conditions_sync(*, alliance: Alliance, decision: Decision) -> bool:
    """Bring the alliance's tracked conditions in line with `decision` (2 queries when
    nothing changed). Returns whether a condition was named, reopened or closed."""
    wanted = {c.key: c for c in decision.conditions if c.source != "finding" and c.key}
    existing = {
        t.key: t for t in TrackedCondition.objects.select_for_update().filter(alliance=alliance)
    }
    today = timezone.localdate()
    moved = False
    for key, condition in wanted.items():
        tracked = existing.get(key)
        if tracked is None:
            tracked = TrackedCondition(
                alliance=alliance, key=key, source=condition.source, text=condition.text
            )
            tracked._change_reason = _("Named by the decision")
            tracked.save()
            moved = True
        elif tracked.status == Status.CLOSED:
            tracked.status, tracked.status_by, tracked.status_on = Status.OPEN, None, today
            tracked.text = condition.text
            tracked._change_reason = _("Reopened: its cause is back")
            tracked.save()
            moved = True
        elif tracked.text != condition.text:
            tracked.text = condition.text
            tracked._change_reason = _("The decision words it anew")
            tracked.save(update_fields=["text"])
    for key, tracked in existing.items():
        if key not in wanted and tracked.is_active:
            tracked.status, tracked.status_by, tracked.status_on = Status.CLOSED, None, today
            tracked._change_reason = _(
                "Closed by the system: the decision no longer names it (its cause is gone)"
            )
            tracked.save()
            moved = True
    return moved
