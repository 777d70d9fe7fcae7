"""Issue 27, "smaller things a first-time user trips on": a partner registered from the
alliance form, a picker that says people must join the team first, a superuser's
dashboard that admits alliances exist, KPI units that never read as a wrong plural, and
no possessive built on a name ("Northwind Systems's")."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from alliances import services
from alliances.models import Alliance, Organisation
from tests.factories import AllianceFactory, KPIFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = {"type": "technology", "stage": "exploring", "origin": "executive"}
NEW_PARTNER = {
    "new_partner_name": "Northwind  Systems",
    "new_partner_website": "northwind.example",
    "new_partner_industry": "Logistics software",
    "new_partner_country": "Denmark",
}


# 1. A new partner from the alliance register form ---------------------------------


def test_the_register_form_offers_to_register_a_new_partner(client, manager):
    client.force_login(manager)
    html = client.get(reverse("alliances:create")).content.decode()
    assert "Or register a new partner organisation" in html
    assert 'name="new_partner_name"' in html
    # Editing an alliance changes its partner through the list only.
    edit = reverse("alliances:edit", args=[Alliance.objects.get().slug])
    assert 'name="new_partner_name"' not in client.get(edit).content.decode()


def test_an_alliance_and_its_new_partner_are_registered_together(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("alliances:create"), {"name": "Northwind logistics", **REGISTER, **NEW_PARTNER}
    )
    assert response.status_code == 302
    alliance = Alliance.objects.get(name="Northwind logistics")
    partner = alliance.partner
    assert partner.name == "Northwind Systems"  # spaces collapsed, as everywhere
    assert partner.website == "https://northwind.example"
    assert (partner.industry, partner.country) == ("Logistics software", "Denmark")
    assert partner.created_by == manager
    assert not partner.is_own
    assert alliance.memberships.get().user == manager


def test_a_new_partner_named_like_one_the_user_sees_is_refused_with_a_link(client, manager):
    existing = OrganisationFactory(name="Northwind Systems")  # in no alliance: visible
    client.force_login(manager)
    data = {"name": "Northwind logistics", **REGISTER, **NEW_PARTNER}
    data["new_partner_name"] = "northwind systems"
    response = client.post(reverse("alliances:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "An organisation with this name already exists: pick it from the list." in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert not Alliance.objects.filter(name="Northwind logistics").exists()
    assert Organisation.objects.filter(name__iexact="northwind systems").count() == 1


def test_a_name_only_a_hidden_partner_bears_makes_a_separate_record(
    client, manager, confidential_team
):
    hidden = confidential_team.alliance.partner
    client.force_login(manager)
    data = {"name": "Second look", **REGISTER, **NEW_PARTNER, "new_partner_name": hidden.name}
    assert client.post(reverse("alliances:create"), data).status_code == 302
    assert Alliance.objects.get(name="Second look").partner != hidden
    assert Organisation.objects.filter(name=hidden.name).count() == 2


def test_nothing_is_saved_when_the_alliance_is_refused(client, manager, open_team):
    client.force_login(manager)
    data = {"name": open_team.alliance.name, **REGISTER, **NEW_PARTNER}
    response = client.post(reverse("alliances:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "An alliance with this name already exists." in html
    assert 'value="Northwind  Systems"' in html  # kept as typed, for the next try
    assert not Organisation.objects.filter(name="Northwind Systems").exists()


def test_the_service_saves_partner_and_alliance_in_one_transaction(manager, open_team):
    """The organisation is saved first; the alliance refused after it takes it back."""
    alliance = Alliance(name=open_team.alliance.name.upper(), **REGISTER)
    with pytest.raises(ValidationError) as refused:
        services.alliance_create(
            alliance=alliance, by=manager, new_partner=Organisation(name="Northwind Systems")
        )
    assert "name" in refused.value.message_dict
    assert not Organisation.objects.filter(name="Northwind Systems").exists()


def test_the_service_names_the_new_partner_in_its_errors(manager):
    OrganisationFactory(name="Northwind Systems")
    with pytest.raises(ValidationError) as refused:
        services.alliance_create(
            alliance=Alliance(name="Fresh", **REGISTER),
            by=manager,
            new_partner=Organisation(name="NORTHWIND SYSTEMS"),
        )
    assert set(refused.value.message_dict) == {"new_partner_name"}
    assert not Alliance.objects.filter(name="Fresh").exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({}, "partner", "Choose the partner organisation, or register a new one below."),
        (
            {"new_partner_country": "Denmark"},
            "new_partner_name",
            "Give the name of the new partner.",
        ),
        (
            {"new_partner_name": "Northwind Systems", "partner": "PARTNER"},
            "new_partner_name",
            "Choose a partner from the list or register a new one, not both.",
        ),
    ],
)
def test_partner_and_new_partner_are_validated_together(client, manager, extra, field, message):
    partner = OrganisationFactory()
    client.force_login(manager)
    extra = {k: partner.pk if v == "PARTNER" else v for k, v in extra.items()}
    response = client.post(reverse("alliances:create"), {"name": "Half", **REGISTER, **extra})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Alliance.objects.filter(name="Half").exists()
    assert not Organisation.objects.filter(name="Northwind Systems").exists()


# 2. The team pickers say that people must join the team first --------------------


def _search(client, team, q, purpose):
    url = reverse("alliances:people_search")
    return client.get(url, {"alliance": team.alliance.slug, "for": purpose, "q": q})


@pytest.mark.parametrize(
    ("purpose", "hint"),
    [
        ("owner", "Only members of this alliance's team can be picked"),
        ("assessor", "Only managers and contributors on this alliance's team"),
    ],
)
def test_a_team_picker_that_finds_nobody_links_to_the_team_page(client, open_team, purpose, hint):
    UserFactory(username="zz-out", first_name="Zebedee", last_name="Outside")
    client.force_login(open_team.users["manager"])
    html = _search(client, open_team, "zebedee", purpose).content.decode()
    assert "Nobody you may pick matches." in html
    assert hint in html
    assert f'href="{reverse("alliances:team", args=[open_team.alliance.slug])}"' in html


def test_the_team_page_picker_does_not_send_people_to_the_team_page(client, open_team):
    client.force_login(open_team.users["manager"])
    html = _search(client, open_team, "zebedee", "member").content.decode()
    assert "Nobody you may pick matches." in html
    assert "Team page" not in html


def test_without_javascript_the_assessor_picker_says_so_too(client, open_team):
    from tests.assessment_factories import make_version, start

    UserFactory(username="zz-out", first_name="Zebedee", last_name="Outside")
    manager = open_team.users["manager"]
    assessment = start(open_team, make_version(), assessors=("manager",))
    client.force_login(manager)
    url = reverse("assessments:assessors", args=[open_team.alliance.slug, assessment.pk])
    html = client.post(url, {"assessors": [manager.pk], "assessors_text": "Zebedee"})
    html = html.content.decode()
    assert "No active user you may pick matches “Zebedee”" in html
    assert "can be assessors: add people or change their role on the Team page." in html
    assert f'href="{reverse("alliances:team", args=[open_team.alliance.slug])}"' in html


# 3. A superuser on no team ---------------------------------------------------------


def test_a_superuser_on_no_team_is_told_how_many_alliances_exist(
    client, open_team, confidential_team
):
    AllianceFactory()
    AllianceFactory(is_confidential=True)
    client.force_login(open_team.users["superuser"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "No alliances yet" not in html
    assert "You are on no alliance's team" in html
    assert "4 alliances exist that you can see" in html
    assert f'href="{reverse("alliances:list")}"' in html


def test_a_manager_on_no_team_counts_only_what_they_may_see(client, open_team, confidential_team):
    client.force_login(open_team.users["outsider"])  # a manager on no team
    html = client.get(reverse("dashboard")).content.decode()
    assert "No alliances yet" not in html
    assert "One alliance exists that you can see" in html


def test_a_manager_in_an_empty_register_still_starts_with_the_first_alliance(client):
    from alliances.access import MANAGERS_GROUP

    client.force_login(UserFactory(username="first", groups=[MANAGERS_GROUP]))
    assert "No alliances yet" in client.get(reverse("dashboard")).content.decode()


# 4. KPI units ----------------------------------------------------------------------


def test_a_kpi_unit_never_follows_a_number_as_a_wrong_plural(client, open_team):
    KPIFactory(
        alliance=open_team.alliance, name="Joint solutions", unit="solutions", target=2, actual=1
    )
    client.force_login(open_team.users["viewer"])
    html = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Joint solutions" in html
    assert "1 solutions" not in html
    assert "measured in solutions" in html


# 5. No possessive on a name --------------------------------------------------------

# A name variable followed by 's: `{{ name }}'s`, `%(name)s's`, `{name}'s`.
POSSESSIVE = re.compile(r"(\}\}|%\(\w+\)s|\{\w+\})['’]s\b")
SKIP = {".venv", "locale", "node_modules", "tests", "static", ".git", "private"}


def _sources():
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*"):
        if path.suffix in {".html", ".txt", ".py"} and not SKIP & set(path.relative_to(root).parts):
            yield path


def test_no_sentence_builds_a_possessive_on_a_name():
    found = [
        f"{path.name}:{n}"
        for path in _sources()
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if POSSESSIVE.search(line)
    ]
    assert found == []


def test_the_sponsors_page_names_the_partner_without_a_possessive(client, open_team):
    partner = open_team.alliance.partner
    partner.name = "Northwind Systems"
    partner.save()
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:alliance", args=[open_team.alliance.slug])
    html = client.get(url).content.decode()
    assert "No one on the side of Northwind Systems yet." in html
    assert escape("Northwind Systems's") not in html
