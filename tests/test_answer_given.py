"""One rule says whether an answer is given, stated three times: `scoring.is_given` for the
pure core, `Answer.objects.given()` for the ORM and `Answer.is_given` for an answer in hand.
They must agree on every kind of answer."""

import itertools

import pytest

from assessments import selectors
from assessments.models import Answer
from assessments.scoring import AnswerInput, is_given
from banks.models import Choice, Question
from tests.assessment_factories import make_version, start

pytestmark = pytest.mark.django_db


def test_the_orm_the_model_and_the_pure_core_agree_on_which_answers_are_given(open_team):
    # choice?, N/A?, don't know?, text?, comment? — every combination the table allows.
    combos = [
        c
        for c in itertools.product([False, True], repeat=5)
        if not (c[1] and c[2])  # N/A and don't know together are refused by a constraint
    ]
    version = make_version(n_questions=len(combos), knockouts={})
    response = start(open_team, version, assessors=("manager",)).responses.get()
    questions = Question.objects.filter(dimension__version=version).order_by("key")
    for (choice, na, dont_know, text, comment), q in zip(combos, questions, strict=True):
        Answer.objects.create(
            response=response,
            question=q,
            choice=Choice.objects.filter(question=q).first() if choice else None,
            is_na=na,
            is_dont_know=dont_know,
            text="Some notes" if text else "",
            comment="Only a comment" if comment else "",
        )

    by_orm = set(Answer.objects.given().values_list("question__key", flat=True))
    rows = Answer.objects.values(*selectors.ANSWER_FIELDS)
    by_core = {row["question__key"] for row in rows if is_given(selectors._answer_input(row))}

    by_model = {a.question.key for a in Answer.objects.select_related("question") if a.is_given}

    assert by_orm == by_core
    assert by_model == by_core
    # Sanity: a comment alone is no answer, anything else is.
    assert len(by_orm) == sum(1 for c in combos if any(c[:4]))


def test_a_comment_or_evidence_link_alone_is_not_an_answer():
    assert not is_given(AnswerInput("A1"))
    assert is_given(AnswerInput("A1", score=0))
    assert is_given(AnswerInput("A1", is_na=True))
    assert is_given(AnswerInput("A1", is_dont_know=True))
    assert is_given(AnswerInput("A1", has_text=True))
