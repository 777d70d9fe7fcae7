"""A knock-out finding reads as a sentence: its question's words once, the answer, no
doubled code or punctuation; the same words reach the findings list, the decision and
the brief. Results reconcile the median knock-out count with the findings."""

import re

import pytest
from django.urls import reverse

from assessments.models import Finding
from assessments.statements import finding_statement
from briefs.snapshot import build_snapshot
from decisions.selectors import alliance_decisions
from tests.assessment_factories import answer_all, give, make_version, start, submit

pytestmark = pytest.mark.django_db

QUESTION = "Question A1 is well evidenced"  # the factory's text, without its full stop


@pytest.fixture
def assessment(open_team):
    return start(open_team, make_version())  # A1 is a knock-out at level 1


def responses(assessment, team):
    return (
        assessment.responses.get(assessor=team.users["manager"]),
        assessment.responses.get(assessor=team.users["contributor"]),
    )


def test_a_knockout_answer_opens_a_finding_in_plain_words(open_team, assessment):
    _, theirs = responses(assessment, open_team)
    give(theirs, "A1", 1)
    finding = Finding.objects.get(assessment=assessment)
    assert finding.issue == f"{QUESTION} — answered “Weak (A1)”."
    assert finding.statement == finding.issue
    assert "A1 A1" not in f"A1 {finding.statement}"
    assert finding.statement.count(QUESTION) == 1
    assert not re.search(r"[.?!:]\s*[.?!:]|””|“.*“", finding.statement)


def test_an_issue_written_by_hand_keeps_its_question_once():
    assert finding_statement("S4", "Roadmap clear?", "Helios runs on Insight.") == (
        "Roadmap clear? — Helios runs on Insight."
    )
    # A finding opened before this wording (code, "knock-out:", the question) loses the prefix.
    legacy = "S4 S4 knock-out: Roadmap clear? — answered “Weak”."
    assert finding_statement("S4", "Roadmap clear?", legacy.removeprefix("S4 ")) == (
        "Roadmap clear? — answered “Weak”."
    )
    assert finding_statement("S4", "Roadmap clear?", "") == "Roadmap clear?"


def test_the_same_words_reach_the_findings_list_the_decision_and_the_brief(
    client, open_team, assessment
):
    mine, theirs = responses(assessment, open_team)
    answer_all(mine, 3)
    answer_all(theirs, {"A1": 0})
    submit(mine)
    submit(theirs)
    finding = Finding.objects.get(assessment=assessment)
    finding.classification = "showstopper"
    finding.save(update_fields=["classification"])  # a save: the decision's record is stale
    words = f"{QUESTION} — answered “None (A1)”."

    client.force_login(open_team.users["manager"])
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert f"A1</span> {words}" in page.replace("&quot;", '"')

    decision = alliance_decisions([open_team.alliance])[open_team.alliance.pk]
    assert decision.rationale == f"NO-GO: showstopper on A1 — {words}"
    assert f"A1 {words}" in decision.reasons[0].text

    snapshot, _ = build_snapshot(open_team.alliance)
    assert snapshot["findings"][0]["issue"] == words
    assert snapshot["decision"]["rationale"].endswith(words)


def test_results_say_why_no_knockout_on_the_median_can_sit_above_a_finding(
    client, open_team, assessment
):
    mine, theirs = responses(assessment, open_team)
    answer_all(mine, {"A1": 4})
    answer_all(theirs, {"A1": 1})  # the median of A1 is 2.5: no knock-out on the median
    submit(mine)
    submit(theirs)
    client.force_login(open_team.users["viewer"])
    response = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, assessment.pk])
    )
    html = response.content.decode()
    assert response.context["score"].knockouts == ()
    assert "Knock-outs on the median answer" in html
    assert "1 finding below: one assessor's answer at or below a knock-out level" in html
    assert "reads 0 while findings stand" in html
    # Jargon gone: no "≤ level", no "of the bank's weight".
    assert "≤ level" not in html
    assert "bank's weight" not in html


def test_results_name_the_question_a_median_knockout_falls_on(client, open_team, assessment):
    mine, theirs = responses(assessment, open_team)
    answer_all(mine, {"A1": 0})
    answer_all(theirs, {"A1": 1})
    submit(mine)
    submit(theirs)
    client.force_login(open_team.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, assessment.pk])
    ).content.decode()
    assert (
        'The median answer to <span class="fw-semibold">A1</span> “Question A1 is well '
        "evidenced.” is level 0.5, at or below its knock-out level of 1." in html
    )


def test_results_name_the_dont_know_questions_with_their_words(client, open_team, assessment):
    mine, theirs = responses(assessment, open_team)
    for response in (mine, theirs):
        answer_all(response, 3)
        give(response, "A2", dont_know=True)
        submit(response)
    client.force_login(open_team.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, assessment.pk])
    ).content.decode()
    assert "Missing (“don't know”)" in html
    assert '<span class="fw-semibold">A2</span> Question A2 is well evidenced.' in html
