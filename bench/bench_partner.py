"""The partner's fill page and answer save (through an invitation link, no login) for
banks of 10, 60 and 200 questions: the same targets as our own fill page."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import PartnerInvitation
from assessments.partner.services import InviteeData, invitations_create
from assessments.partner.tokens import token_hash
from bench.support import median_ms
from tests.assessment_factories import make_version, question, start
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
        (invitation,) = invitations_create(
            assessment=assessment,
            invitees=[InviteeData(name="Bench Partner", email=f"bench-{n}@partner.example")],
            alliance_label="Bench alliance",
            by=team.users["manager"],
        )
        token = f"bench-partner-link-{n}-0123456789abcdefghijklmnop"
        PartnerInvitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
        fill = reverse("partner:fill", args=[token])
        asked = question(version, "A1")
        save = reverse("partner:answer", args=[token, asked.pk])
        levels = [c.pk for c in asked.choices.order_by("score")]
        field = f"q{asked.pk}-level"

        # The first visit in a process also reads the version (assessments/sections.py).
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
