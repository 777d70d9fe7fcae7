"""Every condition the decision names is followed up, whatever its source: a gap to close,
a sponsor to name, a perception gap to agree on get an owner (a team member), a due date,
a status (open → in progress → met / waived with a reason and who waived), notes, an
evidence link and history, found again at every recheck by the key of their cause; the
system closes one whose cause is gone and reopens it when the cause comes back."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from briefs.snapshot import build_snapshot
from decisions.models import TrackedCondition
from decisions.recheck import decision_after_change
from decisions.reminders import remind_tracked_owners
from decisions.selectors import alliance_decision
from home.my_work import my_work
from notifications.models import Kind, Notification
from sponsors import services as sponsor_services
from sponsors.models import Sponsorship
from tests.factories import UserFactory
from tests.sponsor_factories import SponsorFactory
from tests.test_conditions import with_condition

pytestmark = pytest.mark.django_db

Status = TrackedCondition.Status


def sponsor_condition(team) -> TrackedCondition:
    return TrackedCondition.objects.get(alliance=team.alliance, key="sponsor:none")


def follow_up(client, team, condition, *, as_role="manager", **data):
    client.force_login(team.users[as_role])
    fields = {"owner": "", "due_date": "", "status": "open", "note": "", "evidence_url": ""}
    fields.update(data)
    url = reverse("decisions:condition", args=[team.alliance.slug, condition.pk])
    return client.post(url, fields)


def test_every_condition_not_on_a_finding_gets_a_record_found_again_at_each_recheck(open_team):
    with_condition(open_team)
    decision = alliance_decision(open_team.alliance)
    keys = {c.key for c in decision.conditions if c.source != "finding"}
    assert "sponsor:none" in keys
    tracked = {t.key: t for t in TrackedCondition.objects.filter(alliance=open_team.alliance)}
    assert set(tracked) == keys
    decision_after_change(alliance=open_team.alliance, by=open_team.users["manager"])
    again = {t.key: t.pk for t in TrackedCondition.objects.filter(alliance=open_team.alliance)}
    assert again == {key: t.pk for key, t in tracked.items()}


def test_the_alliance_page_lists_them_with_an_update_action_for_managers_only(client, open_team):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    url = reverse("decisions:condition", args=[open_team.alliance.slug, condition.pk])
    client.force_login(open_team.users["manager"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Name an active executive sponsor on our side" in page
    assert url in page
    client.force_login(open_team.users["viewer"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Name an active executive sponsor on our side" in page
    assert url not in page
    assert client.get(url).status_code == 403


def test_a_manager_names_an_owner_and_a_due_date_and_the_brief_shows_them(client, open_team):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    owner = open_team.users["contributor"]
    due = timezone.localdate() + timedelta(days=20)
    response = follow_up(
        client, open_team, condition, owner=owner.username, due_date=due.isoformat(),
        status="in_progress", evidence_url="https://intranet.example/sponsor-shortlist",
    )  # fmt: skip
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.owner, condition.due_date, condition.status) == (owner, due, "in_progress")
    assert condition.history.first().history_user == open_team.users["manager"]
    (shown,) = [
        c for c in alliance_decision(open_team.alliance).conditions if c.key == "sponsor:none"
    ]
    assert shown.owner == (owner.get_full_name() or owner.username)
    assert (shown.due, shown.status) == (due, "in_progress")
    snapshot = build_snapshot(open_team.alliance)[0]
    (in_brief,) = [c for c in snapshot["decision"]["conditions"] if c["source"] == "sponsor"]
    assert in_brief["owner"] == shown.owner
    assert in_brief["status"] == "in_progress"
    history = client.get(
        reverse("decisions:condition", args=[open_team.alliance.slug, condition.pk])
    ).content.decode()
    assert "Named by the decision" in history


def test_an_owner_outside_the_team_met_without_a_note_or_a_waiver_without_a_reason_is_refused(
    client, open_team
):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    UserFactory(username="stranger-7f2a")
    page = follow_up(client, open_team, condition, owner="stranger-7f2a")
    assert page.status_code == 200
    assert "No active user you may pick" in page.content.decode()
    page = follow_up(client, open_team, condition, status="done")
    assert "Say what was done." in page.content.decode()
    page = follow_up(client, open_team, condition, status="waived")
    assert "Say why the condition is waived." in page.content.decode()
    condition.refresh_from_db()
    assert (condition.status, condition.owner) == ("open", None)


def test_met_and_waived_conditions_count_as_such_in_the_decision(client, open_team):
    finding = with_condition(open_team)
    manager = open_team.users["manager"]
    follow_up(client, open_team, sponsor_condition(open_team), status="waived",
              note="The CEO sponsors it in person until the board names someone.")  # fmt: skip
    decision = alliance_decision(open_team.alliance)
    name = manager.get_full_name() or manager.username
    total = len(decision.conditions)
    assert f"(0 of {total} conditions met, 1 waived by {name})" in decision.rationale
    (waived,) = [c for c in decision.conditions if c.key == "sponsor:none"]
    assert waived.waived
    assert waived.waived_by == name
    assert waived.note.startswith("The CEO sponsors it")
    from assessments.services import condition_update

    condition_update(finding=finding, status="done", note="NDA signed", by=manager)
    decision = alliance_decision(open_team.alliance)
    assert f"(1 of {total} conditions met, 1 waived by {name})" in decision.rationale


def test_a_condition_whose_cause_is_gone_is_closed_and_reopens_when_it_comes_back(
    client, open_team
):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    owner = open_team.users["contributor"]
    follow_up(client, open_team, condition, owner=owner.username)
    manager = open_team.users["manager"]
    sponsorship = sponsor_services.sponsor_choose(
        alliance=open_team.alliance, sponsor=SponsorFactory(name="Ada Sponsor"), by=manager
    )
    condition.refresh_from_db()
    assert condition.status == Status.CLOSED
    assert "no longer names it" in condition.history.first().history_change_reason
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Name an active executive sponsor on our side" not in page
    sponsor_services.sponsorship_delete(
        sponsorship=Sponsorship.objects.get(pk=sponsorship.pk), by=manager
    )
    condition.refresh_from_db()
    assert (condition.status, condition.owner) == (Status.OPEN, owner)
    assert condition.history.first().history_change_reason == "Reopened: its cause is back"
    assert (
        TrackedCondition.objects.filter(alliance=open_team.alliance, key="sponsor:none").count()
        == 1
    )


def test_owners_see_them_on_my_work_and_are_reminded_once_a_day(rf, client, open_team):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    owner = open_team.users["contributor"]
    today = timezone.localdate()
    follow_up(client, open_team, condition, owner=owner.username,
              due_date=(today + timedelta(days=7)).isoformat())  # fmt: skip
    request = rf.get("/")
    request.user = owner
    items = [i for i in my_work(request) if i.url.endswith(f"/conditions/{condition.pk}/")]
    assert len(items) == 1
    assert "Name an active executive sponsor" in items[0].title
    assert remind_tracked_owners(today) == 1
    assert remind_tracked_owners(today) == 0
    told = Notification.objects.get(recipient=owner, kind=Kind.CONDITION_DUE)
    assert "a condition on" in told.title


def test_a_findings_condition_is_waived_with_why_and_who_and_counts_as_such(open_team):
    from django.core.exceptions import ValidationError

    from assessments.services import condition_update

    finding = with_condition(open_team)
    manager = open_team.users["manager"]
    with pytest.raises(ValidationError, match="Say why the condition is waived"):
        condition_update(finding=finding, status="waived", by=manager)
    condition_update(finding=finding, status="waived", note="Covered by the NDA", by=manager)
    finding.refresh_from_db()
    assert (finding.condition_status, finding.done_by) == ("waived", manager)
    assert not finding.is_overdue(timezone.localdate() + timedelta(days=400))
    decision = alliance_decision(open_team.alliance)
    (waived,) = [c for c in decision.conditions if c.source == "finding"]
    name = manager.get_full_name() or manager.username
    assert (waived.waived, waived.waived_by, waived.note) == (True, name, "Covered by the NDA")
    assert f"1 waived by {name}" in decision.rationale


def test_an_old_link_to_a_closed_condition_leads_back_to_the_alliance_saying_why(client, open_team):
    with_condition(open_team)
    condition = sponsor_condition(open_team)
    sponsor_services.sponsor_choose(
        alliance=open_team.alliance,
        sponsor=SponsorFactory(name="Ada Closed"),
        by=open_team.users["manager"],
    )
    client.force_login(open_team.users["manager"])
    url = reverse("decisions:condition", args=[open_team.alliance.slug, condition.pk])
    for response in (client.get(url, follow=True), client.post(url, {}, follow=True)):
        assert response.redirect_chain[-1][0] == open_team.alliance.get_absolute_url()
        assert "This condition was closed" in response.content.decode()
    condition.refresh_from_db()
    assert condition.status == Status.CLOSED


def test_a_condition_reads_in_each_readers_language_whoever_rechecked_last(client, open_team):
    from django.utils import translation

    with_condition(open_team)
    with translation.override("de"):  # a German manager's change rechecks the decision
        decision_after_change(alliance=open_team.alliance, by=open_team.users["manager"])
    condition = sponsor_condition(open_team)
    # Kept in the site's language, not rewritten by a German recheck ...
    assert condition.text == "Name an active executive sponsor on our side before committing."
    assert condition.history.count() == 1
    # ... and said in each reader's.
    with translation.override("de"):
        assert condition.shown_text.startswith("Benennen Sie vor einer Zusage")
    client.force_login(open_team.users["manager"])
    url = reverse("decisions:condition", args=[open_team.alliance.slug, condition.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(url).content.decode()
    assert "Benennen Sie vor einer Zusage" in page
    assert "Von der Entscheidung benannt" in page  # its history, in German too
