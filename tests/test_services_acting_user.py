"""Every write is a service taken by a user: the service checks the right itself (so
views, commands and scripts cannot skip it) and the history names who did it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from alliances import services as alliance_services
from alliances.models import KPI, Membership
from sponsors import services as sponsor_services
from sponsors.models import PeerLink, Signal, Sponsorship
from tests.factories import UserFactory
from tests.sponsor_factories import (
    PartnerSponsorshipFactory,
    SponsorshipFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def test_a_manager_edits_the_alliance_and_the_history_names_them(open_team):
    alliance, manager = open_team.alliance, open_team.users["manager"]
    alliance.objectives = "Win the public sector"
    alliance_services.alliance_update(alliance=alliance, user=manager)
    latest = alliance.history.latest()
    assert (latest.objectives, latest.history_user) == ("Win the public sector", manager)


@pytest.mark.parametrize("role", ["viewer", "contributor", "executive", "outsider"])
def test_only_managers_edit_an_alliance_or_its_kpis(open_team, role):
    alliance, user = open_team.alliance, open_team.users[role]
    alliance.name = "Renamed"
    with pytest.raises(PermissionDenied):
        alliance_services.alliance_update(alliance=alliance, user=user)
    kpi = KPI(alliance=alliance, category="revenue", name="ARR", target=10, period="FY26")
    with pytest.raises(PermissionDenied):
        alliance_services.kpi_save(kpi=kpi, user=user)
    assert not KPI.objects.filter(name="ARR").exists()


def test_a_kpi_edit_is_saved_and_recorded(open_team):
    kpi = open_team.alliance.kpis.get()
    kpi.actual = Decimal("42")
    alliance_services.kpi_save(kpi=kpi, user=open_team.users["manager"])
    assert KPI.objects.get(pk=kpi.pk).actual == Decimal("42")
    assert kpi.history.latest().history_user == open_team.users["manager"]


def test_team_changes_need_the_right_to_manage_the_team(open_team):
    newcomer = UserFactory(username="newcomer")
    with pytest.raises(PermissionDenied):
        alliance_services.membership_add(
            alliance=open_team.alliance, user=newcomer, role="viewer", by=open_team.users["viewer"]
        )
    viewer = open_team.member("viewer")
    with pytest.raises(PermissionDenied):
        alliance_services.membership_remove(membership=viewer, by=open_team.users["contributor"])
    alliance_services.membership_add(
        alliance=open_team.alliance,
        user=newcomer,
        role="viewer",
        by=open_team.users["manager"],
    )
    added = Membership.objects.get(user=newcomer)
    assert added.history.latest().history_user == open_team.users["manager"]


def test_sponsor_writes_check_the_right_and_record_the_user(open_team):
    alliance = open_team.alliance
    ours = SponsorshipFactory(alliance=alliance)
    theirs = PartnerSponsorshipFactory(alliance=alliance)
    contributor, manager = open_team.users["contributor"], open_team.users["manager"]

    ours.motive_corporate = "Changed by someone who may not"
    with pytest.raises(PermissionDenied):
        sponsor_services.sponsorship_update(sponsorship=ours, user=contributor)
    with pytest.raises(PermissionDenied):
        sponsor_services.peer_link_save(
            link=PeerLink(alliance=alliance, ours=ours.sponsor, theirs=theirs.sponsor),
            user=contributor,
        )
    with pytest.raises(PermissionDenied):
        sponsor_services.signal_record(
            signal=Signal(sponsorship=ours, kind="kpi_review", date=days_ago(1)),
            recorded_by=open_team.users["viewer"],
        )
    signal = sponsor_services.signal_record(
        signal=Signal(sponsorship=ours, kind="kpi_review", date=days_ago(1)),
        recorded_by=contributor,
    )
    assert signal.history.latest().history_user == contributor
    ours.motive_corporate = "Growth in the public sector"
    sponsor_services.sponsorship_update(sponsorship=ours, user=manager)
    assert Sponsorship.objects.get(pk=ours.pk).history.latest().history_user == manager
