"""The marks beside an answer, on screen and in the brief: each says something that
happened to that answer, never what merely could happen (a question that *can* knock
out carries no mark until an answer reaches its level). Pure: no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from assessments.scoring import DISAGREEMENT_LEVELS, level_of
from banks.schema import LEVEL_POINTS
from kit.texts import _

KNOCKOUT = "knockout"
BOTTOM = "bottom"
DISAGREE = "disagree"


@dataclass(frozen=True)
class Mark:
    code: str  # KNOCKOUT, BOTTOM or DISAGREE (the CSS class and the legend's key)
    text: str


def _level(score: float) -> str:
    return f"{level_of(score):g}"


def answer_marks(
    *, kind: str, knockout_level: int | None, scores: Iterable[float | None]
) -> tuple[Mark, ...]:
    """Marks for one question from its assessors' scores (0–100; None when not scored).

    One assessor at or below the knock-out level is enough, as for opening a finding;
    an answer at the scale's bottom on a question that cannot knock out is flagged apart;
    assessors `DISAGREEMENT_LEVELS` or more apart are flagged whatever the levels."""
    if kind == "text":
        return ()
    scored = [s for s in scores if s is not None]
    if not scored:
        return ()
    lowest, highest = min(scored), max(scored)
    marks = []
    if knockout_level is not None and lowest <= knockout_level * LEVEL_POINTS:
        marks.append(
            Mark(
                KNOCKOUT,
                _("knock-out reached: %(level)s ≤ %(knockout)s")
                % {"level": _level(lowest), "knockout": knockout_level},
            )
        )
    elif lowest == 0:
        marks.append(Mark(BOTTOM, _("lowest level (0)")))
    if len(scored) > 1 and level_of(highest) - level_of(lowest) >= DISAGREEMENT_LEVELS:
        marks.append(
            Mark(
                DISAGREE,
                _("assessors disagree: %(low)s to %(high)s")
                % {"low": _level(lowest), "high": _level(highest)},
            )
        )
    return tuple(marks)


def legend() -> tuple[Mark, ...]:
    """What each mark means, for the legend under every list that shows them."""
    return (
        Mark(
            KNOCKOUT,
            _(
                "knock-out reached (the lowest answer, then the knock-out level): an "
                "assessor answered at or below the question's knock-out level, which opens "
                "a finding"
            ),
        ),
        Mark(BOTTOM, _("lowest level (0): no evidence, or the evidence contradicts it")),
        Mark(
            DISAGREE,
            _("assessors disagree: their answers are %(levels)s levels or more apart")
            % {"levels": DISAGREEMENT_LEVELS},
        ),
    )
