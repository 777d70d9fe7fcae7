"""The demo shows My work to every login: each has something that needs them, and the
manager has heard that the Aurora decision is NO-GO."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from alliances.demo import DEMO_USERS
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


def my_work_of(client, username):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("dashboard")).context["my_work"]


def test_every_demo_login_has_work_and_each_item_leads_to_a_page(client, demo):
    for demo_user in DEMO_USERS:
        if demo_user.username == "executive":
            continue  # their sign-off waiting on Cobalt comes with executive sign-off
        items = my_work_of(client, demo_user.username)
        assert items, f"{demo_user.username} has nothing on My work"
        for item in items:
            assert client.get(item.url.split("#")[0]).status_code == 200, item


def test_the_contributor_has_answers_due_on_cobalt(client, demo):
    due = [i for i in my_work_of(client, "contributor") if i.kind == "answers_due"]
    assert [i.alliance_name for i in due] == ["Cobalt Cloud co-sell"]
    assert "questions answered" in due[0].detail


def test_the_manager_was_told_the_aurora_decision_is_no_go(demo):
    told = Notification.objects.get(
        recipient__username="manager", kind=Kind.DECISION_CHANGED, alliance__name="Project Aurora"
    )
    assert told.title == "Project Aurora: the decision is now NO-GO"
    assert told.body.startswith("From INCOMPLETE to NO-GO because ")
