"""Reads about reassessment rounds: the previous round's answers, the comparison of two
rounds (with a two-sided assessment's perception gap in each), the conditions met in
between, which alliances are due for a new round, and the score series of the trend
chart. Each runs a fixed number of queries whatever the number of alliances or rounds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.models import Alliance
from assessments.models import Assessment, Finding, ReassessmentInterval
from assessments.partner.selectors import partner_scores, partner_sides
from assessments.perception import compare_sides, gap_moves
from assessments.rounds import (
    ClosedCondition,
    LastRound,
    ReassessmentStatus,
    RoundComparison,
    add_months,
    compare_rounds,
    interval_months,
    reassessment_status,
)
from assessments.scoring import LEVEL_POINTS, AssessmentScore
from assessments.selectors import assessment_scores, version_specs
from banks.models import Choice, QuestionBank
from kit.memo import per_request
from kit.texts import bank_words
from sponsors.selectors import health_history, our_executive_sponsors


@dataclass(frozen=True)
class PreviousAnswer:
    """The previous round's consolidated answer to a question (by key), in words."""

    text: str
    assessors: int


def previous_answers(assessment: Assessment) -> dict[str, PreviousAnswer]:
    """Question key → the previous round's consolidated (median) answer, for the fill page
    (5 queries; none without a previous round). Never pre-fills anything."""
    previous = assessment.previous
    if previous is None:
        return {}
    score = assessment_scores([previous])[previous.pk]
    labels: dict[tuple[str, int], str] = {}
    for key, score_value, label in Choice.objects.filter(
        question__dimension__version_id=previous.version_id
    ).values_list("question__key", "score", "label"):
        labels[(key, score_value)] = label
    answers = {}
    for key, median in score.medians:
        label = labels.get((key, round(median)))
        level = median / LEVEL_POINTS
        shown = f"{level:g}" + (f" — {label}" if label else "")
        answers[key] = PreviousAnswer(text=shown, assessors=len(score.assessors))
    for key in score.dont_know:
        answers.setdefault(key, PreviousAnswer(text="Don't know", assessors=len(score.assessors)))
    return answers


def round_comparison(assessment: Assessment) -> RoundComparison | None:
    """This round against the one it follows, when both have submitted answers; for a
    two-sided assessment, with how each dimension's perception gap moved (2 more queries)."""
    previous = assessment.previous
    if previous is None:
        return None
    rounds = [previous, assessment]
    specs = version_specs({a.version for a in rounds})
    scores = assessment_scores(rounds, specs=specs)
    comparison = compare_rounds(
        before=scores[previous.pk],
        before_spec=specs[previous.version_id],
        after=scores[assessment.pk],
        after_spec=specs[assessment.version_id],
        same_version=previous.version_id == assessment.version_id,
    )
    if assessment.version.bank.kind != QuestionBank.Kind.MUTUAL_FIT:
        return comparison
    return replace(comparison, gap_moves=_gap_moves(rounds, specs, scores))


def _gap_moves(rounds: list[Assessment], specs, scores):
    """The perception gap of each round compared, as the results page shows it: only when
    both sides have submitted in both rounds (blind until then)."""
    sides = partner_sides(rounds)
    if not all(a.is_submitted and sides[a.pk].is_complete for a in rounds):
        return ()
    theirs = partner_scores(sides, rounds, specs)
    before, after = (
        compare_sides(
            specs[a.version_id],
            scores[a.pk],
            theirs[a.pk],
            threshold=a.version.perception_gap_threshold,
        )
        for a in rounds
    )
    return gap_moves(before, after)


def closed_findings(alliance_id: int) -> list[ClosedCondition]:
    """The alliance's finding conditions (manageable findings of any round) marked done or
    waived, with the day they were (1 query). The brief keeps those met between rounds."""
    findings = Finding.objects.filter(
        assessment__alliance_id=alliance_id,
        classification=Finding.Classification.MANAGEABLE,
        condition_status__in=[Finding.ConditionStatus.DONE, Finding.ConditionStatus.WAIVED],
        done_on__isnull=False,
    ).select_related("question")
    return [
        ClosedCondition(
            text=f.statement,
            status="met" if f.condition_status == Finding.ConditionStatus.DONE else "waived",
            on=f.done_on,
        )
        for f in findings
    ]


KIND_LABELS = dict(QuestionBank.Kind.choices)


@per_request
def interval_overrides(alliance_ids) -> dict[int, dict[str, int]]:
    """Alliance id → stage → months, where an alliance's interval differs (1 query, once
    per read-only request)."""
    overrides: dict[int, dict[str, int]] = defaultdict(dict)
    for alliance_id, stage, months in ReassessmentInterval.objects.filter(
        alliance_id__in=alliance_ids
    ).values_list("alliance_id", "stage", "months"):
        overrides[alliance_id][stage] = months
    return overrides


def evidence_dates(
    alliances: Iterable[Alliance], assessments: Iterable[Assessment], *, today: date
) -> dict[int, tuple[date | None, date | None]]:
    """Assessment id → (the day it was submitted, the day its reassessment fell due if
    that day has passed): the age of the evidence a score rests on (1 query). A round in
    progress does not make the evidence younger, so it does not clear the date."""
    stages = {a.pk: a.stage for a in alliances}
    overrides = interval_overrides(list(stages))
    dates = {}
    for assessment in assessments:
        if assessment.submitted_at is None:
            dates[assessment.pk] = (None, None)
            continue
        submitted = timezone.localdate(assessment.submitted_at)
        months = interval_months(
            stages[assessment.alliance_id], overrides.get(assessment.alliance_id)
        )
        due = add_months(submitted, months) if months > 0 else None
        dates[assessment.pk] = (submitted, due if due and due <= today else None)
    return dates


def reassessment_statuses(
    alliances: Iterable[Alliance], *, today: date | None = None
) -> dict[int, ReassessmentStatus]:
    """Each alliance's reassessment status by id (2 queries whatever their number)."""
    alliances = list(alliances)
    today = today or timezone.localdate()
    ids = [a.pk for a in alliances]
    overrides = interval_overrides(ids)
    latest: dict[int, dict[str, dict]] = defaultdict(dict)
    drafts_after: dict[int, set[str]] = defaultdict(set)
    rows = (
        Assessment.objects.filter(alliance_id__in=ids)
        .order_by("-submitted_at", "-pk")
        .values("alliance_id", "status", "submitted_at", "title", "version__bank__kind")
    )
    for row in rows:
        kind = row["version__bank__kind"]
        if row["status"] == Assessment.Status.DRAFT:
            drafts_after[row["alliance_id"]].add(kind)
        else:
            latest[row["alliance_id"]].setdefault(kind, row)
    statuses = {}
    for alliance in alliances:
        rounds = [
            LastRound(
                kind=kind,
                kind_label=str(KIND_LABELS.get(kind, kind)),
                title=row["title"],
                submitted=timezone.localdate(row["submitted_at"]),
                next_in_progress=kind in drafts_after[alliance.pk],
            )
            for kind, row in latest[alliance.pk].items()
        ]
        statuses[alliance.pk] = reassessment_status(
            stage=alliance.stage, rounds=rounds, today=today, overrides=overrides.get(alliance.pk)
        )
    return statuses


def due_alliance_ids(alliances: Iterable[Alliance], *, today: date | None = None) -> set[int]:
    statuses = reassessment_statuses(alliances, today=today)
    return {pk for pk, status in statuses.items() if status.is_due}


@dataclass(frozen=True)
class RoundPoint:
    """One submitted round of one kind, scored."""

    assessment: Assessment
    submitted: date
    score: AssessmentScore


def submitted_rounds(alliance_ids: Iterable[int]) -> dict[int, dict[str, list[RoundPoint]]]:
    """Alliance id → bank kind → its submitted rounds scored, oldest first (5 queries)."""
    submitted = list(
        Assessment.objects.filter(
            alliance_id__in=list(alliance_ids), status=Assessment.Status.SUBMITTED
        )
        .select_related("version__bank")
        .order_by("submitted_at", "pk")
    )
    scores = assessment_scores(submitted)
    series: dict[int, dict[str, list[RoundPoint]]] = defaultdict(lambda: defaultdict(list))
    for a in submitted:
        series[a.alliance_id][a.version.bank.kind].append(
            RoundPoint(a, timezone.localdate(a.submitted_at), scores[a.pk])
        )
    return series


HEALTH_MONTHS = 12  # the sponsor's health is drawn month by month over the last year


def _label(day: date) -> str:
    """A short date in the reader's language ("5 Mar 2026", "5 Mär 2026")."""
    return date_format(day, "SHORT_DATE_FORMAT")


def alliance_trends(alliance: Alliance, *, today: date | None = None) -> dict:
    """Plain data of the alliance's trend charts (JSON-ready, so the brief's snapshot can
    freeze it): `rounds`, one entry per kind of assessment with two submitted rounds or
    more (overall then each dimension by name, None where a round lacks it), and
    `sponsor`, our executive sponsor's health month by month (None without one)."""
    today = today or timezone.localdate()
    rounds = []
    for kind, points in sorted(submitted_rounds([alliance.pk]).get(alliance.pk, {}).items()):
        if len(points) < 2:
            continue
        names: list[str] = []
        for point in points:
            names += [d.name for d in point.score.dimensions if d.name not in names]
        series = [[_("Overall"), [p.score.overall for p in points]]]
        for name in names:
            by_name = [{d.name: d.score for d in p.score.dimensions} for p in points]
            series.append([bank_words(name), [scores.get(name) for scores in by_name]])
        rounds.append(
            {
                "kind": kind,
                "label": str(KIND_LABELS.get(kind, kind)),
                "days": [p.submitted.toordinal() for p in points],
                "labels": [_label(p.submitted) for p in points],
                "series": series,
            }
        )
    return {"rounds": rounds, "sponsor": _sponsor_trend(alliance, today)}


def _sponsor_trend(alliance: Alliance, today: date) -> dict | None:
    ours = our_executive_sponsors([alliance.pk], today=today).get(alliance.pk)
    if ours is None:
        return None
    sponsorship = ours[0]
    days = [add_months(today, -n) for n in range(HEALTH_MONTHS, -1, -1)]
    days = [d for d in days if d >= sponsorship.since]
    if len(days) < 2:
        return None
    reports = health_history(sponsorship, days)
    return {
        "name": sponsorship.sponsor.name,
        "days": [d.toordinal() for d in days],
        "labels": [date_format(d, "M Y") for d in days],  # "Okt 2026" in German
        "values": [r.score for r in reports],
    }
