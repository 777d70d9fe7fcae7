"""What changed since the previous round, everywhere a reassessment is read: the brief
says what improved and fell most, the knock-outs reached and cleared and the conditions
met in between (the PDF read back); the results workbook compares the rounds sheet by
sheet (read back with openpyxl); and a two-sided round says how each dimension's
perception gap moved, on the results page and in the brief."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments import services
from assessments.models import Assessment, Finding
from assessments.partner import services as partner_services
from assessments.perception import PerceptionComparison, SideBySide, gap_moves
from assessments.rounds import ClosedCondition, met_between
from banks.models import Choice, Question
from briefs import services as brief_services
from briefs import worker
from decisions.models import TrackedCondition
from tests.assessment_factories import answer_all, invite_partner, make_version, start, submit

pytestmark = pytest.mark.django_db

FIRST_ROUND_DAYS_AGO = 100
MET_IN_BETWEEN = "Exclusivity clause waived in writing by the partner's counsel."
MET_BEFORE = "An older condition settled before the first round."
TRACKED_MET = "Name an executive sponsor on our side (done in between)."


def submitted_round(team, version, levels, *, previous=None, days_ago=0):
    """A round answered by the manager at `levels` (0–4 by key, 2 elsewhere) and submitted
    `days_ago` days ago; after `previous` when given (a reassessment)."""
    if previous is None:
        assessment = start(team, version, assessors=("manager",), title="Fit 2025")
    else:
        assessment = services.assessment_reassess(
            assessment=previous, by=team.users["manager"], title="Fit 2026"
        )
    response = assessment.responses.get()
    answer_all(response, levels)
    submit(response)
    if days_ago:
        then = timezone.now() - timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=then)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def reassessed(open_team):
    """Strategic fit in two rounds, 100 days apart: A1 rose from a knock-out (0) to 3, A2
    fell from 4 to 1, A4 fell to a knock-out; A1's finding, a condition, was met 50 days
    ago, a tracked condition 20 days ago, another condition before the first round."""
    manager = open_team.users["manager"]
    version = make_version(slug="fit", knockouts={"A1": 1, "A4": 1})
    first = submitted_round(
        open_team, version, {"A1": 0, "A2": 4, "A4": 3}, days_ago=FIRST_ROUND_DAYS_AGO
    )
    finding = first.findings.select_related("assessment__alliance").get(question__key="A1")
    finding.classification = Finding.Classification.MANAGEABLE
    finding.issue = MET_IN_BETWEEN
    finding.mitigation = "Ask the partner's counsel."
    finding.owner_user = manager
    finding.due_date = timezone.localdate()
    services.finding_classify(finding=finding, by=manager)
    services.condition_update(
        finding=finding,
        status=Finding.ConditionStatus.DONE,
        by=manager,
        note="Signed.",
        done_on=timezone.localdate() - timedelta(days=50),
    )
    TrackedCondition.objects.create(
        alliance=open_team.alliance,
        key="sponsor:ours",
        source=TrackedCondition.Source.SPONSOR,
        text=TRACKED_MET,
        status=TrackedCondition.Status.MET,
        status_on=timezone.localdate() - timedelta(days=20),
    )
    TrackedCondition.objects.create(
        alliance=open_team.alliance,
        key="gap:old",
        source=TrackedCondition.Source.GAP,
        text=MET_BEFORE,
        status=TrackedCondition.Status.MET,
        status_on=timezone.localdate() - timedelta(days=FIRST_ROUND_DAYS_AGO + 5),
    )
    open_team.first = first
    open_team.second = submitted_round(
        open_team, version, {"A1": 3, "A2": 1, "A4": 0}, previous=first
    )
    return open_team


def brief_text(team) -> tuple[dict, str]:
    """The alliance's brief now: its snapshot, and the PDF's text (whitespace folded)."""
    brief, _ = brief_services.brief_request(alliance=team.alliance, by=team.users["manager"])
    reader = PdfReader(io.BytesIO(worker.brief_pdf(brief)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    # A hyphenated word broken across lines comes back as "Knock- outs".
    return brief.snapshot, re.sub(r"(\w)- (\w)", r"\1-\2", text)


def test_the_brief_says_what_moved_most_the_knock_outs_and_the_conditions_met_between(
    reassessed,
):
    _snapshot, text = brief_text(reassessed)
    # The round's day where the reader is: 100 days back may cross a summer-time change.
    first_on = timezone.localtime(reassessed.first.submitted_at).strftime("%-d %b %Y")
    part = text[text.index("Since the previous round") :]
    assert part.startswith(
        f"Since the previous round Strategic fit against the round of {first_on}: Overall "
    )
    # Largest rise first: A1 from 0 to 75; largest fall first: A2 from 100 to 25. Each
    # question by its code and its first words.
    assert "Improved most: A1 Question A1 is well evidenced 0 → 75 (+75)" in part
    assert "Fell most: A2 Question A2 is well evidenced 100 → 25 (-75)" in part
    assert "Knock-outs newly reached: A4 Question A4 is well evidenced." in part
    assert "Knock-outs cleared: A1 Question A1 is well evidenced." in part
    # Conditions met between the rounds: the finding's and the tracked one, not the older.
    day = {n: (timezone.localdate() - timedelta(days=n)).strftime("%-d %b %Y") for n in (20, 50)}
    assert (
        "Conditions met in between: Question A1 is well evidenced — Exclusivity clause waived "
        f"in writing by… (met {day[50]}); {TRACKED_MET.rstrip('.')} (met {day[20]})." in part
    ), part
    assert "An older condition" not in text
    assert "page 2 of 2" in text


def test_a_first_round_brief_has_no_since_previous_part_and_its_snapshot_no_key(open_team):
    version = make_version(slug="fit", knockouts={})
    submitted_round(open_team, version, 3)
    snapshot, text = brief_text(open_team)
    assert "since_previous" not in snapshot
    assert "Since the previous round" not in text


def test_the_results_workbook_compares_the_round_with_the_previous_one(client, reassessed):
    client.force_login(reassessed.users["viewer"])
    url = reverse(
        "assessments:export_results",
        args=[reassessed.alliance.slug, reassessed.second.pk, "xlsx"],
    )
    response = client.get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Since the previous round"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Scope", "Key", "Name", "Previous", "Now", "Change"]
    by_name = {(r[0], r[2]): r[3:] for r in rows[1:]}
    # Dimension 1 holds A1–A3 (weights 1, 2, 3): (0 + 2×100 + 3×50) / 6 then (75 + 50 + 150) / 6.
    assert by_name["Dimension", "Dimension 1"] == [58.3, 45.8, -12.5]
    assert by_name["Question", "Question A1 is well evidenced."] == [0, 75, 75]
    assert by_name["Question", "Question A2 is well evidenced."] == [100, 25, -75]
    assert by_name["Question", "Question A3 is well evidenced."] == [50, 50, 0]
    assert ("Overall", "Overall") in by_name
    assert {r[1] for r in rows[1:] if r[0] == "Question"} == {f"A{n}" for n in range(1, 7)}
    overview = {r[0].value: r[1].value for r in workbook["Overview"].iter_rows()}
    assert overview["Previous round"] == "Fit 2025"

    # A first round's workbook has no such sheet.
    first = reverse(
        "assessments:export_results",
        args=[reassessed.alliance.slug, reassessed.first.pk, "xlsx"],
    )
    workbook = load_workbook(io.BytesIO(b"".join(client.get(first).streaming_content)))
    assert "Since the previous round" not in workbook.sheetnames


def test_the_results_page_names_the_knock_outs_reached_and_cleared(client, reassessed):
    client.force_login(reassessed.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[reassessed.alliance.slug, reassessed.second.pk])
    ).content.decode()
    assert 'id="since-previous-knockouts"' in html
    assert 'Knock-out reached: <span class="fw-semibold">A4</span>' in html
    assert 'Knock-out cleared: <span class="fw-semibold">A1</span>' in html


# ---------------------------------------------------------------- two-sided


def _partner_round(assessment, manager, levels, token):
    """One partner contact answers every question of `assessment` at `levels` and submits."""
    invitation = invite_partner(assessment, by=manager, token=token)
    for question in Question.objects.filter(dimension__version=assessment.version):
        level = levels[question.dimension.name]
        choice = Choice.objects.get(question=question, score=level * 25)
        partner_services.partner_answer_save(
            invitation=invitation, question=question, value=services.AnswerValue(choice=choice)
        )
    partner_services.invitation_opened(invitation=invitation)
    partner_services.partner_submit(invitation=invitation)


@pytest.fixture
def two_sided_rounds(open_team):
    """A mutual fit in two rounds; we score every question 4 both times. The partner saw
    Dimension 1 at 2 (50 points apart) then 3 (25), Dimension 2 at 4 (0) then 2 (50)."""
    manager = open_team.users["manager"]
    version = make_version(slug="mutual", kind="mutual_fit", knockouts={})
    first = submitted_round(open_team, version, 4, days_ago=60)
    _partner_round(first, manager, {"Dimension 1": 2, "Dimension 2": 4}, "first-round-token")
    second = submitted_round(open_team, version, 4, previous=first)
    _partner_round(second, manager, {"Dimension 1": 3, "Dimension 2": 2}, "second-round-token")
    open_team.second = second
    return open_team


NARROWED = "The Dimension 1 gap narrowed from 50 to 25 points."
WIDENED = "The Dimension 2 gap widened from 0 to 50 points. Now a perception gap."


def test_a_two_sided_round_says_how_each_perception_gap_moved_on_the_results_page(
    client, two_sided_rounds
):
    client.force_login(two_sided_rounds.users["viewer"])
    html = client.get(
        reverse(
            "assessments:results", args=[two_sided_rounds.alliance.slug, two_sided_rounds.second.pk]
        )
    ).content.decode()
    assert 'id="gap-moves"' in html
    assert NARROWED in html
    assert WIDENED in html


def test_a_two_sided_round_says_how_each_perception_gap_moved_in_the_brief(two_sided_rounds):
    snapshot, text = brief_text(two_sided_rounds)
    part = text[text.index("Since the previous round") :]
    assert NARROWED in part
    assert WIDENED in part
    assert snapshot["since_previous"]["rounds"][0]["gaps"] == [NARROWED, WIDENED]


def test_no_gap_move_while_the_partner_side_of_the_new_round_is_blind(client, open_team):
    version = make_version(slug="mutual", kind="mutual_fit", knockouts={})
    first = submitted_round(open_team, version, 4, days_ago=60)
    _partner_round(first, open_team.users["manager"], {"Dimension 1": 2, "Dimension 2": 4}, "t1")
    second = submitted_round(open_team, version, 4, previous=first)
    client.force_login(open_team.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, second.pk])
    ).content.decode()
    assert "Since the previous round" in html
    assert 'id="gap-moves"' not in html


# ---------------------------------------------------------------- pure


def test_gap_moves_match_dimensions_by_name_and_round_as_shown():
    before = PerceptionComparison(
        (SideBySide("Gov", 90, 40), SideBySide("Reach", 50, 50.4), SideBySide("Old", 1, 2)), (), 20
    )
    after = PerceptionComparison(
        (SideBySide("Gov", 70, 50), SideBySide("Reach", 50, 49.6), SideBySide("New", 1, None)),
        (),
        20,
    )
    gov, reach = gap_moves(before, after)
    assert (gov.before, gov.after, gov.direction, gov.was_gap, gov.is_gap) == (
        50,
        20,
        "narrowed",
        True,
        False,
    )
    assert (reach.before, reach.after, reach.direction) == (0, 0, "unchanged")


def test_conditions_met_between_include_both_submission_days():
    since, until = date(2026, 1, 10), date(2026, 4, 10)
    rows = [
        ClosedCondition("before", "met", date(2026, 1, 9)),
        ClosedCondition("first day", "met", since),
        ClosedCondition("last day", "waived", until),
        ClosedCondition("after", "met", date(2026, 4, 11)),
    ]
    assert [c.text for c in met_between(rows, since=since, until=until)] == [
        "first day",
        "last day",
    ]
