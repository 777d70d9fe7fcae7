"""Reads with rules: scores of assessments, latest assessments of an alliance, findings.

Every function here runs a fixed number of queries, whatever the size of the bank.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from alliances.models import Alliance
from assessments.marks import answer_marks
from assessments.models import BY_QUESTION, Answer, Assessment, Finding, Response
from assessments.partner.selectors import PartnerSide, partner_scores, partner_sides
from assessments.perception import PerceptionComparison, compare_sides
from assessments.scoring import (
    AnswerInput,
    AssessmentScore,
    DimensionSpec,
    QuestionSpec,
    ResponseInput,
    Thresholds,
    VersionSpec,
    consolidate,
)
from banks.models import BankVersion, Dimension, Question
from banks.sections import localised, version_sections
from kit.memo import per_request
from kit.people import display_name


@per_request
def version_specs(versions: Iterable[BankVersion]) -> dict[int, VersionSpec]:
    """Scoring specs of several versions by id (2 queries whatever their number)."""
    versions = {v.pk: v for v in versions}
    dimensions = list(Dimension.objects.filter(version_id__in=versions).order_by("order", "pk"))
    names = {d.pk: d.name for d in dimensions}
    questions = Question.objects.filter(dimension__version_id__in=versions).order_by(
        "dimension__order", "dimension_id", "order", "pk"
    )
    per_version: dict[int, list] = {pk: [] for pk in versions}
    for q in questions.values(
        "dimension_id",
        "dimension__version_id",
        "key",
        "text",
        "weight",
        "kind",
        "required",
        "knockout_level",
    ):
        per_version[q["dimension__version_id"]].append(
            QuestionSpec(
                key=q["key"],
                text=q["text"],
                dimension=names[q["dimension_id"]],
                weight=q["weight"],
                kind=q["kind"],
                required=q["required"],
                knockout_level=q["knockout_level"],
            )
        )
    return {
        pk: VersionSpec(
            dimensions=tuple(
                DimensionSpec(d.name, d.weight) for d in dimensions if d.version_id == pk
            ),
            questions=tuple(per_version[pk]),
            thresholds=Thresholds(
                go=version.go_threshold,
                no_go=version.no_go_threshold,
                gap=version.gap_threshold,
            ),
        )
        for pk, version in versions.items()
    }


def _answer_input(row) -> AnswerInput:
    return AnswerInput(
        key=row["question__key"],
        score=row["choice__score"],
        is_na=row["is_na"],
        is_dont_know=row["is_dont_know"],
        has_text=bool(row["text"].strip()),
    )


ANSWER_FIELDS = ("response_id", "question__key", "choice__score", "is_na", "is_dont_know", "text")


def assessor_name(user) -> str:
    return display_name(user)


# A submitted round is locked: its scores change only when it is reopened (and then
# submitted again, at another time) or when an assessor's name changes. The key holds
# both, so a kept score is never stale; the day bounds what an unused one takes up.
SUBMITTED_SCORE_SECONDS = 24 * 3600


def assessment_scores(
    assessments: Iterable[Assessment],
    *,
    submitted_only: bool = True,
    specs: dict[int, VersionSpec] | None = None,
) -> dict[int, AssessmentScore]:
    """Consolidated scores of several assessments by id, in 4 queries whatever their number
    (2 when `specs` of their versions are given; 1 when every one is a submitted round
    scored before, kept in the shared cache)."""
    assessments = list(assessments)
    responses = Response.objects.filter(assessment__in=assessments).select_related("assessor")
    if submitted_only:
        responses = responses.filter(status=Response.Status.SUBMITTED)
    responses = list(responses.order_by("assessor__username"))
    keys = _submitted_score_keys(assessments, responses) if submitted_only else {}
    kept = cache.get_many(keys.values()) if keys else {}
    scores = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [a for a in assessments if a.pk not in scores]
    if missing:
        # Specs of all of them, as other panels of the page ask for (kit/memo.py).
        specs = specs or version_specs({a.version for a in assessments})
        wanted = {a.pk for a in missing}
        computed = _scored(missing, [r for r in responses if r.assessment_id in wanted], specs)
        cache.set_many(
            {keys[pk]: score for pk, score in computed.items() if pk in keys},
            SUBMITTED_SCORE_SECONDS,
        )
        scores.update(computed)
    return {a.pk: scores[a.pk] for a in assessments}


def _submitted_score_keys(assessments, responses) -> dict[int, str]:
    """Cache keys of the submitted rounds' scores: the round, when it was submitted and
    who answered it under which name."""
    names = defaultdict(list)
    for r in responses:
        names[r.assessment_id].append(f"{r.pk}={assessor_name(r.assessor)}")
    return {
        a.pk: "assessment-score:"
        + hashlib.sha256(
            f"{a.pk}|{a.version_id}|{a.submitted_at.isoformat()}|{'|'.join(names[a.pk])}".encode()
        ).hexdigest()
        for a in assessments
        if a.is_submitted and a.submitted_at
    }


def _scored(assessments, responses, specs) -> dict[int, AssessmentScore]:
    by_response: dict[int, list[AnswerInput]] = {r.pk: [] for r in responses}
    rows = (
        Answer.objects.filter(response__in=[r.pk for r in responses])
        .order_by("response_id", *BY_QUESTION)
        .values(*ANSWER_FIELDS)
    )
    for row in rows:
        by_response[row["response_id"]].append(_answer_input(row))
    inputs: dict[int, list[ResponseInput]] = {a.pk: [] for a in assessments}
    for r in responses:
        inputs[r.assessment_id].append(
            ResponseInput(assessor_name(r.assessor), tuple(by_response[r.pk]))
        )
    return {a.pk: consolidate(specs[a.version_id], inputs[a.pk]) for a in assessments}


@per_request
def assessment_score(assessment: Assessment, *, submitted_only: bool = True) -> AssessmentScore:
    """Consolidated score of an assessment's (submitted) responses, in 4 queries."""
    return assessment_scores([assessment], submitted_only=submitted_only)[assessment.pk]


@per_request
def latest_submitted_by_alliance(alliance_ids: Iterable[int]) -> dict[int, dict[str, Assessment]]:
    """Each alliance's latest submitted assessment of each bank kind (1 query)."""
    submitted = (
        Assessment.objects.filter(
            alliance_id__in=list(alliance_ids), status=Assessment.Status.SUBMITTED
        )
        .select_related("version__bank")
        .order_by("-submitted_at", "-pk")
    )
    latest: dict[int, dict[str, Assessment]] = defaultdict(dict)
    for assessment in submitted:
        latest[assessment.alliance_id].setdefault(assessment.version.bank.kind, assessment)
    return latest


def latest_submitted_assessments(alliance: Alliance) -> dict[str, Assessment]:
    """The alliance's latest submitted assessment of each bank kind (1 query)."""
    return latest_submitted_by_alliance([alliance.pk]).get(alliance.pk, {})


def alliance_assessments(alliance: Alliance) -> QuerySet[Assessment]:
    """Every assessment of the alliance, newest first, with progress counts."""
    return (
        Assessment.objects.filter(alliance=alliance)
        .select_related("version__bank", "created_by")
        .annotate(
            assessor_count=Count("responses", distinct=True),
            submitted_count=Count(
                "responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True
            ),
            open_findings=Count(
                "findings",
                filter=Q(findings__classification=Finding.Classification.UNCLASSIFIED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def alliance_findings(alliance: Alliance, assessments=None) -> list[Finding]:
    """Findings of the given assessments (default: the latest submitted of each kind and
    every assessment in progress), showstoppers and unclassified first."""
    if assessments is None:
        latest = [a.pk for a in latest_submitted_assessments(alliance).values()]
        scope = Q(assessment_id__in=latest) | Q(assessment__status=Assessment.Status.DRAFT)
    else:
        scope = Q(assessment__in=assessments)
    findings = (
        Finding.objects.filter(scope, assessment__alliance=alliance)
        .select_related("assessment__version__bank", "question", "classified_by", "owner_user")
        .order_by("assessment_id", "question__dimension__order", "question__order")
    )
    rank = {
        Finding.Classification.SHOWSTOPPER: 0,
        Finding.Classification.UNCLASSIFIED: 1,
        Finding.Classification.MANAGEABLE: 2,
    }
    return sorted(findings, key=lambda f: rank[f.classification])


def response_answers(response: Response) -> dict[int, Answer]:
    """The response's answers by question id, for `fill_dimensions` and
    `dimension_questions` (1 query). Unordered: Answer's default order joins five tables."""
    return {a.question_id: a for a in Answer.objects.filter(response=response).order_by()}


def fill_dimensions(version: BankVersion, answers: dict[int, Answer]) -> list[Dimension]:
    """The version's dimensions in order, each with `question_count` and how many of them
    `answers` (from `response_answers`) give, `answered_count` (no query: the wording
    comes from assessments/sections)."""
    dimensions = []
    for section in version_sections(version):
        dimension = copy(section.dimension)
        dimension.section = section
        dimension.question_count = len(section.questions)
        given = (answers.get(q.pk) for q in section.questions)
        dimension.answered_count = sum(1 for a in given if a is not None and a.is_given)
        dimensions.append(dimension)
    return dimensions


def dimension_questions(dimension: Dimension, answers: dict[int, Answer]) -> list[Question]:
    """Copies of the questions of a dimension from `fill_dimensions`, each with its
    `choice_list`, `form_prefix` and its answer among `answers` as `my_answer`."""
    questions = [copy(q) for q in dimension.section.questions]
    for question in questions:
        question.my_answer = answers.get(question.pk)
    return questions


def answer_rows(assessment: Assessment, responses: list[Response]):
    """Questions of the version with each listed response's answer, for the results table
    (3 queries): a list of (dimension, [(question, [answer or None per response])])."""
    questions = list(
        Question.objects.filter(dimension__version_id=assessment.version_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    )
    localised(questions)
    localised(q.dimension for q in questions)
    answers = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__in=responses).select_related("choice").order_by()
    }
    localised(a.choice for a in answers.values() if a.choice is not None)
    grouped: list = []
    for question in questions:
        row = (question, [answers.get((r.pk, question.pk)) for r in responses])
        if grouped and grouped[-1][0].pk == question.dimension_id:
            grouped[-1][1].append(row)
        else:
            grouped.append((question.dimension, [row]))
    return grouped


def answer_marks_by_key(rows) -> dict[str, tuple]:
    """Question key → the marks its answers earned (assessments/marks.py), for the
    results table built by `answer_rows`."""
    return {
        question.key: answer_marks(
            kind=question.kind,
            knockout_level=question.knockout_level,
            scores=[a.choice.score if a and a.choice and not a.is_na else None for a in answers],
        )
        for _, items in rows
        for question, answers in items
    }


@dataclass(frozen=True)
class ScoredLatest:
    """Each alliance's latest submitted assessment of each kind, with specs and scores."""

    latest: dict[int, dict[str, Assessment]]
    specs: dict[int, VersionSpec]
    scores: dict[int, AssessmentScore]

    @property
    def assessments(self) -> list[Assessment]:
        return [a for kinds in self.latest.values() for a in kinds.values()]


@per_request
def scored_latest(alliance_ids: Iterable[int]) -> ScoredLatest:
    """Latest submitted assessments of the alliances, scored (5 queries)."""
    latest = latest_submitted_by_alliance(alliance_ids)
    assessments = [a for kinds in latest.values() for a in kinds.values()]
    specs = version_specs({a.version for a in assessments})
    return ScoredLatest(latest, specs, assessment_scores(assessments, specs=specs))


@dataclass(frozen=True)
class Perception:
    """The two sides of a two-sided assessment; `comparison` is None while blind (until
    our side and the partner side have both submitted)."""

    side: PartnerSide
    comparison: PerceptionComparison | None
    partner_score: AssessmentScore | None

    @property
    def is_blind(self) -> bool:
        return self.comparison is None


def assessment_perception(assessment: Assessment, our_score: AssessmentScore) -> Perception:
    """The comparison for the results page (3–5 queries)."""
    side = partner_sides([assessment])[assessment.pk]
    if not (assessment.is_submitted and side.is_complete):
        return Perception(side, None, None)
    specs = version_specs([assessment.version])
    theirs = partner_scores({assessment.pk: side}, [assessment], specs)[assessment.pk]
    comparison = compare_sides(
        specs[assessment.version_id],
        our_score,
        theirs,
        threshold=assessment.version.perception_gap_threshold,
    )
    return Perception(side, comparison, theirs)
