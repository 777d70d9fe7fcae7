"""A released version's questions are read once per process and language
(banks/sections.py); a draft's are read afresh, and what a request sets on its
questions stays with that request."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import selectors
from banks.models import Dimension, Question
from banks.sections import version_sections
from tests.assessment_factories import give, make_version, start
from tests.test_bank_translations import parse, translated_document

pytestmark = pytest.mark.django_db


def question_texts(version) -> list[str]:
    return [q.text for section in version_sections(version) for q in section.questions]


def test_a_released_version_is_read_once_per_language(django_assert_num_queries):
    from banks.services import bank_import

    version = bank_import(data=parse(translated_document()))
    with translation.override("en"), django_assert_num_queries(3):
        english = question_texts(version)
    with translation.override("en"), django_assert_num_queries(0):
        assert question_texts(version) == english
    with translation.override("de"), django_assert_num_queries(3):
        german = question_texts(version)
    assert "Serves a named objective." in english
    assert "Dient einem benannten Ziel." in german


def test_a_draft_is_read_afresh():
    version = make_version(status="draft", n_questions=2, n_dimensions=1)
    assert len(question_texts(version)) == 2
    Question.objects.create(
        dimension=Dimension.objects.get(version=version), key="A3", text="Added", order=3
    )
    assert question_texts(version)[-1] == "Added"


def test_what_a_request_sets_on_a_question_stays_with_it(open_team):
    assessment = start(open_team, make_version(n_questions=4, n_dimensions=2))
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    theirs = assessment.responses.get(assessor=open_team.users["contributor"])
    give(mine, "A1", 3)

    my_answers = selectors.response_answers(mine)
    their_answers = selectors.response_answers(theirs)
    my_first = selectors.fill_dimensions(assessment.version, my_answers)[0]
    their_first = selectors.fill_dimensions(assessment.version, their_answers)[0]
    assert (my_first.answered_count, their_first.answered_count) == (1, 0)
    mine_a1 = selectors.dimension_questions(my_first, my_answers)[0]
    theirs_a1 = selectors.dimension_questions(their_first, their_answers)[0]
    assert mine_a1.my_answer is not None
    assert theirs_a1.my_answer is None
    # A related object set on a copy goes to the copy's own cache, not the kept one's.
    mine_a1.dimension = Dimension(name="Only this request's")
    kept_a1 = version_sections(assessment.version)[0].questions[0]
    assert kept_a1.dimension.name != "Only this request's"


def test_a_second_visit_of_the_fill_page_reads_no_question_or_choice(client, open_team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessment = start(open_team, make_version(n_questions=10, n_dimensions=2))
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:fill", args=[open_team.alliance.slug, assessment.pk, mine.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    tables = " ".join(q["sql"].split(" WHERE ")[0] for q in queries.captured_queries)
    assert '"assessments_question"' not in tables
    assert '"assessments_choice"' not in tables
    a1 = Question.objects.get(dimension__version=assessment.version, key="A1")
    assert f'name="q{a1.pk}-level" id="q{a1.pk}-c{a1.choices.first().pk}"' in page
