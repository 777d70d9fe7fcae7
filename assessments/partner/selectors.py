"""Reads of the partner's side: who was invited and where they are, the partner side's
consolidated score, and whether the comparison may be shown yet (blind until both sides
have submitted). A fixed number of queries, whatever the number of questions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import BY_QUESTION, Assessment, PartnerAnswer, PartnerInvitation
from assessments.scoring import (
    AnswerInput,
    AssessmentScore,
    ResponseInput,
    VersionSpec,
    consolidate,
)
from banks.models import Question
from kit.mail import mail_states

# What the mail path calls the e-mail of a partner's link (kit.mail `purpose`).
LINK_MAIL = "partner_link"


@dataclass(frozen=True)
class PartnerSide:
    """The invitations of one assessment and where the partner side stands."""

    invitations: tuple[PartnerInvitation, ...]

    @property
    def submitted(self) -> tuple[PartnerInvitation, ...]:
        return tuple(i for i in self.invitations if i.is_submitted)

    @property
    def pending(self) -> tuple[PartnerInvitation, ...]:
        now = timezone.now()
        return tuple(i for i in self.invitations if i.is_pending(now))

    @property
    def is_complete(self) -> bool:
        """At least one contact submitted and nobody is still expected to answer."""
        return bool(self.submitted) and not self.pending


def partner_sides(assessments: Iterable[Assessment]) -> dict[int, PartnerSide]:
    """Each assessment's partner side by id (1 query)."""
    assessments = list(assessments)
    grouped = defaultdict(list)
    for invitation in PartnerInvitation.objects.filter(assessment__in=assessments).order_by(
        "created_at", "pk"
    ):
        grouped[invitation.assessment_id].append(invitation)
    return {a.pk: PartnerSide(tuple(grouped[a.pk])) for a in assessments}


def partner_side(assessment: Assessment) -> PartnerSide:
    return partner_sides([assessment])[assessment.pk]


def invitation_rows(assessment: Assessment) -> list[PartnerInvitation]:
    """The manager's list: every invitation with `answer_count` of `question_total`, and
    `mail`, where the e-mail of its latest link stands (a kit.mail.MailState, or None).
    3 queries."""
    rows = list(
        assessment.partner_invitations.select_related("created_by")
        .annotate(
            answer_count=Count(
                "answers",
                filter=Q(answers__choice__isnull=False)
                | Q(answers__is_na=True)
                | Q(answers__is_dont_know=True)
                | ~Q(answers__text=""),
            )
        )
        .order_by("created_at", "pk")
    )
    states = mail_states(purpose=LINK_MAIL, object_ids=[row.pk for row in rows])
    total = Question.objects.filter(dimension__version_id=assessment.version_id).count()
    for row in rows:
        row.mail = states.get(str(row.pk))
        row.question_total = total
    return rows


def partner_scores(
    sides: dict[int, PartnerSide], assessments: Iterable[Assessment], specs: dict[int, VersionSpec]
) -> dict[int, AssessmentScore]:
    """The partner side's consolidated score (median of its submitted contacts) of each
    assessment where a contact has submitted (1 query). A contact invited later leaves
    the score of those who answered as it is until they submit too: the decision's
    perception gap does not vanish while someone new is still answering."""
    ready = [a for a in assessments if sides.get(a.pk) and sides[a.pk].submitted]
    if not ready:
        return {}
    submitted = {i.pk: i for a in ready for i in sides[a.pk].submitted}
    answers = defaultdict(list)
    rows = PartnerAnswer.objects.filter(invitation_id__in=submitted).order_by(
        "invitation_id", *BY_QUESTION
    )
    for row in rows.values(
        "invitation_id", "question__key", "choice__score", "is_na", "is_dont_know", "text"
    ):
        answers[row["invitation_id"]].append(
            AnswerInput(
                key=row["question__key"],
                score=row["choice__score"],
                is_na=row["is_na"],
                is_dont_know=row["is_dont_know"],
                has_text=bool(row["text"].strip()),
            )
        )
    return {
        a.pk: consolidate(
            specs[a.version_id],
            [ResponseInput(i.name, tuple(answers[i.pk])) for i in sides[a.pk].submitted],
        )
        for a in ready
    }


def partner_answers(invitation: PartnerInvitation) -> dict[int, PartnerAnswer]:
    """The invitation's answers by question id (1 query), for assessments.selectors'
    `fill_dimensions` and `dimension_questions`: the partner's page shows the same
    sections as ours, in the reader's language, with only this invitation's answers."""
    return {
        a.question_id: a for a in PartnerAnswer.objects.filter(invitation=invitation).order_by()
    }
