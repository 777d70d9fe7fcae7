"""The sponsor pages: what each reader sees, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sponsors.models import Signal, Sponsor, Sponsorship
from sponsors.selectors import sponsor_overview
from tests.conftest import make_team
from tests.factories import AllianceFactory, KPIFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import (
    PartnerSponsorshipFactory,
    PeerLinkFactory,
    SignalFactory,
    SponsorFactory,
    SponsorshipFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def sponsors_url(alliance):
    return reverse("sponsors:alliance", args=[alliance.slug])


@pytest.fixture
def aurora(open_team):
    """Our sponsor and the partner's, who share an interest, with a slow allocation."""
    ours = SponsorshipFactory(
        alliance=open_team.alliance,
        sponsor__name="Elena Rossi",
        sponsor__interests=["porsche-911-gt3-track-days", "opera"],
        motive_corporate="Predictive analytics by FY2027",
    )
    theirs = PartnerSponsorshipFactory(
        alliance=open_team.alliance,
        sponsor__name="Pieter de Vries",
        sponsor__interests=["Porsche 911 GT3 track days"],
    )
    request = SignalFactory(sponsorship=ours, kind="resources_requested", date=days_ago(60))
    SignalFactory(
        sponsorship=ours, kind="resources_allocated", date=days_ago(25), responds_to=request
    )
    return open_team, ours, theirs


def test_sponsor_page_shows_both_sides_health_and_rapport(client, aurora):
    team, ours, theirs = aurora
    client.force_login(team.users["viewer"])
    response = client.get(sponsors_url(team.alliance))
    html = response.content.decode()
    overview = response.context["overview"]
    assert overview.our_executive_sponsor == ours
    assert overview.partner_executive_sponsor == theirs
    assert "Elena Rossi" in html
    assert "Pieter de Vries" in html
    assert "Predictive analytics by FY2027" in html
    allocation = overview.health.indicator("allocation_delay")
    assert (allocation.colour, allocation.figure) == ("red", "Median 35 days over 1 allocation")
    assert allocation.threshold_note in html
    assert overview.rapport.shared_interests == ("porsche-911-gt3-track-days",)
    assert "Elena Rossi and Pieter de Vries: 1 shared interest." in html


def test_rapport_names_only_shared_alliances_the_reader_may_see(client, aurora):
    team, ours, theirs = aurora
    secret = make_team(confidential=True, prefix="secret")
    SponsorshipFactory(alliance=secret.alliance, sponsor=ours.sponsor, role="champion")
    SponsorshipFactory(
        alliance=secret.alliance, sponsor=theirs.sponsor, side="partner", role="champion"
    )
    secret.alliance.partner = team.alliance.partner
    secret.alliance.save()
    client.force_login(team.users["viewer"])
    rapport = client.get(sponsors_url(team.alliance)).context["overview"].rapport
    assert rapport.shared_alliances == ()
    MembershipFactory(alliance=secret.alliance, user=team.users["viewer"], role="viewer")
    rapport = client.get(sponsors_url(team.alliance)).context["overview"].rapport
    assert rapport.shared_alliances == (secret.alliance.name,)


def test_without_our_executive_sponsor_health_is_unknown_and_match_is_offered(client, open_team):
    client.force_login(open_team.users["manager"])
    response = client.get(sponsors_url(open_team.alliance))
    html = response.content.decode()
    assert response.context["overview"].health.score is None
    assert response.context["overview"].health.colour == "unknown"
    assert "No executive sponsor on our side" in html
    assert reverse("sponsors:match", args=[open_team.alliance.slug]) in html
    assert response.context["overview"].rapport is None


def test_the_sponsor_page_is_404_outside_a_confidential_team(client, confidential_team):
    client.force_login(confidential_team.users["outsider"])
    assert client.get(sponsors_url(confidential_team.alliance)).status_code == 404


def test_a_profile_lists_only_the_alliances_the_reader_may_see(client, aurora):
    team, ours, _ = aurora
    secret = make_team(confidential=True, prefix="secret")
    SponsorshipFactory(alliance=secret.alliance, sponsor=ours.sponsor, role="champion")
    url = reverse("sponsors:profile", args=[ours.sponsor.pk])

    client.force_login(team.users["viewer"])
    profile = client.get(url).context["profile"]
    assert [s.alliance for s in profile.active] == [team.alliance]
    assert secret.alliance.name not in client.get(url).content.decode()

    client.force_login(secret.users["viewer"])
    profile = client.get(url).context["profile"]
    assert {s.alliance for s in profile.active} == {team.alliance, secret.alliance}
    assert profile.load == 2


def test_a_partner_sponsor_of_a_confidential_alliance_is_404_to_outsiders(
    client, confidential_team
):
    theirs = PartnerSponsorshipFactory(alliance=confidential_team.alliance)
    url = reverse("sponsors:profile", args=[theirs.sponsor.pk])
    client.force_login(confidential_team.users["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(confidential_team.users["viewer"])
    assert client.get(url).status_code == 200


def test_my_sponsorships_shows_each_alliance_with_its_health_and_what_is_overdue(client, aurora):
    team, ours, _ = aurora
    me = team.users["executive"]
    Sponsor.objects.filter(pk=ours.sponsor_id).update(user=me)
    SignalFactory(sponsorship=ours, kind="escalation_raised", date=days_ago(20))
    client.force_login(me)
    response = client.get(reverse("sponsors:mine"))
    html = response.content.decode()
    assert [s.alliance for s in response.context["profile"].active] == [team.alliance]
    assert team.alliance.name in html
    assert f"Escalation raised on {days_ago(20):%d %b %Y}: unresolved after 20 days." in html


def test_my_sponsorships_explains_itself_to_someone_who_sponsors_nothing(client, open_team):
    client.force_login(open_team.users["viewer"])
    response = client.get(reverse("sponsors:mine"))
    assert response.status_code == 200
    assert "You do not sponsor an alliance" in response.content.decode()


def test_sponsor_tab_and_my_sponsorships_link_are_on_the_pages(client, open_team):
    client.force_login(open_team.users["viewer"])
    html = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert f'href="{sponsors_url(open_team.alliance)}">Sponsors</a>' in html
    assert f'href="{reverse("sponsors:mine")}">My sponsorships</a>' in html


def test_user_text_is_escaped_everywhere(client, open_team):
    script = "<script>alert(1)</script>"
    ours = SponsorshipFactory(
        alliance=open_team.alliance,
        sponsor__name=f"Eve {script}",
        personal_agenda=script,
        motive_corporate=script,
    )
    SignalFactory(sponsorship=ours, note=script, kind="advocacy", where=script)
    client.force_login(open_team.users["manager"])
    for url in [
        sponsors_url(open_team.alliance),
        reverse("sponsors:profile", args=[ours.sponsor.pk]),
        reverse("sponsors:match", args=[open_team.alliance.slug]),
    ]:
        html = client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;" in html


# --- Query counts ---------------------------------------------------------------


def crowd(alliance, *, sponsorships: int, signals: int):
    """`sponsorships` sponsorships of `alliance` (an executive on each side, the rest
    champions) and `signals` signals spread over both executives' and the others'."""
    own = SponsorFactory().organisation
    people = Sponsor.objects.bulk_create(
        Sponsor(
            name=f"Crowd {alliance.pk}-{n}",
            organisation=own if n % 2 else alliance.partner,
            seniority="bu_head",
        )
        for n in range(sponsorships)
    )
    rows = Sponsorship.objects.bulk_create(
        Sponsorship(
            alliance=alliance,
            sponsor=person,
            side="ours" if n % 2 else "partner",
            role="executive_sponsor" if n < 2 else "champion",
            since=days_ago(400),
            motive_corporate="Grow",
        )
        for n, person in enumerate(people)
    )
    for person in people[:5]:
        person.interests.set(["sailing", f"topic-{person.pk}"])
    kinds = ["advocacy", "meeting", "kpi_review", "resources_requested", "senior_presence"]
    Signal.objects.bulk_create(
        Signal(
            sponsorship=rows[n % len(rows)],
            kind=kinds[n % len(kinds)],
            date=days_ago(n % 300),
            where="Town hall",
            meeting_with="counterpart",
            note=f"Signal {n}",
        )
        for n in range(signals)
    )
    ours = next(r for r in rows if r.side == "ours" and r.role == "executive_sponsor")
    theirs = next(r for r in rows if r.side == "partner" and r.role == "executive_sponsor")
    PeerLinkFactory(alliance=alliance, ours=ours.sponsor, theirs=theirs.sponsor)
    return rows


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# 13, plus the bell's unread count in the navigation bar.
SPONSOR_PAGE_MAX_QUERIES = 15  # + the reader's language (profile) and the portfolio link


def test_sponsor_page_queries_do_not_grow_with_sponsorships_or_signals(client, django_db_blocker):
    small, large = (
        make_team(confidential=True, prefix="small"),
        make_team(confidential=True, prefix="large"),
    )
    crowd(small.alliance, sponsorships=2, signals=3)
    crowd(large.alliance, sponsorships=50, signals=1000)
    client.force_login(small.users["manager"])
    few = queries_for(client, sponsors_url(small.alliance))
    client.force_login(large.users["manager"])
    many = queries_for(client, sponsors_url(large.alliance))
    assert many == few
    assert many <= SPONSOR_PAGE_MAX_QUERIES


def test_sponsor_overview_is_built_in_a_constant_number_of_queries(
    open_team, django_assert_max_num_queries
):
    crowd(open_team.alliance, sponsorships=50, signals=1000)
    manager = open_team.users["manager"]
    with django_assert_max_num_queries(8):
        overview = sponsor_overview(open_team.alliance, user=manager)
        assert len(overview.ours) + len(overview.partner) == 50
        assert overview.health.score is not None
        assert overview.rapport.shared_interests == ("sailing",)


def test_profile_and_my_sponsorships_queries_do_not_grow_with_alliances(client):
    user = UserFactory(username="busy-exec")
    pages = {}
    for size in (2, 50):
        sponsor = SponsorFactory(name=f"Busy {size}")
        for alliance in AllianceFactory.create_batch(size):
            sponsorship = SponsorshipFactory(alliance=alliance, sponsor=sponsor, role="champion")
            Signal.objects.bulk_create(
                Signal(sponsorship=sponsorship, kind="advocacy", where="Blog", date=days_ago(n))
                for n in range(20)
            )
        pages[size] = sponsor
    client.force_login(user)
    few = queries_for(client, reverse("sponsors:profile", args=[pages[2].pk]))
    many = queries_for(client, reverse("sponsors:profile", args=[pages[50].pk]))
    assert many == few
    assert many <= 12  # 9, plus the bell's unread count, the reader's language, portfolio link
    Sponsor.objects.filter(pk=pages[50].pk).update(user=user)
    assert queries_for(client, reverse("sponsors:mine")) <= 12


def test_sponsor_match_queries_do_not_grow_with_candidates(client, open_team):
    client.force_login(open_team.users["manager"])
    url = reverse("sponsors:match", args=[open_team.alliance.slug])
    SponsorFactory(interests=["public-sector"])
    few = queries_for(client, url)
    for n in range(40):
        sponsor = SponsorFactory(interests=[f"interest-{n}"])
        SponsorshipFactory(sponsor=sponsor, role="champion")
    many = queries_for(client, url)
    assert many == few
    assert many <= 11
    assert len(client.get(url).context["candidates"]) == 41


def test_a_sponsor_chosen_today_is_too_early_to_tell_not_zero_red(client, open_team):
    # The alliance's KPI is behind target: on its own it would make health "0 · Red".
    KPIFactory(alliance=open_team.alliance, target=100, actual=10)
    candidate = SponsorFactory(name="Hannah Schmidt")
    client.force_login(open_team.users["manager"])
    chosen = client.post(
        reverse("sponsors:match", args=[open_team.alliance.slug]), {"sponsor": candidate.pk}
    )
    assert chosen.status_code == 302
    response = client.get(sponsors_url(open_team.alliance))
    html = response.content.decode()
    health = response.context["overview"].health
    assert (health.score, health.too_early) == (None, True)
    assert "0 · Red" not in html
    assert "Too early to tell</span>" in html
    assert "the sponsorship is 0 days old and health is scored after 90 days" in html
    assert "So far: KPI attainment red." in html
    assert health.indicator("kpi_attainment").figure in html  # what is known still shows


def test_the_match_counts_only_the_sponsorships_the_reader_may_see(client, open_team):
    """A confidential alliance outside the reader's team does not exist for them, not even
    as a number in "already sponsors N alliances"."""
    person = SponsorFactory(name="Elena Load")
    SponsorshipFactory(sponsor=person, alliance=AllianceFactory(name="Open one"))
    secret = make_team(confidential=True, prefix="match-secret")
    SponsorshipFactory(sponsor=person, alliance=secret.alliance)

    def load_seen_by(user):
        client.force_login(user)
        page = client.get(reverse("sponsors:match", args=[open_team.alliance.slug]))
        (match,) = [m for p, m in page.context["candidates"] if p.pk == person.pk]
        return match.candidate.load

    assert load_seen_by(open_team.users["manager"]) == 1
    secret.alliance.memberships.create(user=open_team.users["manager"], role="viewer")
    assert load_seen_by(open_team.users["manager"]) == 2
