"""Exports and the API carry what the screen shows: a condition's owner (the team member
picked), due date, status and what was done; a two-sided assessment's partner answers
beside ours and its perception gap per dimension; and the day each score's round was
submitted. On the demo (tests/conftest.py: seeded once for the module)."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from api.services import token_create
from assessments import selectors, services
from assessments.demo import AURORA, COBALT_CONTACT, COBALT_MUTUAL_THEIRS
from assessments.models import Assessment, Finding
from assessments.partner import services as partner_services

pytestmark = pytest.mark.django_db

MAYA = "Maya Patel"  # the demo's manager, who owns Aurora's P8


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


@pytest.fixture
def manager(demo):
    return get_user_model().objects.get(username="manager")


@pytest.fixture
def p8(demo):
    return Finding.objects.select_related("assessment").get(
        assessment__alliance__slug=AURORA, question__key="P8"
    )


@pytest.fixture
def p8_a_condition(manager, p8):
    """Aurora without its showstopper (S4 now manageable): P8 is a condition of the
    decision, not only a finding."""
    s4 = Finding.objects.get(assessment__alliance__slug=AURORA, question__key="S4")
    s4.classification = Finding.Classification.MANAGEABLE
    s4.owner_user, s4.due_date = manager, timezone.localdate() + datetime.timedelta(days=30)
    s4.mitigation = s4.mitigation or "Keep Northwind Insight for Helios's customers."
    services.finding_classify(finding=s4, by=manager)
    return p8


@pytest.fixture
def mutual(demo):
    """Cobalt's two-sided assessment: both sides have submitted."""
    return Assessment.objects.select_related("alliance__partner", "version").get(
        title="Mutual fit — both sides' view"
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheets_of(response) -> dict[str, list[dict]]:
    """Each sheet's rows as dicts by header."""
    workbook = load_workbook(io.BytesIO(body(response)))
    sheets = {}
    for sheet in workbook.worksheets:
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        sheets[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return sheets


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def submitted_day(assessment) -> datetime.date:
    return timezone.localdate(assessment.submitted_at)


def findings_url(slug, fmt):
    return reverse("decisions:export_findings", args=[slug, fmt])


def assessment_url(name, assessment, fmt):
    return reverse(f"assessments:{name}", args=[assessment.alliance.slug, assessment.pk, fmt])


def at_midnight(day: datetime.date) -> datetime.datetime:
    """A date as openpyxl reads it back."""
    return datetime.datetime.combine(day, datetime.time())


def test_findings_xlsx_names_the_owner_picked_with_due_date_status_and_round_date(
    client, manager, p8
):
    client.force_login(manager)
    sheets = sheets_of(client.get(findings_url(AURORA, "xlsx")))
    (row,) = [r for r in sheets["Findings"] if r["Question key"] == "P8"]
    assert row["Owner"] == MAYA
    assert row["Due"] == at_midnight(p8.due_date)
    assert row["Status"] == "In progress"
    assert row["Submitted on"] == at_midnight(submitted_day(p8.assessment))
    scores = {s["Assessment"]: s for s in sheets["Scores"]}
    assert scores[p8.assessment.title]["Submitted on"] == at_midnight(submitted_day(p8.assessment))


def test_findings_csv_names_the_owner_picked_with_status_and_round_date(client, manager, p8):
    client.force_login(manager)
    rows = csv_rows(client.get(findings_url(AURORA, "csv")))
    (finding,) = [r for r in rows if r["Type"] == "Finding" and r["Question key"] == "P8"]
    assert finding["Owner"] == MAYA
    assert finding["Due"] == p8.due_date.isoformat()
    assert finding["Status"] == "In progress"
    assert finding["Submitted on"] == submitted_day(p8.assessment).isoformat()


def test_a_condition_exports_its_owner_status_and_source(client, manager, p8_a_condition):
    client.force_login(manager)
    sheets = sheets_of(client.get(findings_url(AURORA, "xlsx")))
    (condition,) = [c for c in sheets["Conditions"] if c["Condition"].startswith("P8")]
    assert (condition["Owner"], condition["Status"], condition["From"]) == (
        MAYA,
        "In progress",
        "Finding",
    )
    rows = csv_rows(client.get(findings_url(AURORA, "csv")))
    (condition,) = [r for r in rows if r["Type"] == "Condition" and r["Finding"].startswith("P8")]
    assert (condition["Owner"], condition["Status"]) == (MAYA, "In progress")


def test_a_met_condition_exports_what_was_done_and_when(client, manager, p8_a_condition):
    p8 = p8_a_condition
    done_on = timezone.localdate() - datetime.timedelta(days=1)
    services.condition_update(
        finding=p8, status="done", note="Escrow agreed with Helios", done_on=done_on, by=manager
    )
    client.force_login(manager)
    sheets = sheets_of(client.get(findings_url(AURORA, "xlsx")))
    (row,) = [r for r in sheets["Findings"] if r["Question key"] == "P8"]
    assert (row["Status"], row["What was done"], row["Done on"]) == (
        "Done",
        "Escrow agreed with Helios",
        at_midnight(done_on),
    )
    (condition,) = [c for c in sheets["Conditions"] if c["Condition"].startswith("P8")]
    assert (condition["Status"], condition["What was done"]) == (
        "Done",
        "Escrow agreed with Helios",
    )


def test_api_findings_and_decision_carry_owner_status_and_evidence_dates(client, manager, p8):
    auth = {"HTTP_AUTHORIZATION": f"Token {token_create(by=manager, name='bi').key}"}
    finding = client.get(reverse("api:finding-detail", args=[p8.pk]), **auth).json()
    assert finding["owner"] == MAYA
    assert finding["due_date"] == p8.due_date.isoformat()
    assert finding["condition_status"] == "in_progress"
    submitted = timezone.localtime(p8.assessment.submitted_at)
    assert datetime.datetime.fromisoformat(finding["assessment_submitted_at"]) == submitted

    decision = client.get(reverse("api:decision-detail", args=[AURORA]), **auth).json()
    evidence = {e["assessment"]: e for e in decision["evidence"]}
    row = evidence[p8.assessment.pk]
    assert datetime.datetime.fromisoformat(row["submitted_at"]) == submitted
    assert row["kind"] == "partner_selection"
    score = selectors.assessment_score(p8.assessment).overall
    assert row["overall"] == pytest.approx(score)


def test_answers_xlsx_of_a_two_sided_assessment_has_the_partners_answers_beside_ours(
    client, manager, mutual
):
    client.force_login(manager)
    (answers,) = sheets_of(client.get(assessment_url("export_answers", mutual, "xlsx"))).values()
    partner = mutual.alliance.partner.name
    contact, _email = COBALT_CONTACT
    theirs = {r["Question key"]: r for r in answers if r["Side"] == partner}
    assert {r["Assessor"] for r in theirs.values()} == {contact}
    assert {
        key: r["Score (0–100)"] for key, r in theirs.items() if key in COBALT_MUTUAL_THEIRS
    } == {key: level * 25 for key, level in COBALT_MUTUAL_THEIRS.items()}
    ours = {r["Assessor"] for r in answers if r["Side"] == "Our side"}
    assert MAYA in ours
    assert contact not in ours


def test_results_xlsx_of_a_two_sided_assessment_has_the_perception_gap_per_dimension(
    client, manager, mutual
):
    client.force_login(manager)
    sheets = sheets_of(client.get(assessment_url("export_results", mutual, "xlsx")))
    score = selectors.assessment_score(mutual)
    comparison = selectors.assessment_perception(mutual, score).comparison
    partner = mutual.alliance.partner.name
    rows = sheets["Perception gap"]
    assert [r["Dimension"] for r in rows] == [r.dimension for r in comparison.rows]
    for row, side in zip(rows, comparison.rows, strict=True):
        assert row["Our score"] == pytest.approx(side.ours, abs=0.05)
        assert row[f"Score of {partner}"] == pytest.approx(side.theirs, abs=0.05)
        assert row["Submitted on"] == at_midnight(submitted_day(mutual))
    gaps = {r["Dimension"] for r in rows if r["Perception gap"]}
    assert gaps == {g.dimension for g in comparison.gaps}
    assert gaps  # the demo's governance gap


def test_while_blind_the_exports_hold_back_the_partners_side(client, manager, mutual):
    """A contact invited but not yet answered makes the partner side blind again: no
    partner answers and no perception gap, as on the results page."""
    partner_services.invitations_create(
        assessment=mutual,
        invitees=[partner_services.InviteeData(name="Late Contact", email="late@cobalt.example")],
        alliance_label="Cobalt Cloud co-sell",
        by=manager,
    )
    client.force_login(manager)
    (answers,) = sheets_of(client.get(assessment_url("export_answers", mutual, "xlsx"))).values()
    assert {r["Side"] for r in answers} == {"Our side"}
    sheets = sheets_of(client.get(assessment_url("export_results", mutual, "xlsx")))
    assert "Perception gap" not in sheets
    overview = {r["Item"]: r["Value"] for r in sheets["Overview"]}
    assert overview["Perception gap"] == "Blind until both sides have submitted."


def test_results_exports_date_each_score_with_the_day_its_round_was_submitted(client, manager, p8):
    assessment = p8.assessment
    client.force_login(manager)
    rows = csv_rows(client.get(assessment_url("export_results", assessment, "csv")))
    assert {r["Submitted on"] for r in rows} == {submitted_day(assessment).isoformat()}
    sheets = sheets_of(client.get(assessment_url("export_results", assessment, "xlsx")))
    assert {r["Submitted on"] for r in sheets["Dimensions"]} == {
        at_midnight(submitted_day(assessment))
    }


def test_api_decision_conditions_carry_status_and_what_was_done(client, manager, p8_a_condition):
    auth = {"HTTP_AUTHORIZATION": f"Token {token_create(by=manager, name='bi').key}"}
    url = reverse("api:decision-detail", args=[AURORA])
    (condition,) = [
        c for c in client.get(url, **auth).json()["conditions"] if c["text"].startswith("P8")
    ]
    assert (condition["owner"], condition["status"], condition["note"]) == (
        MAYA,
        "in_progress",
        "",
    )
    services.condition_update(
        finding=p8_a_condition, status="done", note="Escrow agreed", by=manager
    )
    (condition,) = [
        c for c in client.get(url, **auth).json()["conditions"] if c["text"].startswith("P8")
    ]
    assert (condition["status"], condition["note"]) == ("done", "Escrow agreed")
