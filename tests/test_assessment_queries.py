"""The fill page and an answer save run a fixed number of queries, whatever the bank's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessment_factories import invite_partner, make_version, question, start

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
# The knock-out save opens a finding and looks up the managers to tell of it.
SAVE_MAX_QUERIES = 14


def measure(client, team, n_questions):
    version = make_version(slug=f"bank-{n_questions}", n_questions=n_questions, n_dimensions=5)
    assessment = start(team, version, title=f"Size {n_questions}")
    mine = assessment.responses.get(assessor=team.users["manager"])
    fill = reverse("assessments:fill", args=[team.alliance.slug, assessment.pk, mine.pk])
    knockout = question(version, "A1")  # the costliest save: it opens a finding
    answer = reverse(
        "assessments:answer", args=[team.alliance.slug, assessment.pk, mine.pk, knockout.pk]
    )
    with CaptureQueriesContext(connection) as page:
        assert client.get(fill).status_code == 200
    data = {f"q{knockout.pk}-level": knockout.choices.get(score=0).pk}
    with CaptureQueriesContext(connection) as save:
        response = client.post(answer, data)
        assert response.status_code == 200
    assert assessment.findings.count() == 1
    return len(page), len(save)


def test_fill_page_and_answer_save_queries_do_not_grow_with_the_bank(client, open_team):
    client.force_login(open_team.users["manager"])
    counts = {n: measure(client, open_team, n) for n in (10, 60, 200)}
    assert len(set(counts.values())) == 1, counts
    page, save = counts[10]
    assert page <= MAX_QUERIES
    assert save <= SAVE_MAX_QUERIES


def test_results_page_queries_do_not_grow_with_the_bank(client, open_team):
    from tests.assessment_factories import answer_all, submit

    client.force_login(open_team.users["manager"])
    counts = []
    for n in (10, 60):
        version = make_version(slug=f"bank-{n}", n_questions=n, n_dimensions=5)
        assessment = start(open_team, version, title=f"Size {n}")
        for response in assessment.responses.all():
            answer_all(response, 2)
            submit(response)
        url = reverse("assessments:results", args=[open_team.alliance.slug, assessment.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_the_partners_fill_page_and_answer_save_do_not_grow_with_the_bank(client, open_team):
    counts = {}
    for n in (10, 60):
        version = make_version(slug=f"mutual-{n}", kind="mutual_fit", n_questions=n)
        assessment = start(open_team, version, title=f"Both sides {n}")
        token = f"query-count-link-{n}-0123456789abcdefghij"
        invite_partner(assessment, by=open_team.users["manager"], token=token)
        asked = question(version, "A1")
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("partner:fill", args=[token])).status_code == 200
        data = {f"q{asked.pk}-level": asked.choices.get(score=50).pk}
        with CaptureQueriesContext(connection) as save:
            response = client.post(reverse("partner:answer", args=[token, asked.pk]), data)
            assert response.status_code == 200
        counts[n] = (len(page), len(save))
    assert counts[10] == counts[60], counts
    assert max(counts[10]) <= MAX_QUERIES
