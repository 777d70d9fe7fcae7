"""Exports and the API: Excel and CSV export of a 60-question assessment answered by 5
assessors (time and peak Python memory with tracemalloc), and the API list endpoints'
query counts at different numbers of rows (they must not grow) with their median time."""

import time
import tracemalloc

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.access import MANAGERS_GROUP
from api.services import token_create
from assessments import services
from assessments.models import Answer, Response
from banks.models import Choice, Question
from bench.support import median_ms
from briefs.models import Brief
from tests.assessment_factories import make_version
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import PartnerSponsorshipFactory, SignalFactory, SponsorshipFactory

ASSESSORS = 5
QUESTIONS = 60
EXPORT_RUNS = 5
API_LISTS = ["alliance", "assessment", "finding", "decision", "sponsorship", "brief"]


def assessed(manager):
    """A 60-question assessment, every question answered by 5 assessors, with comments
    and evidence links, all submitted."""
    alliance = AllianceFactory(name="Bench export")
    assessors = [manager] + [UserFactory(username=f"bench-assessor-{n}") for n in range(1, 5)]
    MembershipFactory(alliance=alliance, user=manager, role="manager")
    for user in assessors[1:]:
        MembershipFactory(alliance=alliance, user=user, role="contributor")
    version = make_version(slug="bench-sixty", n_questions=QUESTIONS, n_dimensions=6)
    assessment = services.assessment_start(
        alliance=alliance, version=version, title="Sixty questions", by=manager,
        assessors=assessors,
    )  # fmt: skip
    questions = list(Question.objects.filter(dimension__version=version))
    choices = {(c.question_id, c.score): c for c in Choice.objects.filter(question__in=questions)}
    answers = []
    for n, response in enumerate(assessment.responses.all()):
        for i, question in enumerate(questions):
            answers.append(
                Answer(
                    response=response,
                    question=question,
                    choice=choices[(question.pk, 25 * ((n + i) % 5))],
                    comment=f"Evidence discussed with the partner's team, item {i}. " * 3,
                    evidence_url=f"https://evidence.example/{n}/{i}",
                )
            )
    Answer.objects.bulk_create(answers)
    Response.objects.filter(assessment=assessment).update(status=Response.Status.SUBMITTED)
    assessment.status = assessment.Status.SUBMITTED
    assessment.save()
    return assessment


def export_figures(client, assessment):
    args = [assessment.alliance.slug, assessment.pk]
    for label, name, fmt in [
        ("answers, Excel", "assessments:export_answers", "xlsx"),
        ("answers, CSV", "assessments:export_answers", "csv"),
        ("results, Excel", "assessments:export_results", "xlsx"),
    ]:
        url = reverse(name, args=[*args, fmt])
        timings, size = [], 0
        for _ in range(EXPORT_RUNS):
            started = time.perf_counter()
            response = client.get(url)
            size = sum(len(chunk) for chunk in response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        tracemalloc.start()
        response = client.get(url)
        for _chunk in response.streaming_content:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{label:<16} {ASSESSORS} assessors × {QUESTIONS} questions: "
            f"median {sorted(timings)[len(timings) // 2]:6.0f} ms, "
            f"peak Python memory {peak / 1e6:5.1f} MB, file {size / 1e3:5.0f} kB"
        )


def grow(manager, version, count, start_at):
    """`count` alliances with an assessment, a finding, sponsors on both sides and a brief."""
    for n in range(start_at, start_at + count):
        alliance = AllianceFactory(name=f"Bench API {n}")
        MembershipFactory(alliance=alliance, user=manager, role="manager")
        assessment = services.assessment_start(
            alliance=alliance, version=version, title=f"Fit {n}", by=manager,
            assessors=[manager],
        )  # fmt: skip
        response = assessment.responses.get()
        for question in Question.objects.filter(dimension__version=version):
            score = 0 if question.key == "A1" else 75
            services.answer_save(
                response=response,
                question=question,
                value=services.AnswerValue(choice=question.choices.get(score=score)),
                user=manager,
            )
        services.response_submit(response=response, by=manager)
        ours = SponsorshipFactory(alliance=alliance)
        SignalFactory(sponsorship=ours)
        PartnerSponsorshipFactory(alliance=alliance)
        Brief.objects.create(alliance=alliance, snapshot={}, snapshot_sha256=f"{n:064d}")


def api_figures(manager):
    key = token_create(by=manager, name="bench").key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    version = make_version(slug="bench-api")
    rows = 0
    counts: dict[str, list[int]] = {name: [] for name in API_LISTS}
    times: dict[str, float] = {}
    for target in (5, 50):
        grow(manager, version, target - rows, rows)
        rows = target
        for name in API_LISTS:
            url = reverse(f"api:{name}-list") + "?page_size=50"
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name].append(len(queries))
            times[name] = median_ms(lambda url=url: client.get(url), repeat=20)
    for name in API_LISTS:
        few, many = counts[name]
        verdict = "constant" if few == many else "GROWS"
        print(
            f"GET /api/v1/{name}s/  {few:>2} queries at 5 rows, {many:>2} at 50 ({verdict}); "
            f"median {times[name]:6.1f} ms at 50 rows"
        )


def main():
    manager = UserFactory(username="bench-export-manager", groups=[MANAGERS_GROUP])
    client = Client()
    client.force_login(manager)
    export_figures(client, assessed(manager))
    api_figures(manager)
