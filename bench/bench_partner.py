"""The partner's fill page and answer save (through an invitation link, no login) for
banks of 10, 60 and 200 questions: the same targets as our own fill page."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.support import median_ms
from tests.assessment_factories import invite_partner, make_version, question, start
from tests.conftest import make_team

REQUESTS = 200
SIZES = (10, 60, 200)


def main():
    team = make_team(confidential=True, prefix="bench-partner")
    client = Client()  # the partner: nobody signed in
    for n in SIZES:
        version = make_version(
            slug=f"bench-mutual-{n}", kind="mutual_fit", n_questions=n, n_dimensions=5
        )
        assessment = start(team, version, title=f"Both sides {n}")
        token = f"bench-partner-link-{n}-0123456789abcdefghijklmnop"
        invite_partner(assessment, by=team.users["manager"], token=token)
        fill = reverse("partner:fill", args=[token])
        asked = question(version, "A1")
        save = reverse("partner:answer", args=[token, asked.pk])
        levels = [c.pk for c in asked.choices.order_by("score")]
        field = f"q{asked.pk}-level"

        # The first visit in a process also reads the version (banks/sections.py).
        with CaptureQueriesContext(connection) as queries:
            assert client.get(fill).status_code == 200
        first_queries = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(fill).status_code == 200
        page_queries = len(queries)
        page_ms = median_ms(lambda fill=fill: client.get(fill), repeat=REQUESTS)

        with CaptureQueriesContext(connection) as queries:
            assert client.post(save, {field: levels[0]}).status_code == 200
        save_queries = len(queries)
        turn = iter(range(10**9))
        save_ms = median_ms(
            lambda save=save, field=field, levels=levels, turn=turn: client.post(
                save, {field: levels[next(turn) % len(levels)]}
            ),
            repeat=REQUESTS,
        )
        print(
            f"{n:>3} questions: partner fill page {page_queries:>2} queries"
            f" ({first_queries} on a process's first visit), median "
            f"{page_ms:6.1f} ms;  partner answer save {save_queries:>2} queries, median "
            f"{save_ms:6.1f} ms  (over {REQUESTS} requests each)"
        )
