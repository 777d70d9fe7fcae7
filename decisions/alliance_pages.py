"""The decision on the alliance page: its card, its conditions, the assessments behind it
and their trend, in the page's side column (registered in DecisionsConfig.ready())."""

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.chart_svg import trend_figures
from assessments.round_selectors import alliance_trends
from assessments.services import may_update_condition
from assessments.templatetags.assessment_tags import alliance_assessment_summary
from decisions.selectors import alliance_conditions, alliance_tracked_conditions
from decisions.services import may_update_tracked
from decisions.templatetags.decision_tags import decision_card


def alliance_page(request, alliance, context: dict) -> dict:
    """The decision card and the assessment summary, in the page's side column."""
    return {
        "side_panels": [
            render_to_string(
                "decisions/_decision_card.html",
                decision_card(context, alliance),
                request=request,
            ),
            render_to_string(
                "decisions/_conditions.html",
                conditions_panel(request, alliance),
                request=request,
            ),
            render_to_string(
                "assessments/_alliance_summary.html",
                alliance_assessment_summary(context, alliance),
                request=request,
            ),
            *_trend_panel(request, alliance),
        ]
    }


def conditions_panel(request, alliance) -> dict:
    """The current decision's conditions to follow up: the manageable findings' and the
    tracked ones (gaps, sponsor, perception): owner, due date, status; overdue marked."""
    today = timezone.localdate()
    conditions = alliance_conditions(alliance)
    for finding in conditions:
        finding.overdue = finding.is_overdue(today)
        finding.may_update = may_update_condition(request.user, finding)
    tracked = alliance_tracked_conditions(alliance)
    for condition in tracked:
        condition.overdue = condition.is_overdue(today)
        condition.may_update = may_update_tracked(request.user, condition)
    return {"alliance": alliance, "conditions": conditions, "tracked": tracked}


def _trend_panel(request, alliance) -> list[str]:
    """The trend card when there is something to draw: scores across two rounds or more,
    or our sponsor's health over time."""
    charts = trend_figures(alliance_trends(alliance))
    if not charts:
        return []
    return [
        render_to_string(
            "assessments/_trend_panel.html",
            {"charts": charts, "alliance": alliance},
            request=request,
        )
    ]
