"""The seeded demo tells the sponsor story: run `seed_demo` and look."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


def counts():
    return [m.objects.count() for m in (Sponsor, Sponsorship, Signal, PeerLink)]


def test_seeding_twice_changes_nothing(demo):
    before = counts()
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert counts() == before


def test_aurora_shows_both_executive_sponsors_their_health_and_the_track_day_rapport(client, demo):
    client.force_login(Sponsor.objects.get(name="Elena Rossi").user)
    response = client.get(reverse("sponsors:alliance", args=["project-aurora"]))
    overview = response.context["overview"]
    assert overview.our_executive_sponsor.sponsor.user.username == "executive"
    assert overview.partner_executive_sponsor.sponsor.organisation.name == "Helios Analytics"
    assert overview.rapport.shared_interests == ("porsche-911-gt3-track-days",)
    allocation = overview.health.indicator("allocation_delay")
    # The budget request took five weeks; the people request nine days.
    assert allocation.figure == "Median 22 days over 2 allocations"
    assert overview.health.indicator("advocacy").figure == "1 mention in the last 90 days"
    assert overview.health.score is not None
    html = response.content.decode()
    assert "EUR 400k for the predictive-analytics pilot team" in html
    assert "35 days later" in html
    assert "KPI review" in html


def test_the_demo_executive_sees_my_sponsorships(client, demo):
    client.force_login(Sponsor.objects.get(name="Elena Rossi").user)
    response = client.get(reverse("sponsors:mine"))
    alliances = [s.alliance.slug for s in response.context["profile"].active]
    assert sorted(alliances) == ["project-aurora", "quartz-embedded-payments"]
    assert "No KPI review for 120 days." in response.content.decode()


def test_cobalt_has_no_sponsor_on_our_side_and_match_ranks_our_executives(client, demo):
    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(reverse("sponsors:match", args=["cobalt-cloud-co-sell"]))
    ranked = [person.name for person, _ in response.context["candidates"]]
    assert response.context["current"] is None
    assert len(ranked) >= 4
    assert ranked[0] == "Hannah Schmidt"
    assert Sponsor.objects.filter(organisation__is_own=True, user__isnull=True).count() >= 3


def test_the_demo_viewer_never_reads_a_personal_agenda(client, demo):
    client.force_login(get_user_model().objects.get(username="viewer"))
    agendas = [s.personal_agenda for s in Sponsorship.objects.exclude(personal_agenda="")]
    assert agendas
    for sponsor in Sponsor.objects.all():
        response = client.get(reverse("sponsors:profile", args=[sponsor.pk]))
        for agenda in agendas:
            assert agenda not in response.content.decode()
    for slug in ["cobalt-cloud-co-sell", "meridian-warehouse-automation"]:
        html = client.get(reverse("sponsors:alliance", args=[slug])).content.decode()
        for agenda in agendas:
            assert agenda not in html
