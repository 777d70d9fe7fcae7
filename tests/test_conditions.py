"""Conditions to closure: a manageable finding's owner (a team member), due date and
status open → in progress → done; the decision counts the conditions met; overdue ones
are marked on the alliance page, on My work and in the brief; the daily job reminds."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.conditions import remind_condition_owners
from assessments.models import Finding
from briefs.snapshot import build_snapshot
from decisions.rules import (
    AssessmentSummary,
    Classification,
    DecisionInput,
    FindingSummary,
    SponsorSummary,
    Verdict,
    decide,
)
from decisions.selectors import alliance_decision
from home.my_work import my_work
from notifications.models import Notification
from tests.assessment_factories import answer_all, make_version, start, submit

TODAY = date(2026, 11, 23)


def manageable(key, status="open"):
    return FindingSummary(
        question_key=key,
        issue=f"issue on {key}",
        classification=Classification.MANAGEABLE,
        assessment_kind="partner_selection",
        mitigation=f"mitigate {key}",
        owner="Maya Patel",
        due=TODAY,
        status=status,
    )


def assessment(kind):
    return AssessmentSummary(kind, kind, kind, 1, 80.0, 1.0, 70, 50, 50)


def test_the_decision_says_how_many_conditions_are_met_and_only_open_ones_are_decisive():
    findings = (manageable("P1", "done"), manageable("P2", "done"), manageable("P3"))
    decision = decide(
        DecisionInput(
            (assessment("strategic_fit"), assessment("partner_selection")),
            findings,
            SponsorSummary(True, "Elena Rossi", "green", 80),
        )
    )
    assert decision.verdict == Verdict.GO_WITH_CONDITIONS
    assert "2 of 3 conditions met" in decision.rationale
    reason = next(r for r in decision.reasons if r.rule == "manageable")
    assert "2 of 3 conditions met" in reason.text
    assert reason.refs == ("P3",)  # the done ones no longer count as open
    assert [c.met for c in decision.conditions] == [True, True, False]


def test_when_every_condition_is_met_the_reason_is_no_longer_decisive():
    decision = decide(
        DecisionInput(
            (assessment("strategic_fit"), assessment("partner_selection")),
            (manageable("P1", "done"),),
            SponsorSummary(True, "Elena Rossi", "green", 80),
        )
    )
    reason = next(r for r in decision.reasons if r.rule == "manageable")
    assert "1 of 1 condition met" in reason.text
    assert not reason.decisive


pytestmark_db = pytest.mark.django_db


def with_condition(team, *, due_in_days=3, owner="contributor"):
    """Both required assessments submitted; the partner one has a manageable finding
    owned by `owner`, due in `due_in_days` days."""
    for kind, slug in (("strategic_fit", "fit"), ("partner_selection", "partner")):
        version = make_version(slug=slug, kind=kind, name=kind, knockouts={"A1": 1})
        assessment_ = start(team, version, title=f"{kind} check")
        for response in assessment_.responses.all():
            levels = {"A1": 0, **{f"A{n}": 4 for n in range(2, 7)}}
            answer_all(response, levels if kind == "partner_selection" else 3)
            submit(response)
    finding = Finding.objects.get(assessment__version__bank__kind="partner_selection")
    if owner is None:
        return finding  # left for the manager to classify
    finding.classification = Finding.Classification.MANAGEABLE
    finding.mitigation = "Sign the mutual NDA"
    finding.owner_user = team.users[owner]
    finding.due_date = timezone.localdate() + timedelta(days=due_in_days)
    services.finding_classify(finding=finding, by=team.users["manager"])
    return Finding.objects.get(pk=finding.pk)


@pytestmark_db
def test_a_condition_moves_open_in_progress_done_with_a_note_and_a_date(open_team):
    finding = with_condition(open_team)
    owner = open_team.users["contributor"]
    services.condition_update(finding=finding, status="in_progress", by=owner)
    with pytest.raises(ValidationError, match="Say what was done"):
        services.condition_update(finding=finding, status="done", by=owner)
    with pytest.raises(ValidationError, match="future"):
        services.condition_update(
            finding=finding,
            status="done",
            note="NDA signed",
            done_on=timezone.localdate() + timedelta(days=1),
            by=owner,
        )
    services.condition_update(finding=finding, status="done", note="NDA signed", by=owner)
    finding.refresh_from_db()
    assert (finding.condition_status, finding.done_note) == ("done", "NDA signed")
    assert finding.done_on == timezone.localdate()
    assert finding.history.first().history_user == owner
    decision = alliance_decision(open_team.alliance)
    assert "1 of 3 conditions met" in decision.rationale  # the gap and sponsor ones too
    # Reopened, the note and the date go (the history keeps them).
    services.condition_update(finding=finding, status="in_progress", by=owner)
    finding.refresh_from_db()
    assert (finding.done_note, finding.done_on) == ("", None)
    assert finding.history.filter(done_note="NDA signed").exists()


@pytestmark_db
def test_a_done_condition_cannot_jump_back_to_open(open_team):
    finding = with_condition(open_team)
    manager = open_team.users["manager"]
    services.condition_update(finding=finding, status="done", note="Signed", by=manager)
    with pytest.raises(ValidationError, match="cannot go from done"):
        services.condition_update(finding=finding, status="open", by=manager)


@pytestmark_db
def test_only_managers_and_the_owner_update_a_condition(client, open_team):
    finding = with_condition(open_team)
    for role in ("viewer", "executive"):
        with pytest.raises(PermissionDenied):
            services.condition_update(
                finding=finding, status="in_progress", by=open_team.users[role]
            )
    url = reverse(
        "assessments:condition", args=[open_team.alliance.slug, finding.assessment_id, finding.pk]
    )
    client.force_login(open_team.users["viewer"])
    assert client.post(url, {"status": "done", "done_note": "x"}).status_code == 403
    client.force_login(open_team.users["contributor"])
    response = client.post(url, {"status": "done", "done_note": "Signed on Friday"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.condition_status == "done"


@pytestmark_db
def test_the_owner_is_a_team_member_chosen_with_the_picker(client, open_team, confidential_team):
    finding = with_condition(open_team, owner=None)
    url = reverse(
        "assessments:finding", args=[open_team.alliance.slug, finding.assessment_id, finding.pk]
    )
    client.force_login(open_team.users["manager"])
    data = {
        "classification": "manageable",
        "issue": finding.issue,
        "mitigation": "Sign the NDA",
        "due_date": "2030-01-31",
    }
    stranger = confidential_team.users["manager"]
    response = client.post(url, {**data, "owner_user": "", "owner_user_id": stranger.pk})
    assert response.status_code == 200
    assert "Choose someone from the list" in response.content.decode()
    viewer = open_team.users["viewer"]
    response = client.post(url, {**data, "owner_user": "", "owner_user_id": viewer.pk})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.owner_user == viewer


@pytestmark_db
def test_an_overdue_condition_is_red_on_the_page_on_my_work_and_in_the_brief(client, rf, open_team):
    finding = with_condition(open_team, due_in_days=-2)
    client.force_login(open_team.users["manager"])
    html = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "condition-overdue" in html
    assert "Overdue" in html
    request = rf.get("/")
    request.user = open_team.users["contributor"]
    items = [i for i in my_work(request) if i.kind == "condition_due"]
    assert len(items) == 1
    assert items[0].overdue
    assert items[0].url.endswith(f"/findings/{finding.pk}/condition/")
    snapshot, _ = build_snapshot(open_team.alliance)
    assert snapshot["findings"][0]["overdue"] is True
    assert any(c["overdue"] for c in snapshot["decision"]["conditions"])


@pytestmark_db
def test_my_work_leaves_out_conditions_due_later_than_14_days_or_done(rf, open_team):
    with_condition(open_team, due_in_days=20)
    request = rf.get("/")
    request.user = open_team.users["contributor"]
    assert not [i for i in my_work(request) if i.kind == "condition_due"]


@pytestmark_db
def test_the_daily_job_reminds_the_owner_once_a_day(open_team):
    today = timezone.localdate()
    due = with_condition(open_team, due_in_days=7)
    assert remind_condition_owners(today) == 1
    assert remind_condition_owners(today) == 0  # a second beat the same day
    notification = Notification.objects.get(kind="condition_due")
    assert notification.recipient == open_team.users["contributor"]
    # Overdue the day after its due date: one reminder that day too.
    assert remind_condition_owners(due.due_date + timedelta(days=1)) == 1
    assert Notification.objects.filter(kind="condition_overdue").count() == 1
    services.condition_update(
        finding=due, status="done", note="Signed", by=open_team.users["manager"]
    )
    assert remind_condition_owners(due.due_date + timedelta(days=2)) == 0


@pytestmark_db
def test_the_migration_gives_owners_accounts_and_keeps_unmatched_text(open_team):
    from importlib import import_module

    migration = import_module("assessments.migrations.0011_condition_owner_from_text")
    finding = with_condition(open_team, owner=None)
    contributor = open_team.users["contributor"]
    contributor.first_name, contributor.last_name = "Chris", "Okafor"
    contributor.save()
    Finding.objects.filter(pk=finding.pk).update(owner="chris okafor", owner_user=None)
    migration.owner_from_text(apps, None)
    finding.refresh_from_db()
    assert (finding.owner_user, finding.owner) == (contributor, "")
    Finding.objects.filter(pk=finding.pk).update(owner="Legal (Sofia Marin)", owner_user=None)
    migration.owner_from_text(apps, None)
    finding.refresh_from_db()
    assert (finding.owner_user, finding.owner) == (None, "Legal (Sofia Marin)")
    assert finding.owner_label == "Legal (Sofia Marin)"
