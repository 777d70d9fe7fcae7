"""Bad answers get a clear message and a 4xx, never a 500, and nothing is saved."""

import re

import pytest
from django.urls import reverse

from assessments.models import Answer
from banks import services as bank_services
from tests.assessment_factories import (
    answer_all,
    bank_editor,
    make_version,
    question,
    start,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, open_team):
    version = make_version(allows_na=("A3",))
    assessment = start(open_team, version)
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    client.force_login(open_team.users["manager"])
    return assessment, mine


def post_answer(client, assessment, response, question_id, data):
    url = reverse(
        "assessments:answer",
        args=[assessment.alliance.slug, assessment.pk, response.pk, question_id],
    )
    return client.post(url, data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("A2", lambda q, other: {f"q{q.pk}-level": other.choices.first().pk}, "Choose one of"),
        ("A2", lambda q, other: {f"q{q.pk}-level": "999999"}, "Choose one of the listed answers"),
        ("A2", lambda q, other: {f"q{q.pk}-level": "high"}, "Choose one of the listed answers"),
        ("A2", lambda q, other: {f"q{q.pk}-level": "na"}, "Choose one of the listed answers"),
        ("A2", lambda q, other: {f"q{q.pk}-comment": "x" * 2001}, "under 2000 characters"),
        (
            "A2",
            lambda q, other: {f"q{q.pk}-comment": "x" * 2001, f"q{q.pk}-evidence_url": "x"},
            "under 2000 characters",
        ),
    ],
)
def test_a_bad_answer_is_refused_with_a_message(client, setup, key, data, message):
    assessment, mine = setup
    q = question(assessment.version, key)
    other = question(assessment.version, "A3")
    response = post_answer(client, assessment, mine, q.pk, data(q, other))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_refused_evidence_link_alone_saves_nothing_and_says_so(client, setup):
    assessment, mine = setup
    q = question(assessment.version, "A2")
    data = {f"q{q.pk}-evidence_url": "javascript:alert(1)"}
    response = post_answer(client, assessment, mine, q.pk, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'data-refused-field="q{q.pk}-evidence_url"' in html
    assert "Evidence link not saved: Enter a valid URL." in html
    assert "Nothing else to save yet." in html
    assert not Answer.objects.exists()


def test_a_refused_evidence_link_keeps_the_level_and_comment_typed_with_it(client, setup):
    assessment, mine = setup
    q = question(assessment.version, "A2")
    good = "https://intranet.example/board"
    first = {f"q{q.pk}-comment": "Draft", f"q{q.pk}-evidence_url": good}
    assert post_answer(client, assessment, mine, q.pk, first).status_code == 200
    data = {
        f"q{q.pk}-level": q.choices.last().pk,
        f"q{q.pk}-comment": "Confirmed at the <b>March</b> board",
        f"q{q.pk}-evidence_url": "not a link",
        "d": "1",
    }
    response = post_answer(client, assessment, mine, q.pk, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Evidence link not saved: Enter a valid URL. The last saved link is kept." in html
    assert "✓ Your level and comment were saved at" in html
    assert re.search(r"\b1 of \d+ answered", html)  # the progress follows, out of band
    answer = Answer.objects.get()
    assert (answer.choice, answer.comment, answer.evidence_url) == (
        q.choices.last(),
        "Confirmed at the <b>March</b> board",
        good,
    )


def test_na_is_accepted_where_the_question_allows_it(client, setup):
    assessment, mine = setup
    q = question(assessment.version, "A3")
    assert post_answer(client, assessment, mine, q.pk, {f"q{q.pk}-level": "na"}).status_code == 200
    assert Answer.objects.get().is_na


def test_unknown_question_or_one_from_another_bank_is_404(client, setup):
    assessment, mine = setup
    other_bank = make_version(slug="other-bank")
    foreign = question(other_bank, "A1")
    assert post_answer(client, assessment, mine, 999999, {}).status_code == 404
    assert post_answer(client, assessment, mine, foreign.pk, {}).status_code == 404
    assert not Answer.objects.exists()


def test_another_assessors_response_is_404_and_untouched(client, open_team, setup):
    assessment, _ = setup
    theirs = assessment.responses.get(assessor=open_team.users["contributor"])
    q = question(assessment.version, "A2")
    response = post_answer(
        client, assessment, theirs, q.pk, {f"q{q.pk}-level": q.choices.first().pk}
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_an_answer_to_a_retired_version_is_refused(client, setup):
    assessment, mine = setup
    draft = bank_services.version_new_draft(version=assessment.version, by=bank_editor())
    bank_services.version_publish(version=draft, by=bank_editor())
    q = question(assessment.version, "A2")
    response = post_answer(client, assessment, mine, q.pk, {f"q{q.pk}-level": q.choices.first().pk})
    assert response.status_code == 400
    assert "retired version" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_to_a_submitted_response_is_refused(client, setup):
    assessment, mine = setup
    answer_all(mine, 2)
    submit(mine)
    q = question(assessment.version, "A2")
    before = Answer.objects.get(response=mine, question=q).choice_id
    response = post_answer(client, assessment, mine, q.pk, {f"q{q.pk}-level": q.choices.first().pk})
    assert response.status_code == 400
    assert Answer.objects.get(response=mine, question=q).choice_id == before


@pytest.mark.parametrize("section", ["0", "3", "99999999999999999999"])
def test_an_unknown_section_is_404(client, setup, section):
    assessment, mine = setup
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, mine.pk])
    assert client.get(url, {"d": section}).status_code == (404 if len(section) < 19 else 400)


@pytest.mark.parametrize("section", ["abc", "-1", "²", "1.0"])
def test_a_section_that_is_not_a_number_is_a_400_with_a_message(client, setup, section):
    assessment, mine = setup
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, mine.pk])
    response = client.get(url, {"d": section})
    assert response.status_code == 400
    assert "must be a whole number" in response.content.decode()


def test_an_assessment_of_another_alliance_is_404(client, open_team, setup):
    from tests.conftest import make_team

    other = make_team(confidential=False, prefix="other")
    assessment, _ = setup
    url = reverse("assessments:detail", args=[other.alliance.slug, assessment.pk])
    assert client.get(url).status_code == 404


def test_my_response_under_another_alliance_i_answer_for_is_404(client, open_team, setup):
    from alliances.models import Membership
    from tests.conftest import make_team

    other = make_team(confidential=False, prefix="other")
    assessment, mine = setup
    Membership.objects.create(
        alliance=other.alliance, user=mine.assessor, role=Membership.Role.CONTRIBUTOR
    )
    args = [other.alliance.slug, assessment.pk, mine.pk]
    assert client.get(reverse("assessments:fill", args=args)).status_code == 404
    a1 = question(assessment.version, "A1")
    answer = reverse("assessments:answer", args=[*args, a1.pk])
    assert client.post(answer, {f"q{a1.pk}-level": "na"}).status_code == 404
    assert not Answer.objects.exists()


def test_a_title_over_the_limit_is_a_form_error(client, open_team, setup):
    assessment, _ = setup
    response = client.post(
        reverse("assessments:start", args=[open_team.alliance.slug]),
        {
            "version": assessment.version_id,
            "title": "t" * 201,
            "assessors": [open_team.users["manager"].pk],
        },
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
