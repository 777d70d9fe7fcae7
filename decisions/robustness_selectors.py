"""Reads for the robustness of a decision (decisions/robustness.py), from the same scored
assessments and decision input the decision itself reads."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from alliances.models import Alliance
from assessments.selectors import ScoredLatest, scored_latest
from decisions.robustness import AssessmentEvidence, Robustness, verdict_robustness
from decisions.rules import DecisionInput
from decisions.selectors import alliance_decision_inputs, alliance_stored_records
from kit.memo import per_request

# The figure depends only on its inputs, so a result is shared under their hash.
CACHE_SECONDS = 24 * 60 * 60


def robustness_evidence(alliance_id: int, scored: ScoredLatest) -> tuple[AssessmentEvidence, ...]:
    """What each of the alliance's latest assessments was scored from, in the order of
    `decision_inputs`' assessments."""
    return tuple(
        AssessmentEvidence(
            spec=scored.specs[a.version_id], answers=scored.scores[a.pk].consolidated
        )
        for a in scored.latest.get(alliance_id, {}).values()
    )


def decision_robustness(alliance_id: int, data: DecisionInput, scored: ScoredLatest) -> Robustness:
    """How robust the alliance's verdict is (`data` from `decision_inputs` over `scored`).
    Computed once per distinct evidence: the result is cached under its inputs' hash."""
    evidence = robustness_evidence(alliance_id, scored)
    key = hashlib.sha256(repr((data, evidence)).encode()).hexdigest()
    return cache.get_or_set(
        f"decisions:robustness:{key}",
        lambda: verdict_robustness(data, evidence),
        CACHE_SECONDS,
    )


@per_request
def alliance_robustness(alliance: Alliance) -> Robustness:
    """The robustness of the alliance's current verdict: stored by today's recheck, else
    computed (no query beyond the decision's)."""
    stored = alliance_stored_records([alliance.pk]).get(alliance.pk)
    if stored:
        return stored[1]
    scored = scored_latest([alliance.pk])
    data = alliance_decision_inputs([alliance])[alliance.pk]
    return decision_robustness(alliance.pk, data, scored)
