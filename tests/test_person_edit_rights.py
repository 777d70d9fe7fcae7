"""A person's shared details (name, title, seniority, business unit, interests) show on
every alliance they sponsor: only the person, a superuser or a manager of all those
alliances changes them. A manager of only some edits their own sponsorship and proposes
a change, which one of those decides. Adding someone to another alliance tells the
person and the managers of their alliances, never naming a confidential alliance to
someone outside its team.

The finding: manager2 added Elena (the confidential Aurora's executive sponsor) to
Meridian without anyone knowing, then changed her title, which showed on Aurora.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alliances.access import MANAGERS_GROUP
from kit.people import display_name
from notifications.models import Kind, Notification, OutgoingMail
from sponsors import services
from sponsors.access import may_edit_person, may_propose_change
from sponsors.models import Sponsor, SponsorChangeProposal, Sponsorship
from tests.conftest import ROLES, make_team
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import (
    OwnOrganisationFactory,
    PartnerSponsorshipFactory,
    SponsorshipFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

TITLE = "Chief Digital Officer"


@pytest.fixture
def world(confidential_team):
    """Elena, linked to Aurora's executive, is Aurora's executive sponsor; manager2
    runs Meridian (open), where Elena sponsors nothing yet."""
    elena = SponsorshipFactory(
        alliance=confidential_team.alliance,
        sponsor__name="Elena Rossi",
        sponsor__title=TITLE,
        sponsor__user=confidential_team.users["executive"],
        sponsor__interests=["opera"],
    ).sponsor
    manager2 = UserFactory(username="manager2", groups=[MANAGERS_GROUP])
    meridian = AllianceFactory(name="Meridian warehouse automation")
    MembershipFactory(alliance=meridian, user=manager2, role="manager")
    return confidential_team, elena, manager2, meridian


def add_to_meridian(client, manager2, meridian, elena):
    """manager2 picks Elena, an existing person, as a champion of Meridian."""
    client.force_login(manager2)
    added = client.post(
        reverse("sponsors:sponsorship_create", args=[meridian.slug]),
        {"side": "ours", "role": "champion", "sponsor": elena.pk, "since": days_ago(1)},
    )
    assert added.status_code == 302
    return Sponsorship.objects.get(alliance=meridian, sponsor=elena)


def person_data(sponsor, **changes):
    data = {
        "name": sponsor.name,
        "title": sponsor.title,
        "seniority": sponsor.seniority,
        "business_unit": sponsor.business_unit,
        "interests": ", ".join(sponsor.interests.names()),
    }
    return {**data, **changes}


def edit_url(sponsor):
    return reverse("sponsors:sponsor_edit", args=[sponsor.pk])


def title_of(sponsor):
    return Sponsor.objects.get(pk=sponsor.pk).title


# ------------------------------------------------------------------ who edits


def test_manager2_cannot_change_elenas_title(client, world):
    _team, elena, manager2, meridian = world
    add_to_meridian(client, manager2, meridian, elena)
    page = client.get(edit_url(elena))
    assert page.status_code == 200
    form = page.context["form"]
    assert all(field.disabled for field in form.fields.values())
    html = page.content.decode()
    assert reverse("sponsors:sponsor_propose", args=[elena.pk]) in html
    assert "only they, an administrator or a manager of all those alliances" in html
    refused = client.post(edit_url(elena), person_data(elena, title="Intern"))
    assert refused.status_code == 403
    assert title_of(elena) == TITLE
    elena.title = "Intern"
    with pytest.raises(PermissionDenied):
        services.sponsor_update(sponsor=elena, by=manager2, interests=["golf"])
    assert title_of(elena) == TITLE
    assert list(Sponsor.objects.get(pk=elena.pk).interests.names()) == ["opera"]
    profile = client.get(reverse("sponsors:profile", args=[elena.pk])).context
    assert (profile["can_edit"], profile["can_propose"]) == (False, True)


def test_a_manager_of_every_one_of_her_alliances_edits_her(client, world):
    team, elena, manager2, meridian = world
    manager = team.users["manager"]
    quartz = AllianceFactory(name="Quartz")
    MembershipFactory(alliance=quartz, user=manager, role="manager")
    SponsorshipFactory(alliance=quartz, sponsor=elena, role="champion")
    client.force_login(manager)
    saved = client.post(edit_url(elena), person_data(elena, title="Chief Data Officer"))
    assert saved.status_code == 302
    assert title_of(elena) == "Chief Data Officer"
    # Once she also sponsors an alliance he does not manage, he no longer may.
    add_to_meridian(client, manager2, meridian, elena)
    assert not may_edit_person(manager, elena)
    assert may_propose_change(manager, elena)
    client.force_login(manager)
    assert client.post(edit_url(elena), person_data(elena, title="CEO")).status_code == 403
    assert title_of(elena) == "Chief Data Officer"


def test_an_ended_sponsorship_still_counts(client, world):
    """Her details show on the alliances she sponsored too (their past sponsors)."""
    team, elena, manager2, meridian = world
    SponsorshipFactory(
        alliance=meridian, sponsor=elena, role="champion", since=days_ago(300), until=days_ago(200)
    )
    assert not may_edit_person(team.users["manager"], elena)
    assert not may_edit_person(manager2, elena)


def test_a_superuser_and_the_person_themself_edit(client, world):
    team, elena, manager2, meridian = world
    add_to_meridian(client, manager2, meridian, elena)
    # Both see which account is hers (an empty one would unlink it).
    account = team.users["executive"].username
    client.force_login(team.users["superuser"])
    saved = client.post(edit_url(elena), person_data(elena, title="CDO", account=account))
    assert saved.status_code == 302
    assert title_of(elena) == "CDO"
    client.force_login(team.users["executive"])  # Elena's own account
    saved = client.post(edit_url(elena), person_data(elena, title=TITLE, account=account))
    assert saved.status_code == 302
    assert title_of(elena) == TITLE
    assert Sponsor.objects.get(pk=elena.pk).user == team.users["executive"]


def test_others_neither_edit_nor_propose(client, world):
    team, elena, _manager2, _meridian = world
    for role in ("viewer", "contributor"):
        client.force_login(team.users[role])
        assert client.get(edit_url(elena)).status_code == 403
        propose = reverse("sponsors:sponsor_propose", args=[elena.pk])
        assert client.get(propose).status_code == 403
        assert client.post(propose, person_data(elena, title="X")).status_code == 403
    assert not SponsorChangeProposal.objects.exists()


def test_manager2_edits_only_the_sponsorship_on_meridian(client, world):
    _team, elena, manager2, meridian = world
    sponsorship = add_to_meridian(client, manager2, meridian, elena)
    url = reverse("sponsors:sponsorship_edit", args=[meridian.slug, sponsorship.pk])
    data = {
        "role": "escalation_point",
        "motive_corporate": "Warehouse margin",
        "notes": "Met at the WMS summit",
        "since": days_ago(1).isoformat(),
        "title": "Intern",  # not a field of the sponsorship: ignored
        "name": "Someone Else",
    }
    assert client.post(url, data).status_code == 302
    sponsorship.refresh_from_db()
    assert (sponsorship.role, sponsorship.notes) == ("escalation_point", "Met at the WMS summit")
    elena.refresh_from_db()
    assert (elena.name, elena.title) == ("Elena Rossi", TITLE)


# ------------------------------------------------------------------ proposals


def propose(client, manager2, elena, **changes):
    client.force_login(manager2)
    url = reverse("sponsors:sponsor_propose", args=[elena.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == elena.title
    return client.post(url, person_data(elena, **changes))


def test_a_proposal_by_manager2_is_accepted_by_the_manager_of_all_her_alliances(client, world):
    team, elena, manager2, meridian = world
    manager = team.users["manager"]
    MembershipFactory(alliance=meridian, user=manager, role="manager")  # he runs both
    add_to_meridian(client, manager2, meridian, elena)
    proposed = propose(client, manager2, elena, title="Chief Data Officer", note="Promoted in May")
    assert proposed.status_code == 302
    assert title_of(elena) == TITLE
    proposal = SponsorChangeProposal.objects.get(sponsor=elena)
    assert (proposal.state, proposal.proposed_by) == ("pending", manager2)

    told = Notification.objects.get(recipient=manager, kind=Kind.PERSON_CHANGE_PROPOSED)
    assert display_name(manager2) in told.title
    assert "Elena Rossi" in told.title
    assert "Chief Data Officer" in told.body
    assert told.url == reverse("sponsors:profile", args=[elena.pk]) + "#proposals"
    assert Notification.objects.filter(
        recipient=team.users["executive"], kind=Kind.PERSON_CHANGE_PROPOSED
    ).exists()
    assert not Notification.objects.filter(
        recipient=manager2, kind=Kind.PERSON_CHANGE_PROPOSED
    ).exists()

    decide = reverse("sponsors:proposal_decide", args=[proposal.pk])
    assert client.get(decide).status_code == 403  # manager2 may not decide
    assert client.post(decide, {"decision": "accept"}).status_code == 403

    client.force_login(manager)
    profile = client.get(reverse("sponsors:profile", args=[elena.pk])).content.decode()
    assert "Chief Data Officer" in profile
    assert decide in profile
    page = client.get(decide)
    assert page.status_code == 200
    assert "Promoted in May" in page.content.decode()
    assert client.post(decide, {"decision": "maybe"}).status_code == 400
    assert title_of(elena) == TITLE
    assert client.post(decide, {"decision": "accept"}).status_code == 302
    assert title_of(elena) == "Chief Data Officer"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == ("accepted", manager)
    assert Notification.objects.filter(recipient=manager2, kind=Kind.PERSON_CHANGE_DECIDED).exists()
    # Decided once: a second answer changes nothing.
    again = client.post(decide, {"decision": "decline"})
    assert again.status_code == 302
    assert SponsorChangeProposal.objects.get(pk=proposal.pk).state == "accepted"


def test_aurora_manager_hears_of_it_but_only_elena_decides_when_nobody_runs_both(client, world):
    team, elena, manager2, meridian = world
    add_to_meridian(client, manager2, meridian, elena)
    assert propose(client, manager2, elena, interests="opera, sailing").status_code == 302
    proposal = SponsorChangeProposal.objects.get()
    manager = team.users["manager"]
    assert Notification.objects.filter(recipient=manager, kind=Kind.PERSON_CHANGE_PROPOSED).exists()
    client.force_login(manager)
    decide = reverse("sponsors:proposal_decide", args=[proposal.pk])
    profile = client.get(reverse("sponsors:profile", args=[elena.pk])).content.decode()
    assert "sailing" in profile
    assert decide not in profile
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    client.force_login(team.users["executive"])  # Elena declines
    assert client.post(decide, {"decision": "decline"}).status_code == 302
    assert sorted(Sponsor.objects.get(pk=elena.pk).interests.names()) == ["opera"]
    assert SponsorChangeProposal.objects.get().state == "declined"


def test_a_proposal_must_change_something_and_is_validated(client, world):
    _team, elena, manager2, meridian = world
    add_to_meridian(client, manager2, meridian, elena)
    assert propose(client, manager2, elena).status_code == 400
    assert propose(client, manager2, elena, seniority="emperor").status_code == 400
    assert propose(client, manager2, elena, title="x" * 201).status_code == 400
    assert not SponsorChangeProposal.objects.exists()


def test_whoever_may_edit_is_sent_to_the_edit_page_instead(client, world):
    team, elena, _manager2, _meridian = world
    client.force_login(team.users["manager"])
    answer = client.get(reverse("sponsors:sponsor_propose", args=[elena.pk]))
    assert answer.status_code == 302
    assert answer.url == edit_url(elena)


# ------------------------------------------------------------------ adding someone


def test_adding_elena_to_an_open_alliance_tells_aurora_and_her_naming_it(client, world):
    team, elena, manager2, meridian = world
    add_to_meridian(client, manager2, meridian, elena)
    told = Notification.objects.get(recipient=team.users["manager"], kind=Kind.SPONSOR_ADDED)
    assert told.title == (
        f"{display_name(manager2)} added Elena Rossi as a sponsor of {meridian.name}"
    )
    assert told.alliance == meridian
    herself = Notification.objects.get(recipient=team.users["executive"], kind=Kind.SPONSOR_ADDED)
    assert herself.title == f"{display_name(manager2)} added you as a sponsor of {meridian.name}"
    # Nobody else on Aurora's team manages it, and manager2 does not hear of his own act.
    assert Notification.objects.filter(kind=Kind.SPONSOR_ADDED).count() == 2


def test_adding_her_to_a_confidential_alliance_names_it_to_nobody_outside(client, world):
    team, elena, manager2, meridian = world
    meridian.is_confidential = True
    meridian.save()
    add_to_meridian(client, manager2, meridian, elena)
    for who in ("manager", "executive"):
        user = team.users[who]
        told = Notification.objects.get(recipient=user, kind=Kind.SPONSOR_ADDED)
        assert "another alliance" in told.title
        assert told.alliance is None
        assert told.actor is None
        assert display_name(manager2) not in told.title
        client.force_login(user)
        listed = client.get(reverse("notifications:list")).content.decode()
        assert "Meridian" not in listed
    for mail in OutgoingMail.objects.all():
        assert "Meridian" not in mail.subject + mail.body + mail.html


def test_a_confidential_alliance_is_named_to_its_own_team(client, world):
    """The reverse: Aurora's manager adds a person who sponsors Meridian; manager2 is
    outside Aurora, so he hears of "another alliance"."""
    team, _elena, manager2, meridian = world
    marcus = SponsorshipFactory(alliance=meridian, sponsor__name="Marcus Webb").sponsor
    other_manager = UserFactory(username="aurora-co-manager")
    MembershipFactory(alliance=team.alliance, user=other_manager, role="manager")
    SponsorshipFactory(alliance=AllianceFactory(), sponsor=marcus, role="champion")
    client.force_login(team.users["manager"])
    added = client.post(
        reverse("sponsors:sponsorship_create", args=[team.alliance.slug]),
        {"side": "ours", "role": "champion", "sponsor": marcus.pk, "since": days_ago(1)},
    )
    assert added.status_code == 302
    told = Notification.objects.get(recipient=manager2, kind=Kind.SPONSOR_ADDED)
    assert told.title == "Marcus Webb was added as a sponsor of another alliance"
    assert team.alliance.name not in told.title
    # Managers of the alliance he joined hear nothing of it from this notice.
    assert not Notification.objects.filter(recipient=other_manager, kind=Kind.SPONSOR_ADDED)


def test_a_new_person_tells_nobody(client, open_team):
    client.force_login(open_team.users["manager"])
    OwnOrganisationFactory()
    created = client.post(
        reverse("sponsors:sponsorship_create", args=[open_team.alliance.slug]),
        {
            "side": "ours",
            "role": "champion",
            "name": "New Person",
            "seniority": "c_suite",
            "since": days_ago(1).isoformat(),
        },
    )
    assert created.status_code == 302
    assert not Notification.objects.filter(kind=Kind.SPONSOR_ADDED).exists()


# ------------------------------------------------------------------ the new pages, per role


def _expected(role, confidential, ok):
    """What tests/test_access_matrix.py's alliance_action(Action.MANAGE_SPONSORS, ok)
    says, for a partner's sponsor of the team's alliance only."""
    if role == "anonymous":
        return 302
    if role in ("manager", "superuser"):
        return ok
    return 404 if role == "outsider" and confidential else 403


@pytest.mark.parametrize("confidential", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_proposal_pages(client, role, confidential):
    team = make_team(confidential=confidential, prefix="m")
    partner = PartnerSponsorshipFactory(alliance=team.alliance).sponsor
    proposal = SponsorChangeProposal.objects.create(
        sponsor=partner, name=partner.name, title="CTO", seniority=partner.seniority
    )
    if role != "anonymous":
        client.force_login(team.users[role])
    # Whoever may edit is sent to the edit page: nobody here only proposes.
    propose = client.get(reverse("sponsors:sponsor_propose", args=[partner.pk]))
    assert propose.status_code == _expected(role, confidential, 302)
    decide = client.get(reverse("sponsors:proposal_decide", args=[proposal.pk]))
    assert decide.status_code == _expected(role, confidential, 200)
