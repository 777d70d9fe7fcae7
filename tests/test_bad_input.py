"""Bad input to the register: a clear message and a 4xx or a form error, never a 500,
and nothing saved."""

import pytest
from django.urls import reverse

from alliances.models import KPI, Alliance, Membership, Organisation
from tests.factories import AllianceFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_manager(client, open_team):
    client.force_login(open_team.users["manager"])
    return client


def valid_alliance(organisation, **overrides):
    return {
        "name": "Fresh alliance",
        "partner": organisation.pk,
        "type": "technology",
        "stage": "exploring",
        "origin": "bottom_up",
        "objectives": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"stage": "hibernating"}, "stage", "Select a valid choice"),
        ({"type": "<script>"}, "type", "Select a valid choice"),
        ({"partner": "not-a-number"}, "partner", "Select a valid choice"),
        ({"partner": "999999"}, "partner", "Select a valid choice"),
        ({"objectives": "o" * 4001}, "objectives", "at most 4000 characters"),
        ({"name": "ALLIANCE DUPLICATE"}, "name", "already exists"),
    ],
)
def test_invalid_alliance_is_refused_with_a_message_and_not_saved(
    as_manager, overrides, field, message
):
    AllianceFactory(name="Alliance duplicate")
    partner = OrganisationFactory()
    before = Alliance.objects.count()
    response = as_manager.post(reverse("alliances:create"), valid_alliance(partner, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Alliance.objects.count() == before


def test_our_own_organisation_cannot_be_the_partner(as_manager):
    ours = OrganisationFactory(is_own=True)
    response = as_manager.post(reverse("alliances:create"), valid_alliance(ours))
    assert "partner" in response.context["form"].errors
    assert not Alliance.objects.filter(name="Fresh alliance").exists()


def test_edit_with_a_taken_name_keeps_the_old_one(as_manager, open_team):
    other = AllianceFactory(name="Taken name")
    alliance = open_team.alliance
    response = as_manager.post(
        reverse("alliances:edit", args=[alliance.slug]),
        valid_alliance(alliance.partner, name=" taken   NAME "),
    )
    assert "already exists" in response.content.decode()
    alliance.refresh_from_db()
    assert alliance.name != other.name


def test_unknown_filter_value_is_a_400_with_the_error_shown(as_manager):
    response = as_manager.get(reverse("alliances:list"), {"stage": "hibernating"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_unknown_page_number_is_a_404_not_a_500(as_manager):
    assert as_manager.get(reverse("alliances:list"), {"page": "999"}).status_code == 404
    assert as_manager.get(reverse("alliances:list"), {"page": "abc"}).status_code == 404


def test_a_member_id_from_another_alliance_is_a_404(as_manager, open_team):
    stranger = MembershipFactory(role=Membership.Role.VIEWER)  # on another alliance
    url = reverse("alliances:member_role", args=[open_team.alliance.slug, stranger.pk])
    assert as_manager.post(url, {"role": "manager"}).status_code == 404
    remove = reverse("alliances:member_remove", args=[open_team.alliance.slug, stranger.pk])
    assert as_manager.post(remove).status_code == 404
    stranger.refresh_from_db()
    assert stranger.role == "viewer"


def test_an_unknown_role_changes_nothing(as_manager, open_team):
    membership = open_team.member("viewer")
    url = reverse("alliances:member_role", args=[open_team.alliance.slug, membership.pk])
    response = as_manager.post(url, {"role": "owner"}, follow=True)
    assert "Choose one of the listed roles" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "viewer"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("", "This field is required."),
        ("nobody@example.com", "No active user"),
        ("w" * 255, "at most 254 characters"),
    ],
)
def test_adding_an_unknown_member_explains_why(as_manager, open_team, who, message):
    before = Membership.objects.count()
    response = as_manager.post(
        reverse("alliances:team", args=[open_team.alliance.slug]), {"who": who, "role": "viewer"}
    )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["who"])
    assert Membership.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target": "lots"}, "target"),
        ({"target": "0"}, "target"),
        ({"target": "1e30"}, "target"),
        ({"actual": "-5"}, "actual"),
        ({"category": "profit"}, "category"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_kpi_is_refused(as_manager, open_team, data, field):
    before = KPI.objects.count()
    payload = {"category": "revenue", "name": "ARR", "target": "100", "period": "FY26", **data}
    response = as_manager.post(
        reverse("alliances:kpi_create", args=[open_team.alliance.slug]), payload
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert KPI.objects.count() == before


def test_a_kpi_of_another_alliance_is_a_404(as_manager, open_team):
    foreign = KPI.objects.create(
        alliance=AllianceFactory(), category="revenue", name="Foreign", target=1, period="FY"
    )
    url = reverse("alliances:kpi_delete", args=[open_team.alliance.slug, foreign.pk])
    assert as_manager.post(url).status_code == 404
    assert KPI.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"website": "not a url at all"}, "website"),
        ({"size_band": "galactic"}, "size_band"),
        ({"country": "c" * 81}, "country"),
    ],
)
def test_invalid_organisation_is_refused(as_manager, data, field):
    before = Organisation.objects.count()
    payload = {"name": "Zenith GmbH", **data}
    response = as_manager.post(reverse("alliances:partner_create"), payload)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Organisation.objects.count() == before


def test_unknown_alliance_slug_is_a_404(as_manager):
    assert as_manager.get("/alliances/no-such-thing/").status_code == 404


# Posted into every field of every form of the demo, one field at a time.
FORM_HOSTILE = [
    "99999999999999999999",
    "9" * 5000,
    "-9223372036854775809",
    "1e309",
    "NaN",
    "²",
    "\x00",
    "x" * 10000,
    "2026-02-30",
    "no-such-choice",
]


def test_every_form_refuses_hostile_values_without_a_500_or_a_half_save(client):
    """Each form of the demo as its user would post it, then with one field at a time
    replaced by a value from FORM_HOSTILE: never a 500, and a refused post (4xx, or the
    form shown again) writes nothing."""
    from tests import fuzz

    users = fuzz.seed()
    fuzzer = fuzz.Fuzzer(users)
    sent = forms = 0
    for target in fuzz.targets():
        if "post" not in target.methods or target.name in {"logout", "login"}:
            continue
        for kwargs in target.kwargs:
            role = fuzz.ROLE_OF.get(kwargs.get("owner"), "manager")
            url = fuzz.url_of(target.name, {k: v for k, v in kwargs.items() if k != "owner"})
            fields = fuzzer.base_form(role, url, kwargs)
            if fields:
                break
        if not fields:
            continue
        forms += 1
        client.force_login(users[role])
        for index, (name, _) in enumerate(fields):
            for value in FORM_HOSTILE:
                data = [(k, f"fuzz {sent}" if v == fuzz.FILL else v) for k, v in fields]
                data[index] = (name, value)
                before = fuzz.fingerprint()
                response = client.post(
                    url, fuzz.encode(data), content_type="application/x-www-form-urlencoded"
                )
                sent += 1
                assert response.status_code < 500, (url, name, value[:20])
                if response.status_code == 400:
                    html = response.content.decode()
                    assert any(m in html for m in fuzz.MESSAGE_MARKERS), (url, name)
                if response.status_code >= 400 or fuzz.form_refused(response):
                    assert fuzz.fingerprint() == before, f"half-saved: {url} {name}={value[:20]}"
    print(f"\n{sent} hostile posts to {forms} forms")
    assert forms >= 15
    assert sent > 450  # 490 on the demo forms of today
