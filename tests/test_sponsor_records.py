"""Recording sponsors, sponsorships, signals and the peer map through the pages:
bad input gets a clear message and a 400, and nothing is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship
from tests.factories import OrganisationFactory, UserFactory
from tests.sponsor_factories import (
    OwnOrganisationFactory,
    PartnerSponsorshipFactory,
    PeerLinkFactory,
    SignalFactory,
    SponsorFactory,
    SponsorshipFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def signal_url(team):
    return reverse("sponsors:signal_create", args=[team.alliance.slug])


def signal_data(sponsorship, **overrides):
    data = {
        "sponsorship": sponsorship.pk,
        "kind": "kpi_review",
        "date": timezone.localdate().isoformat(),
        "note": "Quarterly review",
    }
    return {**data, **overrides}


@pytest.fixture
def ours(open_team):
    return SponsorshipFactory(alliance=open_team.alliance)


@pytest.fixture
def request_signal(ours):
    return SignalFactory(sponsorship=ours, kind="resources_requested", date=days_ago(20))


def test_an_allocation_linked_to_its_request_records_the_delay(client, open_team, request_signal):
    client.force_login(open_team.users["contributor"])
    data = signal_data(
        request_signal.sponsorship,
        kind="resources_allocated",
        responds_to=request_signal.pk,
        date=days_ago(8).isoformat(),
    )
    response = client.post(signal_url(open_team), data)
    assert response.status_code == 302
    allocation = Signal.objects.get(kind="resources_allocated")
    assert allocation.responds_to == request_signal
    assert allocation.delay_days == 12
    assert allocation.recorded_by == open_team.users["contributor"]


def test_an_allocation_dated_before_its_request_is_refused(client, open_team, request_signal):
    client.force_login(open_team.users["manager"])
    data = signal_data(
        request_signal.sponsorship,
        kind="resources_allocated",
        responds_to=request_signal.pk,
        date=days_ago(21).isoformat(),
    )
    response = client.post(signal_url(open_team), data)
    assert response.status_code == 400
    assert "cannot be dated before the request it answers" in response.content.decode()
    assert Signal.objects.count() == 1


def test_an_allocation_must_answer_a_request_and_only_once(client, open_team, request_signal):
    client.force_login(open_team.users["manager"])
    sponsorship = request_signal.sponsorship
    missing = client.post(
        signal_url(open_team), signal_data(sponsorship, kind="resources_allocated")
    )
    assert missing.status_code == 400
    assert "Choose the request this answers" in missing.content.decode()
    answer = signal_data(sponsorship, kind="resources_allocated", responds_to=request_signal.pk)
    assert client.post(signal_url(open_team), answer).status_code == 302
    again = client.post(signal_url(open_team), answer)
    assert again.status_code == 400
    assert "already been answered" in again.content.decode()
    assert Signal.objects.filter(kind="resources_allocated").count() == 1


def test_a_signal_on_an_ended_sponsorship_is_refused(client, open_team, ours):
    ours.until = days_ago(2)
    ours.save()
    client.force_login(open_team.users["manager"])
    response = client.post(signal_url(open_team), signal_data(ours, date=days_ago(5).isoformat()))
    assert response.status_code == 400
    assert "signals can no longer be recorded on it" in response.content.decode()
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"note": "x" * 2001}, "at most 2000 characters"),
        ({"where": "x" * 201, "kind": "advocacy"}, "at most 200 characters"),
        ({"date": "2999-01-01"}, "cannot be dated in the future"),
        ({"date": "not a date"}, "Enter a valid date"),
        ({"kind": "advocacy"}, "Say where they promoted the alliance"),
        ({"kind": "meeting"}, "Say whom the meeting was with"),
        ({"kind": "bribe"}, "Select a valid choice"),
        ({"link": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_bad_signal_input_gets_a_clear_message_and_saves_nothing(
    client, open_team, ours, overrides, message
):
    client.force_login(open_team.users["manager"])
    response = client.post(signal_url(open_team), signal_data(ours, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signal.objects.exists()


def test_a_signal_cannot_go_on_another_alliances_sponsorship(client, open_team):
    elsewhere = SponsorshipFactory()
    client.force_login(open_team.users["manager"])
    response = client.post(signal_url(open_team), signal_data(elsewhere))
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_quick_entry_by_htmx_returns_a_fresh_form_and_the_new_health(client, open_team, ours):
    client.force_login(open_team.users["manager"])
    data = signal_data(ours, kind="advocacy", where="Annual report")
    response = client.post(signal_url(open_team), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Advocacy recorded for" in html
    assert 'id="sponsor-health" aria-labelledby="health-h" hx-swap-oob="true"' in html
    assert "1 mention in the last 90 days" in html
    assert 'id="timeline"' in html
    assert "<html" not in html

    bad = client.post(signal_url(open_team), {**data, "where": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 400
    assert "Say where they promoted the alliance" in bad.content.decode()
    assert Signal.objects.count() == 1


def test_only_the_recorder_or_a_manager_edits_or_deletes_a_signal(client, open_team, ours):
    contributor = open_team.users["contributor"]
    colleague = UserFactory(username="colleague")
    open_team.alliance.memberships.create(user=colleague, role="contributor")
    signal = SignalFactory(sponsorship=ours, recorded_by=contributor)
    edit = reverse("sponsors:signal_edit", args=[open_team.alliance.slug, signal.pk])
    delete = reverse("sponsors:signal_delete", args=[open_team.alliance.slug, signal.pk])

    client.force_login(colleague)
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403

    client.force_login(contributor)
    response = client.post(edit, signal_data(ours, note="Reviewed with the partner"))
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.note == "Reviewed with the partner"

    client.force_login(open_team.users["manager"])
    assert client.post(delete).status_code == 302
    assert not Signal.objects.exists()


def test_a_request_with_an_allocation_cannot_be_deleted_or_moved_after_it(
    client, open_team, request_signal
):
    allocation = SignalFactory(
        sponsorship=request_signal.sponsorship,
        kind="resources_allocated",
        responds_to=request_signal,
        date=days_ago(10),
    )
    client.force_login(open_team.users["manager"])
    slug = open_team.alliance.slug
    response = client.post(reverse("sponsors:signal_delete", args=[slug, request_signal.pk]))
    assert response.status_code == 302
    assert "delete that first" in str(list(response.wsgi_request._messages))
    assert Signal.objects.filter(pk=request_signal.pk).exists()

    moved = client.post(
        reverse("sponsors:signal_edit", args=[slug, request_signal.pk]),
        signal_data(request_signal.sponsorship, kind="resources_requested", date=days_ago(5)),
    )
    assert moved.status_code == 400
    assert "cannot come later" in moved.content.decode()

    client.post(reverse("sponsors:signal_delete", args=[slug, allocation.pk]))
    client.post(reverse("sponsors:signal_delete", args=[slug, request_signal.pk]))
    assert not Signal.objects.exists()


def sponsorship_url(team):
    return reverse("sponsors:sponsorship_create", args=[team.alliance.slug])


def new_person(**overrides):
    data = {
        "side": "partner",
        "role": "executive_sponsor",
        "name": "Pieter  de Vries",
        "title": "CEO",
        "seniority": "c_suite",
        "interests": "Porsche 911 GT3 track days, Data science, data-science",
        "personal_agenda": "Series C round",
        "motive_corporate": "Access to mid-market manufacturers",
        "since": days_ago(30).isoformat(),
    }
    return {**data, **overrides}


def test_manager_adds_a_new_partner_sponsor_with_normalised_interests(client, open_team):
    client.force_login(open_team.users["manager"])
    response = client.post(sponsorship_url(open_team), new_person())
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get()
    assert sponsorship.side == "partner"
    assert sponsorship.sponsor.name == "Pieter de Vries"
    assert sponsorship.sponsor.organisation == open_team.alliance.partner
    assert sorted(sponsorship.sponsor.interests.names()) == [
        "data-science",
        "porsche-911-gt3-track-days",
    ]


def test_a_second_active_executive_sponsor_on_a_side_is_refused_and_nothing_saved(
    client, open_team
):
    existing = PartnerSponsorshipFactory(alliance=open_team.alliance)
    client.force_login(open_team.users["manager"])
    response = client.post(sponsorship_url(open_team), new_person())
    assert response.status_code == 400
    assert (
        f"{existing.sponsor.name} is already the executive sponsor on partner side"
        in response.content.decode()
    )
    assert Sponsorship.objects.count() == 1
    assert not Sponsor.objects.filter(name="Pieter de Vries").exists()
    # A champion on the same side is fine.
    assert client.post(sponsorship_url(open_team), new_person(role="champion")).status_code == 302


def test_a_handover_needs_the_old_executive_sponsorship_ended_first(client, open_team):
    old = SponsorshipFactory(alliance=open_team.alliance, since=days_ago(400))
    successor = SponsorFactory(name="New Sponsor")
    client.force_login(open_team.users["manager"])
    data = {"side": "ours", "role": "executive_sponsor", "sponsor": successor.pk}
    data["since"] = timezone.localdate().isoformat()
    assert client.post(sponsorship_url(open_team), data).status_code == 400

    edit = reverse("sponsors:sponsorship_edit", args=[open_team.alliance.slug, old.pk])
    ended = {"role": "executive_sponsor", "since": old.since.isoformat()}
    ended["until"] = days_ago(1).isoformat()
    assert client.post(edit, ended).status_code == 302
    assert client.post(sponsorship_url(open_team), data).status_code == 302
    assert Sponsorship.objects.active().get(role="executive_sponsor").sponsor == successor


def test_a_sponsor_from_another_alliances_partner_is_refused(client, open_team):
    stranger = SponsorFactory(name="Katrin Vogel", organisation=OrganisationFactory())
    client.force_login(open_team.users["manager"])
    data = {"side": "partner", "role": "champion", "sponsor": stranger.pk}
    response = client.post(sponsorship_url(open_team), {**data, "since": days_ago(1).isoformat()})
    assert response.status_code == 400
    assert not Sponsorship.objects.exists()


def test_the_same_person_on_the_wrong_side_is_refused_with_a_reason(client, open_team):
    partner_person = SponsorFactory(organisation=open_team.alliance.partner)
    client.force_login(open_team.users["manager"])
    data = {"side": "ours", "role": "champion", "sponsor": partner_person.pk}
    response = client.post(sponsorship_url(open_team), {**data, "since": days_ago(1).isoformat()})
    assert response.status_code == 400
    assert "only our own people can sponsor on our side" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Choose a person, or enter a new person"),
        ({"seniority": ""}, "Say how senior the new person is"),
        ({"personal_agenda": "x" * 2001}, "at most 2000 characters"),
        ({"motive_corporate": "x" * 301}, "at most 300 characters"),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"interests": ", ".join(f"interest {n}" for n in range(21))}, "at most 20 interests"),
        ({"interests": "x" * 61}, "under 60 characters"),
        ({"until": days_ago(31).isoformat()}, "cannot be before the start date"),
        ({"account": "nobody-here"}, "No active user has the username or email"),
    ],
)
def test_bad_sponsorship_input_gets_a_clear_message_and_saves_nothing(
    client, open_team, overrides, message
):
    client.force_login(open_team.users["manager"])
    response = client.post(sponsorship_url(open_team), new_person(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Sponsorship.objects.exists()
    assert not Sponsor.objects.exists()


def test_our_side_needs_our_own_organisation_registered(client, open_team):
    client.force_login(open_team.users["manager"])
    response = client.post(sponsorship_url(open_team), new_person(side="ours"))
    assert response.status_code == 400
    assert "Our own organisation is not registered yet" in response.content.decode()
    OwnOrganisationFactory()
    assert client.post(sponsorship_url(open_team), new_person(side="ours")).status_code == 302


def test_removing_a_sponsorship_removes_its_signals_and_their_peer_links(client, open_team):
    ours = SponsorshipFactory(alliance=open_team.alliance)
    theirs = PartnerSponsorshipFactory(alliance=open_team.alliance)
    request = SignalFactory(sponsorship=ours, kind="resources_requested", date=days_ago(9))
    SignalFactory(sponsorship=ours, kind="resources_allocated", responds_to=request)
    PeerLinkFactory(alliance=open_team.alliance, ours=ours.sponsor, theirs=theirs.sponsor)
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:sponsorship_delete", args=[open_team.alliance.slug, ours.pk])
    assert "Remove" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert list(Sponsorship.objects.all()) == [theirs]
    assert not Signal.objects.exists()
    assert not PeerLink.objects.exists()
    assert Sponsor.objects.filter(pk=ours.sponsor_id).exists()


def test_peer_map_links_people_of_the_alliance_once(client, open_team):
    ours = SponsorshipFactory(alliance=open_team.alliance)
    theirs = PartnerSponsorshipFactory(alliance=open_team.alliance)
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:peer_create", args=[open_team.alliance.slug])
    data = {"ours": ours.sponsor_id, "theirs": theirs.sponsor_id, "strength": 3}
    data["last_contact"] = days_ago(4).isoformat()
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "already mapped" in again.content.decode()
    swapped = client.post(url, {**data, "ours": theirs.sponsor_id, "theirs": ours.sponsor_id})
    assert swapped.status_code == 400
    assert client.post(url, {**data, "strength": 5}).status_code == 400
    future = client.post(url, {**data, "last_contact": "2999-01-01"})
    assert "cannot be in the future" in future.content.decode()
    assert PeerLink.objects.count() == 1


def test_sponsor_match_choice_creates_our_executive_sponsorship(client, open_team):
    candidate = SponsorFactory(name="Hannah Schmidt", business_unit="Public sector")
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:match", args=[open_team.alliance.slug])
    page = client.get(url)
    assert [person for person, _ in page.context["candidates"]] == [candidate]
    assert "Enter the public sector" in page.content.decode()
    response = client.post(url, {"sponsor": candidate.pk})
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get()
    assert (sponsorship.sponsor, sponsorship.side, sponsorship.role) == (
        candidate,
        "ours",
        "executive_sponsor",
    )
    other = SponsorFactory(name="Too Late")
    refused = client.post(url, {"sponsor": other.pk})
    assert refused.status_code == 400
    assert "Hannah Schmidt is already the executive sponsor" in refused.content.decode()
    bogus = client.post(url, {"sponsor": "999999"})
    assert bogus.status_code == 400
    assert "Choose one of our people from the list" in bogus.content.decode()
    assert Sponsorship.objects.count() == 1


def test_an_archived_alliance_takes_no_new_signals(client, open_team, ours):
    open_team.alliance.is_archived = True
    open_team.alliance.save()
    client.force_login(open_team.users["manager"])
    assert client.post(signal_url(open_team), signal_data(ours)).status_code == 403
    page = client.get(reverse("sponsors:alliance", args=[open_team.alliance.slug]))
    assert page.status_code == 200
    assert page.context["signal_form"] is None


def test_a_sponsor_edits_their_own_profile_and_a_viewer_cannot(client, open_team):
    me = UserFactory(username="elena")
    sponsor = SponsorFactory(name="Elena Rossi", user=me)
    SponsorshipFactory(alliance=open_team.alliance, sponsor=sponsor)
    url = reverse("sponsors:sponsor_edit", args=[sponsor.pk])
    client.force_login(open_team.users["viewer"])
    assert client.get(url).status_code == 403
    client.force_login(me)
    UserFactory(username="someone-else")
    data = {
        "name": "Elena Rossi",
        "title": "Chief Digital Officer",
        "seniority": "c_suite",
        "interests": "Opera, track days",
        "account": "someone-else",  # she may not hand her record to another account
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Only an administrator links" in refused.content.decode()
    assert client.post(url, {**data, "account": "elena"}).status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.user == me
    assert sorted(sponsor.interests.names()) == ["opera", "track-days"]


def test_an_administrator_links_an_account_but_never_one_already_linked(client, open_team):
    sponsor = SponsorshipFactory(alliance=open_team.alliance).sponsor
    taken = SponsorFactory(name="Someone", user=UserFactory(username="someone"))
    UserFactory(username="free")
    url = reverse("sponsors:sponsor_edit", args=[sponsor.pk])
    client.force_login(open_team.users["manager"])
    assert "account" not in client.get(url).context["form"].fields
    client.force_login(open_team.users["superuser"])
    data = {"name": sponsor.name, "seniority": "c_suite", "account": "someone"}
    clash = client.post(url, data)
    assert clash.status_code == 400
    assert f"already linked to {taken.name}" in clash.content.decode()
    assert client.post(url, {**data, "account": "free"}).status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.user.username == "free"


def test_admin_lists_and_adds_every_sponsor_model(admin_client, open_team):
    SignalFactory(sponsorship=SponsorshipFactory(alliance=open_team.alliance))
    PeerLinkFactory(alliance=open_team.alliance)
    for model in ["sponsor", "sponsorship", "signal", "peerlink"]:
        assert admin_client.get(reverse(f"admin:sponsors_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:sponsors_{model}_add")).status_code == 200


def test_admin_refuses_a_second_executive_sponsor_with_a_message_not_a_500(admin_client, open_team):
    first = SponsorshipFactory(alliance=open_team.alliance)
    second = SponsorFactory()
    response = admin_client.post(
        reverse("admin:sponsors_sponsorship_add"),
        {
            "alliance": open_team.alliance.pk,
            "sponsor": second.pk,
            "side": "ours",
            "role": "executive_sponsor",
            "since": days_ago(3).isoformat(),
        },
    )
    assert response.status_code == 200
    assert f"{first.sponsor.name} is already the executive sponsor" in response.content.decode()
    assert Sponsorship.objects.count() == 1


def test_an_answered_request_stays_with_its_sponsor(client, open_team, request_signal):
    SignalFactory(
        sponsorship=request_signal.sponsorship,
        kind="resources_allocated",
        responds_to=request_signal,
        date=days_ago(10),
    )
    other = SponsorshipFactory(
        alliance=open_team.alliance, role="champion", sponsor__name="Someone else"
    )
    client.force_login(open_team.users["manager"])
    moved = client.post(
        reverse("sponsors:signal_edit", args=[open_team.alliance.slug, request_signal.pk]),
        signal_data(other, kind="resources_requested", date=days_ago(20).isoformat()),
    )
    assert moved.status_code == 400
    assert "it stays with its sponsor" in moved.content.decode()
    request_signal.refresh_from_db()
    assert request_signal.sponsorship_id != other.pk


def test_editing_a_sponsorship_whose_person_changed_company_explains_instead_of_failing(
    client, open_team, ours
):
    """Found by the request fuzzer: the model objects to the sponsor, a field the edit
    form does not show; that was a 500 (ValueError), it is now a message on the form."""
    ours.sponsor.organisation.is_own = False
    ours.sponsor.organisation.save()
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:sponsorship_edit", args=[open_team.alliance.slug, ours.pk])
    role = ours.role
    response = client.post(url, {"role": "champion", "since": days_ago(5).isoformat()})
    assert response.status_code == 400
    assert "only our own people can sponsor on our side" in response.content.decode()
    ours.refresh_from_db()
    assert ours.role == role


def test_a_signal_before_the_sponsorship_start_offers_to_move_the_start_back(
    client, open_team, ours
):
    ours.since = days_ago(5)
    ours.save()
    client.force_login(open_team.users["manager"])
    earlier = days_ago(40)
    data = signal_data(ours, date=earlier.isoformat())
    refused = client.post(signal_url(open_team), data)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "a signal cannot be dated before that" in html
    assert f"Move the sponsorship&#x27;s start to {earlier:%d %b %Y}" in html
    assert 'type="checkbox" name="move_since"' in html
    assert not Signal.objects.exists()

    moved = client.post(signal_url(open_team), {**data, "move_since": "on"}, follow=True)
    assert moved.status_code == 200
    assert f"The sponsorship now starts on {earlier:%d %b %Y}." in moved.content.decode()
    ours.refresh_from_db()
    assert ours.since == earlier
    signal = Signal.objects.get()
    assert (signal.date, signal.recorded_by) == (earlier, open_team.users["manager"])


def test_moving_the_start_back_is_a_managers_change_and_all_or_nothing(client, open_team, ours):
    ours.since = days_ago(5)
    ours.save()
    data = signal_data(ours, date=days_ago(40).isoformat(), move_since="on")
    client.force_login(open_team.users["contributor"])
    refused = client.post(signal_url(open_team), data)
    assert refused.status_code == 400
    assert "a signal cannot be dated before that" in refused.content.decode()
    assert 'type="checkbox" name="move_since"' not in refused.content.decode()
    # A manager whose move would overlap the previous executive sponsor: nothing saved.
    SponsorshipFactory(alliance=open_team.alliance, since=days_ago(100), until=days_ago(20))
    client.force_login(open_team.users["manager"])
    overlap = client.post(signal_url(open_team), data)
    assert overlap.status_code == 400
    assert "is already the executive sponsor" in overlap.content.decode()
    ours.refresh_from_db()
    assert ours.since == days_ago(5)
    assert not Signal.objects.exists()


def test_quick_entry_by_htmx_offers_and_moves_the_start_back_too(client, open_team, ours):
    ours.since = days_ago(5)
    ours.save()
    client.force_login(open_team.users["manager"])
    data = signal_data(ours, date=days_ago(12).isoformat())
    offered = client.post(signal_url(open_team), data, headers={"HX-Request": "true"})
    assert offered.status_code == 400
    assert 'type="checkbox" name="move_since"' in offered.content.decode()
    moved = client.post(
        signal_url(open_team), {**data, "move_since": "on"}, headers={"HX-Request": "true"}
    )
    assert moved.status_code == 200
    assert f"The sponsorship now starts on {days_ago(12):%d %b %Y}." in moved.content.decode()
    ours.refresh_from_db()
    assert ours.since == days_ago(12)
    assert Signal.objects.get().date == days_ago(12)
