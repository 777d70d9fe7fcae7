"""How robust the verdict is (decisions/robustness.py): the time of 2,000 weightings and
the smallest-flip search for the demo's largest assessment, alone and with the rest of
its alliance's decision, and for a bank of 60 questions in its place (target: under
150 ms)."""

import random
from dataclasses import replace
from io import StringIO

from django.core.management import call_command

from alliances.models import Alliance
from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    VersionSpec,
    score_response,
)
from assessments.selectors import scored_latest
from bench.support import median_wall_and_cpu_ms
from decisions.robustness import AssessmentEvidence, verdict_robustness
from decisions.robustness_selectors import robustness_evidence
from decisions.rules import assessment_summary
from decisions.selectors import decision_inputs

REPEAT = 15
TARGET_MS = 150


def sixty_questions(like):
    """A 60-question assessment of the same kind as `like` (5 dimensions, weights 1–3,
    seeded answers around the go threshold, a few "don't know")."""
    spec = VersionSpec(
        dimensions=tuple(DimensionSpec(f"D{i}", w) for i, w in enumerate([30, 25, 20, 15, 10])),
        questions=tuple(
            QuestionSpec(f"Q{i}", f"Question {i}", f"D{i % 5}", weight=1 + i % 3) for i in range(60)
        ),
    )
    rng = random.Random(7)
    answers = tuple(
        AnswerInput(q.key, is_dont_know=True)
        if rng.random() < 0.05
        else AnswerInput(q.key, score=rng.choice([50, 75, 75, 100]))
        for q in spec.questions
    )
    summary = assessment_summary(
        kind=like.kind,
        title="60 questions",
        bank=like.bank,
        version=1,
        score=score_response(spec, answers),
        spec=spec,
    )
    return summary, AssessmentEvidence(spec, answers)


def main():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    alliances = list(Alliance.objects.order_by("pk"))
    scored = scored_latest([a.pk for a in alliances])
    inputs = decision_inputs(alliances, scored=scored)
    # The largest submitted assessment the demo's decisions rest on, by scored questions.
    _, _, alliance, position = max(
        (sum(q.is_scored for q in scored.specs[a.version_id].questions), -a.pk, alliance, i)
        for alliance in alliances
        for i, a in enumerate(scored.latest.get(alliance.pk, {}).values())
    )
    data = inputs[alliance.pk]
    evidence = robustness_evidence(alliance.pk, scored)
    largest = data.assessments[position]
    n = sum(q.is_scored for q in evidence[position].spec.questions)
    alone = (replace(data, assessments=(largest,)), (evidence[position],))
    sixty, sixty_evidence = sixty_questions(largest)
    in_its_place = (
        replace(
            data,
            assessments=tuple(sixty if a is largest else a for a in data.assessments),
            findings=(),
        ),
        tuple(sixty_evidence if i == position else e for i, e in enumerate(evidence)),
    )
    for label, (case_data, case_evidence) in (
        (f"the largest assessment alone ({largest.title}, {n} questions)", alone),
        (
            f"its alliance's whole decision ({alliance.name}, {len(evidence)} assessments)",
            (data, evidence),
        ),
        (
            "a 60-question assessment alone",
            ((replace(data, assessments=(sixty,))), (sixty_evidence,)),
        ),
        (
            f"{alliance.name} with a 60-question assessment in its place, without findings"
            " (the scores decide)",
            in_its_place,
        ),
    ):
        result = verdict_robustness(case_data, case_evidence)
        wall, cpu = median_wall_and_cpu_ms(
            lambda d=case_data, e=case_evidence: verdict_robustness(d, e), REPEAT
        )
        verdict = "ok" if wall < TARGET_MS else f"over the {TARGET_MS} ms target"
        print(
            f"robustness, {result.draws} draws + smallest flip, {label}:"
            f" median {wall:.1f} ms (CPU {cpu:.1f} ms; {verdict})\n    {result.sentence}"
        )
