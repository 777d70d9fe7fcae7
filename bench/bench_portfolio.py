"""Portfolio with 100 alliances: page queries and median time; the Excel export of the
same portfolio: time and peak Python memory (tracemalloc)."""

import time
import tracemalloc

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments import services
from bench.support import median_ms
from briefs.models import Brief
from tests.assessment_factories import answer_all, make_version
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago

ALLIANCES = 100


def _portfolio(manager):
    version = make_version(slug="bench-portfolio-fit", knockouts={})
    for n, alliance in enumerate(AllianceFactory.create_batch(ALLIANCES, stage="launched")):
        MembershipFactory(alliance=alliance, user=manager, role=Membership.Role.MANAGER)
        sponsorship = SponsorshipFactory(alliance=alliance, since=days_ago(300))
        for days in (5, 40, 80):
            SignalFactory(sponsorship=sponsorship, kind="advocacy", date=days_ago(days))
        first = services.assessment_start(
            alliance=alliance, version=version, title="Fit", by=manager, assessors=[manager]
        )
        answer_all(first.responses.get(), 3)
        services.response_submit(response=first.responses.get(), by=manager)
        if n % 2:  # every other alliance has a second round, some of them lower
            first.refresh_from_db()
            second = services.assessment_reassess(assessment=first, by=manager)
            answer_all(second.responses.get(), 2 if n % 4 == 1 else 4)
            services.response_submit(response=second.responses.get(), by=manager)
        Brief.objects.create(
            alliance=alliance,
            snapshot={"decision": {"verdict": "GO", "css": "go"}},
            snapshot_sha256=f"{n:064d}",
            status=Brief.Status.READY,
        )


def main():
    manager = UserFactory(username="bench-portfolio", groups=[MANAGERS_GROUP])
    _portfolio(manager)
    client = Client()
    client.force_login(manager)
    url = reverse("portfolio:page")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    count = len(queries)
    ms = median_ms(lambda: client.get(url), repeat=20)
    print(
        f"portfolio page, {ALLIANCES} alliances  {count:>3} queries   median {ms:6.1f} ms over 20"
    )

    export = reverse("portfolio:export_xlsx")
    client.get(export)  # warm imports (openpyxl)
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(export)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    label = f"portfolio Excel, {ALLIANCES} alliances"
    print(
        f"{label:<32} {seconds * 1000:6.0f} ms   "
        f"peak {peak / 1_000_000:5.1f} MB (tracemalloc)   {size / 1000:.0f} kB file"
    )
