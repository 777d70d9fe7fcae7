"""Reassessment rounds: a new round after a submitted assessment, on the bank's latest
published version; the decision uses the latest submitted round; earlier rounds stay;
rounds on different versions are compared by key, and what cannot be compared is said."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, ReassessmentInterval
from assessments.round_selectors import reassessment_statuses, round_comparison
from assessments.rounds import LastRound, add_months, reassessment_status
from assessments.selectors import assessment_score
from decisions.selectors import alliance_decision
from tests.assessment_factories import answer_all, make_bank_data, make_version, start, submit

pytestmark = pytest.mark.django_db


def submitted_round(team, version, level, assessors=("manager",)):
    assessment = start(team, version, assessors=assessors)
    for response in assessment.responses.all():
        answer_all(response, level)
        submit(response)
    assessment.refresh_from_db()
    return assessment


def reassess(team, assessment, level=None):
    new_round = services.assessment_reassess(
        assessment=assessment, by=team.users["manager"], title="Round two"
    )
    if level is not None:
        for response in new_round.responses.all():
            answer_all(response, level)
            submit(response)
        new_round.refresh_from_db()
    return new_round


def test_the_decision_uses_the_latest_submitted_round_and_the_earlier_stays(open_team):
    version = make_version(knockouts={})
    first = submitted_round(open_team, version, 4)
    first_score = assessment_score(first).overall
    assert "Strategic fit scores 100" in str(alliance_decision(open_team.alliance).reasons)

    second = reassess(open_team, first)
    assert second.previous == first
    assert second.version == version
    # In progress, the new round changes nothing yet.
    assert "Strategic fit scores 100" in str(alliance_decision(open_team.alliance).reasons)

    for response in second.responses.all():
        answer_all(response, 1)
        submit(response)
    reasons = str(alliance_decision(open_team.alliance).reasons)
    assert "Strategic fit scores 25" in reasons
    first.refresh_from_db()
    assert first.is_submitted
    assert assessment_score(first).overall == first_score == 100


def test_reassess_is_for_managers_only_and_only_after_submission(open_team):
    version = make_version(knockouts={})
    draft = start(open_team, version, assessors=("manager",))
    with pytest.raises(ValidationError, match="Only a submitted assessment"):
        services.assessment_reassess(assessment=draft, by=open_team.users["manager"])
    answer_all(draft.responses.get(), 3)
    submit(draft.responses.get())
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.assessment_reassess(assessment=draft, by=open_team.users["contributor"])
    reassess(open_team, draft)
    with pytest.raises(ValidationError, match="already in progress"):
        services.assessment_reassess(assessment=draft, by=open_team.users["manager"])
    assert Assessment.objects.filter(alliance=open_team.alliance).count() == 2


def test_reassess_page_asks_first_then_starts_the_round(client, open_team):
    version = make_version(knockouts={})
    first = submitted_round(open_team, version, 3)
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:reassess", args=[open_team.alliance.slug, first.pk])
    page = client.get(url)
    assert "Start a new round?" in page.content.decode()
    assert Assessment.objects.count() == 1
    response = client.post(url, {"title": "Fit check 2027"})
    new_round = Assessment.objects.get(title="Fit check 2027")
    assert response.status_code == 302
    assert response["Location"] == new_round.get_absolute_url()
    assert new_round.previous == first
    detail = client.get(first.get_absolute_url()).content.decode()
    assert "Followed by" in detail
    assert "Fit check 2027" in detail


def test_each_question_shows_the_previous_answer_without_prefilling(client, open_team):
    version = make_version(knockouts={})
    first = submitted_round(open_team, version, 3, assessors=("manager", "contributor"))
    second = reassess(open_team, first)
    response = second.responses.get(assessor=open_team.users["manager"])
    client.force_login(open_team.users["manager"])
    page = client.get(
        reverse("assessments:fill", args=[open_team.alliance.slug, second.pk, response.pk])
    )
    html = page.content.decode()
    assert "Previous round (“Fit check”):" in html
    assert "3 — Largely (A1)" in html
    assert "(median of 2 assessors)" in html
    assert " checked" not in html  # nothing pre-filled
    assert not response.answers.exists()


def test_a_round_on_a_newer_version_is_compared_by_key_and_says_what_cannot_be(client, open_team):
    old = make_version(knockouts={}, n_questions=6)
    first = submitted_round(open_team, old, 2)
    data = make_bank_data(knockouts={}, n_questions=6, number=2)
    data.dimensions[1].questions.pop()  # A6 goes
    data.dimensions[1].name = "Renamed dimension"
    new = make_version_from(data)
    second = reassess(open_team, first, level=3)
    assert second.version == new

    comparison = round_comparison(second)
    assert comparison.overall.before == 50
    assert comparison.overall.after == 75
    assert comparison.overall.rose
    assert [c.key for c in comparison.dimensions] == ["Dimension 1"]
    notes = " ".join(comparison.not_comparable)
    assert "Dimension “Renamed dimension” is new in this round" in notes
    assert "Dimension “Dimension 2” of the previous round is no longer in the bank" in notes
    assert "Question A6 of the previous round is no longer in the bank" in notes
    assert {c.key for c in comparison.questions} == {"A1", "A2", "A3", "A4", "A5"}

    client.force_login(open_team.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, second.pk])
    ).content.decode()
    assert "Since the previous round" in html
    assert "What cannot be compared" in html
    assert "Question A6 of the previous round is no longer in the bank." in html


def make_version_from(data):
    from banks.services import bank_import

    return bank_import(data=data)


# ---------------------------------------------------------------- due


def test_due_computation_by_stage_interval_and_round_in_progress():
    last = LastRound("strategic_fit", "Strategic fit", "Fit", date(2025, 1, 31))
    today = date(2026, 1, 31)
    launched = reassessment_status(stage="launched", rounds=[last], today=today)
    assert launched.months == 12
    assert [d.due_on for d in launched.due] == [date(2026, 1, 31)]
    early = reassessment_status(stage="launched", rounds=[last], today=today - timedelta(days=1))
    assert not early.is_due
    assert early.next_due == date(2026, 1, 31)
    assert not reassessment_status(stage="exploring", rounds=[last], today=today).is_due
    own = reassessment_status(
        stage="exploring", rounds=[last], today=today, overrides={"exploring": 6}
    )
    assert own.months == 6
    assert own.due[0].due_on == date(2025, 7, 31)
    never = reassessment_status(
        stage="launched", rounds=[last], today=today, overrides={"launched": 0}
    )
    assert not never.is_due
    busy = LastRound("strategic_fit", "Strategic fit", "Fit", date(2025, 1, 31), True)
    assert not reassessment_status(stage="launched", rounds=[busy], today=today).is_due
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_alliance_list_shows_reassessment_due_and_intervals_can_change_it(client, open_team):
    alliance = open_team.alliance
    alliance.stage = "launched"
    alliance.save()
    version = make_version(knockouts={})
    first = submitted_round(open_team, version, 3)
    Assessment.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    assert reassessment_statuses([alliance])[alliance.pk].is_due
    client.force_login(open_team.users["viewer"])
    assert "reassessment due" in client.get(reverse("alliances:list")).content.decode()

    client.force_login(open_team.users["manager"])
    url = reverse("assessments:intervals", args=[alliance.slug])
    assert client.post(url, {"launched": "99"}).status_code == 400
    assert client.post(url, {"launched": "24"}).status_code == 302
    assert ReassessmentInterval.objects.get(alliance=alliance, stage="launched").months == 24
    assert "reassessment due" not in client.get(reverse("alliances:list")).content.decode()
    client.force_login(open_team.users["contributor"])
    assert client.post(url, {"launched": "1"}).status_code == 403


def test_reassessing_a_round_in_progress_is_a_400_that_says_why(client, open_team):
    draft = start(open_team, make_version(knockouts={}), assessors=("manager",))
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:reassess", args=[open_team.alliance.slug, draft.pk])
    assert "submit this round first" in client.get(url).content.decode()
    response = client.post(url, {"title": "Too early"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Only a submitted assessment can be reassessed" in html
    assert Assessment.objects.count() == 1


def test_a_bad_title_while_a_round_is_in_progress_still_says_why(client, open_team):
    version = make_version(knockouts={})
    first = submitted_round(open_team, version, 3)
    reassess(open_team, first)
    client.force_login(open_team.users["manager"])
    url = reverse("assessments:reassess", args=[open_team.alliance.slug, first.pk])
    response = client.post(url, {"title": "x" * 300})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Assessment.objects.count() == 2
