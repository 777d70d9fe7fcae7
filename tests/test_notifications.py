"""Notifications reach only people who may see the alliance, once per key, and by e-mail
as each person chose; confidential alliances are never named in an e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Delivery, DeliveryPreference, Kind, Notification
from notifications.services import notify
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def tell(team, recipients, *, key=None, kind=Kind.DECISION_CHANGED, actor=None):
    return notify(
        kind,
        alliance=team.alliance,
        recipients=recipients,
        title=f"{team.alliance.name}: the decision is now NO-GO",
        body="From GO to NO-GO because a showstopper was found.",
        url=team.alliance.get_absolute_url(),
        actor=actor,
        key=key,
    )


def test_a_confidential_alliance_notifies_only_its_team(confidential_team):
    users = confidential_team.users
    created = tell(confidential_team, [users["outsider"], users["viewer"], users["superuser"]])
    assert {n.recipient for n in created} == {users["viewer"], users["superuser"]}
    assert not Notification.objects.filter(recipient=users["outsider"]).exists()


def test_an_open_alliance_may_notify_anyone_signed_in(open_team):
    created = tell(open_team, [open_team.users["outsider"]])
    assert [n.recipient for n in created] == [open_team.users["outsider"]]


def test_nobody_hears_of_what_they_did_themselves(open_team):
    manager = open_team.users["manager"]
    created = tell(open_team, [manager, open_team.users["viewer"]], actor=manager)
    assert [n.recipient for n in created] == [open_team.users["viewer"]]


def test_a_key_makes_a_reminder_exist_once(open_team, django_capture_on_commit_callbacks):
    viewer = open_team.users["viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(open_team, [viewer], key="signal_overdue:sponsorship:1:2026-11-23")
        second = tell(open_team, [viewer], key="signal_overdue:sponsorship:1:2026-11-23")
    assert len(first) == 1
    assert second == []
    assert Notification.objects.filter(recipient=viewer).count() == 1
    assert len(mail.outbox) == 1


def test_the_email_of_a_confidential_alliance_names_nothing(
    confidential_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(confidential_team, [confidential_team.users["manager"]])
    (message,) = mail.outbox
    assert message.subject == "[Alliance Readiness] News on a confidential alliance"
    assert confidential_team.alliance.name not in message.subject + message.body
    assert "NO-GO" not in message.body
    assert message.to == [confidential_team.users["manager"].email]


def test_the_email_of_an_open_alliance_says_what_and_links_to_it(
    open_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (created,) = tell(open_team, [open_team.users["manager"]])
    (message,) = mail.outbox
    assert open_team.alliance.name in message.subject
    assert "From GO to NO-GO because" in message.body
    assert reverse("notifications:open", args=[created.pk]) in message.body
    created.refresh_from_db()
    assert created.emailed_at is not None


def test_removing_a_member_deletes_their_unread_notifications_of_that_alliance(open_team):
    viewer = open_team.users["viewer"]
    read, _unread = tell(open_team, [viewer]) + tell(open_team, [viewer])
    read.read_at = read.created_at
    read.save()
    elsewhere = MembershipFactory(user=viewer).alliance
    other = notify(Kind.BRIEF_READY, alliance=elsewhere, recipients=[viewer], title="Brief")
    open_team.member("viewer").delete()
    assert set(Notification.objects.filter(recipient=viewer)) == {read, *other}


def test_an_unknown_kind_is_refused(open_team):
    with pytest.raises(ValueError, match="gossip"):
        tell(open_team, [open_team.users["viewer"]], kind="gossip")


def test_an_inactive_user_hears_nothing(open_team):
    gone = UserFactory(is_active=False)
    assert tell(open_team, [gone]) == []


def test_off_means_no_email_but_the_notification_shows(
    open_team, django_capture_on_commit_callbacks
):
    viewer = open_team.users["viewer"]
    DeliveryPreference.objects.create(
        user=viewer, kind=Kind.DECISION_CHANGED, delivery=Delivery.OFF
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell(open_team, [viewer])
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=viewer).count() == 1
