"""What a partner contact's link shows of the comparison, with the manager's consent.

The manager chooses per assessment (`Assessment.partner_share`): nothing (the default),
the perception gap by dimension, or also by question. It shows only after the contact
has submitted, our side has submitted and the partner side is complete (the results
page's comparison is no longer blind), and it is built from scores alone: never our
comments, evidence, findings, sponsors or decision, never another contact's answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import PartnerInvitation, PartnerShare
from assessments.perception import SideBySide
from assessments.selectors import assessment_perception, assessment_score, version_specs


@dataclass(frozen=True)
class SharedQuestion:
    dimension: str
    key: str
    text: str
    ours: float  # 0–100, shown on the 0–4 scale
    theirs: float

    @property
    def difference(self) -> float:
        return abs(self.ours - self.theirs)


@dataclass(frozen=True)
class SharedResult:
    rows: tuple[SideBySide, ...]  # by dimension
    questions: tuple[SharedQuestion, ...]  # empty unless shared by question
    threshold: float
    by_question: bool


def shared_result(invitation: PartnerInvitation) -> SharedResult | None:
    """The comparison this contact may see now, or None."""
    if not invitation.is_submitted:
        return None
    return assessment_shared_result(invitation.assessment)


def assessment_shared_result(assessment) -> SharedResult | None:
    """What every contact who submitted sees (the joint view), or None while nothing is
    shared or the comparison is still blind."""
    if assessment.partner_share == PartnerShare.NOTHING or not assessment.is_submitted:
        return None
    ours = assessment_score(assessment)
    perception = assessment_perception(assessment, ours)
    if perception.is_blind:
        return None
    comparison = perception.comparison
    questions = ()
    by_question = assessment.partner_share == PartnerShare.QUESTIONS
    if by_question:
        spec = version_specs([assessment.version])[assessment.version_id]
        our_q, their_q = ours.median_by_key, perception.partner_score.median_by_key
        questions = tuple(
            SharedQuestion(q.dimension, q.key, q.text, our_q[q.key], their_q[q.key])
            for q in spec.questions
            if q.key in our_q and q.key in their_q
        )
    return SharedResult(comparison.rows, questions, comparison.threshold, by_question)
