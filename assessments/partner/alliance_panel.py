""" "Invite the partner" on the alliance page (a side panel, registered through
alliances/pages.py in AssessmentsConfig.ready()): one click from the alliance to the
invitation page of its latest open two-sided assessment, or to starting one. Shown to
whoever may run the alliance's assessments; 2 queries."""

from django.template.loader import render_to_string

from alliances.access import Action
from assessments.models import Assessment
from banks.models import BankVersion, QuestionBank


def latest_two_sided(alliance) -> Assessment | None:
    """The alliance's newest two-sided assessment whose bank version is not retired."""
    return (
        Assessment.objects.filter(
            alliance=alliance, version__bank__kind=QuestionBank.Kind.MUTUAL_FIT
        )
        .exclude(version__status=BankVersion.Status.RETIRED)
        .select_related("version__bank")
        .order_by("-created_at", "-pk")
        .first()
    )


def can_start_two_sided() -> bool:
    return BankVersion.objects.filter(
        status=BankVersion.Status.PUBLISHED, bank__kind=QuestionBank.Kind.MUTUAL_FIT
    ).exists()


def alliance_page(request, alliance, context: dict) -> dict:
    if Action.RUN_ASSESSMENT not in context.get("actions", ()):
        return {}
    assessment = latest_two_sided(alliance)
    if assessment is None and not can_start_two_sided():
        return {}
    panel = render_to_string(
        "assessments/partner/_alliance_panel.html",
        {
            "alliance": alliance,
            "assessment": assessment,
            "invitations": list(assessment.partner_invitations.all()) if assessment else [],
        },
        request=request,
    )
    return {"side_panels": [panel]}
