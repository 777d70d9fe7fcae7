"""My work: everything that needs the user now, gathered from every app that has some.

Home sits above all the apps, so it asks each one directly, in this order; the items
are then sorted, overdue first.
"""

from datetime import date

from alliances.pages import WorkItem
from assessments import conditions, round_reminders
from assessments import my_work as answers_and_findings
from banks import my_work as bank_drafts
from briefs import my_work as briefs_ready
from decisions import reminders as decision_conditions
from meetings import reminders as meeting_actions
from signoffs import alliance_pages as signoffs
from sponsors import my_work as sponsor_signals

CONTRIBUTORS = (
    sponsor_signals.my_work,
    round_reminders.my_reassessments,
    bank_drafts.my_work,
    answers_and_findings.my_work,
    conditions.my_conditions,
    decision_conditions.my_tracked_conditions,
    meeting_actions.my_actions,
    signoffs.my_signoffs,
    briefs_ready.my_work,
)


def my_work(request) -> list[WorkItem]:
    """Everything that needs the user, overdue first, then by due date (undated last).
    Computed once per request."""
    cached = getattr(request, "_my_work", None)
    if cached is not None:
        return cached
    items: list[WorkItem] = []
    for contribute in CONTRIBUTORS:
        items += contribute(request)
    items.sort(key=lambda item: (not item.overdue, item.due is None, item.due or date.min))
    request._my_work = items
    return items
