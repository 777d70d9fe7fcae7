"""Demo meetings: a QBR of Quartz (an alliance in its managing stage) held ten days ago,
with its minutes, the decisions taken and an action owned by the manager (on their My
work, due in five days)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from alliances.demo import Demo
from meetings import services
from meetings.models import Meeting
from meetings.selectors import partner_people, proposed_agenda

QUARTZ = "quartz-embedded-payments"


def seed(demo: Demo) -> list[str]:
    users, alliances = demo.users, demo.alliances
    quartz = alliances[QUARTZ]
    if Meeting.objects.filter(alliance=quartz).exists():
        return []
    manager = users["manager"]
    today = timezone.localdate()
    starts_at = timezone.make_aware(datetime.combine(today - timedelta(days=10), time(10, 0)))
    meeting = services.meeting_plan(
        alliance=quartz,
        by=manager,
        kind=Meeting.Kind.QBR,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        location="Quartz Payments, Dublin, and video call",
        agenda=proposed_agenda(quartz),
        attendees=[manager, users["executive"]],
        partner_attendees=list(partner_people(quartz)[:1]),
    )
    services.minutes_record(
        meeting=meeting,
        by=manager,
        minutes=(
            "Payments revenue share is ahead of target; one joint solution of two is live. "
            "Quartz asked for a date for the second one before its board meeting."
        ),
        decisions_taken="Launch the recurring-billing solution in Q1.",
        actions=[
            services.ActionChange(
                description="Send Quartz the launch plan of the recurring-billing solution",
                owner=manager,
                due_date=today + timedelta(days=5),
            )
        ],
    )
    return ["Quartz: a QBR with minutes and an action for the manager."]
