"""What happened to an alliance, told to other systems: the rooms where things happen
publish an event here, and whoever listens (the webhooks room) subscribes from its
`AppConfig.ready()`. A publisher imports nothing of its listeners (dependencies point
one way), and an event is published only once its transaction commits, so no listener
hears of something that was rolled back.

An event carries ids and plain facts (JSON-safe values), never free text typed by
people: a listener decides what it may pass on, by the alliance's confidentiality.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from kit.registry import Registry

# The events other systems can subscribe to; the keys are the wire names.
DECISION_CHANGED = "decision.changed"
SIGNOFF_GIVEN = "signoff.given"
SIGNOFF_REFUSED = "signoff.refused"
CONDITION_OVERDUE = "condition.overdue"
ACTION_OVERDUE = "action.overdue"
BRIEF_READY = "brief.ready"
PARTNER_SUBMITTED = "partner.submitted"
MINUTES_RECORDED = "meeting.minutes_recorded"

EVENT_TYPES = (
    DECISION_CHANGED,
    SIGNOFF_GIVEN,
    SIGNOFF_REFUSED,
    CONDITION_OVERDUE,
    ACTION_OVERDUE,
    BRIEF_READY,
    PARTNER_SUBMITTED,
    MINUTES_RECORDED,
)


@dataclass(frozen=True)
class Event:
    type: str  # one of EVENT_TYPES
    alliance_id: int
    facts: dict = field(default_factory=dict)  # ids and plain values, JSON-safe


Subscriber = Callable[[Event], None]

subscribers: Registry[Subscriber] = Registry("event subscribers")


def publish(type: str, *, alliance_id: int, **facts) -> None:
    """Tell every subscriber of `type` on the alliance, once the current transaction
    commits (at once outside one)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    event = Event(type=type, alliance_id=alliance_id, facts=facts)

    def tell():
        for subscriber in subscribers:
            subscriber(event)

    transaction.on_commit(tell)
