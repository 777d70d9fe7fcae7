"""What assessments adds to My work (home/my_work.py): my answers due, with progress, and
the findings managers have to classify. Two queries."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliances.access import ROLE_ACTIONS, Action
from alliances.models import Membership
from alliances.pages import WorkItem
from assessments.models import Answer, Finding, Response
from banks.models import BankVersion, Question

ANSWERING_ROLES = [role for role, actions in ROLE_ACTIONS.items() if Action.ANSWER in actions]


def _count(queryset, field: str):
    """A correlated COUNT as a subquery (0 when nothing matches)."""
    counted = queryset.values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def answers_due(user):
    """My responses still in draft, on alliances where I may still answer, with
    `answered` and `questions` counts."""
    my_answering = Membership.objects.filter(user=user, role__in=ANSWERING_ROLES)
    return (
        Response.objects.filter(
            assessor=user,
            status=Response.Status.DRAFT,
            assessment__alliance__is_archived=False,
            assessment__alliance__in=my_answering.values("alliance_id"),
        )
        .exclude(assessment__version__status=BankVersion.Status.RETIRED)
        .select_related("assessment__alliance")
        .annotate(
            answered=_count(Answer.objects.given().filter(response=OuterRef("pk")), "response"),
            questions=_count(
                Question.objects.filter(dimension__version=OuterRef("assessment__version")),
                "dimension__version",
            ),
        )
        .order_by("assessment__created_at", "pk")
    )


def findings_to_classify(user):
    """Unclassified findings of the alliances I manage, counted by assessment."""
    managed = Membership.objects.filter(user=user, role=Membership.Role.MANAGER)
    return (
        Finding.objects.filter(
            classification=Finding.Classification.UNCLASSIFIED,
            assessment__alliance__is_archived=False,
            assessment__alliance__in=managed.values("alliance_id"),
        )
        .values(
            "assessment_id",
            "assessment__title",
            "assessment__alliance__name",
            "assessment__alliance__slug",
        )
        .annotate(n=Count("pk"))
        .order_by("assessment__alliance__name", "assessment_id")
    )


def my_work(request) -> list[WorkItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for response in answers_due(user):
        assessment = response.assessment
        alliance = assessment.alliance
        items.append(
            WorkItem(
                kind="answers_due",
                title=_("Answer “%(title)s”") % {"title": assessment.title},
                url=reverse("assessments:fill", args=[alliance.slug, assessment.pk, response.pk]),
                detail=_("%(answered)d of %(questions)d questions answered")
                % {"answered": response.answered, "questions": response.questions},
                alliance_name=alliance.name,
            )
        )
    for row in findings_to_classify(user):
        items.append(
            WorkItem(
                kind="findings_to_classify",
                title=ngettext(
                    "Classify %(n)d finding of “%(title)s”",
                    "Classify %(n)d findings of “%(title)s”",
                    row["n"],
                )
                % {"n": row["n"], "title": row["assessment__title"]},
                url=reverse(
                    "assessments:detail",
                    args=[row["assessment__alliance__slug"], row["assessment_id"]],
                )
                + "#findings",
                detail=_("Showstopper or manageable: the decision waits for it."),
                alliance_name=row["assessment__alliance__name"],
            )
        )
    return items
