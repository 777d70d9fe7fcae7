"""Who may change an organisation: no manager can rename another team's partner or
make any organisation "ours"; there is exactly one organisation of ours."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliances import services
from alliances.access import MANAGERS_GROUP
from alliances.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.sponsor_factories import OwnOrganisationFactory

pytestmark = pytest.mark.django_db

HOSTILE = 'Helios Analytics<img src=x onerror="alert(1)">'


def edit(client, organisation, **changes):
    data = {"name": organisation.name, "website": "", "industry": "", "country": ""}
    data.update(size_band="", **changes)
    return client.post(reverse("alliances:partner_edit", args=[organisation.pk]), data)


@pytest.mark.parametrize("confidential", [False, True])
def test_a_manager_outside_the_team_cannot_rename_its_partner(
    client, open_team, confidential_team, confidential
):
    team = confidential_team if confidential else open_team
    partner = team.alliance.partner
    client.force_login(team.users["outsider"])
    assert client.get(reverse("alliances:partner_edit", args=[partner.pk])).status_code in (
        403,
        404,
    )
    response = edit(client, partner, name=HOSTILE)
    assert response.status_code in (403, 404)
    partner.refresh_from_db()
    assert partner.name != HOSTILE


def test_the_alliance_manager_edits_the_partner_but_cannot_make_it_ours(client, open_team):
    partner = open_team.alliance.partner
    client.force_login(open_team.users["manager"])
    form_page = client.get(reverse("alliances:partner_edit", args=[partner.pk]))
    assert "is_own" not in form_page.context["form"].fields
    response = edit(client, partner, name="Helios Analytics GmbH", is_own="on")
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.is_own) == ("Helios Analytics GmbH", False)


def test_the_service_refuses_our_flag_from_a_manager(open_team):
    partner = open_team.alliance.partner
    partner.is_own = True
    with pytest.raises(PermissionDenied):
        services.organisation_save(organisation=partner, by=open_team.users["manager"])
    assert not Organisation.objects.get(pk=partner.pk).is_own


def test_there_is_only_one_organisation_of_ours(client, open_team):
    ours = OwnOrganisationFactory()
    other = OrganisationFactory(name="Second Self Ltd")
    client.force_login(open_team.users["superuser"])
    response = edit(client, other, is_own="on")
    assert response.status_code == 200
    assert "Another organisation is already ours" in response.content.decode()
    assert list(Organisation.objects.filter(is_own=True)) == [ours]
    other.is_own = True
    with pytest.raises(ValidationError):
        services.organisation_save(organisation=other, by=open_team.users["superuser"])


def test_the_registering_manager_mends_a_new_organisation_until_it_has_an_alliance(
    client, open_team
):
    registrar = UserFactory(username="registrar", groups=[MANAGERS_GROUP])
    client.force_login(registrar)
    client.post(reverse("alliances:partner_create"), {"name": "Typo Corp", "size_band": ""})
    fresh = Organisation.objects.get(name="Typo Corp")
    assert fresh.created_by == registrar
    assert edit(client, fresh, name="Tycho Corp").status_code == 302
    detail = client.get(fresh.get_absolute_url()).content.decode()
    assert reverse("alliances:partner_edit", args=[fresh.pk]) in detail

    fresh.refresh_from_db()
    open_team.alliance.partner = fresh
    open_team.alliance.save()
    assert edit(client, fresh, name="Taken Over Ltd").status_code == 403
    detail = client.get(fresh.get_absolute_url()).content.decode()
    assert reverse("alliances:partner_edit", args=[fresh.pk]) not in detail
