"""Registering, editing, archiving alliances and running their team."""

import re

import pytest
from django.urls import reverse

from alliances.models import Alliance, Membership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creator_becomes_manager_of_the_new_alliance(client, manager):
    partner = OrganisationFactory()
    client.force_login(manager)
    response = client.post(
        reverse("alliances:create"),
        {
            "name": "Atlas  data   exchange",
            "partner": partner.pk,
            "type": "technology",
            "stage": "exploring",
            "origin": "executive",
            "objectives": "Grow data revenue",
            "is_confidential": "on",
        },
    )
    alliance = Alliance.objects.get(name="Atlas data exchange")
    assert response.status_code == 302
    assert response.url == alliance.get_absolute_url()
    # The name's slug and a random suffix, whatever slugs exist (alliances/names.py).
    assert re.fullmatch(r"atlas-data-exchange-[a-z2-7]{6}", alliance.slug)
    assert alliance.is_confidential
    assert alliance.memberships.get().user == manager
    assert alliance.memberships.get().role == Membership.Role.MANAGER


def test_archive_asks_first_then_hides_the_alliance_from_the_list(client, open_team):
    alliance, manager = open_team.alliance, open_team.users["manager"]
    client.force_login(manager)
    confirm = client.get(reverse("alliances:archive", args=[alliance.slug]))
    assert b"Archive this alliance?" in confirm.content
    alliance.refresh_from_db()
    assert not alliance.is_archived

    client.post(reverse("alliances:archive", args=[alliance.slug]))
    alliance.refresh_from_db()
    assert alliance.is_archived
    listing = client.get(reverse("alliances:list"))
    assert alliance not in listing.context["alliances"]
    archived = client.get(reverse("alliances:list"), {"archived": "true"})
    assert list(archived.context["alliances"]) == [alliance]
    # Read-only while archived.
    assert client.get(reverse("alliances:edit", args=[alliance.slug])).status_code == 403

    client.post(reverse("alliances:restore", args=[alliance.slug]))
    alliance.refresh_from_db()
    assert not alliance.is_archived


def test_manager_adds_a_member_by_email_and_changes_their_role(client, open_team):
    alliance = open_team.alliance
    newcomer = UserFactory(username="newcomer", email="New.Comer@example.com")
    client.force_login(open_team.users["manager"])
    client.post(
        reverse("alliances:team", args=[alliance.slug]),
        {"who": "new.comer@example.com", "role": "viewer"},
    )
    membership = alliance.memberships.get(user=newcomer)
    assert membership.role == "viewer"
    client.post(
        reverse("alliances:member_role", args=[alliance.slug, membership.pk]),
        {"role": "contributor"},
    )
    membership.refresh_from_db()
    assert membership.role == "contributor"


def test_adding_someone_twice_is_refused_with_a_message(client, open_team):
    client.force_login(open_team.users["manager"])
    response = client.post(
        reverse("alliances:team", args=[open_team.alliance.slug]),
        {"who": open_team.users["viewer"].username, "role": "manager"},
    )
    assert response.status_code == 200
    assert "already on the team" in response.content.decode()
    assert open_team.member("viewer").role == "viewer"


def test_the_last_manager_can_be_neither_removed_nor_demoted(client, open_team):
    alliance = open_team.alliance
    last = open_team.member("manager")
    client.force_login(open_team.users["manager"])
    response = client.post(
        reverse("alliances:member_remove", args=[alliance.slug, last.pk]), follow=True
    )
    assert "at least one manager" in response.content.decode()
    response = client.post(
        reverse("alliances:member_role", args=[alliance.slug, last.pk]),
        {"role": "viewer"},
        follow=True,
    )
    assert "at least one manager" in response.content.decode()
    last.refresh_from_db()
    assert last.role == "manager"


def test_a_second_manager_lets_the_first_step_down(client, open_team):
    alliance = open_team.alliance
    client.force_login(open_team.users["manager"])
    contributor = open_team.member("contributor")
    client.post(
        reverse("alliances:member_role", args=[alliance.slug, contributor.pk]),
        {"role": "manager"},
    )
    first = alliance.memberships.get(user=open_team.users["manager"])
    client.post(reverse("alliances:member_remove", args=[alliance.slug, first.pk]))
    assert not alliance.memberships.filter(user=open_team.users["manager"]).exists()


def test_membership_changes_are_kept_in_history(client, open_team):
    membership = open_team.member("viewer")
    client.force_login(open_team.users["manager"])
    client.post(
        reverse("alliances:member_role", args=[open_team.alliance.slug, membership.pk]),
        {"role": "executive"},
    )
    history = membership.history.order_by("history_date")
    assert [h.role for h in history] == ["viewer", "executive"]
    assert history.last().history_user == open_team.users["manager"]


def test_kpi_attainment_shows_on_the_alliance_page(client, open_team):
    client.force_login(open_team.users["viewer"])
    response = client.get(open_team.alliance.get_absolute_url())
    assert "80 %" in response.content.decode()  # factory KPI: 80 of 100


def test_confidential_alliance_is_absent_from_lists_and_counts_for_outsiders(
    client, confidential_team, open_team
):
    outsider = confidential_team.users["outsider"]
    client.force_login(outsider)
    listing = client.get(reverse("alliances:list")).content.decode()
    assert confidential_team.alliance.name not in listing
    assert open_team.alliance.name in listing
    hidden_partner = confidential_team.alliance.partner
    # A partner known only from a confidential alliance does not exist for outsiders.
    partner = client.get(reverse("alliances:partner_detail", args=[hidden_partner.pk]))
    assert partner.status_code == 404
    assert hidden_partner.name not in partner.content.decode()
    edit = client.get(reverse("alliances:partner_edit", args=[hidden_partner.pk]))
    assert edit.status_code == 404
    partners = client.get(reverse("alliances:partner_list"), {"q": hidden_partner.name})
    assert list(partners.context["organisations"]) == []
    everyone = client.get(reverse("alliances:partner_list"))
    assert hidden_partner.name not in everyone.content.decode()
    assert open_team.alliance.partner.name in everyone.content.decode()


def test_a_partner_of_open_and_confidential_alliances_counts_only_the_open_one(
    client, confidential_team, open_team
):
    shared = open_team.alliance.partner
    confidential_team.alliance.partner = shared
    confidential_team.alliance.save()
    client.force_login(confidential_team.users["outsider"])
    partners = client.get(reverse("alliances:partner_list"), {"q": shared.name})
    assert [o.alliance_count for o in partners.context["organisations"]] == [1]
    page = client.get(reverse("alliances:partner_detail", args=[shared.pk])).content.decode()
    assert open_team.alliance.name in page
    assert confidential_team.alliance.name not in page
    # Its team sees both.
    client.force_login(confidential_team.users["manager"])
    partners = client.get(reverse("alliances:partner_list"), {"q": shared.name})
    assert [o.alliance_count for o in partners.context["organisations"]] == [2]


def test_an_organisation_in_no_alliance_yet_is_listed_for_everyone(client, confidential_team):
    from tests.factories import OrganisationFactory

    fresh = OrganisationFactory(name="Brand new partner")
    client.force_login(confidential_team.users["viewer"])
    assert client.get(reverse("alliances:partner_detail", args=[fresh.pk])).status_code == 200
