"""Sponsor page, profile and match: queries and median times with 50 sponsorships and
1,000 signals; sponsor health alone (pure) on 1,000 signals."""

import random
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.support import median_ms
from sponsors import health
from sponsors.models import Signal, Sponsor, Sponsorship
from tests.conftest import make_team
from tests.sponsor_factories import PeerLinkFactory, SponsorFactory

KINDS = ["advocacy", "meeting", "kpi_review", "resources_requested", "senior_presence"]


def seed(alliance, *, sponsorships=50, signals=1000):
    today = timezone.localdate()
    own = SponsorFactory(name="Bench own").organisation
    people = Sponsor.objects.bulk_create(
        Sponsor(
            name=f"Bench {n}",
            organisation=own if n % 2 else alliance.partner,
            seniority="bu_head",
            business_unit="Public sector cloud",
        )
        for n in range(sponsorships)
    )
    rows = Sponsorship.objects.bulk_create(
        Sponsorship(
            alliance=alliance,
            sponsor=person,
            side="ours" if n % 2 else "partner",
            role="executive_sponsor" if n < 2 else "champion",
            since=today - timedelta(days=400),
        )
        for n, person in enumerate(people)
    )
    for person in people[:10]:
        person.interests.set(["sailing", f"topic-{person.pk}"])
    Signal.objects.bulk_create(
        Signal(
            sponsorship=rows[n % 2],  # every signal on the two executives: worst case for health
            kind=KINDS[n % len(KINDS)],
            date=today - timedelta(days=n % 300),
            where="Town hall",
            meeting_with="counterpart",
            note=f"Signal {n}",
        )
        for n in range(signals)
    )
    PeerLinkFactory(alliance=alliance, ours=people[1], theirs=people[0])
    return people


def main():
    team = make_team(confidential=True, prefix="bench")
    people = seed(team.alliance)
    client = Client()
    client.force_login(team.users["manager"])
    pages = [
        ("sponsor page (50 / 1,000)", reverse("sponsors:alliance", args=[team.alliance.slug])),
        ("sponsor profile", reverse("sponsors:profile", args=[people[1].pk])),
        ("sponsor match (26 ours)", reverse("sponsors:match", args=[team.alliance.slug])),
    ]
    for label, url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        query_count = len(queries)
        ms = median_ms(lambda url=url: client.get(url), repeat=30)
        print(f"{label:<30} {query_count:>3} queries   median {ms:6.1f} ms over 30 requests")

    rng = random.Random(4)
    today = timezone.localdate()
    facts = [
        health.SignalFact(n, rng.choice(KINDS), today - timedelta(days=rng.randint(0, 300)))
        for n in range(1000)
    ]
    ms = median_ms(
        lambda: health.sponsorship_health(
            signals=facts, kpis=(), since=today - timedelta(days=400), today=today
        ),
        repeat=200,
    )
    print(f"{'health of 1,000 signals (pure)':<30}       median {ms:6.2f} ms over 200 runs")
