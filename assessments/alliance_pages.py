"""The decision on the alliance pages: what assessments adds to the dashboard and the
alliance page through alliances/pages.py (registered in AssessmentsConfig.ready())."""

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.selectors import alliance_conditions, alliance_decisions
from assessments.services import may_update_condition
from assessments.templatetags.assessment_tags import alliance_assessment_summary, decision_card


def dashboard(request, alliances) -> dict:
    """Each alliance's decision by id, in a fixed number of queries."""
    return {"decisions": alliance_decisions(alliances)}


def alliance_page(request, alliance, context: dict) -> dict:
    """The decision card and the assessment summary, in the page's side column."""
    return {
        "side_panels": [
            render_to_string(
                "assessments/_decision_card.html",
                decision_card(context, alliance),
                request=request,
            ),
            render_to_string(
                "assessments/_conditions.html",
                conditions_panel(request, alliance),
                request=request,
            ),
            render_to_string(
                "assessments/_alliance_summary.html",
                alliance_assessment_summary(context, alliance),
                request=request,
            ),
        ]
    }


def conditions_panel(request, alliance) -> dict:
    """The manageable findings of the current decision as conditions to follow up:
    owner, due date, status; overdue ones marked."""
    today = timezone.localdate()
    conditions = alliance_conditions(alliance)
    for finding in conditions:
        finding.overdue = finding.is_overdue(today)
        finding.may_update = may_update_condition(request.user, finding)
    return {"alliance": alliance, "conditions": conditions}
