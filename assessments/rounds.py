"""Reassessment rounds: when the next one is due, and what changed since the last one.

Pure: imports no Django. Dates are `datetime.date`; scores are 0–100 floats as
`assessments.scoring` gives them. Rounds of different bank versions are compared by
the stable keys of their questions and the names of their dimensions (the bank keeps
both across versions); whatever has no counterpart is listed as not comparable,
never silently dropped.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from assessments.perception import GapMove
from assessments.scoring import AssessmentScore, VersionSpec
from kit.texts import _, format_date

# Months between rounds in each lifecycle stage unless the alliance sets its own;
# 0: no reassessment (still being assessed, or on the way out).
DEFAULT_MONTHS: dict[str, int] = {
    "exploring": 0,
    "assessing": 0,
    "negotiating": 6,
    "launched": 12,
    "managing": 12,
    "exiting": 0,
    "closed": 0,
}
# A fall of this many points or more is reported as a fall (not noise of rounding).
FALL_MIN_POINTS = 1.0
# The brief names this many of the largest rises and of the largest falls.
MOVES_SHOWN = 3


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_months(stage: str, overrides: Mapping[str, int] | None = None) -> int:
    """Months between rounds for an alliance in `stage`: its own setting, else the default."""
    overrides = overrides or {}
    if stage in overrides:
        return overrides[stage]
    return DEFAULT_MONTHS.get(stage, 0)


@dataclass(frozen=True)
class LastRound:
    """An alliance's latest submitted round of one kind of assessment."""

    kind: str
    kind_label: str
    title: str
    submitted: date
    next_in_progress: bool = False  # a later round of this kind is being filled in


@dataclass(frozen=True)
class DueRound:
    kind: str
    kind_label: str
    title: str
    last_submitted: date
    due_on: date
    days_overdue: int  # 0 on the due day

    @property
    def sentence(self) -> str:
        """In the active language (kit.texts), its dates too."""
        return _("%(kind)s: last round submitted %(submitted)s, due since %(due)s.") % {
            "kind": self.kind_label,
            "submitted": format_date(self.last_submitted),
            "due": format_date(self.due_on),
        }


@dataclass(frozen=True)
class ReassessmentStatus:
    months: int  # 0: no reassessment in this stage
    due: tuple[DueRound, ...]  # most overdue first
    next_due: date | None  # the earliest due date of the rounds not due yet

    @property
    def is_due(self) -> bool:
        return bool(self.due)


def reassessment_status(
    *,
    stage: str,
    rounds: Iterable[LastRound],
    today: date,
    overrides: Mapping[str, int] | None = None,
) -> ReassessmentStatus:
    """Which kinds of assessment are due for a new round on `today`.

    A kind is due when its latest submitted round is `interval_months` old or older and
    no later round of it is in progress. An alliance never assessed has nothing to
    reassess; with an interval of 0 nothing is ever due.
    """
    months = interval_months(stage, overrides)
    if months <= 0:
        return ReassessmentStatus(months=0, due=(), next_due=None)
    due, upcoming = [], []
    for last in rounds:
        if last.next_in_progress:
            continue
        due_on = add_months(last.submitted, months)
        if due_on <= today:
            due.append(
                DueRound(
                    kind=last.kind,
                    kind_label=last.kind_label,
                    title=last.title,
                    last_submitted=last.submitted,
                    due_on=due_on,
                    days_overdue=(today - due_on).days,
                )
            )
        else:
            upcoming.append(due_on)
    due.sort(key=lambda d: (-d.days_overdue, d.kind))
    return ReassessmentStatus(months=months, due=tuple(due), next_due=min(upcoming, default=None))


# ------------------------------------------------------------------ comparison


@dataclass(frozen=True)
class ScoreChange:
    """One score in the previous round and in this one (None: not scored there)."""

    key: str
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def fell(self) -> bool:
        return self.delta is not None and self.delta <= -FALL_MIN_POINTS

    @property
    def rose(self) -> bool:
        return self.delta is not None and self.delta >= FALL_MIN_POINTS


@dataclass(frozen=True)
class RoundComparison:
    overall: ScoreChange
    dimensions: tuple[ScoreChange, ...]  # in this round's order
    questions: tuple[ScoreChange, ...]  # scored questions found in both rounds
    not_comparable: tuple[str, ...]  # one sentence for each thing that has no counterpart
    same_version: bool
    # Questions whose median answer is at or below their knock-out level now and was not
    # then (`before` None: the question is new), and the reverse; bank order.
    knockouts_reached: tuple[ScoreChange, ...] = ()
    knockouts_cleared: tuple[ScoreChange, ...] = ()
    # A two-sided assessment's perception gap, dimension by dimension, when both sides
    # submitted in both rounds (round_selectors adds them; empty otherwise).
    gap_moves: tuple[GapMove, ...] = ()

    @property
    def falls(self) -> tuple[ScoreChange, ...]:
        """The overall score and the dimensions that fell, largest fall first."""
        fallen = [c for c in (self.overall, *self.dimensions) if c.fell]
        return tuple(sorted(fallen, key=lambda c: c.delta))

    @property
    def moves(self) -> tuple[Move, ...]:
        """Every dimension then every question that rose or fell by a point or more."""
        return tuple(
            [Move("dimension", c) for c in self.dimensions if c.rose or c.fell]
            + [Move("question", c) for c in self.questions if c.rose or c.fell]
        )

    def improvements(self, limit: int = MOVES_SHOWN) -> tuple[Move, ...]:
        """The largest rises, largest first (ties: dimensions first, then bank order)."""
        rises = [m for m in self.moves if m.change.rose]
        return tuple(sorted(rises, key=lambda m: -m.change.delta)[:limit])

    def regressions(self, limit: int = MOVES_SHOWN) -> tuple[Move, ...]:
        """The largest falls, largest first (ties: dimensions first, then bank order)."""
        falls = [m for m in self.moves if m.change.fell]
        return tuple(sorted(falls, key=lambda m: m.change.delta)[:limit])

    @property
    def gap_moved(self) -> tuple[GapMove, ...]:
        """The perception-gap moves that are moves (narrowed or widened)."""
        return tuple(m for m in self.gap_moves if m.direction != "unchanged")


@dataclass(frozen=True)
class Move:
    """A dimension's or a question's score change (`scope`: "dimension" or "question")."""

    scope: str
    change: ScoreChange


def compare_rounds(
    *,
    before: AssessmentScore,
    before_spec: VersionSpec,
    after: AssessmentScore,
    after_spec: VersionSpec,
    same_version: bool,
) -> RoundComparison:
    """Scores of the previous round (`before`) against this one, by dimension name and
    question key. Questions and dimensions found in one round only, or whose meaning
    changed (a question moved to another dimension, a scored question now free text),
    are listed in `not_comparable`."""
    notes: list[str] = []
    old_dims = {d.name: d for d in before.dimensions}
    new_dims = {d.name: d for d in after.dimensions}
    dimensions = []
    for dim in after.dimensions:
        old = old_dims.get(dim.name)
        if old is None:
            notes.append(f"Dimension “{dim.name}” is new in this round: nothing to compare with.")
            continue
        dimensions.append(ScoreChange(dim.name, dim.name, old.score, dim.score))
    for name in old_dims:
        if name not in new_dims:
            notes.append(f"Dimension “{name}” of the previous round is no longer in the bank.")

    old_q = {q.key: q for q in before_spec.questions}
    new_q = {q.key: q for q in after_spec.questions}
    old_medians, new_medians = dict(before.medians), dict(after.medians)
    questions = []
    for key, spec in new_q.items():
        old = old_q.get(key)
        if old is None:
            notes.append(f"Question {key} is new in this round: nothing to compare with.")
        elif (old.kind == "text") != (spec.kind == "text"):
            notes.append(f"Question {key} changed between scored and free text: not compared.")
        elif old.dimension != spec.dimension:
            notes.append(
                f"Question {key} moved from “{old.dimension}” to “{spec.dimension}”: "
                "compared as a question, its dimensions differ."
            )
            questions.append(
                ScoreChange(key, spec.text, old_medians.get(key), new_medians.get(key))
            )
        elif spec.kind != "text":
            questions.append(
                ScoreChange(key, spec.text, old_medians.get(key), new_medians.get(key))
            )
    for key in old_q:
        if key not in new_q:
            notes.append(f"Question {key} of the previous round is no longer in the bank.")
    reached, cleared = _knockout_changes(before, after, after_spec)
    return RoundComparison(
        overall=ScoreChange("overall", "Overall", before.overall, after.overall),
        dimensions=tuple(dimensions),
        questions=tuple(questions),
        not_comparable=tuple(notes),
        same_version=same_version,
        knockouts_reached=reached,
        knockouts_cleared=cleared,
    )


def _knockout_changes(
    before: AssessmentScore, after: AssessmentScore, after_spec: VersionSpec
) -> tuple[tuple[ScoreChange, ...], tuple[ScoreChange, ...]]:
    """Knock-outs on the median answer reached in this round and cleared since the last,
    in this round's bank order. A knock-out is cleared only by an answer above its level:
    a question left unanswered, or gone from the bank, clears nothing."""
    was = {k.key for k in before.knockouts}
    now = {k.key for k in after.knockouts}
    old_medians, new_medians = dict(before.medians), dict(after.medians)
    reached, cleared = [], []
    for spec in after_spec.questions:
        change = ScoreChange(
            spec.key, spec.text, old_medians.get(spec.key), new_medians.get(spec.key)
        )
        if spec.key in now and spec.key not in was:
            reached.append(change)
        elif spec.key in was and spec.key not in now and change.after is not None:
            cleared.append(change)
    return tuple(reached), tuple(cleared)


# ------------------------------------------------------- conditions met in between


@dataclass(frozen=True)
class ClosedCondition:
    """A condition (a finding's or a tracked one) met or waived on `on`."""

    text: str
    status: str  # "met" or "waived"
    on: date


def met_between(
    conditions: Iterable[ClosedCondition], *, since: date, until: date
) -> tuple[ClosedCondition, ...]:
    """The conditions met or waived from the day the previous round was submitted to
    the day this one was (both days included), earliest first."""
    within = [c for c in conditions if since <= c.on <= until]
    return tuple(sorted(within, key=lambda c: (c.on, c.text)))
