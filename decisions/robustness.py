"""How robust a verdict is: how often it holds when the banks' weights vary, and the
single smallest change that would flip it. Pure: no Django.

Each draw multiplies every question and dimension weight of every assessment the
decision rests on by uniform(1 − SPREAD, 1 + SPREAD); the share of draws that give the
same verdict is the figure. Draws come from a `random.Random` seeded with a sha256 of
the assessments' specs and answers, so the same evidence always gives the same figure.
The findings, the sponsor and the perception gaps stay as they are.

Every verdict is `decide()`'s, on assessments really rescored by `score_response()`:
nothing here restates a rule. What makes 2,000 draws fast is one observation about the
rules, checked by tests/test_robustness.py: a verdict reads an assessment's overall
score only against its go and no-go thresholds, its coverage only against
`MIN_COVERAGE`, and its gaps only by whether there are any (gaps do not depend on
weights). Two weightings on the same side of every threshold ("sides") therefore give
the same verdict, and `decide()` runs once per distinct sides, not once per draw. To
find a draw's sides, `_Assessment.scores_with()` computes the overall score and coverage
with scoring's weighted means, summed per dimension over per-question data prepared
once (the consolidated answers do not depend on weights); the tests pin them equal to
`score_response`'s. The evidence as it is takes its sides from its real scores, and a
weighting whose figure falls within rounding of a threshold is scored for real, so a
score exactly on a threshold is read as the rules read it.

The smallest flip is searched among one weight moved by 5 %, 10 % … 50 % either way
and one answer moved by one level (sized 25 %: a level is a quarter of the 0–4 scale),
smallest size first, answers before weights at equal size. One weight moves every
score and coverage monotonically, so a weight whose 50 % step leaves every side alone
cannot flip the verdict at a smaller step and is not stepped through. The flip
returned is checked with the real scoring and `decide()`.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from operator import mul

from assessments.scoring import AnswerInput, VersionSpec, score_response
from banks.schema import LEVEL_POINTS
from decisions.rules import (
    MIN_COVERAGE,
    AssessmentSummary,
    DecisionInput,
    Verdict,
    assessment_summary,
    decide,
)
from kit.texts import _

DRAWS = 2000
SPREAD = 0.25  # each weight × uniform(0.75, 1.25)
WEIGHT_STEPS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)
LEVEL_SIZE = 0.25  # one level of the 0–4 scale, measured like a weight's relative change
TIE = 1e-9  # a figure this close to a threshold is left to the real scoring


@dataclass(frozen=True)
class AssessmentEvidence:
    """What one of the decision's assessments was scored from: its bank version's spec
    and its consolidated answers (one per question: median score, N/A or don't know)."""

    spec: VersionSpec
    answers: tuple[AnswerInput, ...]


class FlipKind(StrEnum):
    ANSWER = "answer"
    DIMENSION_WEIGHT = "dimension_weight"
    QUESTION_WEIGHT = "question_weight"


@dataclass(frozen=True)
class Flip:
    """One change that turns the verdict into `verdict`. `assessment` is the position of
    the assessment in `DecisionInput.assessments`; `target` a question key or a dimension
    name. A weight change multiplies the weight by `factor`; an answer change moves the
    question's (median) score from `from_level` to `to_level` on the 0–4 scale."""

    kind: FlipKind
    assessment: int
    target: str
    verdict: Verdict
    factor: float = 1.0
    from_level: float | None = None
    to_level: float | None = None

    @property
    def size(self) -> float:
        """How large the change is, 0–1: a weight's relative change, or 0.25 a level."""
        return LEVEL_SIZE if self.kind == FlipKind.ANSWER else abs(self.factor - 1)

    @property
    def text(self) -> str:
        """`one level more on P6 would make it GO`, in the active language."""
        names = {"key": self.target, "verdict": self.verdict.label}
        if self.kind == FlipKind.ANSWER:
            if self.to_level > self.from_level:
                return _("one level more on %(key)s would make it %(verdict)s") % names
            return _("one level less on %(key)s would make it %(verdict)s") % names
        names["percent"] = f"{round(self.size * 100)}"
        if self.kind == FlipKind.DIMENSION_WEIGHT:
            if self.factor > 1:
                return (
                    _("%(percent)s %% more weight on %(key)s (dimension) would make it %(verdict)s")
                    % names
                )
            return (
                _("%(percent)s %% less weight on %(key)s (dimension) would make it %(verdict)s")
                % names
            )
        if self.factor > 1:
            return _("%(percent)s %% more weight on %(key)s would make it %(verdict)s") % names
        return _("%(percent)s %% less weight on %(key)s would make it %(verdict)s") % names


@dataclass(frozen=True)
class Robustness:
    """How often `verdict` holds over `draws` random weightings (`share_same`, 0–1), and
    the smallest single change that would flip it (None when none of those tried does)."""

    verdict: Verdict
    share_same: float
    draws: int
    smallest_flip: Flip | None = None

    @property
    def percent(self) -> int:
        """The share in whole per cent, rounded down: 100 only when every draw held."""
        return math.floor(self.share_same * 100 + 1e-9)

    @property
    def sentence(self) -> str:
        """`GO WITH CONDITIONS holds in 93 % of weightings; one level more on P6 would
        make it GO.`, in the active language."""
        names = {"verdict": self.verdict.label, "percent": self.percent}
        if self.smallest_flip is None:
            return (
                _(
                    "%(verdict)s holds in %(percent)s %% of weightings; no single answer "
                    "moved by one level and no single weight changed by up to 50 %% changes it."
                )
                % names
            )
        return _("%(verdict)s holds in %(percent)s %% of weightings; %(flip)s.") % {
            **names,
            "flip": self.smallest_flip.text,
        }


def verdict_robustness(
    data: DecisionInput, evidence: Sequence[AssessmentEvidence], *, draws: int = DRAWS
) -> Robustness:
    """How robust `decide(data)`'s verdict is. `evidence[i]` is what
    `data.assessments[i]` was scored from. Deterministic for equal inputs."""
    if len(evidence) != len(data.assessments):
        raise ValueError("one AssessmentEvidence per assessment of the decision input")
    study = _Study(data, evidence)
    rng = random.Random(evidence_seed(evidence))
    held = sum(study.verdict_of(study.draw(rng)) == study.verdict for _ in range(draws))
    return Robustness(
        verdict=study.verdict,
        share_same=held / draws if draws else 1.0,
        draws=draws,
        smallest_flip=study.smallest_flip(),
    )


def evidence_seed(evidence: Sequence[AssessmentEvidence]) -> int:
    """A seed from the specs and answers (not from Python's per-process `hash`)."""
    text = repr(tuple((e.spec, e.answers) for e in evidence))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rescored(
    summary: AssessmentSummary,
    evidence: AssessmentEvidence,
    *,
    question_factors: dict[str, float] | None = None,
    dimension_factors: dict[str, float] | None = None,
    answer: tuple[str, float] | None = None,
) -> AssessmentSummary:
    """`summary` scored again by `score_response` with some weights multiplied (by
    question key, by dimension name) and one answer's score replaced (key, 0–100)."""
    question_factors = question_factors or {}
    dimension_factors = dimension_factors or {}
    spec = evidence.spec
    spec = replace(
        spec,
        dimensions=tuple(
            replace(d, weight=d.weight * dimension_factors[d.name])
            if d.name in dimension_factors
            else d
            for d in spec.dimensions
        ),
        questions=tuple(
            replace(q, weight=q.weight * question_factors[q.key])
            if q.key in question_factors
            else q
            for q in spec.questions
        ),
    )
    answers = evidence.answers
    if answer is not None:
        key, score = answer
        answers = tuple(replace(a, score=score) if a.key == key else a for a in answers)
    fresh = assessment_summary(
        kind=summary.kind,
        title=summary.title,
        bank=summary.bank,
        version=summary.version,
        score=score_response(spec, answers),
        spec=spec,
    )
    return replace(summary, overall=fresh.overall, coverage=fresh.coverage, gaps=fresh.gaps)


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _dot(a, b) -> float:
    return sum(map(mul, a, b))


class _Assessment:
    """One assessment's weight-independent part, prepared once. Its scored questions are
    laid out by dimension and, within one, answered first, then N/A, then missing (don't
    know or unanswered), so a dimension's sums are slices: `slots[d]` holds the bounds
    (start, end of answered, end of N/A, end). Weight factors come in this layout."""

    def __init__(self, summary: AssessmentSummary, evidence: AssessmentEvidence):
        spec = evidence.spec
        self.summary, self.evidence = summary, evidence
        self.dimension_names = [d.name for d in spec.dimensions]
        self.dimension_weights = [d.weight for d in spec.dimensions]
        status: dict[str, float | None] = {}  # key → score, or None for N/A
        for a in evidence.answers:
            if a.is_na:
                status[a.key] = None
            elif not a.is_dont_know and a.score is not None:
                status[a.key] = a.score
        scored = [q for q in spec.questions if q.is_scored]
        self.questions, self.slots = [], []
        for name in self.dimension_names:
            mine = [q for q in scored if q.dimension == name]
            answered = [q for q in mine if q.key in status and status[q.key] is not None]
            na = [q for q in mine if q.key in status and status[q.key] is None]
            missing = [q for q in mine if q.key not in status]
            start = len(self.questions)
            self.questions += answered + na + missing
            self.slots.append(
                (start, start + len(answered), start + len(answered) + len(na), len(self.questions))
            )
        self.keys = [q.key for q in self.questions]
        bank_order = {q.key: n for n, q in enumerate(spec.questions)}
        self.order = [bank_order[key] for key in self.keys]
        self.scores = [status.get(q.key) or 0.0 for q in self.questions]
        weights = [q.weight for q in self.questions]
        weighted = [w * s for w, s in zip(weights, self.scores, strict=True)]
        # Per dimension with scored questions: its position and slot bounds, the weights
        # of its answered, N/A and missing questions, and the answered ones' weight × score.
        self.parts = [
            (d, a, b, c, e, weights[a:b], weights[b:c], weights[c:e], weighted[a:b])
            for d, (a, b, c, e) in enumerate(self.slots)
            if e > a
        ]
        thresholds = spec.thresholds
        self.go, self.no_go, self.gap = thresholds.go, thresholds.no_go, thresholds.gap
        self.answered = [i for a, b, _c, _e in self.slots for i in range(a, b)]
        self.has_gap = any(self.scores[i] < self.gap for i in self.answered)

    def scores_with(self, question_factors=None, dimension_factors=None, answer=None):
        """(overall 0–100 or None, coverage 0–1, any gap) with the weights multiplied by
        these factors (None: all 1) and one answer's score replaced ((position, score)):
        scoring's weighted means, summed per dimension."""
        ones = question_factors is None
        num = den = active = answered_share = na_share = 0.0
        for d, a, b, c, e, w_answered, w_na, w_missing, w_scored in self.parts:
            if ones:
                answered, ws = sum(w_answered), sum(w_scored)
                na, missing = sum(w_na), sum(w_missing)
            else:
                answered = _dot(w_answered, question_factors[a:b])
                ws = _dot(w_scored, question_factors[a:b])
                na = _dot(w_na, question_factors[b:c]) if c > b else 0.0
                missing = _dot(w_missing, question_factors[c:e]) if e > c else 0.0
            if answer is not None and a <= answer[0] < b:
                i, score = answer
                weight = w_answered[i - a] * (1.0 if ones else question_factors[i])
                ws += weight * (score - self.scores[i])
            total = answered + na + missing
            if total <= 0:
                continue
            dw = self.dimension_weights[d]
            if dimension_factors is not None:
                dw *= dimension_factors[d]
            active += dw
            answered_share += dw * answered / total
            if na:
                na_share += dw * na / total
            if answered:
                num += dw * _clamp(ws / answered)
                den += dw
        overall = _clamp(num / den) if den else None
        whole = 1.0 - na_share / active if active else 0.0
        coverage = 0.0 if whole <= 1e-12 else min(1.0, max(0.0, answered_share / active / whole))
        has_gap = self.has_gap
        if answer is not None:
            i, score = answer
            has_gap = any((score if j == i else self.scores[j]) < self.gap for j in self.answered)
        return overall, coverage, has_gap

    def sides(self, question_factors=None, dimension_factors=None, answer=None) -> tuple | None:
        """Which side of every threshold the verdict reads the assessment falls on; None
        when a figure is within float rounding of a threshold (only the real scoring can
        say on which side: integer weights put coverage exactly on 80 % easily)."""
        overall, coverage, has_gap = self.scores_with(question_factors, dimension_factors, answer)
        near = abs(coverage - MIN_COVERAGE) < TIE or (
            overall is not None and min(abs(overall - self.go), abs(overall - self.no_go)) < TIE
        )
        return None if near else _sides(overall, coverage, has_gap, go=self.go, no_go=self.no_go)


class _Study:
    """The verdict of one decision input under changed weights or answers, by sides."""

    def __init__(self, data: DecisionInput, evidence: Sequence[AssessmentEvidence]):
        self.data = data
        self.assessments = [
            _Assessment(s, e) for s, e in zip(data.assessments, evidence, strict=True)
        ]
        self.verdict = decide(data).verdict
        # The sides of the evidence as it is come from the real scores.
        self.base = tuple(
            _sides(s.overall, s.coverage, bool(s.gaps), go=s.go_threshold, no_go=s.no_go_threshold)
            for s in data.assessments
        )
        self.verdicts = {self.base: self.verdict}

    def draw(self, rng: random.Random) -> list[tuple[list[float], list[float]]]:
        """Weight factors for every question and dimension of every assessment."""
        low, width, uniform = 1 - SPREAD, 2 * SPREAD, rng.random
        return [
            (
                [low + width * uniform() for _ in a.questions],
                [low + width * uniform() for _ in a.dimension_weights],
            )
            for a in self.assessments
        ]

    def verdict_of(self, factors, answer=None) -> Verdict:
        """The verdict with `factors` per assessment (None: all 1) and `answer` (assessment
        position, question position, score) replaced; decided once per distinct sides."""
        sides = tuple(
            a.sides(*(factors[k] if factors else (None, None)), self._answer(answer, k))
            for k, a in enumerate(self.assessments)
        )
        if None in sides:
            return self._decide(factors, answer)
        if sides not in self.verdicts:
            self.verdicts[sides] = self._decide(factors, answer)
        return self.verdicts[sides]

    @staticmethod
    def _answer(answer, k):
        return None if answer is None or answer[0] != k else answer[1:]

    def _decide(self, factors, answer=None) -> Verdict:
        """The real thing: rescore every assessment with `score_response`, then decide."""
        summaries = []
        for k, a in enumerate(self.assessments):
            q_factors, d_factors = factors[k] if factors else (None, None)
            own = self._answer(answer, k)
            summaries.append(
                rescored(
                    a.summary,
                    a.evidence,
                    question_factors=None
                    if q_factors is None
                    else dict(zip(a.keys, q_factors, strict=True)),
                    dimension_factors=None
                    if d_factors is None
                    else dict(zip(a.dimension_names, d_factors, strict=True)),
                    answer=None if own is None else (a.keys[own[0]], own[1]),
                )
            )
        return decide(replace(self.data, assessments=tuple(summaries))).verdict

    def _factors(self, k: int, kind: FlipKind, i: int, factor: float):
        """Every factor 1 but one weight's."""
        factors: list[tuple[list[float] | None, list[float] | None]] = [
            (None, None) for _ in self.assessments
        ]
        a = self.assessments[k]
        if kind == FlipKind.QUESTION_WEIGHT:
            q = [1.0] * len(a.questions)
            q[i] = factor
            factors[k] = (q, None)
        else:
            d = [1.0] * len(a.dimension_weights)
            d[i] = factor
            factors[k] = (None, d)
        return factors

    def _answer_moves(self):
        """Each answered question moved one level up or down, within 0–100, in bank
        order; a move down onto a knock-out level is not tried (it would open a finding,
        which the manager classifies: not a score the weights or answers decide)."""
        for k, a in enumerate(self.assessments):
            for i in sorted(a.answered, key=lambda i: a.order[i]):
                score, question = a.scores[i], a.questions[i]
                for step in (LEVEL_POINTS, -LEVEL_POINTS):
                    to = score + step
                    if not 0 <= to <= 100:
                        continue
                    knockout = question.knockout_level
                    if step < 0 and knockout is not None and to <= knockout * LEVEL_POINTS < score:
                        continue
                    yield k, i, score, to

    def _weights(self):
        """(assessment, kind, position, name, direction) of every weight: each
        assessment's dimensions, then its questions in bank order."""
        for k, a in enumerate(self.assessments):
            weights = [
                (FlipKind.DIMENSION_WEIGHT, i, name) for i, name in enumerate(a.dimension_names)
            ]
            weights += [
                (FlipKind.QUESTION_WEIGHT, i, a.keys[i])
                for i in sorted(range(len(a.keys)), key=lambda i: a.order[i])
            ]
            for kind, i, name in weights:
                for direction in (1, -1):
                    yield k, kind, i, name, direction

    def smallest_flip(self) -> Flip | None:
        """The smallest single change (see the module's docstring) that gives another
        verdict, checked with the real scoring; None when none of those tried does."""
        largest = WEIGHT_STEPS[-1]
        # A weight whose largest step leaves every side alone cannot flip at a smaller one
        # (a tie, None, is not alone).
        movable = [
            w for w in self._weights() if self._sides_with(w, 1 + w[4] * largest) != self.base
        ]
        for size in sorted({*WEIGHT_STEPS, LEVEL_SIZE}):
            if size == LEVEL_SIZE:
                for k, i, score, to in self._answer_moves():
                    verdict = self.verdict_of(None, (k, i, to))
                    if verdict != self.verdict and self._decide(None, (k, i, to)) == verdict:
                        return Flip(
                            FlipKind.ANSWER,
                            k,
                            self.assessments[k].keys[i],
                            verdict,
                            from_level=score / LEVEL_POINTS,
                            to_level=to / LEVEL_POINTS,
                        )
            if size not in WEIGHT_STEPS:
                continue
            for k, kind, i, name, direction in movable:
                factor = 1 + direction * size
                factors = self._factors(k, kind, i, factor)
                verdict = self.verdict_of(factors)
                if verdict != self.verdict and self._decide(factors) == verdict:
                    return Flip(kind, k, name, verdict, factor=factor)
        return None

    def _sides_with(self, weight, factor: float) -> tuple:
        k, kind, i, _name, _direction = weight
        factors = self._factors(k, kind, i, factor)
        return tuple(
            a.sides(*factors[j]) if j == k else self.base[j] for j, a in enumerate(self.assessments)
        )


def _sides(overall: float | None, coverage: float, has_gap: bool, *, go, no_go) -> tuple:
    """All `decide()` reads of an assessment's scores for its verdict (see the module's
    docstring): its overall score against its thresholds, coverage against the minimum,
    and whether it has a gap."""
    return (
        overall is None,
        overall is not None and overall < no_go,
        overall is None or overall < go,
        coverage < MIN_COVERAGE,
        has_gap,
    )
