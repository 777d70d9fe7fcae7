"""What one alliance records about a person stays with that alliance, and nobody can
make themself someone else's sponsor record.

The repro of the issue: a manager outside a confidential alliance picks one of its
sponsors in the sponsor match of their own alliance, then tries to read what the
confidential alliance recorded and to relink the executive's record to themself.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliances.access import MANAGERS_GROUP
from sponsors import services
from sponsors.models import Sponsor, Sponsorship
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import OwnOrganisationFactory, SponsorshipFactory, days_ago

pytestmark = pytest.mark.django_db

SECRET_AGENDA = "Hopes to run the combined analytics line if Aurora launches."
SECRET_NOTES = "Do not schedule on Fridays."


@pytest.fixture
def world(confidential_team):
    """Marcus champions the confidential alliance (with an agenda); Elena, the team's
    executive, is its executive sponsor; manager2 runs another alliance."""
    marcus = SponsorshipFactory(
        alliance=confidential_team.alliance,
        role=Sponsorship.Role.CHAMPION,
        sponsor__name="Marcus Webb",
        personal_agenda=SECRET_AGENDA,
        notes=SECRET_NOTES,
        since=days_ago(100),
    ).sponsor
    elena = SponsorshipFactory(
        alliance=confidential_team.alliance,
        sponsor__name="Elena Rossi",
        sponsor__user=confidential_team.users["executive"],
    ).sponsor
    manager2 = UserFactory(username="manager2", groups=[MANAGERS_GROUP])
    meridian = AllianceFactory(name="Meridian")
    MembershipFactory(alliance=meridian, user=manager2, role="manager")
    return confidential_team, marcus, elena, manager2, meridian


def test_choosing_a_sponsor_reveals_nothing_another_alliance_recorded(client, world):
    team, marcus, _elena, manager2, meridian = world
    client.force_login(manager2)
    chosen = client.post(reverse("sponsors:match", args=[meridian.slug]), {"sponsor": marcus.pk})
    assert chosen.status_code == 302
    assert Sponsorship.objects.filter(alliance=meridian, sponsor=marcus).exists()
    pages = [
        reverse("sponsors:profile", args=[marcus.pk]),
        reverse("sponsors:alliance", args=[meridian.slug]),
        reverse("sponsors:sponsor_edit", args=[marcus.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert SECRET_AGENDA not in html, url
        assert SECRET_NOTES not in html, url
    # The team's own manager still reads what their alliance recorded.
    client.force_login(team.users["manager"])
    profile = client.get(reverse("sponsors:profile", args=[marcus.pk])).content.decode()
    assert SECRET_AGENDA in profile


def test_a_manager_cannot_relink_an_executives_record_to_themself(client, world):
    team, _marcus, elena, manager2, meridian = world
    SponsorshipFactory(alliance=meridian, sponsor=elena, role=Sponsorship.Role.CHAMPION)
    client.force_login(manager2)
    url = reverse("sponsors:sponsor_edit", args=[elena.pk])
    assert "account" not in client.get(url).context["form"].fields
    data = {"name": elena.name, "seniority": elena.seniority, "account": "manager2"}
    client.post(url, data)
    elena.refresh_from_db()
    assert elena.user == team.users["executive"]
    elena.user = manager2
    with pytest.raises(ValidationError, match="Only an administrator links"):
        services.sponsor_update(sponsor=elena, by=manager2, interests=[])
    assert Sponsor.objects.get(pk=elena.pk).user == team.users["executive"]

    client.force_login(team.users["executive"])
    mine = client.get(reverse("sponsors:mine")).content.decode()
    assert team.alliance.name in mine


def test_a_new_person_links_only_the_adding_users_own_account(client, open_team):
    other = UserFactory(username="someone-else")
    manager = open_team.users["manager"]
    client.force_login(manager)
    url = reverse("sponsors:sponsorship_create", args=[open_team.alliance.slug])
    data = {
        "side": "ours",
        "role": "champion",
        "name": "New Person",
        "seniority": "c_suite",
        "since": days_ago(1).isoformat(),
    }
    OwnOrganisationFactory()
    refused = client.post(url, {**data, "account": other.username})
    assert refused.status_code == 400
    assert "Only an administrator links" in refused.content.decode()
    assert not Sponsor.objects.filter(name="New Person").exists()
    assert client.post(url, {**data, "account": manager.username}).status_code == 302
    assert Sponsor.objects.get(name="New Person").user == manager


def test_someone_elses_record_cannot_be_claimed_even_when_unlinked(world):
    """Claiming Marcus's record would make manager2 "the person themself", who reads
    every alliance's notes on him."""
    _team, marcus, _elena, manager2, meridian = world
    SponsorshipFactory(sponsor=marcus, alliance=meridian, role=Sponsorship.Role.CHAMPION)
    marcus.user = manager2
    with pytest.raises(ValidationError):
        services.sponsor_update(sponsor=marcus, by=manager2, interests=[])
    assert Sponsor.objects.get(pk=marcus.pk).user is None
