"""The portfolio: every alliance the reader may see, at a glance, for managers and
executives. Built in a fixed number of queries whatever the number of alliances (a test
pins it with 10 and 100), and read by the page and the exports alike."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.access import visible_alliances
from alliances.models import Alliance
from assessments.models import Assessment, ConditionStatus, Finding
from assessments.round_selectors import KIND_LABELS, reassessment_statuses
from assessments.rounds import ReassessmentStatus, ScoreChange, compare_rounds
from assessments.selectors import assessment_scores, scored_latest, version_specs
from briefs.models import Brief
from decisions.rules import Decision, Verdict, decide
from decisions.selectors import recorded_or_fresh_inputs
from sponsors import health
from sponsors.selectors import our_executive_sponsors

BRIEF_DAYS = 30
KIND_ORDER = ("strategic_fit", "partner_selection", "sponsor_readiness", "custom")
VERDICT_ORDER = (Verdict.GO, Verdict.GO_WITH_CONDITIONS, Verdict.NO_GO, Verdict.INCOMPLETE)
# The heat map's columns: the sponsor-health indicators, in the order health.py gives them.
INDICATORS = (
    (health.ALLOCATION_DELAY, _("Allocation delay")),
    (health.KPI_ATTAINMENT, _("KPI attainment")),
    (health.ADVOCACY_90_DAYS, _("Advocacy (90 days)")),
    (health.COUNTERPART_CONTACT, _("Counterpart contact")),
    (health.ESCALATIONS, _("Escalations")),
)


@dataclass(frozen=True)
class Fall:
    alliance: Alliance
    kind_label: str
    title: str  # the latest round's
    change: ScoreChange


@dataclass
class PortfolioRow:
    alliance: Alliance
    decision: Decision
    scores: dict[str, float | None]  # bank kind → overall of the latest submitted round
    sponsor_name: str
    health: health.HealthReport | None
    cells: list[tuple[str, str, str]]  # (indicator name, colour, figure) in INDICATORS order
    reassessment: ReassessmentStatus
    falls: list[Fall] = field(default_factory=list)


@dataclass(frozen=True)
class StageGroup:
    stage: str
    label: str
    counts: tuple[tuple[Verdict, int], ...]  # in VERDICT_ORDER
    rows: tuple[PortfolioRow, ...]


@dataclass(frozen=True)
class Portfolio:
    rows: tuple[PortfolioRow, ...]
    stages: tuple[StageGroup, ...]
    overdue: tuple[Finding, ...]
    falls: tuple[Fall, ...]
    briefs: tuple[Brief, ...]
    today: date

    @property
    def kinds(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, str(KIND_LABELS[k])) for k in KIND_ORDER if k != "custom")


def portfolio_alliances(user, filters: dict | None = None) -> QuerySet[Alliance]:
    """The alliances of the user's portfolio: those they may see, not archived, filtered
    by stage, type and origin (empty values ignored)."""
    alliances = visible_alliances(user).filter(is_archived=False).select_related("partner")
    for name in ("stage", "type", "origin"):
        value = (filters or {}).get(name)
        if value:
            alliances = alliances.filter(**{name: value})
    return alliances.order_by("name")


def build_portfolio(user, filters: dict | None = None, *, today: date | None = None) -> Portfolio:
    today = today or timezone.localdate()
    alliances = list(portfolio_alliances(user, filters))
    ids = [a.pk for a in alliances]
    sponsors = our_executive_sponsors(ids, today=today)
    scored = scored_latest(ids)
    # The decision as today's recheck stored it; only an alliance without one is computed.
    inputs = recorded_or_fresh_inputs(alliances, scored=scored, sponsors=sponsors)
    statuses = reassessment_statuses(alliances, today=today)
    falls = _falls(alliances, scored)
    rows = []
    for alliance in alliances:
        sponsorship, report = sponsors.get(alliance.pk, (None, None))
        latest = scored.latest.get(alliance.pk, {})
        rows.append(
            PortfolioRow(
                alliance=alliance,
                decision=decide(inputs[alliance.pk]),
                scores={kind: scored.scores[a.pk].overall for kind, a in latest.items()},
                sponsor_name=sponsorship.sponsor.name if sponsorship else "",
                health=report,
                cells=_cells(report),
                reassessment=statuses[alliance.pk],
                falls=[f for f in falls if f.alliance.pk == alliance.pk],
            )
        )
    return Portfolio(
        rows=tuple(rows),
        stages=_stages(rows),
        overdue=_overdue(scored, today),
        falls=tuple(sorted(falls, key=lambda f: f.change.delta)),
        briefs=tuple(
            Brief.objects.filter(
                alliance_id__in=ids, created_at__gte=timezone.now() - timedelta(days=BRIEF_DAYS)
            )
            .select_related("alliance", "requested_by")
            .order_by("-created_at")
        ),
        today=today,
    )


def _cells(report) -> list[tuple[str, str, str]]:
    if report is None:
        return [(name, "none", _("no executive sponsor")) for key, name in INDICATORS]
    cells = []
    for key, name in INDICATORS:
        indicator = report.indicator(key)
        if indicator is None:
            cells.append((name, health.UNKNOWN, _("not measured")))
        else:
            cells.append((name, indicator.colour, indicator.figure))
    return cells


def _stages(rows: list[PortfolioRow]) -> tuple[StageGroup, ...]:
    groups = []
    for stage, label in Alliance.Stage.choices:
        in_stage = tuple(r for r in rows if r.alliance.stage == stage)
        if not in_stage:
            continue
        counts = Counter(r.decision.verdict for r in in_stage)
        groups.append(
            StageGroup(
                stage=stage,
                label=str(label),
                counts=tuple((v, counts.get(v, 0)) for v in VERDICT_ORDER),
                rows=in_stage,
            )
        )
    return tuple(groups)


def _overdue(scored, today: date) -> tuple[Finding, ...]:
    """Conditions past their due date: manageable findings of the rounds the decision
    uses, not done, due before today."""
    return tuple(
        Finding.objects.filter(
            assessment__in=[a.pk for a in scored.assessments],
            classification=Finding.Classification.MANAGEABLE,
            due_date__lt=today,
        )
        .exclude(condition_status__in=[ConditionStatus.DONE, ConditionStatus.WAIVED])
        .select_related(
            "question", "assessment__alliance", "assessment__version__bank", "owner_user"
        )
        .order_by("due_date", "pk")
    )


def _falls(alliances: list[Alliance], scored) -> list[Fall]:
    """Overall and dimension scores of each latest round that fell since its previous
    round (compared by dimension name, as rounds are)."""
    by_id = {a.pk: a for a in alliances}
    latest = [a for a in scored.assessments if a.previous_id]
    if not latest:
        return []
    previous = {
        a.pk: a
        for a in Assessment.objects.filter(
            pk__in=[a.previous_id for a in latest], status=Assessment.Status.SUBMITTED
        ).select_related("version__bank")
    }
    if not previous:
        return []
    specs = {**scored.specs, **version_specs({a.version for a in previous.values()})}
    before = assessment_scores(previous.values(), specs=specs)
    falls = []
    for assessment in latest:
        earlier = previous.get(assessment.previous_id)
        if earlier is None:
            continue
        comparison = compare_rounds(
            before=before[earlier.pk],
            before_spec=specs[earlier.version_id],
            after=scored.scores[assessment.pk],
            after_spec=specs[assessment.version_id],
            same_version=earlier.version_id == assessment.version_id,
        )
        kind = assessment.version.bank.kind
        for change in comparison.falls:
            falls.append(
                Fall(
                    alliance=by_id[assessment.alliance_id],
                    kind_label=str(KIND_LABELS.get(kind, kind)),
                    title=assessment.title,
                    change=change,
                )
            )
    return falls


def verdict_totals(portfolio: Portfolio) -> tuple[tuple[Verdict, int], ...]:
    counts = Counter(r.decision.verdict for r in portfolio.rows)
    return tuple((v, counts.get(v, 0)) for v in VERDICT_ORDER)
