"""Sponsor match: which of our executives should back an alliance. Pure: no Django.

Each candidate scores 0–100 from three parts, each explained in a reason:

- seniority, up to 30: board or C-suite 30, reports to the C-suite 22,
  business-unit head 15, other 5 — a sponsor must be senior enough to
  commit budget and people;
- current load, up to 30: no active sponsorship 30, one 22, two 12, three
  or more 0 — a busy sponsor allocates late;
- fit with the alliance's objectives, up to 40: 20 when a word of their
  business unit appears in the objectives, 10 for each stated interest that
  does (at most 20). Words are compared by their first six letters, so
  "analytics" matches "analytical" and "manufacturers" "manufacturing".

Candidates are returned best first; ties go by name.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kit.texts import _, gettext_noop, ngettext

# Seniority levels (Sponsor.Seniority uses the same values; a test keeps them in step).
BOARD = "board"
C_SUITE = "c_suite"
REPORTS_TO_C_SUITE = "reports_to_c_suite"
BU_HEAD = "bu_head"
OTHER = "other"

SENIORITY_POINTS = {
    BOARD: 30,
    C_SUITE: 30,
    REPORTS_TO_C_SUITE: 22,
    BU_HEAD: 15,
    OTHER: 5,
}
# Shown through `_()`, in the active language.
SENIORITY_LABELS = {
    BOARD: gettext_noop("board member"),
    C_SUITE: gettext_noop("C-suite"),
    REPORTS_TO_C_SUITE: gettext_noop("reports to the C-suite"),
    BU_HEAD: gettext_noop("business-unit head"),
    OTHER: gettext_noop("below business-unit head"),
}
LOAD_POINTS = (30, 22, 12)  # by number of active sponsorships; 0 from three on
BUSINESS_UNIT_POINTS = 20
INTEREST_POINTS = 10
INTEREST_MAX_POINTS = 20
STEM_LENGTH = 6
MIN_WORD_LENGTH = 4
# Words too common in objectives to say anything about fit.
STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        "about across after also business from grow group into more most other over "
        "than that their them they this through unit with within year years",
    )
)


@dataclass(frozen=True)
class Candidate:
    """One of our executives: `load` is their number of active sponsorships."""

    id: int
    name: str
    seniority: str
    business_unit: str = ""
    interests: tuple[str, ...] = ()
    load: int = 0


@dataclass(frozen=True)
class Match:
    """A ranked candidate: total score 0–100 and one reason per part."""

    candidate: Candidate
    score: int
    reasons: tuple[str, ...]


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w[:STEM_LENGTH] for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS}


def _matching_words(text: str, objective_stems: set[str]) -> list[str]:
    words = re.findall(r"[A-Za-z0-9]+", text)
    seen, found = set(), []
    for word in words:
        stem = word.lower()[:STEM_LENGTH]
        lowered = word.lower()
        if len(lowered) < MIN_WORD_LENGTH or lowered in STOP_WORDS or stem in seen:
            continue
        if stem in objective_stems:
            seen.add(stem)
            found.append(lowered)
    return found


def _load_points(load: int) -> int:
    return LOAD_POINTS[load] if load < len(LOAD_POINTS) else 0


def score_candidate(candidate: Candidate, *, objectives: str) -> Match:
    """Score one candidate against the alliance's objectives (free text, one per line)."""
    objective_stems = _stems(objectives)
    reasons = []

    seniority = SENIORITY_POINTS.get(candidate.seniority, 0)
    label = _(SENIORITY_LABELS.get(candidate.seniority, gettext_noop("seniority unknown")))
    reasons.append(_("Seniority: %(label)s (+%(points)d).") % {"label": label, "points": seniority})

    load = _load_points(candidate.load)
    if candidate.load == 0:
        reasons.append(_("Load: sponsors no other alliance (+%(points)d).") % {"points": load})
    elif load == 0:
        reasons.append(
            ngettext(
                "Load: already sponsors %(count)d alliance — likely overloaded (+%(points)d).",
                "Load: already sponsors %(count)d alliances — likely overloaded (+%(points)d).",
                candidate.load,
            )
            % {"count": candidate.load, "points": load}
        )
    else:
        reasons.append(
            ngettext(
                "Load: already sponsors %(count)d alliance (+%(points)d).",
                "Load: already sponsors %(count)d alliances (+%(points)d).",
                candidate.load,
            )
            % {"count": candidate.load, "points": load}
        )

    fit = 0
    unit_words = _matching_words(candidate.business_unit, objective_stems)
    if unit_words:
        fit += BUSINESS_UNIT_POINTS
        reasons.append(
            _("Business unit “%(unit)s” matches the objectives on %(words)s (+%(points)d).")
            % {
                "unit": candidate.business_unit,
                "words": ", ".join(unit_words),
                "points": BUSINESS_UNIT_POINTS,
            }
        )
    elif candidate.business_unit:
        reasons.append(
            _("Business unit “%(unit)s” matches no objective (+0).")
            % {"unit": candidate.business_unit}
        )
    else:
        reasons.append(_("No business unit recorded (+0)."))

    matching_interests = [
        tag
        for tag in candidate.interests
        if _matching_words(tag.replace("-", " "), objective_stems)
    ]
    interest_points = min(INTEREST_POINTS * len(matching_interests), INTEREST_MAX_POINTS)
    fit += interest_points
    if matching_interests:
        reasons.append(
            _("Interests matching the objectives: %(interests)s (+%(points)d).")
            % {"interests": ", ".join(matching_interests), "points": interest_points}
        )
    elif candidate.interests:
        reasons.append(_("None of their interests matches an objective (+0)."))
    else:
        reasons.append(_("No interests recorded (+0)."))

    return Match(candidate=candidate, score=seniority + load + fit, reasons=tuple(reasons))


def rank_candidates(candidates: Iterable[Candidate], *, objectives: str) -> tuple[Match, ...]:
    """Every candidate scored 0–100 against the objectives, best first, ties by name."""
    matches = [score_candidate(c, objectives=objectives) for c in candidates]
    matches.sort(key=lambda m: (-m.score, m.candidate.name.lower(), m.candidate.id))
    return tuple(matches)
