"""Running an assessment: start, assessors, fill in (autosave and plain submit), submit,
reopen, findings, results and history."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Answer, Assessment, Finding, Response
from assessments.selectors import latest_submitted_assessments
from banks.models import BankVersion
from tests.assessment_factories import (
    answer_all,
    bank_editor,
    give,
    make_version,
    question,
    start,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return make_version()


@pytest.fixture
def assessment(open_team, version):
    return start(open_team, version)


def response_of(assessment, user):
    return assessment.responses.get(assessor=user)


def fill_url(assessment, response, d=None):
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, response.pk])
    return f"{url}?d={d}" if d else url


def answer_url(assessment, response, q):
    return reverse(
        "assessments:answer", args=[assessment.alliance.slug, assessment.pk, response.pk, q.pk]
    )


def level(q, n):
    return q.choices.get(score=n * 25).pk


def test_manager_starts_an_assessment_pinned_to_the_published_version(client, open_team, version):
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:start", args=[open_team.alliance.slug])
    form = client.get(url)
    assert b"Test fit (version 1)" in form.content
    response = client.post(
        url,
        {
            "version": version.pk,
            "title": "Fit before the MoU",
            "assessors": [open_team.users["manager"].pk, open_team.users["contributor"].pk],
        },
    )
    assessment = Assessment.objects.get(title="Fit before the MoU")
    assert response.url == assessment.get_absolute_url()
    assert assessment.version == version
    assert assessment.created_by == open_team.users["manager"]
    assert set(assessment.responses.values_list("assessor__username", flat=True)) == {
        "open-manager",
        "open-contributor",
    }


def test_start_refuses_a_draft_version_and_a_viewer_as_assessor(client, open_team, version):
    from banks.services import version_new_draft

    draft = version_new_draft(version=version, by=bank_editor())
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:start", args=[open_team.alliance.slug])
    response = client.post(
        url, {"version": draft.pk, "title": "x", "assessors": [open_team.users["viewer"].pk]}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "version" in form.errors
    assert "assessors" in form.errors
    assert not Assessment.objects.exists()


def test_an_answer_autosaves_and_returns_its_saved_state_with_the_progress(
    client, open_team, assessment
):
    manager = open_team.users["manager"]
    mine = response_of(assessment, manager)
    q = question(assessment.version, "A2")
    client.force_login(manager)
    response = client.post(
        answer_url(assessment, mine, q),
        {
            f"q{q.pk}-level": level(q, 3),
            f"q{q.pk}-comment": "Board paper <b>March</b>",
            f"q{q.pk}-evidence_url": "https://intranet.example/board",
            "d": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "✓ Saved" in html
    assert "1 of 6 answered" in html
    assert 'hx-swap-oob="true"' in html
    answer = Answer.objects.get(response=mine, question=q)
    assert answer.choice.score == 75
    assert answer.comment == "Board paper <b>March</b>"
    # Survives a reload, escaped.
    page = client.get(fill_url(assessment, mine)).content.decode()
    assert f'value="{answer.choice_id}" checked' in page
    assert "Board paper &lt;b&gt;March&lt;/b&gt;" in page


def test_without_javascript_the_section_saves_on_submit_and_moves_on(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = response_of(assessment, manager)
    questions = list(assessment.version.dimensions.first().questions.all())
    client.force_login(manager)
    data = {"d": "1", "go": "next"}
    for q in questions:
        data[f"q{q.pk}-level"] = level(q, 2)
        data[f"q{q.pk}-comment"] = ""
        data[f"q{q.pk}-evidence_url"] = ""
    response = client.post(fill_url(assessment, mine), data)
    assert response.status_code == 302
    assert response.url == fill_url(assessment, mine, 2)
    assert mine.answers.count() == len(questions)
    page = client.get(response.url).content.decode()
    assert f"{len(questions)} of 6 answered" in page


def test_one_bad_field_saves_nothing_on_the_page(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = response_of(assessment, manager)
    q1, q2 = list(assessment.version.dimensions.first().questions.all())[:2]
    client.force_login(manager)
    response = client.post(
        fill_url(assessment, mine),
        {
            "d": "1",
            f"q{q1.pk}-level": level(q1, 4),
            f"q{q2.pk}-level": level(q2, 4),
            f"q{q2.pk}-evidence_url": "not a link",
        },
    )
    assert response.status_code == 400
    assert "nothing on this page was saved" in response.content.decode()
    assert "Enter a valid URL" in response.content.decode()
    # Without JavaScript too, the refused link is marked on its field.
    assert (
        f'is-invalid" aria-invalid="true" type="url" id="q{q2.pk}-evidence_url"'
        in response.content.decode()
    )
    assert f'class="form-control form-control-sm" type="url" id="q{q1.pk}-evidence_url"' in (
        response.content.decode()
    )
    assert not mine.answers.exists()


def test_two_assessors_answer_the_same_question_without_overwriting(client, open_team, assessment):
    q = question(assessment.version, "A3")
    for role, n in (("manager", 4), ("contributor", 1)):
        user = open_team.users[role]
        client.force_login(user)
        mine = response_of(assessment, user)
        assert (
            client.post(
                answer_url(assessment, mine, q), {f"q{q.pk}-level": level(q, n)}
            ).status_code
            == 200
        )
    scores = dict(
        Answer.objects.filter(question=q).values_list(
            "response__assessor__username", "choice__score"
        )
    )
    assert scores == {"open-manager": 100, "open-contributor": 25}


def test_submit_lists_the_missing_required_questions_with_links(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = response_of(assessment, manager)
    give(mine, "A1", 3)
    give(mine, "A2", dont_know=True)  # an answer, though it counts as missing in the score
    client.force_login(manager)
    url = reverse("assessments:submit", args=[assessment.alliance.slug, assessment.pk, mine.pk])
    response = client.post(url)
    assert response.status_code == 400
    html = response.content.decode()
    a4 = question(assessment.version, "A4")
    assert "A3 — Question A3" in html
    assert "A2 — " not in html
    assert f"?d=2#q-{a4.pk}" in html
    mine.refresh_from_db()
    assert mine.status == Response.Status.DRAFT


def test_submitting_locks_the_response_and_the_last_one_submits_the_assessment(
    client, open_team, assessment
):
    manager, contributor = open_team.users["manager"], open_team.users["contributor"]
    mine, theirs = response_of(assessment, manager), response_of(assessment, contributor)
    answer_all(mine, 3)
    answer_all(theirs, 2)
    client.force_login(manager)
    submit_url = reverse(
        "assessments:submit", args=[assessment.alliance.slug, assessment.pk, mine.pk]
    )
    assert client.post(submit_url).url == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    q = question(assessment.version, "A2")
    locked = client.post(answer_url(assessment, mine, q), {f"q{q.pk}-level": level(q, 0)})
    assert locked.status_code == 400
    assert "submitted and locked" in locked.content.decode()

    submit(theirs)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert latest_submitted_assessments(open_team.alliance) == {"strategic_fit": assessment}


def test_manager_reopens_a_submitted_response_and_it_is_recorded(client, open_team, assessment):
    contributor = open_team.users["contributor"]
    theirs = response_of(assessment, contributor)
    answer_all(theirs, 2)
    submit(theirs)
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:reopen", args=[assessment.alliance.slug, assessment.pk, theirs.pk])
    assert b"Reopen this response?" in client.get(url).content
    client.post(url)
    theirs.refresh_from_db()
    assert theirs.status == Response.Status.DRAFT
    assert theirs.reopened_by == open_team.users["manager"]
    history = client.get(
        reverse("assessments:history", args=[assessment.alliance.slug, assessment.pk])
    ).content.decode()
    manager = open_team.users["manager"]
    assert escape(f"Reopened by {manager.get_full_name()}") in history
    assert "Submitted" in history


def test_a_knockout_opens_a_finding_that_the_manager_classifies(client, open_team, assessment):
    theirs = response_of(assessment, open_team.users["contributor"])
    give(theirs, "A1", 1)  # knock-out at level 1 or below
    finding = Finding.objects.get(assessment=assessment)
    assert finding.classification == Finding.Classification.UNCLASSIFIED
    assert finding.response == theirs
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:finding", args=[assessment.alliance.slug, assessment.pk, finding.pk])
    incomplete = client.post(url, {"classification": "manageable", "issue": finding.issue})
    assert incomplete.status_code == 200
    assert set(incomplete.context["form"].errors) == {"mitigation", "owner_user", "due_date"}
    client.post(
        url,
        {
            "classification": "manageable",
            "issue": finding.issue,
            "mitigation": "Joint roadmap review with Helios",
            "owner_user": open_team.users["contributor"].username,
            "due_date": "2026-03-31",
        },
    )
    finding.refresh_from_db()
    assert finding.classification == Finding.Classification.MANAGEABLE
    assert finding.due_date == datetime.date(2026, 3, 31)
    assert finding.owner_user == open_team.users["contributor"]
    assert finding.classified_by == open_team.users["manager"]
    alliance_page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Joint roadmap review with Helios" in alliance_page


def test_an_unclassified_finding_closes_when_the_answer_rises(open_team, assessment):
    theirs = response_of(assessment, open_team.users["contributor"])
    give(theirs, "A1", 0)
    assert Finding.objects.filter(assessment=assessment).exists()
    give(theirs, "A1", 3)
    assert not Finding.objects.filter(assessment=assessment).exists()


def test_results_show_scores_chart_findings_and_disagreements(client, open_team, assessment):
    mine = response_of(assessment, open_team.users["manager"])
    theirs = response_of(assessment, open_team.users["contributor"])
    answer_all(mine, {"A1": 4, "A2": 3, "A3": 3, "A4": 3, "A5": 3, "A6": 3})
    answer_all(theirs, {"A1": 1, "A2": 3, "A3": 3, "A4": 2, "A5": 3, "A6": 3})
    submit(mine)
    submit(theirs)
    client.force_login(open_team.users["viewer"])
    response = client.get(
        reverse("assessments:results", args=[assessment.alliance.slug, assessment.pk])
    )
    html = response.content.decode()
    score = response.context["score"]
    assert score.overall is not None
    assert f">{score.overall:.0f}<" in html
    assert "<svg" in html
    assert "GO ≥ 70" in html
    assert [d.key for d in score.disagreements] == ["A1"]
    assert "Where assessors disagree" in html
    assert "level 4 · " in html
    # The contributor's knock-out opened a finding, though the median triggers none.
    finding = Finding.objects.get(assessment=assessment)
    assert finding.issue in html
    assert "one assessor's answer at or below a knock-out level is enough" in html


def test_history_lists_every_change_to_an_answer(client, open_team, assessment):
    mine = response_of(assessment, open_team.users["manager"])
    give(mine, "A2", 1)
    give(mine, "A2", 3, comment="After the workshop")
    client.force_login(open_team.users["manager"])
    page = client.get(
        reverse("assessments:history", args=[assessment.alliance.slug, assessment.pk])
    )
    changes = list(page.context["changes"])
    assert [c.choice.score for c in changes] == [75, 25]
    assert "After the workshop" in page.content.decode()


def test_manager_adds_and_removes_assessors_but_keeps_those_who_answered(
    client, open_team, assessment
):
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:assessors", args=[assessment.alliance.slug, assessment.pk])
    give(response_of(assessment, open_team.users["contributor"]), "A2", 2)
    refused = client.post(url, {"assessors": [open_team.users["manager"].pk]})
    assert "has already answered" in refused.content.decode()
    assert assessment.responses.count() == 2
    client.post(url, {"assessors": [open_team.users["contributor"].pk]})
    assert list(assessment.responses.values_list("assessor__username", flat=True)) == [
        "open-contributor"
    ]


def test_a_draft_assessment_can_be_deleted_after_confirmation(client, open_team, assessment):
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:delete", args=[assessment.alliance.slug, assessment.pk])
    assert b"Delete this assessment?" in client.get(url).content
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    client.post(url)
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert BankVersion.objects.filter(pk=assessment.version_id).exists()


def test_the_assessments_tab_lists_assessments_with_fill_links(client, open_team, assessment):
    client.force_login(open_team.users["contributor"])
    page = client.get(reverse("assessments:list", args=[open_team.alliance.slug])).content.decode()
    mine = response_of(assessment, open_team.users["contributor"])
    assert fill_url(assessment, mine) in page
    assert "0 of 2 submitted" in page
