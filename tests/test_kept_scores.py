"""A submitted round's scores are kept in the shared cache (pages read them again and
again; only a reopening changes them): kept scores are read in one query, and whatever
changes them (a reopening and a new submission, an assessor's new name) is scored again."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Assessment
from assessments.selectors import assessment_scores
from tests.assessment_factories import answer_all, give, make_version, start, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_team):
    assessment = start(open_team, make_version(n_questions=4))
    for response in assessment.responses.all():
        answer_all(response, 3)
        submit(response)
    return Assessment.objects.get(pk=assessment.pk)


def scores_of(assessment):
    with CaptureQueriesContext(connection) as queries:
        score = assessment_scores([Assessment.objects.get(pk=assessment.pk)])[assessment.pk]
    return score, len(queries) - 1  # the fetch of the assessment above is the test's


def test_a_submitted_round_is_scored_once_then_read_in_one_query(submitted):
    cache.clear()  # the submission's recheck scored it already
    first, cold = scores_of(submitted)
    again, warm = scores_of(submitted)
    assert again == first
    assert warm == 1 < cold  # the responses (who answered under which name), no more


def test_a_reopened_and_resubmitted_round_is_scored_again(submitted, open_team):
    before, _ = scores_of(submitted)
    response = submitted.responses.get(assessor=open_team.users["contributor"])
    services.response_reopen(response=response, by=open_team.users["manager"])
    response.refresh_from_db()
    give(response, "A1", 0)
    submit(response)
    after, _ = scores_of(submitted)
    assert after.overall < before.overall


def test_an_assessors_new_name_is_in_the_scores(submitted, open_team):
    scores_of(submitted)
    contributor = open_team.users["contributor"]
    contributor.first_name, contributor.last_name = "Renamed", "Assessor"
    contributor.save()
    after, _ = scores_of(submitted)
    assert "Renamed Assessor" in after.assessors
