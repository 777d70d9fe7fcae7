"""Notifications reach only people who may see the alliance, once per key, and by e-mail
as each person chose; confidential alliances are never named in an e-mail."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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
        by=actor,
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
    assert open_team.alliance.get_absolute_url() in message.body
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


def test_the_list_shows_my_notifications_newest_first_and_pages_them(client, open_team):
    viewer = open_team.users["viewer"]
    for n in range(30):
        notify(Kind.BRIEF_READY, alliance=open_team.alliance, recipients=[viewer], title=f"N{n}")
    client.force_login(viewer)
    first = client.get(reverse("notifications:list"))
    shown = [n.title for n in first.context["notifications"]]
    assert shown[0] == "N29"
    assert len(shown) == 25
    second = client.get(reverse("notifications:list") + "?page=2")
    assert [n.title for n in second.context["notifications"]][-1] == "N0"
    assert 'id="nav-unread">30<' in first.content.decode()


def test_the_bell_counts_my_unread_notifications_only(client, open_team):
    viewer, manager = open_team.users["viewer"], open_team.users["manager"]
    for title in ("A", "B", "C"):
        notify(Kind.BRIEF_READY, alliance=open_team.alliance, recipients=[viewer], title=title)
    notify(Kind.BRIEF_READY, alliance=open_team.alliance, recipients=[manager], title="D")
    Notification.objects.filter(title="A").update(read_at=timezone.now())
    client.force_login(viewer)
    assert 'id="nav-unread">2<' in client.get(reverse("alliances:list")).content.decode()
    Notification.objects.filter(recipient=viewer).update(read_at=timezone.now())
    assert 'id="nav-unread"' not in client.get(reverse("alliances:list")).content.decode()


def test_an_empty_list_says_what_will_come(client, open_team):
    client.force_login(open_team.users["viewer"])
    assert "No notifications yet" in client.get(reverse("notifications:list")).content.decode()


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(client, open_team):
    viewer = open_team.users["viewer"]
    (created,) = tell(open_team, [viewer])
    client.force_login(viewer)
    response = client.get(reverse("notifications:open", args=[created.pk]))
    assert response.url == open_team.alliance.get_absolute_url()
    created.refresh_from_db()
    assert created.is_read


def test_mark_read_and_mark_all_read(client, open_team):
    viewer = open_team.users["viewer"]
    one, two, three = (
        tell(open_team, [viewer]) + tell(open_team, [viewer]) + tell(open_team, [viewer])
    )
    client.force_login(viewer)
    assert client.post(reverse("notifications:read", args=[one.pk])).status_code == 302
    assert set(Notification.objects.filter(read_at=None)) == {two, three}
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at=None).exists()


def test_mark_read_is_a_post(client, open_team):
    viewer = open_team.users["viewer"]
    (created,) = tell(open_team, [viewer])
    client.force_login(viewer)
    assert client.get(reverse("notifications:read", args=[created.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_someone_elses_notification_does_not_exist(client, open_team):
    (theirs,) = tell(open_team, [open_team.users["viewer"]])
    client.force_login(open_team.users["manager"])
    for name, method in (("open", "get"), ("read", "post")):
        response = getattr(client, method)(reverse(f"notifications:{name}", args=[theirs.pk]))
        assert response.status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_a_read_notification_of_a_confidential_alliance_i_left_is_gone_from_my_list(
    client, confidential_team
):
    viewer = confidential_team.users["viewer"]
    (read,) = tell(confidential_team, [viewer])
    client.force_login(viewer)
    client.get(reverse("notifications:open", args=[read.pk]))
    confidential_team.member("viewer").delete()
    page = client.get(reverse("notifications:list")).content.decode()
    assert confidential_team.alliance.name not in page
    assert client.get(reverse("notifications:open", args=[read.pk])).status_code == 404


def test_preferences_page_stores_each_choice_and_refuses_nonsense(client, open_team):
    viewer = open_team.users["viewer"]
    client.force_login(viewer)
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data[Kind.DECISION_CHANGED] = Delivery.OFF
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    stored = DeliveryPreference.objects.get(user=viewer, kind=Kind.DECISION_CHANGED)
    assert stored.delivery == Delivery.OFF
    data[Kind.BRIEF_READY] = "carrier-pigeon"
    data[Kind.DECISION_CHANGED] = Delivery.DIGEST
    refused = client.post(reverse("notifications:preferences"), data)
    assert refused.status_code == 200
    assert "carrier-pigeon is not one of the available choices" in refused.content.decode()
    # Nothing half-saved.
    assert not DeliveryPreference.objects.filter(delivery="carrier-pigeon").exists()
    stored.refresh_from_db()
    assert stored.delivery == Delivery.OFF
