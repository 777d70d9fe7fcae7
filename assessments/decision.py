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
condition. Perception gaps of a two-sided assessment (a dimension the partner
scores very differently from us) are conditions too ("agree with the partner how
governance works"); they leave the verdict alone unless their bank says they
decide, and then a perception gap turns a GO into a GO WITH CONDITIONS.
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
    "mutual_fit": "mutual fit",
    "custom": "custom",
}
MIN_COVERAGE = 0.8
MAX_GAP_CONDITIONS = 3
CONDITION_DONE = "done"


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
    status: str = "open"  # a manageable finding's condition: open, in_progress or done
    overdue: bool = False  # not done and past its due date (the caller knows today)

    @property
    def met(self) -> bool:
        return self.status == CONDITION_DONE


@dataclass(frozen=True)
class SponsorSummary:
    """Our side's executive sponsorship; `health_colour` is green/amber/red/unknown."""

    has_executive_sponsor: bool
    sponsor_name: str = ""
    health_colour: str = "unknown"
    health_score: int | None = None


@dataclass(frozen=True)
class PerceptionGapSummary:
    """A dimension both sides scored, more than the bank's threshold apart (0–100)."""

    partner: str
    dimension: str
    ours: float
    theirs: float
    threshold: float
    decides: bool = False  # the bank lets perception gaps change a GO

    @property
    def difference(self) -> float:
        return abs(self.ours - self.theirs)


@dataclass(frozen=True)
class DecisionInput:
    assessments: tuple[AssessmentSummary, ...]
    findings: tuple[FindingSummary, ...]
    sponsor: SponsorSummary
    perception_gaps: tuple[PerceptionGapSummary, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One rule and how it came out; `refs` name the answers or findings behind it."""

    rule: str
    text: str
    decisive: bool = False
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One condition to proceed. Only a finding's condition has a status (open,
    in_progress, done); gaps and the sponsor's stay open until the evidence changes."""

    text: str
    source: str  # "finding", "gap", "sponsor" or "perception"
    owner: str = ""
    due: date | None = None
    status: str = "open"
    overdue: bool = False

    @property
    def met(self) -> bool:
        return self.status == CONDITION_DONE


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


def _count(n: int, noun: str) -> str:
    """`2 showstopper findings`, `1 condition`: the one place a plural is spelled."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class _Facts:
    """What the rules read, sorted once from the input."""

    data: DecisionInput
    showstoppers: tuple[FindingSummary, ...]
    manageable: tuple[FindingSummary, ...]
    unclassified: tuple[FindingSummary, ...]
    failing: tuple[AssessmentSummary, ...]  # under their no-go threshold
    sponsor_conditions: tuple[Condition, ...]

    @classmethod
    def of(cls, data: DecisionInput) -> "_Facts":
        def classified(kind: Classification) -> tuple[FindingSummary, ...]:
            return tuple(f for f in data.findings if f.classification == kind)

        return cls(
            data=data,
            showstoppers=classified(Classification.SHOWSTOPPER),
            manageable=classified(Classification.MANAGEABLE),
            unclassified=classified(Classification.UNCLASSIFIED),
            failing=tuple(
                a
                for a in data.assessments
                if a.overall is not None and a.overall < a.no_go_threshold
            ),
            sponsor_conditions=tuple(_sponsor_conditions(data.sponsor)),
        )

    @property
    def scores(self) -> list[Reason]:
        """One reason per assessment; those under their no-go threshold are decisive."""
        return [
            Reason(
                "score",
                f"{a.label.capitalize()} scores {_score(a.overall)} "
                f"(go at {a.go_threshold:.0f}, no-go under {a.no_go_threshold:.0f}; "
                f"{a.bank} v{a.version}; coverage {a.coverage:.0%}).",
                decisive=a in self.failing,
            )
            for a in self.data.assessments
        ]


@dataclass(frozen=True)
class _Step:
    """What one rule found: its reasons and, when it settles the matter, the verdict."""

    reasons: tuple[Reason, ...]
    verdict: Verdict | None = None
    rationale: str = ""
    conditions: tuple[Condition, ...] = ()
    missing: tuple[str, ...] = ()


def _showstopper_rule(facts: _Facts) -> _Step:
    """1. A showstopper ends the discussion whatever the scores (which are still listed)."""
    if not facts.showstoppers:
        return _Step((Reason("showstopper", "No showstopper finding."),))
    first = facts.showstoppers[0]
    reason = Reason(
        "showstopper",
        f"{_count(len(facts.showstoppers), 'showstopper finding')}: "
        + "; ".join(_finding_words(f) for f in facts.showstoppers),
        decisive=True,
        refs=tuple(f.question_key for f in facts.showstoppers),
    )
    return _Step(
        (reason, *facts.scores),
        Verdict.NO_GO,
        f"NO-GO: showstopper on {first.question_key} — {first.issue}",
        facts.sponsor_conditions,
    )


def _evidence_rule(facts: _Facts) -> _Step:
    """2. Enough evidence to decide: the required kinds, coverage, classified findings."""
    data, unclassified = facts.data, facts.unclassified
    by_kind = {a.kind for a in data.assessments}
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
            f"a classification of {_count(len(unclassified), 'knock-out finding')} "
            "as showstopper or manageable ("
            + "; ".join(_finding_words(f).rstrip(".") for f in unclassified)
            + ")"
        )
    if not missing:
        return _Step(
            (
                Reason(
                    "evidence",
                    "Strategic fit and partner selection are assessed with at least "
                    f"{MIN_COVERAGE:.0%} coverage, and every finding is classified.",
                ),
            )
        )
    reason = Reason(
        "evidence",
        "Missing: " + "; ".join(missing) + ".",
        decisive=True,
        refs=tuple(f.question_key for f in unclassified),
    )
    return _Step(
        (reason, *facts.scores),
        Verdict.INCOMPLETE,
        "INCOMPLETE: still missing " + "; ".join(missing) + ".",
        facts.sponsor_conditions,
        tuple(missing),
    )


def _no_go_score_rule(facts: _Facts) -> _Step:
    """3. Any assessment under its no-go threshold: NO-GO, naming the worst."""
    if not facts.failing:
        return _Step(tuple(facts.scores))
    worst = min(facts.failing, key=lambda a: a.overall)
    return _Step(
        tuple(facts.scores),
        Verdict.NO_GO,
        f"NO-GO: {worst.label} scores {_score(worst.overall)}, under the no-go "
        f"threshold of {worst.no_go_threshold:.0f}.",
        facts.sponsor_conditions,
    )


def _go_rule(facts: _Facts) -> _Step:
    """4./5. GO when nothing stands in the way; otherwise GO WITH CONDITIONS, the
    conditions being the manageable findings, the largest gaps and the sponsor's."""
    data, manageable = facts.data, facts.manageable
    below_go = [a for a in data.assessments if a.overall is None or a.overall < a.go_threshold]
    gaps = _largest_gaps(data.assessments)
    conditions = [_finding_condition(f) for f in manageable]
    # Perception gaps count against a GO only when their bank says so; either way they
    # are listed as conditions.
    conditions += [_perception_condition(g) for g in data.perception_gaps if g.decides]
    agree = [_perception_condition(g) for g in data.perception_gaps if not g.decides]
    conditions += [
        Condition(
            f"Close the gap on {g.question_key} ({g.dimension}): {g.question} "
            f"— scored {g.score:.0f}.",
            source="gap",
        )
        for g in gaps
    ]
    conditions += facts.sponsor_conditions
    reasons = []
    if manageable:
        still_open = [f for f in manageable if not f.met]
        text = f"{_count(len(manageable), 'manageable finding')} become conditions"
        text += f"; {conditions_met(manageable)}." if any(f.met for f in manageable) else "."
        reasons.append(
            Reason(
                "manageable",
                text,
                decisive=bool(still_open),
                refs=tuple(f.question_key for f in still_open),
            )
        )
    if gaps:
        reasons.append(
            Reason(
                "gaps",
                "Largest gaps: "
                + "; ".join(
                    f"{g.question_key} {g.question.strip().rstrip('.')} (scored {g.score:.0f})"
                    for g in gaps
                )
                + ".",
                decisive=True,
                refs=tuple(g.question_key for g in gaps),
            )
        )
    if not (below_go or conditions):
        names = " and ".join(f"{a.label} {_score(a.overall)}" for a in data.assessments)
        return _Step(
            tuple(reasons),
            Verdict.GO,
            f"GO: {names} clear the go threshold with no gap, no open finding and an "
            "engaged executive sponsor.",
            tuple(agree),
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
    met = f" ({conditions_met(manageable)})" if manageable else ""
    conditions += agree
    rationale = (
        "GO WITH CONDITIONS: the scores clear the no-go threshold; proceed on "
        f"{_count(len(conditions), 'condition')}{met}."
        if conditions
        else "GO WITH CONDITIONS: the scores clear the no-go threshold but not the go "
        "threshold; agree how to lift them."
    )
    return _Step(tuple(reasons), Verdict.GO_WITH_CONDITIONS, rationale, tuple(conditions))


# In order; the first rule that gives a verdict settles it. `_go_rule` always does.
RULES = (_showstopper_rule, _evidence_rule, _no_go_score_rule, _go_rule)


def decide(data: DecisionInput) -> Decision:
    """Apply the rules above in order. Every rule run lists its reasons; the sponsor's
    always closes the list. Deterministic; never raises on well-typed input."""
    facts = _Facts.of(data)
    reasons: list[Reason] = []
    for rule in RULES:
        step = rule(facts)
        reasons += step.reasons
        if step.verdict is not None:
            break
    reasons.append(_sponsor_reason(facts))
    conditions = step.conditions
    if data.perception_gaps:
        reasons.append(_perception_reason(data.perception_gaps))
        if step.verdict in (Verdict.NO_GO, Verdict.INCOMPLETE):
            # Still worth agreeing with the partner, whatever else must happen first.
            conditions += tuple(map(_perception_condition, data.perception_gaps))
    return Decision(step.verdict, step.rationale, tuple(reasons), conditions, step.missing)


def _perception_condition(gap: PerceptionGapSummary) -> Condition:
    """`Agree with Helios how governance works: we score it 75, they score it 40.`"""
    return Condition(
        f"Agree with {gap.partner} how {gap.dimension.lower()} works: "
        f"we score it {gap.ours:.0f}, they score it {gap.theirs:.0f}.",
        source="perception",
    )


def _perception_reason(gaps: tuple[PerceptionGapSummary, ...]) -> Reason:
    """The two sides' views differ; decisive only when the bank lets that change a GO."""
    first = gaps[0]
    listed = ", ".join(f"{g.dimension} (we {g.ours:.0f}, {g.partner} {g.theirs:.0f})" for g in gaps)
    effect = (
        "they are conditions of going ahead"
        if first.decides
        else "they are conditions to agree with the partner and leave the verdict as it is"
    )
    return Reason(
        "perception",
        f"{_count(len(gaps), 'perception gap')} over {first.threshold:.0f} points: "
        f"{listed}; {effect}.",
        decisive=first.decides,
    )


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


def conditions_met(findings) -> str:
    """`2 of 3 conditions met`: how many of the manageable findings' conditions are done."""
    total = len(findings)
    met = sum(1 for f in findings if f.met)
    return f"{met} of {_count(total, 'condition')} met"


def _finding_words(finding: FindingSummary) -> str:
    """The finding's code followed by its words (the issue names its question): never a
    bare code."""
    return f"{finding.question_key} {finding.issue.strip()}"


def _finding_condition(finding: FindingSummary) -> Condition:
    text = f"{finding.question_key}: {finding.issue}"
    if finding.mitigation:
        text += f" — mitigation: {finding.mitigation}"
    return Condition(
        text,
        source="finding",
        owner=finding.owner,
        due=finding.due,
        status=finding.status,
        overdue=finding.overdue and not finding.met,
    )


def _largest_gaps(assessments) -> list[Gap]:
    gaps = [gap for a in assessments for gap in a.gaps]
    return sorted(gaps, key=lambda g: (-g.priority, g.question_key))[:MAX_GAP_CONDITIONS]


def _sponsor_reason(facts: _Facts) -> Reason:
    """Our executive sponsor and their health; decisive when they make a condition."""
    sponsor = facts.data.sponsor
    if not sponsor.has_executive_sponsor:
        text = "No active executive sponsor on our side: always a condition."
    else:
        health = (
            "unknown (no evidence yet)"
            if sponsor.health_score is None
            else f"{sponsor.health_colour} ({sponsor.health_score}/100)"
        )
        text = f"Our executive sponsor is {sponsor.sponsor_name}; sponsor health {health}."
    return Reason("sponsor", text, decisive=bool(facts.sponsor_conditions))
