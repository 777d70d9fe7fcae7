"""The tracked conditions' owners are told and shown as a finding's are
(assessments/conditions.py): on My work when due within `MY_WORK_DAYS` or overdue, and by
the daily job `REMIND_DAYS_BEFORE` days ahead and every day overdue, once a day."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import my_team_alliances
from alliances.models import Alliance
from alliances.pages import WorkItem
from assessments.conditions import MY_WORK_DAYS, REMIND_DAYS_BEFORE, reminder_kind
from decisions.models import TrackedCondition
from kit import events
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify

Status = TrackedCondition.Status


def active_owned(alliances: QuerySet[Alliance]) -> QuerySet[TrackedCondition]:
    """Tracked conditions still to follow up, with an owner and a due date (1 query)."""
    return (
        TrackedCondition.objects.filter(
            alliance__in=alliances,
            status__in=[Status.OPEN, Status.IN_PROGRESS],
            owner__isnull=False,
            due_date__isnull=False,
        )
        .select_related("alliance", "owner")
        .order_by("due_date", "pk")
    )


def condition_url(condition: TrackedCondition) -> str:
    return reverse("decisions:condition", args=[condition.alliance.slug, condition.pk])


def my_tracked_conditions(request) -> list[WorkItem]:
    """My work: the tracked conditions I own due within 14 days or overdue (1 query)."""
    user = request.user
    today = timezone.localdate()
    conditions = active_owned(my_team_alliances(user)).filter(
        owner=user, due_date__lte=today + timedelta(days=MY_WORK_DAYS)
    )
    return [
        WorkItem(
            kind="condition_due",
            title=_("Condition: %(what)s") % {"what": c.shown_text},
            url=condition_url(c),
            detail=c.get_status_display(),
            due=c.due_date,
            overdue=c.due_date < today,
            alliance_name=c.alliance.name,
        )
        for c in conditions
    ]


def remind_tracked_owners(today: date) -> int:
    """Daily job: owners of tracked conditions due in `REMIND_DAYS_BEFORE` days, or
    overdue, hear of it once that day. Returns the number of reminders created."""
    due_soon = today + timedelta(days=REMIND_DAYS_BEFORE)
    created = 0
    alliances = Alliance.objects.filter(is_archived=False)
    for condition in active_owned(alliances).filter(due_date__lte=due_soon):
        kind = reminder_kind(condition.due_date, today)
        if kind is None:
            continue

        def title(kind=kind, condition=condition):
            # In the owner's language (notify calls it in theirs), its date too.
            return (
                _("Overdue since %(due)s: a condition on %(alliance)s")
                if kind == Kind.CONDITION_OVERDUE
                else _("Due on %(due)s: a condition on %(alliance)s")
            ) % {
                "due": date_format(condition.due_date, "SHORT_DATE_FORMAT"),
                "alliance": condition.alliance.name,
            }

        told = notify(
            kind,
            alliance=condition.alliance,
            recipients=[condition.owner],
            title=title,
            body=lambda condition=condition: condition.shown_text,
            url=condition_url(condition),
            key=day_key(kind, f"condition-{condition.pk}", today),
        )
        created += len(told)
        if told and kind == Kind.CONDITION_OVERDUE:  # once a day, as the owner's reminder
            events.publish(
                events.CONDITION_OVERDUE,
                alliance_id=condition.alliance_id,
                condition_id=condition.pk,
                due_date=condition.due_date.isoformat(),
            )
    return created
