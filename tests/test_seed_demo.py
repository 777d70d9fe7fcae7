"""`manage.py seed_demo` gives a newcomer a working demo, and can run twice."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from alliances.access import visible_alliances
from alliances.demo import CONFIDENTIAL_SLUG, DEMO_USERS
from alliances.models import Alliance, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


def test_seed_demo_is_idempotent_and_its_logins_work(demo, capsys):
    counts = (Alliance.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Alliance.objects.count(), Membership.objects.count()) == counts

    printed = capsys.readouterr().out
    request = RequestFactory().post("/accounts/login/")
    for demo in DEMO_USERS:
        assert f"{demo.username:<12} {demo.password}" in printed
        assert authenticate(request, username=demo.username, password=demo.password)


def test_demo_confidential_alliance_is_ceo_initiated_and_hidden_outside_its_team(demo):
    aurora = Alliance.objects.get(slug=CONFIDENTIAL_SLUG)
    assert aurora.is_confidential
    assert aurora.origin == Alliance.Origin.EXECUTIVE
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert aurora in visible_alliances(users.get(username="executive"))
    assert aurora not in visible_alliances(users.get(username="manager2"))
    assert aurora not in visible_alliances(users.get(username="viewer"))


def test_the_demo_is_written_through_the_services_as_a_named_system_user(demo):
    """A second run updates through the same services as the pages: the history names
    the system account (which nobody can log in as) for each change it makes."""
    from alliances.services import SYSTEM_USERNAME

    aurora = Alliance.objects.get(slug=CONFIDENTIAL_SLUG)
    assert aurora.history.earliest().history_user.username == "manager"  # who registered it
    call_command("seed_demo", "--quiet-logins")
    system = aurora.history.latest().history_user
    assert system.username == SYSTEM_USERNAME
    assert system.is_superuser
    assert not system.is_active  # nobody logs in as it
    assert not system.has_usable_password()
    kpi = Alliance.objects.get(slug="cobalt-cloud-co-sell").kpis.first()
    assert kpi.history.latest().history_user == system
    sponsorship = aurora.sponsorships.first()
    assert sponsorship.history.latest().history_user == system
