"""The assessment services on their own (no view in front): the rules hold for
whoever calls them, views, commands or the demo seeding."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import services as alliance_services
from assessments import services
from assessments.models import Answer, Assessment, Response
from tests.assessment_factories import answer_all, make_version, question, start, submit
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return make_version()


@pytest.fixture
def submitted(open_team, version):
    assessment = start(open_team, version)
    for response in assessment.responses.all():
        answer_all(response, 3)
        submit(response)
    assessment.refresh_from_db()
    assert assessment.is_submitted
    return assessment


def level(version, key, n):
    q = question(version, key)
    return q, services.AnswerValue(choice=q.choices.get(score=n * 25))


def test_adding_an_assessor_to_a_submitted_assessment_reopens_it(open_team, submitted):
    newcomer = UserFactory(username="newcomer")
    MembershipFactory(alliance=open_team.alliance, user=newcomer, role="contributor")
    assessors = [r.assessor for r in submitted.responses.all()] + [newcomer]
    services.assessment_set_assessors(
        assessment=submitted, assessors=assessors, by=open_team.users["manager"]
    )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT
    assert submitted.submitted_at is None
    assert submitted.responses.get(assessor=newcomer).status == Response.Status.DRAFT


def test_a_submitted_assessment_cannot_be_deleted(open_team, submitted):
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.assessment_delete(assessment=submitted, by=open_team.users["manager"])
    assert Assessment.objects.filter(pk=submitted.pk).exists()


def test_a_draft_assessment_is_deleted_only_by_those_who_run_assessments(open_team, version):
    draft = start(open_team, version)
    with pytest.raises(PermissionDenied):
        services.assessment_delete(assessment=draft, by=open_team.users["contributor"])
    services.assessment_delete(assessment=draft, by=open_team.users["manager"])
    assert not Assessment.objects.filter(pk=draft.pk).exists()


class TestAnswerGuards:
    """answer_save refuses every answer that is not the assessor's own, on their draft,
    for a question of this assessment, with a choice of that question."""

    @pytest.fixture
    def draft(self, open_team, version):
        assessment = start(open_team, version)
        return assessment, assessment.responses.get(assessor=open_team.users["contributor"])

    def save(self, response, q, value, user):
        return services.answer_save(response=response, question=q, value=value, by=user)

    def test_only_the_assessor_answers(self, open_team, version, draft):
        _, response = draft
        q, value = level(version, "A1", 3)
        with pytest.raises(PermissionDenied):
            self.save(response, q, value, open_team.users["manager"])
        assert not Answer.objects.exists()

    def test_an_assessor_no_longer_allowed_to_answer_is_refused(self, open_team, version, draft):
        _, response = draft
        alliance_services.membership_change_role(
            membership=open_team.member("contributor"), role="viewer", by=open_team.users["manager"]
        )
        q, value = level(version, "A1", 3)
        with pytest.raises(PermissionDenied):
            self.save(response, q, value, open_team.users["contributor"])
        assert not Answer.objects.exists()

    def test_a_submitted_response_is_locked(self, open_team, version, draft):
        _, response = draft
        answer_all(response, 2)
        submit(response)
        q, value = level(version, "A1", 4)
        with pytest.raises(ValidationError, match="submitted and locked"):
            self.save(response, q, value, open_team.users["contributor"])
        assert Answer.objects.get(response=response, question=q).choice.score == 50

    def test_a_question_of_another_bank_is_refused(self, open_team, version, draft):
        _, response = draft
        other = make_version(slug="other-bank")
        q, value = level(other, "A1", 3)
        with pytest.raises(ValidationError, match="not part of this questionnaire"):
            self.save(response, q, value, open_team.users["contributor"])

    def test_a_choice_of_another_question_is_refused(self, open_team, version, draft):
        _, response = draft
        q = question(version, "A1")
        _, foreign = level(version, "A2", 3)
        with pytest.raises(ValidationError, match="belongs to another question"):
            self.save(response, q, foreign, open_team.users["contributor"])

    def test_na_only_where_the_question_allows_it(self, open_team, version, draft):
        _, response = draft
        q = question(version, "A1")
        assert not q.allows_na
        with pytest.raises(ValidationError, match="cannot be answered N/A"):
            self.save(response, q, services.AnswerValue(is_na=True), open_team.users["contributor"])
        assert not Answer.objects.exists()


def test_saving_an_unchanged_answer_adds_no_history_row(open_team, version):
    """The fill page saves every answer of a section at once: the history lists real
    changes only, not the same answer again for each save."""
    response = start(open_team, version).responses.get(assessor=open_team.users["manager"])
    q, value = level(version, "A1", 3)
    for _ in range(3):
        services.answer_save(response=response, question=q, value=value, by=response.assessor)
    services.answers_save(response=response, values={q: value}, by=response.assessor)
    answer = Answer.objects.get(response=response, question=q)
    assert answer.history.count() == 1

    _, changed = level(version, "A1", 2)
    services.answer_save(response=response, question=q, value=changed, by=response.assessor)
    assert answer.history.count() == 2
    assert answer.history.latest().choice.score == 50
