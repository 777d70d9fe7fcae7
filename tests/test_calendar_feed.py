"""The private calendar feed: what it holds, for whom, and that calendars read it as
RFC 5545 (parsed back with the `icalendar` library)."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance
from alliances.services import membership_remove
from calendars.services import feed_create, feed_revoke, feed_rotate
from decisions.models import TrackedCondition
from decisions.services import tracked_condition_update
from meetings.services import ActionChange, meeting_plan, minutes_record
from signoffs.evidence import evidence_sha256
from signoffs.models import SignOff, SignOffRequest
from tests.assessment_factories import answer_all, make_version, start, submit

pytestmark = pytest.mark.django_db


def feed_url(token: str) -> str:
    return reverse("calendars:feed", args=[token])


def alliance_feed_url(token: str, alliance: Alliance) -> str:
    return reverse("calendars:alliance_feed", args=[token, alliance.slug])


def fetch(client, url: str) -> tuple[bytes, dict[str, icalendar.Event]]:
    """The feed's bytes and its events by UID (each UID once)."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar.get("PRODID")
    events = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "each UID once"
    return response.content, {str(e["UID"]): e for e in events}


def owned_condition(
    team, owner="contributor", *, text="Name an executive sponsor", due=None, key=None
):
    return TrackedCondition.objects.create(
        alliance=team.alliance,
        key=key or f"gap:{text[:20]}",
        source=(key or "gap").split(":")[0],
        text=text,
        owner=team.users[owner],
        due_date=due or date(2031, 3, 14),
    )


def qbr(team, *, attendees=("contributor",), agenda="Review the pipeline"):
    starts = datetime(2031, 2, 3, 14, 30, tzinfo=timezone.get_current_timezone())
    return meeting_plan(
        alliance=team.alliance,
        by=team.users["manager"],
        kind="qbr",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Room 4, Utrecht",
        agenda=agenda,
        attendees=[team.users[role] for role in attendees],
    )


def signoff_asked(team):
    request = SignOffRequest.objects.create(
        alliance=team.alliance,
        requested_by=team.users["manager"],
        evidence_sha256=evidence_sha256(team.alliance),
        verdict="GO",
        rationale="GO: fits.",
    )
    return SignOff.objects.create(request=request, executive=team.users["executive"])


def submitted_round(team, *, submitted_on: date):
    """A submitted strategic-fit round with a manageable finding owned by the
    contributor, submitted on `submitted_on`."""
    assessment = start(team, make_version(slug=f"fit-{team.alliance.slug}"), assessors=["manager"])
    response = assessment.responses.get()
    answer_all(response, {"A1": 0})
    submit(response)
    assessment.refresh_from_db()
    moment = datetime.combine(submitted_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    type(assessment).objects.filter(pk=assessment.pk).update(submitted_at=moment)
    assessment.findings.update(
        classification="manageable",
        mitigation="Agree the reseller terms",
        owner_user=team.users["contributor"],
        due_date=date(2031, 5, 1),
    )
    return assessment


def summaries(events) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in events.values())


def test_a_persons_feed_holds_what_concerns_them_and_nothing_of_others(client, open_team):
    team = open_team
    Alliance.objects.filter(pk=team.alliance.pk).update(stage="managing")
    team.alliance.refresh_from_db()
    # First: a recheck closes the tracked conditions the decision does not name.
    assessment = submitted_round(team, submitted_on=date(2030, 6, 1))
    mine = owned_condition(team)
    owned_condition(team, owner="manager", text="Someone else's condition")
    meeting = qbr(team)
    qbr(team, attendees=("manager",), agenda="Without the contributor")
    signoff_asked(team)
    token = feed_create(by=team.users["contributor"]).token

    _, events = fetch(client, feed_url(token))

    host = "testserver"
    finding = assessment.findings.get()
    assert set(events) == {
        f"condition-{mine.pk}@{host}",
        f"meeting-{meeting.pk}@{host}",
        f"finding-{finding.pk}@{host}",
    }
    name = team.alliance.name
    assert summaries(events) == sorted(
        [
            f"{name} — condition due: Name an executive sponsor",
            f"{name}: Quarterly business review",
            f"{name} — condition due: Agree the reseller terms",
        ]
    )
    # The executive hears of the sign-off, the manager of the reassessment due.
    _, executive = fetch(client, feed_url(feed_create(by=team.users["executive"]).token))
    assert summaries(executive) == [
        f"{name} — sign-off asked of {team.users['executive'].get_full_name()}: GO"
    ]
    _, manager = fetch(client, feed_url(feed_create(by=team.users["manager"]).token))
    due = manager[f"reassessment-{team.alliance.pk}-strategic_fit@{host}"]
    assert due.decoded("DTSTART") == date(2031, 6, 1)  # 12 months after, while managing


def test_an_action_owned_from_the_minutes_is_in_the_owners_feed(client, open_team):
    team = open_team
    meeting = qbr(team, attendees=("manager",))
    minutes_record(
        meeting=meeting,
        by=team.users["manager"],
        minutes="We met.",
        actions=[
            ActionChange(
                description="Send the draft contract",
                owner=team.users["contributor"],
                due_date=date(2031, 4, 2),
            )
        ],
    )
    action = meeting.actions.get()
    _, events = fetch(client, feed_url(feed_create(by=team.users["contributor"]).token))
    event = events[f"action-{action.pk}@testserver"]
    assert str(event["SUMMARY"]) == f"{team.alliance.name} — action due: Send the draft contract"
    assert event.decoded("DTSTART") == date(2031, 4, 2)


def test_uids_and_bytes_are_stable_across_two_fetches(client, open_team):
    owned_condition(open_team)
    qbr(open_team)
    token = feed_create(by=open_team.users["contributor"]).token
    first, first_events = fetch(client, feed_url(token))
    second, second_events = fetch(client, feed_url(token))
    assert first == second
    assert set(first_events) == set(second_events)
    assert len(first_events) == 2


def test_a_new_due_date_keeps_the_uid_and_marks_the_event_revised(client, open_team):
    # One the decision names (no executive sponsor yet): its recheck keeps it open.
    condition = owned_condition(
        open_team,
        key="sponsor:none",
        text="Name an active executive sponsor on our side before committing.",
    )
    # Named a while ago (the feed's times are to the second).
    condition.history.update(history_date=F("history_date") - timedelta(minutes=5))
    token = feed_create(by=open_team.users["contributor"]).token
    uid = f"condition-{condition.pk}@testserver"
    _, before = fetch(client, feed_url(token))

    tracked_condition_update(
        condition=condition,
        by=open_team.users["manager"],
        owner=open_team.users["contributor"],
        due_date=date(2031, 9, 30),
        status="in_progress",
    )
    _, after = fetch(client, feed_url(token))

    assert set(after) == set(before) == {uid}
    old, new = before[uid], after[uid]
    assert new.decoded("DTSTART") == date(2031, 9, 30)
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new.decoded("LAST-MODIFIED") > old.decoded("LAST-MODIFIED")
    assert new.decoded("DTSTAMP") == new.decoded("LAST-MODIFIED")


def test_meetings_are_in_utc_and_due_dates_are_all_day(client, open_team):
    meeting = qbr(open_team)
    condition = owned_condition(open_team)
    body, events = fetch(client, feed_url(feed_create(by=open_team.users["contributor"]).token))

    event = events[f"meeting-{meeting.pk}@testserver"]
    starts, ends = event.decoded("DTSTART"), event.decoded("DTEND")
    assert starts.utcoffset() == timedelta(0)
    assert starts == meeting.starts_at
    assert ends - starts == timedelta(hours=2)
    assert str(event["LOCATION"]) == "Room 4, Utrecht"
    # 14:30 in London in February is 14:30 UTC; written with the Z of UTC.
    assert b"DTSTART:20310203T143000Z" in body
    due = events[f"condition-{condition.pk}@testserver"]
    assert due["DTSTART"].params["VALUE"] == "DATE"
    assert due.decoded("DTEND") - due.decoded("DTSTART") == timedelta(days=1)
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert b"\r\n" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_user_text_is_escaped_and_reads_back_the_same(client, open_team):
    text = "Agree rates, terms; and\nthe \\ backslash"
    owned_condition(open_team, text=text)
    body, events = fetch(client, feed_url(feed_create(by=open_team.users["contributor"]).token))
    (event,) = events.values()
    assert str(event["SUMMARY"]) == f"{open_team.alliance.name} — condition due: {text}"
    unfolded = body.replace(b"\r\n ", b"")
    assert b"Agree rates\\, terms\\; and\\nthe \\\\ backslash" in unfolded


def test_a_confidential_alliance_is_only_in_its_teams_feeds(client, confidential_team):
    team = confidential_team
    condition = owned_condition(team)
    token = feed_create(by=team.users["contributor"]).token
    outsider_token = feed_create(by=team.users["outsider"]).token
    # Even owning a condition does not put it in the feed of someone off the team.
    owned_condition(team, owner="outsider", text="Left over from an old team")
    _, events = fetch(client, feed_url(token))
    assert f"condition-{condition.pk}@testserver" in events

    body, outsider = fetch(client, feed_url(outsider_token))
    assert outsider == {}
    assert team.alliance.name.encode() not in body
    assert client.get(alliance_feed_url(outsider_token, team.alliance)).status_code == 404

    # Taken off the team: the alliance leaves the feed at the next fetch.
    membership_remove(membership=team.member("contributor"), by=team.users["manager"])
    body, events = fetch(client, feed_url(token))
    assert events == {}
    assert team.alliance.name.encode() not in body
    assert client.get(alliance_feed_url(token, team.alliance)).status_code == 404


def test_the_alliance_feed_is_for_its_team_only(client, open_team, confidential_team):
    for team in (open_team, confidential_team):
        mine = owned_condition(team, owner="manager", text="The manager's condition")
        meeting = qbr(team, attendees=("manager",))
        for role in ("viewer", "executive", "contributor", "manager", "superuser"):
            token = feed_create(by=team.users[role]).token
            _, events = fetch(client, alliance_feed_url(token, team.alliance))
            # The whole team's entries, whoever owns or attends them.
            assert {f"condition-{mine.pk}@testserver", f"meeting-{meeting.pk}@testserver"} <= set(
                events
            ), role
        # Outside the team, even of an open alliance: no such feed.
        outsider = feed_create(by=team.users["outsider"]).token
        assert client.get(alliance_feed_url(outsider, team.alliance)).status_code == 404
        for user in team.users.values():
            feed_revoke(by=user)


def test_the_address_is_the_key_and_a_revoked_or_rotated_one_is_a_404(client, open_team):
    user = open_team.users["contributor"]
    owned_condition(open_team)
    first = feed_create(by=user).token
    assert client.get(feed_url(first)).status_code == 200  # no log-in needed

    second = feed_rotate(by=user).token
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(alliance_feed_url(first, open_team.alliance)).status_code == 404
    response = client.get(feed_url(second))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"

    feed_revoke(by=user)
    assert client.get(feed_url(second)).status_code == 404
    assert client.get(feed_url("cal_" + "x" * 500)).status_code == 404


def test_a_deactivated_persons_feed_is_a_404(client, open_team):
    user = open_team.users["contributor"]
    token = feed_create(by=user).token
    user.is_active = False
    user.save()
    assert client.get(feed_url(token)).status_code == 404


def test_the_settings_page_shows_the_address_once_then_rotates_and_revokes(client, open_team):
    user = open_team.users["contributor"]
    client.force_login(user)
    page = reverse("calendars:settings")
    assert client.get(reverse("dashboard")).content.count(page.encode()) == 1  # in the menu
    response = client.get(page)
    assert response.status_code == 200
    assert b"calendar-address" not in response.content

    response = client.post(page)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    address = response.context["new_address"]
    assert address.encode() in response.content
    assert (
        alliance_feed_url(address.rsplit("/", 1)[1][: -len(".ics")], open_team.alliance).encode()
        in response.content
    )
    assert client.get(address).status_code == 200
    # Shown once: the page never shows it again, and a second "Create" is refused.
    assert address.encode() not in client.get(page).content
    assert client.post(page).status_code == 400

    assert client.get(reverse("calendars:rotate")).status_code == 200  # asks first
    response = client.post(reverse("calendars:rotate"))
    rotated = response.context["new_address"]
    assert rotated != address
    assert rotated.encode() in response.content
    assert client.get(address).status_code == 404
    assert client.get(rotated).status_code == 200

    assert client.get(reverse("calendars:revoke")).status_code == 200  # asks first
    assert client.post(reverse("calendars:revoke")).status_code == 302
    assert client.get(rotated).status_code == 404
    # Nothing left to rotate or revoke.
    assert client.get(reverse("calendars:rotate")).status_code == 404
    assert client.post(reverse("calendars:revoke")).status_code == 404


def test_a_feed_costs_the_same_few_queries_however_much_it_holds(
    client, open_team, django_assert_max_num_queries
):
    token = feed_create(by=open_team.users["manager"]).token
    for n in range(6):
        owned_condition(open_team, owner="manager", text=f"Condition number {n}")
        qbr(open_team, attendees=("manager",))
    with django_assert_max_num_queries(20):
        _, events = fetch(client, feed_url(token))
    assert len(events) == 12
