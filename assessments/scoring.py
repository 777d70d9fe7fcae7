"""Scores of an assessment: pure functions over frozen dataclasses, no Django.

Units: every score is 0–100 (a level n of the anchored scale scores n × 25),
coverage is a share 0–1, weights are any positive numbers (only their ratios
matter). A dimension score is the weighted mean of its answered questions;
the overall score is the weighted mean of the dimensions that have answers.
N/A and "don't know" leave the denominator; "don't know" is reported as
missing. Text questions are never scored.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from banks.schema import LEVEL_POINTS  # level n of the anchored 0–4 scale scores n × 25

DISAGREEMENT_LEVELS = 2  # assessors differ when their levels spread this much or more


@dataclass(frozen=True)
class Thresholds:
    """GO at or above `go`, NO-GO below `no_go`, a question below `gap` is a gap (all 0–100)."""

    go: float = 70
    no_go: float = 50
    gap: float = 50


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    weight: float


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    dimension: str
    weight: float = 1
    kind: str = "scale"  # scale | choice | yes_no | text
    required: bool = True
    knockout_level: int | None = None  # 0–4: a score ≤ level × 25 triggers the knock-out

    @property
    def is_scored(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class _Indexed:
    """Per-question data precomputed once per spec, so scoring a response is one pass."""

    dim_index: int
    weight: float
    share: float  # this question's share of the whole bank's scored weight (0–1)
    knockout_score: float | None


@dataclass(frozen=True)
class VersionSpec:
    """What a bank version says about scoring: dimensions, questions, thresholds."""

    dimensions: tuple[DimensionSpec, ...]
    questions: tuple[QuestionSpec, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)

    @cached_property
    def _index(self) -> dict[str, _Indexed]:
        dim_positions = {d.name: i for i, d in enumerate(self.dimensions)}
        scored = [q for q in self.questions if q.is_scored]
        per_dim_weight = [0.0] * len(self.dimensions)
        for q in scored:
            per_dim_weight[dim_positions[q.dimension]] += q.weight
        # Only dimensions with scored questions take part in the overall weighting.
        active_total = sum(d.weight for i, d in enumerate(self.dimensions) if per_dim_weight[i] > 0)
        index = {}
        for q in scored:
            i = dim_positions[q.dimension]
            share = (self.dimensions[i].weight / active_total) * (q.weight / per_dim_weight[i])
            knockout = None if q.knockout_level is None else q.knockout_level * LEVEL_POINTS
            index[q.key] = _Indexed(i, q.weight, share, knockout)
        return index

    @cached_property
    def _totals(self) -> list[tuple[int, float]]:
        """(scored questions, share of bank weight) per dimension, in spec order."""
        totals = [(0, 0.0) for _ in self.dimensions]
        for entry in self._index.values():
            n, share = totals[entry.dim_index]
            totals[entry.dim_index] = (n + 1, share + entry.share)
        return totals

    @cached_property
    def _required_keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions if q.required)

    @cached_property
    def by_key(self) -> dict[str, QuestionSpec]:
        return {q.key: q for q in self.questions}


@dataclass(frozen=True)
class AnswerInput:
    """One answer: `score` 0–100 for a level or choice, or N/A, or don't know, or text."""

    key: str
    score: float | None = None
    is_na: bool = False
    is_dont_know: bool = False
    has_text: bool = False


def answer_is_given(*, chosen: bool, is_na: bool, is_dont_know: bool, has_text: bool) -> bool:
    """The one rule of an answer given, ours or the partner's: a level or choice, N/A,
    "don't know" or some text. A comment or an evidence link alone is no answer.
    (`AnswerQuerySet.given()` is the same rule in the ORM; a test keeps the two in step.)"""
    return chosen or is_na or is_dont_know or has_text


def is_given(answer: AnswerInput) -> bool:
    """`answer_is_given` for an answer being scored."""
    return answer_is_given(
        chosen=answer.score is not None,
        is_na=answer.is_na,
        is_dont_know=answer.is_dont_know,
        has_text=answer.has_text,
    )


@dataclass(frozen=True)
class ResponseInput:
    """One assessor's answers; `assessor` is a display name."""

    assessor: str
    answers: tuple[AnswerInput, ...]


@dataclass(frozen=True)
class DimensionScore:
    name: str
    weight: float
    score: float | None  # 0–100, None when no question of the dimension is answered
    coverage: float  # 0–1 share of the dimension's (non-N/A) weight answered
    answered: int
    total: int  # scored questions in the dimension


@dataclass(frozen=True)
class Knockout:
    key: str
    dimension: str
    score: float
    knockout_level: int


@dataclass(frozen=True)
class Gap:
    """A question scoring below the gap threshold; `priority` = share of bank weight × shortfall."""

    key: str
    dimension: str
    score: float
    shortfall: float  # gap threshold − score, in points
    share: float  # the question's share of the bank's weight, 0–1
    priority: float


@dataclass(frozen=True)
class ResponseScore:
    overall: float | None  # 0–100, None when nothing scored is answered
    dimensions: tuple[DimensionScore, ...]
    coverage: float  # 0–1: answered weight / weight not marked N/A
    knockouts: tuple[Knockout, ...]
    gaps: tuple[Gap, ...]  # largest priority first
    missing_required: tuple[str, ...]  # required questions with no answer (keys, bank order)
    dont_know: tuple[str, ...]  # questions answered "don't know"
    answered: int  # scored questions with a score
    thresholds: Thresholds


@dataclass(frozen=True)
class Disagreement:
    """A question whose assessors' levels spread by `DISAGREEMENT_LEVELS` or more."""

    key: str
    dimension: str
    scores: tuple[tuple[str, float], ...]  # (assessor, score 0–100)
    spread: float  # in levels (0–4)
    median: float


@dataclass(frozen=True)
class AssessmentScore(ResponseScore):
    """The consolidated (median per question) score of several assessors."""

    assessors: tuple[str, ...] = ()
    per_assessor: tuple[tuple[str, ResponseScore], ...] = ()
    medians: tuple[tuple[str, float], ...] = ()  # (key, median score) for scored questions
    disagreements: tuple[Disagreement, ...] = ()
    # The one answer per question this score was computed from (median, N/A, don't know),
    # so a what-if (decisions/robustness.py) can rescore it with other weights.
    consolidated: tuple[AnswerInput, ...] = ()

    @property
    def median_by_key(self) -> dict[str, float]:
        return dict(self.medians)


def score_response(spec: VersionSpec, answers: Iterable[AnswerInput]) -> ResponseScore:
    """Score one set of answers against `spec`; answers to unknown keys are ignored."""
    return _score(spec, answers)


def _score(spec: VersionSpec, answers: Iterable[AnswerInput], cls=ResponseScore, **extra):
    index = spec._index
    n_dims = len(spec.dimensions)
    sum_ws = [0.0] * n_dims  # Σ weight × score of answered questions
    sum_w = [0.0] * n_dims  # Σ weight of answered questions
    answered_n = [0] * n_dims
    answered_share = 0.0
    answered_share_dim = [0.0] * n_dims
    na_share = 0.0
    na_share_dim = [0.0] * n_dims
    given: set[str] = set()
    dont_know: list[str] = []
    knockouts = []
    scores: dict[str, float] = {}
    for answer in answers:
        key = answer.key
        if is_given(answer):
            given.add(key)
        entry = index.get(key)
        if entry is None:
            continue
        if answer.is_na:
            na_share += entry.share
            na_share_dim[entry.dim_index] += entry.share
            continue
        if answer.is_dont_know:
            dont_know.append(key)
            continue
        score = answer.score
        if score is None:
            continue
        i = entry.dim_index
        sum_ws[i] += entry.weight * score
        sum_w[i] += entry.weight
        answered_n[i] += 1
        answered_share += entry.share
        answered_share_dim[i] += entry.share
        scores[key] = score
        if entry.knockout_score is not None and score <= entry.knockout_score:
            knockouts.append(key)

    totals = spec._totals
    dimensions = []
    overall_num = overall_den = 0.0
    for i, dim in enumerate(spec.dimensions):
        total_n, dim_share = totals[i]
        dim_score = _clamp(sum_ws[i] / sum_w[i]) if sum_w[i] else None
        if dim_score is not None:
            overall_num += dim.weight * dim_score
            overall_den += dim.weight
        open_share = dim_share - na_share_dim[i]
        coverage = _ratio(answered_share_dim[i], open_share)
        dimensions.append(
            DimensionScore(dim.name, dim.weight, dim_score, coverage, answered_n[i], total_n)
        )
    overall = overall_num / overall_den if overall_den else None

    gap_bar = spec.thresholds.gap
    by_key = spec.by_key
    gaps = []
    for key, score in scores.items():
        if score < gap_bar:
            entry = index[key]
            shortfall = gap_bar - score
            gaps.append(
                Gap(
                    key,
                    by_key[key].dimension,
                    score,
                    shortfall,
                    entry.share,
                    entry.share * shortfall,
                )
            )
    gaps.sort(key=lambda g: (-g.priority, g.key))
    missing = tuple(key for key in spec._required_keys if key not in given)
    return cls(
        overall=_clamp(overall),
        dimensions=tuple(dimensions),
        coverage=_ratio(answered_share, 1.0 - na_share),
        knockouts=tuple(
            Knockout(k, by_key[k].dimension, scores[k], by_key[k].knockout_level) for k in knockouts
        ),
        gaps=tuple(gaps),
        missing_required=missing,
        dont_know=tuple(dont_know),
        answered=len(scores),
        thresholds=spec.thresholds,
        **extra,
    )


def _ratio(part: float, whole: float) -> float:
    """part / whole clamped to 0–1 (float error aside); 0 when nothing is left to answer."""
    if whole <= 1e-12:
        return 0.0
    return min(1.0, max(0.0, part / whole))


def _clamp(value: float | None) -> float | None:
    return None if value is None else min(100.0, max(0.0, value))


def level_of(score: float) -> float:
    """Position of a 0–100 score on the 0–4 scale."""
    return score / LEVEL_POINTS


def consolidate(spec: VersionSpec, responses: Sequence[ResponseInput]) -> AssessmentScore:
    """Median answer per question across assessors, scored like one response.

    A question takes the median of the scores given; with no score but an
    N/A from someone it is N/A, else "don't know" if anyone said so. Questions
    whose assessors' levels spread by 2 or more are listed as disagreements.
    """
    per_assessor = tuple((r.assessor, score_response(spec, r.answers)) for r in responses)
    scored: dict[str, list[tuple[str, float]]] = {}
    na: set[str] = set()
    dont_know: set[str] = set()
    text: set[str] = set()
    for response in responses:
        for answer in response.answers:
            if answer.is_na:
                na.add(answer.key)
            elif answer.is_dont_know:
                dont_know.add(answer.key)
            elif answer.score is not None:
                scored.setdefault(answer.key, []).append((response.assessor, answer.score))
            elif answer.has_text:
                text.add(answer.key)
    consolidated = []
    medians = []
    disagreements = []
    by_key = spec.by_key
    for q in spec.questions:
        key = q.key
        if key in scored:
            values = [score for _, score in scored[key]]
            median = statistics.median(values)
            consolidated.append(AnswerInput(key, score=median))
            medians.append((key, median))
            spread = level_of(max(values) - min(values))
            if len(values) > 1 and spread >= DISAGREEMENT_LEVELS:
                disagreements.append(
                    Disagreement(key, by_key[key].dimension, tuple(scored[key]), spread, median)
                )
        elif key in na:
            consolidated.append(AnswerInput(key, is_na=True))
        elif key in dont_know:
            consolidated.append(AnswerInput(key, is_dont_know=True))
        elif key in text:
            consolidated.append(AnswerInput(key, has_text=True))
    disagreements.sort(key=lambda d: (-d.spread, d.key))
    return _score(
        spec,
        consolidated,
        cls=AssessmentScore,
        assessors=tuple(r.assessor for r in responses),
        per_assessor=per_assessor,
        medians=tuple(medians),
        disagreements=tuple(disagreements),
        consolidated=tuple(consolidated),
    )
