"""Reads for the decision: what its rules read for each alliance, in a fixed number of
queries, and the decision itself (computed once per read-only request)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from alliances.models import Alliance
from assessments.models import Finding
from assessments.partner.selectors import partner_scores, partner_sides
from assessments.perception import compare_sides
from assessments.round_selectors import evidence_dates
from assessments.selectors import ScoredLatest, latest_submitted_assessments, scored_latest
from banks.models import QuestionBank
from decisions.codec import decode
from decisions.models import DecisionRecord, TrackedCondition
from decisions.robustness import Robustness
from decisions.rules import (
    Classification,
    Decision,
    DecisionInput,
    FindingSummary,
    PerceptionGapSummary,
    SponsorSummary,
    TrackedState,
    assessment_summary,
    decide,
)
from kit.memo import in_read_only_request, per_request
from kit.people import display_name
from sponsors.selectors import our_executive_sponsors

logger = logging.getLogger(__name__)


def decision_inputs(
    alliances: Iterable[Alliance], *, scored: ScoredLatest | None = None, sponsors=None
) -> dict[int, DecisionInput]:
    """What the decision rules read for each alliance, in a fixed number of queries:
    its latest submitted assessment of each kind (scored), their findings, and our
    executive sponsor with their health. Callers that already hold the scores or the
    sponsors (alliance id → (sponsorship, health)) pass them in."""
    alliances = list(alliances)
    alliance_ids = [a.pk for a in alliances]
    scored = scored or scored_latest(alliance_ids)
    latest, specs, scores = scored.latest, scored.specs, scored.scores
    # Only these alliances' (the caller's scores may cover more).
    assessments = [a for pk in alliance_ids for a in latest.get(pk, {}).values()]
    findings = defaultdict(list)
    today = timezone.localdate()
    # Each alliance's findings in Finding.Meta's order, without its sort by alliance name.
    for finding in (
        Finding.objects.filter(assessment__in=assessments)
        .select_related("question", "assessment__version__bank", "owner_user", "done_by")
        .order_by(
            "-assessment__created_at",
            "-assessment_id",
            "question__dimension__order",
            "question__order",
            "pk",
        )
    ):
        findings[finding.assessment.alliance_id].append(
            FindingSummary(
                question_key=finding.question.key,
                issue=finding.issue,
                question=finding.question.text,
                classification=Classification(finding.classification),
                assessment_kind=finding.assessment.version.bank.kind,
                mitigation=finding.mitigation,
                owner=finding.owner_label,
                due=finding.due_date,
                status=finding.condition_status,
                overdue=finding.is_overdue(today),
                note=finding.done_note,
                waived_by=display_name(finding.done_by)
                if finding.done_by and finding.condition_status == "waived"
                else "",
            )
        )
    dates = evidence_dates(alliances, assessments, today=today)
    tracked = tracked_states(alliance_ids, today=today)
    perception = _perception_gaps(alliances, assessments, specs, scores)
    if sponsors is None:
        sponsors = our_executive_sponsors(alliance_ids)
    inputs = {}
    for alliance_id in alliance_ids:
        sponsorship, health = sponsors.get(alliance_id, (None, None))
        inputs[alliance_id] = DecisionInput(
            assessments=tuple(
                assessment_summary(
                    kind=a.version.bank.kind,
                    title=a.title,
                    bank=a.version.bank.name,
                    version=a.version.number,
                    score=scores[a.pk],
                    spec=specs[a.version_id],
                    submitted=dates[a.pk][0],
                    overdue_since=dates[a.pk][1],
                )
                for a in latest.get(alliance_id, {}).values()
            ),
            findings=tuple(findings[alliance_id]),
            sponsor=SponsorSummary(
                has_executive_sponsor=sponsorship is not None,
                sponsor_name=sponsorship.sponsor.name if sponsorship else "",
                health_colour=health.colour if health else "unknown",
                health_score=health.score if health else None,
            ),
            perception_gaps=perception.get(alliance_id, ()),
            tracked=tracked.get(alliance_id, ()),
        )
    return inputs


def tracked_states(alliance_ids, *, today) -> dict[int, tuple[TrackedState, ...]]:
    """How each alliance's tracked conditions stand, by alliance id (1 query); a closed
    one is left out, so a cause that came back reads as open until the recheck reopens
    its record."""
    states = defaultdict(list)
    for t in (t for rows in open_tracked(alliance_ids).values() for t in rows):
        waived = t.status == TrackedCondition.Status.WAIVED
        states[t.alliance_id].append(
            TrackedState(
                key=t.key,
                owner=display_name(t.owner) if t.owner else "",
                due=t.due_date,
                status=t.status,
                note=t.note,
                waived_by=display_name(t.status_by) if waived and t.status_by else "",
                overdue=t.is_overdue(today),
            )
        )
    return {pk: tuple(rows) for pk, rows in states.items()}


def _perception_gaps(alliances, assessments, specs, scores) -> dict[int, tuple]:
    """Perception gaps of each alliance's latest two-sided assessment whose partner side
    has submitted (no query unless there is one; then 2 or 3)."""
    two_sided = [a for a in assessments if a.version.bank.kind == QuestionBank.Kind.MUTUAL_FIT]
    if not two_sided:
        return {}
    sides = partner_sides(two_sided)
    theirs = partner_scores(sides, two_sided, specs)
    if not theirs:
        return {}
    partners = dict(
        Alliance.objects.filter(pk__in=[a.alliance_id for a in two_sided]).values_list(
            "pk", "partner__name"
        )
    )
    gaps = {}
    for a in two_sided:
        if a.pk not in theirs:
            continue
        version = a.version
        comparison = compare_sides(
            specs[a.version_id],
            scores[a.pk],
            theirs[a.pk],
            threshold=version.perception_gap_threshold,
        )
        gaps[a.alliance_id] = tuple(
            PerceptionGapSummary(
                partner=partners[a.alliance_id],
                dimension=g.dimension,
                ours=g.ours,
                theirs=g.theirs,
                threshold=comparison.threshold,
                decides=version.perception_gaps_decide,
            )
            for g in comparison.gaps
        )
    return gaps


def stored_records(alliance_ids: Iterable[int]) -> dict[int, tuple[DecisionInput, Robustness]]:
    """The decision inputs and robustness the last recheck stored, by alliance id, for the
    alliances rechecked today (1 query). A record that cannot be read (written by an
    older release) is left out: the caller computes it."""
    stored = {}
    today = timezone.localdate()
    for pk, inputs, robustness in DecisionRecord.objects.filter(
        alliance_id__in=alliance_ids, computed_on=today, inputs__isnull=False
    ).values_list("alliance_id", "inputs", "robustness"):
        try:
            stored[pk] = (decode(DecisionInput, inputs), decode(Robustness, robustness))
        except (TypeError, ValueError, KeyError, AttributeError):
            logger.warning("The decision record of alliance %s is unreadable: recomputed.", pk)
    return stored


@per_request
def alliance_stored_records(alliance_ids) -> dict[int, tuple[DecisionInput, Robustness]]:
    """`stored_records` for a read-only request; elsewhere (writes, tasks, the shell)
    nothing: they compute afresh, as the record itself is computed."""
    return stored_records(alliance_ids) if in_read_only_request() else {}


def recorded_or_fresh_inputs(
    alliances: Iterable[Alliance], *, scored=None, sponsors=None
) -> dict[int, DecisionInput]:
    """What the decision reads, by alliance id: from today's stored record where there is
    one (on a read-only request), else computed (over `scored` and `sponsors` when the
    caller holds them)."""
    alliances = list(alliances)
    stored = alliance_stored_records([a.pk for a in alliances])
    inputs = {pk: data for pk, (data, _robustness) in stored.items()}
    missing = [a for a in alliances if a.pk not in inputs]
    if missing:
        inputs.update(decision_inputs(missing, scored=scored, sponsors=sponsors))
    return {a.pk: inputs[a.pk] for a in alliances}


@per_request
def alliance_decision_inputs(alliances: Iterable[Alliance]) -> dict[int, DecisionInput]:
    """What the decision reads, from the stored record where today's recheck left one,
    else computed (once per read-only request: the decision and its robustness both
    read them)."""
    return recorded_or_fresh_inputs(alliances)


@per_request
def alliance_decisions(alliances: Iterable[Alliance]) -> dict[int, Decision]:
    """The go / no-go decision of each alliance by id (for lists: fixed query count)."""
    return {pk: decide(data) for pk, data in alliance_decision_inputs(alliances).items()}


def alliance_decision(alliance: Alliance) -> Decision:
    return alliance_decisions([alliance])[alliance.pk]


def alliance_conditions(alliance: Alliance) -> list[Finding]:
    """Manageable findings of the alliance's latest submitted assessments (its current
    decision's conditions), earliest due first (2 queries)."""
    latest = [a.pk for a in latest_submitted_assessments(alliance).values()]
    findings = (
        Finding.objects.filter(
            assessment_id__in=latest, classification=Finding.Classification.MANAGEABLE
        )
        .select_related("question", "owner_user", "assessment")
        .order_by("due_date", "pk")
    )
    for finding in findings:
        finding.assessment.alliance = alliance
    return list(findings)


@per_request
def open_tracked(alliance_ids) -> dict[int, list[TrackedCondition]]:
    """Each alliance's tracked conditions but the closed ones, by alliance id (1 query,
    once per read-only request: the decision and the conditions panel both read them)."""
    rows = defaultdict(list)
    for condition in (
        TrackedCondition.objects.filter(alliance_id__in=alliance_ids)
        .exclude(status=TrackedCondition.Status.CLOSED)
        .select_related("owner", "status_by")
        .order_by("created_at", "pk")
    ):
        rows[condition.alliance_id].append(condition)
    return rows


def alliance_tracked_conditions(alliance: Alliance) -> list[TrackedCondition]:
    """The alliance's tracked conditions still part of its decision (closed ones left
    out), due first, undated last."""
    conditions = sorted(
        open_tracked([alliance.pk]).get(alliance.pk, []),
        key=lambda c: (c.due_date is None, c.due_date or date.min),
    )
    for condition in conditions:
        condition.alliance = alliance
    return conditions
