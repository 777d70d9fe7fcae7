"""Fill page and answer save for banks of 10, 60 and 200 questions; scoring 10,000 responses."""

import itertools
import random
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    VersionSpec,
    score_response,
)
from bench.support import median_wall_and_cpu_ms
from tests.assessment_factories import make_version, question, start
from tests.conftest import make_team

REQUESTS = 200
# Banks of 10, 50, 60 and 200 questions in 5 dimensions: the fill page shows one
# dimension, so sections of 2, 10, 12 and 40 questions.
SIZES = (10, 50, 60, 200)


def fill_page_and_answer_save(team, n: int):
    """A bank of `n` questions with an assessment started on it: the manager's fill page
    URL, a function that saves their answer to the knockout question A1 (the costliest
    save: it may open a finding), a different level on each call, and the number of
    questions the fill page shows (its first section)."""
    version = make_version(slug=f"bench-{n}", n_questions=n, n_dimensions=5)
    assessment = start(team, version, title=f"Bench {n}")
    mine = assessment.responses.get(assessor=team.users["manager"])
    slug = team.alliance.slug
    fill = reverse("assessments:fill", args=[slug, assessment.pk, mine.pk])
    knockout = question(version, "A1")
    save = reverse("assessments:answer", args=[slug, assessment.pk, mine.pk, knockout.pk])
    levels = [c.pk for c in knockout.choices.order_by("score")]
    field = f"q{knockout.pk}-level"
    turn = itertools.count()

    def answer_save(client):
        return client.post(save, {field: levels[next(turn) % len(levels)]})

    section = version.dimensions.order_by("order", "pk").first().questions.count()
    return fill, answer_save, section


def web():
    team = make_team(confidential=True, prefix="bench")
    client = Client()
    client.force_login(team.users["manager"])
    for n in SIZES:
        fill, answer_save, section = fill_page_and_answer_save(team, n)

        # The first visit in a process also reads the version (banks/sections.py).
        with CaptureQueriesContext(connection) as queries:
            assert client.get(fill).status_code == 200
        first_queries = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(fill).status_code == 200
        page_queries = len(queries)
        page_ms, page_cpu = median_wall_and_cpu_ms(lambda fill=fill: client.get(fill), REQUESTS)

        with CaptureQueriesContext(connection) as queries:
            assert answer_save(client).status_code == 200
        save_queries = len(queries)
        save_ms, save_cpu = median_wall_and_cpu_ms(
            lambda answer_save=answer_save: answer_save(client), REQUESTS
        )
        print(
            f"{n:>3} questions (fill page of a {section}-question section):"
            f" {page_queries:>2} queries ({first_queries} on a process's first visit),"
            f" median {page_ms:6.1f} ms (CPU {page_cpu:5.1f} ms);"
            f"  answer save {save_queries:>2} queries, median {save_ms:6.1f} ms"
            f" (CPU {save_cpu:5.1f} ms)  (over {REQUESTS} requests each)"
        )


def scoring():
    weights = [30, 25, 20, 15, 10]
    spec = VersionSpec(
        dimensions=tuple(DimensionSpec(f"D{i}", w) for i, w in enumerate(weights)),
        questions=tuple(
            QuestionSpec(
                f"Q{i}",
                "text",
                f"D{i % 5}",
                weight=1 + i % 3,
                knockout_level=1 if i % 10 == 0 else None,
            )
            for i in range(60)
        ),
    )
    rng = random.Random(7)
    options = [0, 25, 50, 75, 100, "na", "dk"]

    def answer(key):
        pick = rng.choice(options)
        if pick == "na":
            return AnswerInput(key, is_na=True)
        if pick == "dk":
            return AnswerInput(key, is_dont_know=True)
        return AnswerInput(key, score=pick)

    responses = [tuple(answer(q.key) for q in spec.questions) for _ in range(10_000)]
    started = time.perf_counter()
    for answers in responses:
        score_response(spec, answers)
    seconds = time.perf_counter() - started
    verdict = "ok" if seconds < 1 else "over the 1 s target"
    print(f"scoring 10,000 responses of 60 answers: {seconds:.2f} s ({verdict})")


def main():
    web()
    scoring()
