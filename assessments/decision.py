"""The go / no-go decision: pure rules over scores, findings and sponsorship.

No Django and no ORM: the inputs are frozen dataclasses built by
`assessments/selectors.py`, so the same function serves the pages, the PDF,
`manage.py decision` and the benchmarks.

Rules, in order (thresholds come from each assessment's bank version):
1. Any showstopper finding → NO-GO.
2. A missing strategic-fit or partner-selection assessment, coverage under
   80 %, or an unclassified finding → INCOMPLETE, saying what is missing.
3. Any assessment scoring under its no-go threshold → NO-GO.
4. Every assessment at or above its go threshold, no manageable finding, no
   gap and no sponsor condition → GO.
5. Otherwise GO WITH CONDITIONS: the manageable findings (with mitigation,
   owner and due date) and the largest gaps.
No active executive sponsor on our side, or red sponsor health, is always a
condition.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from assessments.scoring import ResponseScore, VersionSpec

REQUIRED_KINDS = ("strategic_fit", "partner_selection")
KIND_LABELS = {
    "strategic_fit": "strategic fit",
    "partner_selection": "partner selection",
    "sponsor_readiness": "sponsor readiness",
    "custom": "custom",
}
MIN_COVERAGE = 0.8
MAX_GAP_CONDITIONS = 3


class Verdict(StrEnum):
    GO = "GO"
    GO_WITH_CONDITIONS = "GO WITH CONDITIONS"
    NO_GO = "NO-GO"
    INCOMPLETE = "INCOMPLETE"

    @property
    def css(self) -> str:
        """A stable token for styling: go, conditions, no-go, incomplete."""
        return {
            Verdict.GO: "go",
            Verdict.GO_WITH_CONDITIONS: "conditions",
            Verdict.NO_GO: "no-go",
            Verdict.INCOMPLETE: "incomplete",
        }[self]


class Classification(StrEnum):
    UNCLASSIFIED = "unclassified"
    SHOWSTOPPER = "showstopper"
    MANAGEABLE = "manageable"


@dataclass(frozen=True)
class Gap:
    """A question scoring under its bank's gap threshold; `priority` = weight × shortfall."""

    question_key: str
    question: str
    dimension: str
    score: float
    priority: float


@dataclass(frozen=True)
class AssessmentSummary:
    """One submitted assessment, already scored (scores 0–100, coverage 0–1)."""

    kind: str
    title: str
    bank: str
    version: int
    overall: float | None
    coverage: float
    go_threshold: float
    no_go_threshold: float
    gap_threshold: float
    gaps: tuple[Gap, ...] = ()

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " "))


def assessment_summary(
    *, kind: str, title: str, bank: str, version: int, score: ResponseScore, spec: VersionSpec
) -> AssessmentSummary:
    """What the rules need of a scored assessment (scoring.py's result and its spec)."""
    return AssessmentSummary(
        kind=kind,
        title=title,
        bank=bank,
        version=version,
        overall=score.overall,
        coverage=score.coverage,
        go_threshold=score.thresholds.go,
        no_go_threshold=score.thresholds.no_go,
        gap_threshold=score.thresholds.gap,
        gaps=tuple(
            Gap(g.key, spec.by_key[g.key].text, g.dimension, g.score, g.priority)
            for g in score.gaps
        ),
    )


@dataclass(frozen=True)
class FindingSummary:
    question_key: str
    issue: str
    classification: Classification
    assessment_kind: str
    mitigation: str = ""
    owner: str = ""
    due: date | None = None


@dataclass(frozen=True)
class SponsorSummary:
    """Our side's executive sponsorship; `health_colour` is green/amber/red/unknown."""

    has_executive_sponsor: bool
    sponsor_name: str = ""
    health_colour: str = "unknown"
    health_score: int | None = None


@dataclass(frozen=True)
class DecisionInput:
    assessments: tuple[AssessmentSummary, ...]
    findings: tuple[FindingSummary, ...]
    sponsor: SponsorSummary


@dataclass(frozen=True)
class Reason:
    """One rule and how it came out; `refs` name the answers or findings behind it."""

    rule: str
    text: str
    decisive: bool = False
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    text: str
    source: str  # "finding", "gap" or "sponsor"
    owner: str = ""
    due: date | None = None


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    rationale: str
    reasons: tuple[Reason, ...]
    conditions: tuple[Condition, ...] = field(default=())
    missing: tuple[str, ...] = field(default=())

    @property
    def because(self) -> str:
        """The rationale without its leading verdict, for pages that show the verdict apart."""
        return self.rationale.removeprefix(f"{self.verdict.value}: ")


def _score(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f}"


def _sponsor_conditions(sponsor: SponsorSummary) -> list[Condition]:
    if not sponsor.has_executive_sponsor:
        return [
            Condition(
                "Name an active executive sponsor on our side before committing.",
                source="sponsor",
            )
        ]
    if sponsor.health_colour == "red":
        return [
            Condition(
                f"Restore the engagement of our executive sponsor {sponsor.sponsor_name}: "
                "sponsor health is red.",
                source="sponsor",
                owner=sponsor.sponsor_name,
            )
        ]
    return []


def _finding_condition(finding: FindingSummary) -> Condition:
    text = f"{finding.question_key}: {finding.issue}"
    if finding.mitigation:
        text += f" — mitigation: {finding.mitigation}"
    return Condition(text, source="finding", owner=finding.owner, due=finding.due)


def _largest_gaps(assessments) -> list[Gap]:
    gaps = [gap for a in assessments for gap in a.gaps]
    return sorted(gaps, key=lambda g: (-g.priority, g.question_key))[:MAX_GAP_CONDITIONS]


def decide(data: DecisionInput) -> Decision:
    """Apply the rules above. Deterministic; never raises on well-typed input."""
    by_kind = {a.kind: a for a in data.assessments}
    showstoppers = [f for f in data.findings if f.classification == Classification.SHOWSTOPPER]
    manageable = [f for f in data.findings if f.classification == Classification.MANAGEABLE]
    unclassified = [f for f in data.findings if f.classification == Classification.UNCLASSIFIED]
    sponsor_conditions = _sponsor_conditions(data.sponsor)
    failing = [
        a for a in data.assessments if a.overall is not None and a.overall < a.no_go_threshold
    ]
    scores = [
        Reason(
            "score",
            f"{a.label.capitalize()} scores {_score(a.overall)} "
            f"(go at {a.go_threshold:.0f}, no-go under {a.no_go_threshold:.0f}; "
            f"{a.bank} v{a.version}; coverage {a.coverage:.0%}).",
            decisive=a in failing,
        )
        for a in data.assessments
    ]
    reasons: list[Reason] = []

    # 1. Showstoppers end the discussion whatever the scores.
    if showstoppers:
        refs = tuple(f.question_key for f in showstoppers)
        reasons.append(
            Reason(
                "showstopper",
                f"{len(showstoppers)} showstopper finding{'s' if len(showstoppers) > 1 else ''}: "
                + "; ".join(f"{f.question_key} {f.issue}" for f in showstoppers),
                decisive=True,
                refs=refs,
            )
        )
        first = showstoppers[0]
        return Decision(
            Verdict.NO_GO,
            f"NO-GO: showstopper on {first.question_key} — {first.issue}",
            tuple(reasons + scores + _context_reasons(data, sponsor_conditions)),
            tuple(sponsor_conditions),
        )
    reasons.append(Reason("showstopper", "No showstopper finding."))

    # 2. Is there enough evidence to decide?
    missing = [
        f"the {KIND_LABELS[kind]} assessment (none submitted)"
        for kind in REQUIRED_KINDS
        if kind not in by_kind
    ]
    missing += [
        f"answers to the {a.label} assessment (coverage {a.coverage:.0%}, "
        f"{MIN_COVERAGE:.0%} needed)"
        for a in data.assessments
        if a.coverage < MIN_COVERAGE
    ]
    if unclassified:
        missing.append(
            f"a classification of {len(unclassified)} knock-out finding"
            f"{'s' if len(unclassified) > 1 else ''} "
            f"({', '.join(f.question_key for f in unclassified)}) as showstopper or manageable"
        )
    if missing:
        reasons.append(
            Reason(
                "evidence",
                "Missing: " + "; ".join(missing) + ".",
                decisive=True,
                refs=tuple(f.question_key for f in unclassified),
            )
        )
        return Decision(
            Verdict.INCOMPLETE,
            "INCOMPLETE: still missing " + "; ".join(missing) + ".",
            tuple(reasons + scores + _context_reasons(data, sponsor_conditions)),
            tuple(sponsor_conditions),
            tuple(missing),
        )
    reasons.append(
        Reason(
            "evidence",
            "Strategic fit and partner selection are assessed with at least "
            f"{MIN_COVERAGE:.0%} coverage, and every finding is classified.",
        )
    )

    # 3. Scores under the no-go threshold.
    reasons += scores
    if failing:
        worst = min(failing, key=lambda a: a.overall)
        return Decision(
            Verdict.NO_GO,
            f"NO-GO: {worst.label} scores {_score(worst.overall)}, under the no-go "
            f"threshold of {worst.no_go_threshold:.0f}.",
            tuple(reasons + _context_reasons(data, sponsor_conditions)),
            tuple(sponsor_conditions),
        )

    # 4./5. GO, or GO on conditions.
    below_go = [a for a in data.assessments if a.overall is None or a.overall < a.go_threshold]
    gaps = _largest_gaps(data.assessments)
    conditions = [_finding_condition(f) for f in manageable]
    conditions += [
        Condition(
            f"Close the gap on {g.question_key} ({g.dimension}): {g.question} "
            f"— scored {g.score:.0f}.",
            source="gap",
        )
        for g in gaps
    ]
    conditions += sponsor_conditions
    context = _context_reasons(data, sponsor_conditions)
    if manageable:
        reasons.append(
            Reason(
                "manageable",
                f"{len(manageable)} manageable finding{'s' if len(manageable) > 1 else ''} "
                "become conditions.",
                decisive=True,
                refs=tuple(f.question_key for f in manageable),
            )
        )
    if gaps:
        reasons.append(
            Reason(
                "gaps",
                "Largest gaps: "
                + ", ".join(f"{g.question_key} ({g.score:.0f})" for g in gaps)
                + ".",
                decisive=True,
                refs=tuple(g.question_key for g in gaps),
            )
        )
    if not (below_go or conditions):
        names = " and ".join(f"{a.label} {_score(a.overall)}" for a in data.assessments)
        return Decision(
            Verdict.GO,
            f"GO: {names} clear the go threshold with no gap, no open finding and an "
            "engaged executive sponsor.",
            tuple(reasons + context),
        )
    if below_go:
        reasons.append(
            Reason(
                "score",
                "Under the go threshold: "
                + ", ".join(f"{a.label} ({_score(a.overall)})" for a in below_go)
                + ".",
                decisive=True,
            )
        )
    count = len(conditions)
    return Decision(
        Verdict.GO_WITH_CONDITIONS,
        f"GO WITH CONDITIONS: the scores clear the no-go threshold; proceed on "
        f"{count} condition{'s' if count != 1 else ''}."
        if count
        else "GO WITH CONDITIONS: the scores clear the no-go threshold but not the go "
        "threshold; agree how to lift them.",
        tuple(reasons + context),
        tuple(conditions),
    )


def _context_reasons(data: DecisionInput, sponsor_conditions: list[Condition]) -> list[Reason]:
    sponsor = data.sponsor
    if not sponsor.has_executive_sponsor:
        text = "No active executive sponsor on our side: always a condition."
    else:
        health = (
            "unknown (no evidence yet)"
            if sponsor.health_score is None
            else f"{sponsor.health_colour} ({sponsor.health_score}/100)"
        )
        text = f"Our executive sponsor is {sponsor.sponsor_name}; sponsor health {health}."
    return [Reason("sponsor", text, decisive=bool(sponsor_conditions))]
