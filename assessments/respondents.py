"""One respondent path: our assessors (a `Response`) and the partner's contacts (a
`PartnerInvitation`) answer an assessment's questionnaire through these functions.

A respondent is anything with an `assessment` and an `answers` relation to its answer
rows (`Answer` or `PartnerAnswer`, which have the same shape) and a `keeps_evidence`
flag (our assessors attach an evidence link; the partner's page has none). Each side's
service locks its respondent and refuses a closed one, calls these, then does what only
it does (our knock-out findings; the partner's "answering" mark).
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from banks.models import Question


class Respondent(Protocol):
    assessment: object  # Assessment
    answers: object  # the related manager of its answers (AnswerQuerySet)
    keeps_evidence: bool


def _stored(answer, keeps_evidence: bool) -> tuple:
    values = (answer.choice_id, answer.is_na, answer.is_dont_know, answer.text, answer.comment)
    return (*values, answer.evidence_url) if keeps_evidence else values


def answer_write(respondent: Respondent, question: Question, value):
    """Store `value` (services.AnswerValue) as the respondent's answer to `question`;
    returns the answer, or None when nothing was given and nothing was stored before.
    Refuses a question of another questionnaire and an answer the question does not
    allow. Writes nothing when the answer is unchanged (no history row repeated)."""
    if question.dimension.version_id != respondent.assessment.version_id:
        raise ValidationError(_("This question is not part of this questionnaire."))
    if value.choice is not None and value.choice.question_id != question.pk:
        raise ValidationError(_("That answer belongs to another question."))
    if value.is_na and not question.allows_na:
        raise ValidationError(_("%(key)s cannot be answered N/A.") % {"key": question.key})
    if value.is_dont_know and not question.allows_dont_know:
        raise ValidationError(_("%(key)s cannot be answered “don't know”.") % {"key": question.key})
    keeps_evidence = respondent.keeps_evidence
    answer = respondent.answers.filter(question=question).first()
    if answer is None:
        link = value.evidence_url if keeps_evidence else ""
        if not (value.is_given or value.comment or link):
            return None
        answer = respondent.answers.model(question=question)
        setattr(answer, respondent.answers.field.name, respondent)
    stored = _stored(answer, keeps_evidence)
    if value.sets_level:
        answer.choice = value.choice
        answer.is_na = value.is_na
        answer.is_dont_know = value.is_dont_know
    answer.text = value.text if not question.is_scored else ""
    answer.comment = value.comment
    if keeps_evidence and not value.keeps_evidence_url:
        answer.evidence_url = value.evidence_url
    if answer.pk is not None and _stored(answer, keeps_evidence) == stored:
        return answer
    answer.save()
    return answer


def missing_required(respondent: Respondent) -> list[Question]:
    """Required questions of the respondent's questionnaire with no answer given."""
    given = respondent.answers.given()
    return list(
        Question.objects.filter(
            dimension__version_id=respondent.assessment.version_id, required=True
        )
        .exclude(pk__in=given.values("question_id"))
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    )


def ensure_complete(respondent: Respondent) -> None:
    """Before a submission: every required question answered, or a ValidationError
    (code "missing") naming the ones left."""
    missing = missing_required(respondent)
    if missing:
        keys = ", ".join(q.key for q in missing)
        raise ValidationError(
            _("Answer the required questions first: %(keys)s.") % {"keys": keys}, code="missing"
        )
