"""Our assessors and the partner's contacts answer through one path
(assessments/respondents.py): the same answer is refused with the same words, the same
answers leave the same required questions missing, and an unchanged answer writes no
history on either side."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.partner import services as partner_services
from banks.models import Choice
from tests.assessment_factories import invite_partner, make_version, question, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(open_team):
    """Our manager's response and a partner contact's invitation on one two-sided
    assessment; each side's save function."""
    version = make_version(slug="both-sides", kind="mutual_fit", allows_na=("A2",))
    assessment = start(open_team, version, assessors=("manager",), title="Both sides")
    response = assessment.responses.get()
    invitation = invite_partner(assessment, by=open_team.users["manager"], token="t" * 43)

    def ours(q, value):
        return services.answer_save(
            response=response, question=q, value=value, by=open_team.users["manager"]
        )

    def theirs(q, value):
        return partner_services.partner_answer_save(invitation=invitation, question=q, value=value)

    return version, {"ours": (response, ours), "theirs": (invitation, theirs)}


def refusal(save, q, value) -> str:
    with pytest.raises(ValidationError) as refused:
        save(q, value)
    return " ".join(refused.value.messages)


def test_both_sides_refuse_the_same_answers_with_the_same_words(both):
    version, sides = both
    other = make_version(slug="other-bank")
    a1, a2 = question(version, "A1"), question(version, "A2")
    cases = [
        (question(other, "A1"), services.AnswerValue(is_dont_know=True)),
        (a1, services.AnswerValue(choice=Choice.objects.filter(question=a2).first())),
        (a1, services.AnswerValue(is_na=True)),
    ]
    for q, value in cases:
        words = {side: refusal(save, q, value) for side, (_, save) in sides.items()}
        assert words["ours"] == words["theirs"], (q.key, words)
    assert words["ours"] == "A1 cannot be answered N/A."


def test_the_same_answers_leave_the_same_required_questions_missing(both):
    version, sides = both
    for _, save in sides.values():
        save(question(version, "A2"), services.AnswerValue(is_na=True))
        save(question(version, "A3"), services.AnswerValue(comment="A comment is no answer"))
    response, invitation = sides["ours"][0], sides["theirs"][0]
    ours = [q.key for q in services.missing_required(response)]
    theirs = [q.key for q in partner_services.partner_missing_required(invitation)]
    assert ours == theirs == ["A1", "A3", "A4", "A5", "A6"]
    with pytest.raises(ValidationError, match="Answer the required questions first: A1, A3"):
        partner_services.partner_submit(invitation=invitation)


def test_an_unchanged_answer_writes_no_history_on_either_side(both):
    version, sides = both
    q = question(version, "A4")
    value = services.AnswerValue(choice=Choice.objects.get(question=q, score=50), comment="Same")
    for side, (_, save) in sides.items():
        answer = save(q, value)
        save(q, value)
        assert answer.history.count() == 1, side
        assert save(question(version, "A5"), services.AnswerValue()) is None, side
