"""Governance meetings: the agenda is proposed from what is open on the alliance, the
manager plans the meeting and records its minutes with actions; the attendees get them by
e-mail and other systems hear of it; an action is followed up like a condition (My work,
the daily reminder, an overdue event once); the alliance page and the brief show them."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from briefs.snapshot import build_snapshot
from decisions.models import TrackedCondition
from home.my_work import my_work
from kit import events
from meetings import agenda
from meetings.models import ActionItem, Meeting
from meetings.reminders import remind_action_owners
from meetings.selectors import proposed_agenda
from meetings.services import ActionChange, meeting_plan, minutes_record
from notifications.models import Kind, Notification, OutgoingMail
from tests.factories import UserFactory
from tests.sponsor_factories import PartnerSponsorshipFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture
def heard():
    """The events other systems would hear of, as (type, alliance id, facts)."""
    told = []

    def listen(event):
        told.append((event.type, event.alliance_id, event.facts))

    events.subscribers.add(listen)
    yield told
    events.subscribers._entries.remove(listen)


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def plan(team, *, day=None, **overrides):
    day = day or timezone.localdate() - timedelta(days=1)
    fields = dict(
        kind=Meeting.Kind.QBR,
        starts_at=at(day),
        ends_at=at(day, 11),
        location="Video call",
        agenda="1. KPIs",
        attendees=[team.users["manager"], team.users["contributor"]],
    )
    fields.update(overrides)
    return meeting_plan(alliance=team.alliance, by=team.users["manager"], **fields)


def minutes_post(team, meeting, **data):
    fields = {
        "minutes-minutes": "We reviewed the pipeline.",
        "minutes-decisions_taken": "Focus on the public sector",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "50",
        "actions-0-id": "",
        "actions-0-description": "Send the reference list",
        "actions-0-owner": str(team.users["contributor"].pk),
        "actions-0-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "actions-1-id": "",
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_date": "",
    }
    fields.update(data)
    return reverse("meetings:minutes", args=[team.alliance.slug, meeting.pk]), fields


# ------------------------------------------------------------------ the agenda


def test_the_pure_agenda_lists_each_open_source_in_order_and_leaves_empty_ones_out():
    inputs = agenda.AgendaInputs(
        today=TODAY,
        conditions=(
            agenda.OpenItem("Name a sponsor", "Maya", TODAY - timedelta(days=2)),
            agenda.OpenItem("Far away", "Maya", TODAY + timedelta(days=60)),
        ),
        kpis=(
            agenda.KPIFigure("ARR", "FY2026", 45),
            agenda.KPIFigure("Logos", "FY2026", 95),
            agenda.KPIFigure("New", "FY2026", None),
        ),
        perception_gaps=(agenda.GapFigure("Trust", 80.0, 40.0),),
        partner="Cobalt",
        reassessments=("Partner selection: due since 1 Dec 2026.",),
    )
    text = agenda.agenda_text(agenda.propose_agenda(inputs))
    assert text.splitlines()[0] == "1. Conditions of the decision due or overdue"
    assert "Name a sponsor (Maya, overdue since 5 Dec 2026)" in text
    assert "Far away" not in text
    assert "ARR (FY2026): 45 % of target" in text
    assert "Logos" not in text
    assert "New (" not in text
    assert "Trust: we score 80, Cobalt scores 40" in text
    assert "Partner selection: due since 1 Dec 2026." in text
    assert "Sponsor signals overdue" not in text
    assert text.splitlines()[-1] == "5. Any other business"


def test_with_nothing_open_the_agenda_is_any_other_business():
    assert agenda.agenda_text(agenda.propose_agenda(agenda.AgendaInputs(today=TODAY))) == (
        "1. Any other business"
    )


def test_the_agenda_is_proposed_from_what_is_open_on_the_alliance(client, open_team):
    alliance, contributor = open_team.alliance, open_team.users["contributor"]
    kpi = alliance.kpis.get()
    kpi.actual, kpi.target = Decimal("30"), Decimal("100")
    kpi.save()
    TrackedCondition.objects.create(
        alliance=alliance,
        key="gap:x",
        source="gap",
        text="Close the integration gap",
        owner=contributor,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    # A partner sponsor never heard from: a KPI review and a counterpart contact are owed.
    PartnerSponsorshipFactory(alliance=alliance, sponsor__name="Katrin Vogel")
    earlier = plan(open_team, day=timezone.localdate() - timedelta(days=30))
    minutes_record(
        meeting=earlier,
        by=open_team.users["manager"],
        minutes="Met.",
        actions=[
            ActionChange("Ship the demo", contributor, timezone.localdate() + timedelta(days=3))
        ],
    )

    client.force_login(open_team.users["manager"])
    page = client.get(reverse("meetings:plan", args=[alliance.slug]))
    proposed = page.context["form"].initial["agenda"]
    assert proposed == proposed_agenda(alliance)
    assert "Close the integration gap" in proposed
    assert "Ship the demo" in proposed
    assert f"{kpi.name} (FY2026): 30 % of target" in proposed
    assert "Katrin Vogel:" in proposed
    assert "Close the integration gap" in page.content.decode()


# ------------------------------------------------------------------ plan and minutes


def test_a_manager_plans_a_meeting_with_the_edited_agenda(client, open_team):
    alliance = open_team.alliance
    partner_person = PartnerSponsorshipFactory(alliance=alliance).sponsor
    client.force_login(open_team.users["manager"])
    starts = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("meetings:plan", args=[alliance.slug]),
        {
            "kind": "steering_committee",
            "starts_at": f"{starts.isoformat()}T14:00",
            "duration": "90",
            "location": "Room 4",
            "agenda": "1. Pricing <b>now</b>",
            "attendees": [open_team.users["contributor"].pk],
            "partner_attendees": [partner_person.pk],
        },
    )
    meeting = Meeting.objects.get(alliance=alliance)
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    assert list(meeting.partner_attendees.all()) == [partner_person]
    assert meeting.history.latest().history_user == open_team.users["manager"]
    detail = client.get(response.url).content.decode()
    assert "1. Pricing &lt;b&gt;now&lt;/b&gt;" in detail
    overview = client.get(alliance.get_absolute_url()).content.decode()
    assert 'id="next-meeting"' in overview
    assert "Steering committee" in overview


def test_recording_minutes_emails_the_attendees_and_tells_other_systems(
    client, open_team, heard, django_capture_on_commit_callbacks
):
    meeting = plan(open_team)
    client.force_login(open_team.users["manager"])
    url, data = minutes_post(open_team, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.has_minutes
    assert meeting.minutes_recorded_by == open_team.users["manager"]
    action = ActionItem.objects.get(meeting=meeting)
    assert (action.owner, action.status) == (open_team.users["contributor"], "open")
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {open_team.users["manager"].email, open_team.users["contributor"].email}
    body = sent[open_team.users["contributor"].email].body
    assert "We reviewed the pipeline." in body
    assert "Focus on the public sector" in body
    assert "Send the reference list" in body
    assert OutgoingMail.objects.filter(purpose="meeting_minutes", object_id=str(meeting.pk))
    assert heard == [(events.MINUTES_RECORDED, open_team.alliance.pk, {"meeting_id": meeting.pk})]


def test_minutes_of_a_confidential_alliance_never_name_it_by_email(
    confidential_team, django_capture_on_commit_callbacks
):
    meeting = plan(confidential_team)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_record(meeting=meeting, by=confidential_team.users["manager"], minutes="Secret")
    assert mail.outbox
    for message in mail.outbox:
        assert confidential_team.alliance.name not in message.subject + message.body
        assert "Secret" not in message.body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"minutes-minutes": ""}, "minutes", "This field is required."),
        ({"actions-0-owner": "99999999999999999999"}, "owner", "Select a valid choice"),
        ({"actions-0-owner": "²"}, "owner", "Select a valid choice"),
        ({"actions-0-due_date": "2026-02-30"}, "due_date", "Enter a valid date"),
        ({"actions-0-due_date": ""}, "due_date", "Give the action a due date."),
        ({"actions-TOTAL_FORMS": "x"}, None, "ManagementForm data is missing"),
    ],
)
def test_bad_minutes_are_refused_with_a_message_and_nothing_is_saved(
    client, open_team, change, field, message
):
    meeting = plan(open_team)
    client.force_login(open_team.users["manager"])
    url, data = minutes_post(open_team, meeting, **change)
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.has_minutes
    assert not ActionItem.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_an_owner_outside_the_team_is_refused_by_the_service_and_nothing_is_saved(open_team):
    meeting = plan(open_team)
    stranger = UserFactory(username="stranger")
    with pytest.raises(ValidationError):
        minutes_record(
            meeting=meeting,
            by=open_team.users["manager"],
            minutes="Fine",
            actions=[ActionChange("Do it", stranger, timezone.localdate())],
        )
    meeting.refresh_from_db()
    assert not meeting.has_minutes
    assert not ActionItem.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_a_400_with_a_message(client, open_team):
    client.force_login(open_team.users["manager"])
    response = client.post(
        reverse("meetings:plan", args=[open_team.alliance.slug]),
        {"kind": "qbr", "starts_at": "2026-13-40T10:00", "duration": "-5", "agenda": ""},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "starts_at" in errors
    assert "duration" in errors
    assert not Meeting.objects.exists()


# ------------------------------------------------------------------ followed up


def test_an_action_is_on_its_owners_my_work_until_done(client, open_team):
    meeting = plan(open_team)
    contributor = open_team.users["contributor"]
    minutes_record(
        meeting=meeting,
        by=open_team.users["manager"],
        minutes="Met.",
        actions=[ActionChange("Send the deck", contributor, timezone.localdate())],
    )
    request = RequestFactory().get("/")
    request.user = contributor
    items = [i for i in my_work(request) if i.kind == "action_due"]
    assert [i.title for i in items] == ["Action: Send the deck"]
    action = ActionItem.objects.get()
    client.force_login(contributor)
    assert client.get(items[0].url.split("#")[0]).status_code == 200
    response = client.post(
        reverse("meetings:action_done", args=[open_team.alliance.slug, meeting.pk, action.pk])
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_by == contributor
    request = RequestFactory().get("/")
    request.user = contributor
    assert not [i for i in my_work(request) if i.kind == "action_due"]


def test_the_daily_job_reminds_the_owner_of_an_overdue_action_and_announces_it_once(
    open_team, heard, django_capture_on_commit_callbacks
):
    meeting = plan(open_team, day=timezone.localdate() - timedelta(days=10))
    contributor = open_team.users["contributor"]
    minutes_record(
        meeting=meeting,
        by=open_team.users["manager"],
        minutes="Met.",
        actions=[ActionChange("Send the deck", contributor, timezone.localdate() + timedelta(1))],
    )
    action = ActionItem.objects.get()
    later = timezone.localdate() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_action_owners(later) == 1
        assert remind_action_owners(later) == 0  # once a day
    reminder = Notification.objects.get(recipient=contributor)
    assert reminder.kind == Kind.CONDITION_OVERDUE
    assert reminder.title.startswith("Overdue since ")
    assert reminder.body == "Send the deck"
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_action_owners(later + timedelta(days=1)) == 1  # every day overdue
    assert heard == [
        (
            events.ACTION_OVERDUE,
            open_team.alliance.pk,
            {
                "action_id": action.pk,
                "meeting_id": meeting.pk,
                "due_date": action.due_date.isoformat(),
            },
        )
    ]


def test_the_alliance_page_shows_the_last_meetings_open_actions(client, open_team):
    meeting = plan(open_team)
    minutes_record(
        meeting=meeting,
        by=open_team.users["manager"],
        minutes="Met.",
        actions=[ActionChange("Book the <venue>", open_team.users["contributor"], TODAY)],
    )
    client.force_login(open_team.users["viewer"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert 'id="last-meeting-actions"' in page
    assert "Book the &lt;venue&gt;" in page


def test_the_brief_lists_the_last_meetings_decisions(open_team):
    SponsorshipFactory(alliance=open_team.alliance)
    meeting = plan(open_team)
    minutes_record(
        meeting=meeting,
        by=open_team.users["manager"],
        minutes="Met.",
        decisions_taken="Go for the public sector\n- Hire two pre-sales",
    )
    snapshot, _decision = build_snapshot(open_team.alliance)
    assert snapshot["last_meeting"]["kind"] == "Quarterly business review"
    assert snapshot["last_meeting"]["decisions"] == [
        "Go for the public sector",
        "Hire two pre-sales",
    ]


# ------------------------------------------------------------------ access


def test_a_confidential_alliances_meetings_do_not_exist_for_an_outsider(client, confidential_team):
    meeting = plan(confidential_team)
    client.force_login(confidential_team.users["outsider"])
    slug = confidential_team.alliance.slug
    for url in (
        reverse("meetings:list", args=[slug]),
        reverse("meetings:detail", args=[slug, meeting.pk]),
        reverse("meetings:plan", args=[slug]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "contributor", "executive"])
def test_only_managers_plan_minute_or_delete(client, open_team, role):
    meeting = plan(open_team)
    client.force_login(open_team.users[role])
    slug = open_team.alliance.slug
    assert client.get(reverse("meetings:detail", args=[slug, meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:plan", args=[slug])).status_code == 403
    assert client.post(reverse("meetings:plan", args=[slug]), {}).status_code == 403
    url, data = minutes_post(open_team, meeting)
    assert client.post(url, data).status_code == 403
    assert client.post(reverse("meetings:delete", args=[slug, meeting.pk])).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk, minutes_recorded_at__isnull=True).exists()


def test_only_the_owner_or_a_manager_marks_an_action_done(client, open_team):
    meeting = plan(open_team)
    minutes_record(
        meeting=meeting,
        by=open_team.users["manager"],
        minutes="Met.",
        actions=[ActionChange("Do it", open_team.users["contributor"], TODAY)],
    )
    action = ActionItem.objects.get()
    url = reverse("meetings:action_done", args=[open_team.alliance.slug, meeting.pk, action.pk])
    client.force_login(open_team.users["viewer"])
    assert client.post(url).status_code == 403
    client.force_login(open_team.users["manager"])
    assert client.post(url).status_code == 302
    assert ActionItem.objects.get().status == "done"


def test_a_manager_deletes_a_meeting_after_a_confirmation_page(client, open_team):
    meeting = plan(open_team)
    client.force_login(open_team.users["manager"])
    url = reverse("meetings:delete", args=[open_team.alliance.slug, meeting.pk])
    assert "Delete the meeting" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Meeting.objects.exists()


def test_another_alliances_meeting_is_a_404(client, open_team, confidential_team):
    meeting = plan(confidential_team)
    client.force_login(open_team.users["manager"])
    url = reverse("meetings:detail", args=[open_team.alliance.slug, meeting.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "contributor", "executive"])
def test_only_managers_edit_a_meeting(client, open_team, role):
    meeting = plan(open_team)
    url = reverse("meetings:edit", args=[open_team.alliance.slug, meeting.pk])
    client.force_login(open_team.users[role])
    assert client.get(url).status_code == 403
    client.force_login(open_team.users["manager"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["duration"] == 60
