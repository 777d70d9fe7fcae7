"""Demo follow-up of Cobalt's conditions: each has an owner and a due date, one is under
way, so the sign-off page and the brief show who closes what by when."""

from datetime import timedelta

from django.utils import timezone

from alliances.demo import Demo
from decisions import services
from decisions.models import TrackedCondition
from decisions.recheck import decision_after_change, decisions_daily

COBALT = "cobalt-cloud-co-sell"
# Source → (owner's demo login, days until due, status).
FOLLOW_UP = {
    "gap": ("contributor", 30, TrackedCondition.Status.IN_PROGRESS),
    "sponsor": ("manager", 21, TrackedCondition.Status.OPEN),
    "perception": ("manager", 45, TrackedCondition.Status.OPEN),
}


def seed(demo: Demo) -> list[str]:
    cobalt, manager = demo.alliances[COBALT], demo.users["manager"]
    decision_after_change(alliance=cobalt, by=manager)  # the conditions get their records
    named = 0
    today = timezone.localdate()
    for condition in TrackedCondition.objects.filter(alliance=cobalt, owner__isnull=True):
        if condition.source not in FOLLOW_UP or not condition.is_active:
            continue
        login, days, status = FOLLOW_UP[condition.source]
        services.tracked_condition_update(
            condition=condition,
            by=manager,
            owner=demo.users[login],
            due_date=today + timedelta(days=days),
            status=status,
        )
        named += 1
    # Every demo alliance's record stored as after its last write (the demo backdates).
    decisions_daily(today)
    return [f"Cobalt: {named} conditions with an owner and a due date."] if named else []
