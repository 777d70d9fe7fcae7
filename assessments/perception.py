"""The perception gap of a two-sided assessment: pure, no Django.

Both companies answer the same (mutual fit) questions separately. Each side is
consolidated the usual way (scoring.consolidate: the median of its respondents),
then the two are compared per dimension. Units: scores 0–100, a gap is the
absolute difference of the two sides' dimension scores in points; a dimension is
a perception gap when that difference is strictly above the bank's threshold. Between
two rounds of the same two-sided assessment, `gap_moves` says how each dimension's
difference moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.scoring import AssessmentScore, VersionSpec

MAX_QUESTIONS_PER_GAP = 3  # the questions behind a gap: the most divergent few


@dataclass(frozen=True)
class SideBySide:
    """One dimension, our consolidated score and the partner's (None: not answered)."""

    dimension: str
    ours: float | None
    theirs: float | None

    @property
    def difference(self) -> float | None:
        """Absolute difference in points, None unless both sides scored the dimension."""
        if self.ours is None or self.theirs is None:
            return None
        return abs(self.ours - self.theirs)


@dataclass(frozen=True)
class QuestionGap:
    key: str
    text: str
    ours: float
    theirs: float

    @property
    def difference(self) -> float:
        return abs(self.ours - self.theirs)


@dataclass(frozen=True)
class PerceptionGap:
    """A dimension the sides see differently, with the questions that differ most."""

    dimension: str
    ours: float
    theirs: float
    questions: tuple[QuestionGap, ...]

    @property
    def difference(self) -> float:
        return abs(self.ours - self.theirs)

    @property
    def we_see_it_better(self) -> bool:
        return self.ours > self.theirs


@dataclass(frozen=True)
class PerceptionComparison:
    rows: tuple[SideBySide, ...]  # every dimension, in bank order
    gaps: tuple[PerceptionGap, ...]  # largest difference first
    threshold: float


def compare_sides(
    spec: VersionSpec, ours: AssessmentScore, theirs: AssessmentScore, *, threshold: float
) -> PerceptionComparison:
    """Side-by-side dimension scores and the perception gaps (difference > `threshold`),
    largest first (ties: bank order). Deterministic; never raises on well-typed input."""
    our_dims = {d.name: d.score for d in ours.dimensions}
    their_dims = {d.name: d.score for d in theirs.dimensions}
    rows = tuple(
        SideBySide(d.name, our_dims.get(d.name), their_dims.get(d.name)) for d in spec.dimensions
    )
    our_q, their_q = ours.median_by_key, theirs.median_by_key
    gaps = []
    for position, row in enumerate(rows):
        if row.difference is None or row.difference <= threshold:
            continue
        questions = [
            QuestionGap(q.key, q.text, our_q[q.key], their_q[q.key])
            for q in spec.questions
            if q.dimension == row.dimension and q.key in our_q and q.key in their_q
        ]
        questions = [q for q in questions if q.difference > 0]
        questions.sort(key=lambda q: -q.difference)
        gap = PerceptionGap(
            row.dimension, row.ours, row.theirs, tuple(questions[:MAX_QUESTIONS_PER_GAP])
        )
        gaps.append((position, gap))
    gaps.sort(key=lambda item: (-item[1].difference, item[0]))
    return PerceptionComparison(rows, tuple(g for _, g in gaps), threshold)


# ------------------------------------------------------------ between two rounds


def whole_points(value: float) -> int:
    """A difference as it is shown: whole points, half rounded up (as `floatformat`)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class GapMove:
    """How far apart the two sides saw one dimension in the previous round and now, in
    whole points as they are shown (so a move is never "from 50 to 50")."""

    dimension: str
    before: int  # points apart in the previous round
    after: int  # points apart now
    threshold: float  # this round's: above it, a dimension is a perception gap

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def direction(self) -> str:
        """ "narrowed", "widened" or "unchanged" (templates word it in the reader's language)."""
        if self.after < self.before:
            return "narrowed"
        if self.after > self.before:
            return "widened"
        return "unchanged"

    @property
    def was_gap(self) -> bool:
        return self.before > self.threshold

    @property
    def is_gap(self) -> bool:
        return self.after > self.threshold


def gap_moves(before: PerceptionComparison, after: PerceptionComparison) -> tuple[GapMove, ...]:
    """Each dimension both sides scored in both rounds (matched by name, this round's
    bank order): how far apart they were then and are now. A dimension either side left
    unscored in either round has no move (there is no gap to compare)."""
    then = {r.dimension: r.difference for r in before.rows}
    moves = []
    for row in after.rows:
        old = then.get(row.dimension)
        if old is None or row.difference is None:
            continue
        moves.append(
            GapMove(row.dimension, whole_points(old), whole_points(row.difference), after.threshold)
        )
    return tuple(moves)
