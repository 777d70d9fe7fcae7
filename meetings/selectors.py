"""Reads of the meetings: an alliance's meetings, the next and the last one, the open
actions, and what the proposed agenda is made of (meetings/agenda.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from alliances.models import Alliance
from alliances.people import team_people
from assessments.conditions import open_conditions
from assessments.round_selectors import reassessment_statuses
from decisions.models import TrackedCondition
from decisions.selectors import alliance_decision_inputs
from kit.people import display_name
from meetings import agenda
from meetings.models import ActionItem, Meeting
from sponsors.models import Sponsor, Sponsorship
from sponsors.selectors import sponsorships_overdue

User = get_user_model()


def alliance_meetings(alliance: Alliance) -> QuerySet[Meeting]:
    """The alliance's meetings, latest first, with their open actions counted in the
    same page (2 queries)."""
    return (
        Meeting.objects.filter(alliance=alliance)
        .select_related("alliance")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.filter(status=ActionItem.Status.OPEN),
                to_attr="open_actions",
            )
        )
    )


def meeting_detail(alliance: Alliance, pk: int) -> Meeting | None:
    """One meeting of the alliance with its attendees and actions (4 queries), or None."""
    meeting = (
        Meeting.objects.filter(alliance=alliance, pk=pk)
        .select_related("created_by", "minutes_recorded_by")
        .prefetch_related(
            "attendees",
            Prefetch("partner_attendees", queryset=Sponsor.objects.order_by("name")),
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner", "done_by")),
        )
        .first()
    )
    if meeting is not None:
        meeting.alliance = alliance
    return meeting


def next_meeting(alliance: Alliance, *, now=None) -> Meeting | None:
    """The next meeting that has not ended yet (1 query)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(alliance=alliance, ends_at__gte=now).order_by("starts_at", "pk")
    ).first()


def last_meeting(alliance: Alliance, *, now=None) -> Meeting | None:
    """The latest meeting that has started, minutes or not (1 query)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(alliance=alliance, starts_at__lte=now)
        .order_by("-starts_at", "-pk")
        .first()
    )


def last_minuted_meeting(alliance: Alliance) -> Meeting | None:
    """The latest meeting whose minutes were recorded (1 query): what the brief lists."""
    return (
        Meeting.objects.filter(alliance=alliance, minutes_recorded_at__isnull=False)
        .order_by("-starts_at", "-pk")
        .first()
    )


def open_actions(meeting: Meeting) -> list[ActionItem]:
    return list(
        meeting.actions.filter(status=ActionItem.Status.OPEN)
        .select_related("owner")
        .order_by("due_date", "pk")
    )


def active_actions(alliances: QuerySet[Alliance]) -> QuerySet[ActionItem]:
    """Open actions of the alliances' meetings, with an owner (1 query), due first."""
    return (
        ActionItem.objects.filter(
            meeting__alliance__in=alliances,
            status=ActionItem.Status.OPEN,
            owner__isnull=False,
        )
        .select_related("meeting__alliance", "owner")
        .order_by("due_date", "pk")
    )


def action_owners(alliance: Alliance) -> QuerySet:
    """Whom an action may be given to: the alliance's active team."""
    return team_people(alliance)


def partner_people(alliance: Alliance) -> QuerySet[Sponsor]:
    """The partner's named people: sponsors of the partner organisation."""
    return Sponsor.objects.filter(organisation_id=alliance.partner_id).order_by("name")


# ------------------------------------------------------------------ the agenda


def _conditions(alliance: Alliance) -> list[agenda.OpenItem]:
    """The decision's conditions still open: manageable findings and tracked ones."""
    items = [
        agenda.OpenItem(
            text=f.mitigation or f.statement,
            owner=display_name(f.owner_user) if f.owner_user else "",
            due=f.due_date,
        )
        for f in open_conditions(Alliance.objects.filter(pk=alliance.pk))
    ]
    tracked = TrackedCondition.objects.filter(
        alliance=alliance,
        status__in=[TrackedCondition.Status.OPEN, TrackedCondition.Status.IN_PROGRESS],
    ).select_related("owner")
    items += [
        agenda.OpenItem(
            text=c.shown_text, owner=display_name(c.owner) if c.owner else "", due=c.due_date
        )
        for c in tracked
    ]
    return items


def _signals(alliance: Alliance, today: date) -> list[agenda.SignalOwed]:
    sponsorships = list(
        Sponsorship.objects.active(today)
        .filter(alliance=alliance)
        .select_related("sponsor")
        .order_by("side", "pk")
    )
    owed = sponsorships_overdue(sponsorships, today=today)
    return [
        agenda.SignalOwed(sponsor=s.sponsor.name, owed=owed[s.pk])
        for s in sponsorships
        if s.pk in owed
    ]


def agenda_inputs(alliance: Alliance, *, today: date | None = None) -> agenda.AgendaInputs:
    """What is open on the alliance, as the pure agenda reads it."""
    today = today or timezone.localdate()
    within = today + timedelta(days=agenda.DUE_WITHIN_DAYS)
    actions = active_actions(Alliance.objects.filter(pk=alliance.pk)).filter(due_date__lte=within)
    decision_input = alliance_decision_inputs([alliance])[alliance.pk]
    status = reassessment_statuses([alliance], today=today)[alliance.pk]
    return agenda.AgendaInputs(
        today=today,
        conditions=tuple(_conditions(alliance)),
        actions=tuple(
            agenda.OpenItem(text=a.description, owner=display_name(a.owner), due=a.due_date)
            for a in actions
        ),
        kpis=tuple(
            agenda.KPIFigure(name=k.name, period=k.period, attainment=k.attainment)
            for k in alliance.kpis.filter(is_current=True)
        ),
        signals=tuple(_signals(alliance, today)),
        perception_gaps=tuple(
            agenda.GapFigure(dimension=g.dimension, ours=g.ours, theirs=g.theirs)
            for g in decision_input.perception_gaps
        ),
        partner=alliance.partner.name,
        reassessments=tuple(due.sentence for due in status.due),
    )


def proposed_agenda(alliance: Alliance, *, today: date | None = None) -> str:
    """The agenda text the plan form starts with."""
    return agenda.agenda_text(agenda.propose_agenda(agenda_inputs(alliance, today=today)))
