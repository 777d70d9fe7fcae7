"""Who hears what happens in assessments (through notifications.services.notify). Called
by assessments/services.py inside its transactions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.models import Alliance, Membership
from assessments.models import Assessment, Finding, Response
from kit.people import display_name
from notifications.models import Kind
from notifications.services import notify

User = get_user_model()
Role = Membership.Role


def team(alliance: Alliance, *roles: str):
    """Active members of the alliance's team in these roles."""
    return User.objects.filter(
        alliance_memberships__alliance=alliance,
        alliance_memberships__role__in=roles,
        is_active=True,
    )


def assessors_assigned(*, assessment: Assessment, responses: list[Response], by) -> None:
    """Each new assessor hears, with the link to their own fill page."""
    alliance = assessment.alliance
    for response in responses:
        notify(
            Kind.ASSESSOR_ASSIGNED,
            alliance=alliance,
            recipients=[response.assessor],
            title=lambda: (
                _("%(alliance)s: you are an assessor of “%(title)s”")
                % {"alliance": alliance.name, "title": assessment.title}
            ),
            body=lambda: (
                _("%(who)s asks you to fill in the assessment.") % {"who": display_name(by)}
            ),
            url=response_url(response),
            by=by,
        )


def response_url(response: Response) -> str:
    assessment = response.assessment
    return reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, response.pk])


def all_submitted(*, assessment: Assessment, by) -> None:
    alliance = assessment.alliance
    notify(
        Kind.ASSESSORS_ALL_SUBMITTED,
        alliance=alliance,
        recipients=team(alliance, Role.MANAGER),
        title=lambda: (
            _("%(alliance)s: every assessor of “%(title)s” has submitted")
            % {"alliance": alliance.name, "title": assessment.title}
        ),
        body=lambda: _("The results are ready to review; classify any open findings."),
        url=assessment.get_absolute_url(),
        by=by,
    )


def knockout_opened(*, finding: Finding, by) -> None:
    assessment = finding.assessment
    alliance = assessment.alliance
    notify(
        Kind.KNOCKOUT_OPENED,
        alliance=alliance,
        recipients=team(alliance, Role.MANAGER),
        title=lambda: (
            _("%(alliance)s: a knock-out finding opened on %(key)s")
            % {"alliance": alliance.name, "key": finding.question.key}
        ),
        body=finding.issue,
        url=finding_url(finding),
        by=by,
        # Once per finding: an answer that flips back and forth does not repeat it.
        key=f"knockout_opened:{assessment.pk}:{finding.question_id}",
    )


def finding_url(finding: Finding) -> str:
    assessment = finding.assessment
    return reverse(
        "assessments:finding", args=[assessment.alliance.slug, assessment.pk, finding.pk]
    )
