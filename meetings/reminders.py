"""Meeting actions are followed up as the decision's conditions are
(assessments/conditions.py): on My work when due within `MY_WORK_DAYS` or overdue, and by
the daily job `REMIND_DAYS_BEFORE` days ahead and every day overdue, once a day (the same
reminder kinds). The daily job also tells other systems, once, of an action that became
overdue (kit.events.ACTION_OVERDUE)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import my_team_alliances
from alliances.models import Alliance
from alliances.pages import WorkItem
from assessments.conditions import MY_WORK_DAYS, REMIND_DAYS_BEFORE, reminder_kind
from meetings.models import ActionItem
from meetings.selectors import active_actions
from meetings.services import announce_overdue_actions
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify


def action_url(action: ActionItem) -> str:
    meeting = action.meeting
    return reverse("meetings:detail", args=[meeting.alliance.slug, meeting.pk]) + (
        f"#action-{action.pk}"
    )


def my_actions(request) -> list[WorkItem]:
    """My work: the meeting actions I own due within 14 days or overdue (1 query)."""
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    actions = active_actions(my_team_alliances(user)).filter(
        owner=user, due_date__lte=today + timedelta(days=MY_WORK_DAYS)
    )
    return [
        WorkItem(
            kind="action_due",
            title=_("Action: %(what)s") % {"what": a.description},
            url=action_url(a),
            detail=_("from the %(kind)s of %(date)s")
            % {
                "kind": a.meeting.get_kind_display(),
                "date": date_format(timezone.localtime(a.meeting.starts_at), "SHORT_DATE_FORMAT"),
            },
            due=a.due_date,
            overdue=a.due_date < today,
            alliance_name=a.meeting.alliance.name,
        )
        for a in actions
    ]


def remind_action_owners(today: date) -> int:
    """Daily job: owners of actions due in `REMIND_DAYS_BEFORE` days, or overdue, hear of
    it once that day; actions newly overdue are announced to other systems. Returns the
    number of reminders created."""
    announce_overdue_actions(today=today)
    due_soon = today + timedelta(days=REMIND_DAYS_BEFORE)
    created = 0
    alliances = Alliance.objects.filter(is_archived=False)
    for action in active_actions(alliances).filter(due_date__lte=due_soon):
        kind = reminder_kind(action.due_date, today)
        if kind is None:
            continue
        alliance = action.meeting.alliance

        def title(kind=kind, action=action, alliance=alliance):
            # In the owner's language (notify calls it in theirs), its date too.
            return (
                _("Overdue since %(due)s: an action on %(alliance)s")
                if kind == Kind.CONDITION_OVERDUE
                else _("Due on %(due)s: an action on %(alliance)s")
            ) % {
                "due": date_format(action.due_date, "SHORT_DATE_FORMAT"),
                "alliance": alliance.name,
            }

        created += len(
            notify(
                kind,
                alliance=alliance,
                recipients=[action.owner],
                title=title,
                body=action.description,
                url=action_url(action),
                key=day_key(kind, f"action-{action.pk}", today),
            )
        )
    return created
