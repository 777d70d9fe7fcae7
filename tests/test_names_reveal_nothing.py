"""A name check tells nobody what they may not see (alliances/names.py).

On the demo: manager2 is an alliance manager outside the team of the confidential
Project Aurora, whose partner Helios Analytics is partner of nothing else. Names are
unique (any case) among what the user may see; a name only hidden records bear is
free; every registered alliance's slug is its name's plus a random suffix.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify

from alliances import services
from alliances.models import Alliance, Organisation
from tests.factories import AllianceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

AURORA = "project-aurora"


def alliance_data(partner, **overrides):
    return {
        "name": "Fresh alliance",
        "partner": partner.pk,
        "type": "technology",
        "stage": "exploring",
        "origin": "bottom_up",
        "objectives": "",
        **overrides,
    }


def organisation_data(**overrides):
    blank = {"name": "Fresh Ltd", "website": "", "industry": "", "country": "", "size_band": ""}
    return blank | overrides


def suffix_shape(slug: str, name: str) -> str:
    """The slug with the name's part taken off: what it adds to the name."""
    base = slugify(name)
    assert slug.startswith(f"{base}-"), slug
    return re.sub(r"[a-z2-7]", "x", slug.removeprefix(base))


@pytest.fixture
def manager2(seeded_demo, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="manager2")
    client.force_login(user)
    return user


@pytest.fixture
def meridian(seeded_demo):
    """A partner manager2 may see (of the open alliance they run)."""
    return Organisation.objects.get(name="Meridian Robotics")


def register(client, partner, name):
    return client.post(reverse("alliances:create"), alliance_data(partner, name=name))


def test_a_hidden_alliance_name_is_accepted_with_a_slug_that_says_nothing(
    client, manager2, meridian
):
    aurora = Alliance.objects.get(slug=AURORA)
    assert register(client, meridian, "project aurora").status_code == 302
    clashing = Alliance.objects.exclude(pk=aurora.pk).get(name="project aurora")
    assert register(client, meridian, "Never used before").status_code == 302
    fresh = Alliance.objects.get(name="Never used before")
    # The same shape, clash or none: the name's slug, a hyphen, six random characters.
    assert suffix_shape(clashing.slug, "project aurora") == "-xxxxxx"
    assert suffix_shape(fresh.slug, "Never used before") == "-xxxxxx"
    assert clashing.slug != AURORA
    # The finding's example: no "-2" telling that "project-aurora" is taken.
    assert register(client, meridian, "Project-Aurora!").status_code == 302
    punctuated = Alliance.objects.get(name="Project-Aurora!")
    assert suffix_shape(punctuated.slug, "Project-Aurora!") == "-xxxxxx"
    # Confidential Project Aurora is untouched; its team sees both.
    aurora.refresh_from_db()
    assert (aurora.name, aurora.slug, aurora.is_confidential) == ("Project Aurora", AURORA, True)


def test_the_slug_suffix_is_random_not_counted(client, manager2, meridian):
    slugs = set()
    for n in range(3):
        name = f"Same base {'!' * (n + 1)}"  # one slug base, three different names
        assert register(client, meridian, name).status_code == 302
        slugs.add(Alliance.objects.get(name=name).slug)
    assert len(slugs) == 3
    assert not slugs & {"same-base", "same-base-2", "same-base-3"}


def test_a_visible_alliance_name_is_refused_in_any_case_with_a_link(client, manager2, meridian):
    before = Alliance.objects.count()
    for name in ("COBALT cloud co-sell", "meridian  Warehouse automation"):
        response = register(client, meridian, name)
        assert response.status_code == 200
        (error,) = response.context["form"].errors["name"]
        assert "An alliance with this name already exists." in error
    # The link leads to the alliance that bears the name (an HTML link, its name escaped).
    assert 'href="/alliances/meridian-warehouse-automation/"' in response.content.decode()
    assert Alliance.objects.count() == before


def test_a_hidden_partner_name_makes_a_separate_organisation(client, manager2):
    helios = Organisation.objects.get(name="Helios Analytics")
    response = client.post(
        reverse("alliances:partner_create"), organisation_data(name="helios analytics")
    )
    assert response.status_code == 302
    mine = Organisation.objects.get(name="helios analytics")
    assert mine.pk != helios.pk
    assert mine.created_by == manager2
    # The confidential alliance keeps its partner.
    assert Alliance.objects.get(slug=AURORA).partner == helios


def test_a_visible_organisation_name_is_refused_in_any_case_with_a_link(client, manager2):
    cobalt = Organisation.objects.get(name="Cobalt Cloud Services")
    before = Organisation.objects.count()
    response = client.post(
        reverse("alliances:partner_create"), organisation_data(name="  cobalt CLOUD services ")
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["name"]
    assert "An organisation with this name already exists: pick it from the list." in error
    assert f'href="{cobalt.get_absolute_url()}"' in response.content.decode()
    assert Organisation.objects.count() == before


def test_renaming_follows_the_same_rule(client, manager2):
    meridian_alliance = Alliance.objects.get(slug="meridian-warehouse-automation")
    url = reverse("alliances:edit", args=[meridian_alliance.slug])
    data = alliance_data(meridian_alliance.partner, objectives="Robots")
    refused = client.post(url, data | {"name": "Quartz EMBEDDED payments"})
    assert "already exists" in " ".join(refused.context["form"].errors["name"])
    assert client.post(url, data | {"name": "PROJECT AURORA"}).status_code == 302
    meridian_alliance.refresh_from_db()
    assert meridian_alliance.name == "PROJECT AURORA"
    assert meridian_alliance.slug == "meridian-warehouse-automation"  # links stay valid


def test_the_team_still_edits_its_alliance_when_an_open_one_shares_its_name(
    client, manager2, meridian
):
    register(client, meridian, "Project Aurora")
    aurora = Alliance.objects.get(slug=AURORA)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="manager"))
    url = reverse("alliances:edit", args=[AURORA])
    data = alliance_data(aurora.partner, name="Project Aurora", is_confidential="on")
    assert client.post(url, data | {"objectives": "Kept its name"}).status_code == 302
    aurora.refresh_from_db()
    assert aurora.objectives == "Kept its name"
    # Made open, it would be a second open alliance of that name: refused, not a 500.
    opened = client.post(url, data | {"is_confidential": ""})
    assert opened.status_code == 200
    assert "An open alliance already has this name" in opened.content.decode()
    aurora.refresh_from_db()
    assert aurora.is_confidential


def test_the_services_check_names_too(confidential_team, open_team):
    outsider = confidential_team.users["outsider"]
    hidden = confidential_team.alliance
    partner = open_team.alliance.partner
    made = services.alliance_create(
        alliance=Alliance(name=hidden.name.upper(), partner=partner, type="rnd", origin="partner"),
        by=outsider,
    )
    assert suffix_shape(made.slug, hidden.name) == "-xxxxxx"
    with pytest.raises(ValidationError, match="already exists"):
        services.alliance_create(
            alliance=Alliance(
                name=open_team.alliance.name, partner=partner, type="rnd", origin="partner"
            ),
            by=outsider,
        )
    # The team sees both now: a new one by that name is refused for them.
    with pytest.raises(ValidationError, match="already exists"):
        services.alliance_create(
            alliance=Alliance(name=hidden.name, partner=partner, type="rnd", origin="partner"),
            by=confidential_team.users["manager"],
        )
    twin = Organisation(name=hidden.partner.name.lower())
    assert services.organisation_save(organisation=twin, by=outsider).pk != hidden.partner.pk
    with pytest.raises(ValidationError, match="pick it from the list"):
        services.organisation_save(organisation=Organisation(name=partner.name), by=outsider)


def test_an_unused_organisation_counts_for_everyone(client, confidential_team):
    OrganisationFactory(name="Nobody's Partner Yet")
    client.force_login(confidential_team.users["outsider"])
    response = client.post(
        reverse("alliances:partner_create"), organisation_data(name="nobody's partner yet")
    )
    assert "already exists" in " ".join(response.context["form"].errors["name"])


def test_the_admin_refuses_a_name_only_among_what_its_user_sees(client, confidential_team):
    hidden = confidential_team.alliance.partner
    root = confidential_team.users["superuser"]
    client.force_login(root)
    response = client.post(
        reverse("admin:alliances_organisation_add"), {"name": hidden.name.upper(), "website": ""}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Organisation.objects.filter(name__iexact=hidden.name).count() == 1


def test_two_open_alliances_never_share_a_name_in_the_database(open_team):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceFactory(name=open_team.alliance.name.swapcase())
    AllianceFactory(name=open_team.alliance.name.swapcase(), is_confidential=True)
