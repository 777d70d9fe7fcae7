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

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from assessments.scoring import ResponseScore, VersionSpec
from assessments.statements import finding_statement
from kit.texts import _, bank_words, format_date, gettext_noop, ngettext, worded
from sponsors.health import colour_label

REQUIRED_KINDS = ("strategic_fit", "partner_selection")
# Untranslated keys' words: show them through `_()` (see `kind_label`).
KIND_LABELS = {
    "strategic_fit": gettext_noop("strategic fit"),
    "partner_selection": gettext_noop("partner selection"),
    "sponsor_readiness": gettext_noop("sponsor readiness"),
    "mutual_fit": gettext_noop("mutual fit"),
    "custom": gettext_noop("custom"),
}
MIN_COVERAGE = 0.8
MAX_GAP_CONDITIONS = 3
CONDITION_DONE = "done"
CONDITION_WAIVED = "waived"


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

    @property
    def label(self) -> str:
        """The verdict in the active language (the value stays the stable English token)."""
        return {
            Verdict.GO: _("GO"),
            Verdict.GO_WITH_CONDITIONS: _("GO WITH CONDITIONS"),
            Verdict.NO_GO: _("NO-GO"),
            Verdict.INCOMPLETE: _("INCOMPLETE"),
        }[self]


def kind_label(kind: str) -> str:
    """An assessment kind in words, in the active language ("strategic fit")."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind.replace("_", " ")


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
    submitted: date | None = None  # the day the round was submitted: the evidence's age
    overdue_since: date | None = None  # its reassessment was due that day and is not done

    @property
    def label(self) -> str:
        return kind_label(self.kind)


def assessment_summary(
    *,
    kind: str,
    title: str,
    bank: str,
    version: int,
    score: ResponseScore,
    spec: VersionSpec,
    submitted: date | None = None,
    overdue_since: date | None = None,
) -> AssessmentSummary:
    """What the rules need of a scored assessment (scoring.py's result and its spec)."""
    return AssessmentSummary(
        kind=kind,
        title=title,
        bank=bank,
        version=version,
        submitted=submitted,
        overdue_since=overdue_since,
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
    issue: str  # as people wrote it (a record stored before `question` held the statement)
    classification: Classification
    assessment_kind: str
    mitigation: str = ""
    owner: str = ""
    due: date | None = None
    status: str = "open"  # a manageable finding's condition: open, in_progress or done
    overdue: bool = False  # not done and past its due date (the caller knows today)
    note: str = ""  # what was done, or why it was waived
    waived_by: str = ""
    question: str = ""  # the question's words as its bank wrote them

    @property
    def met(self) -> bool:
        return self.status == CONDITION_DONE

    @property
    def statement(self) -> str:
        """The finding in words naming its question once, in the reader's language."""
        if not self.question:
            return self.issue
        return finding_statement(
            self.question_key, bank_words(self.question), self.issue, written=self.question
        )


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
    tracked: tuple["TrackedState", ...] = ()  # follow-up of the conditions not on a finding


@dataclass(frozen=True)
class Reason:
    """One rule and how it came out; `refs` name the answers or findings behind it."""

    rule: str
    text: str
    decisive: bool = False
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One condition to proceed, whatever its source. `key` names its cause, so the same
    gap is the same condition at every recheck; a finding's condition is followed up on
    the finding, the others on their tracked record (`TrackedState`)."""

    text: str
    source: str  # "finding", "gap", "sponsor" or "perception"
    owner: str = ""
    due: date | None = None
    status: str = "open"  # open, in_progress, done (met) or waived
    overdue: bool = False
    note: str = ""  # what was done, or why it was waived
    key: str = ""
    waived_by: str = ""
    # The text as words to keep (kit.texts.worded), said again in each reader's language
    # where the condition is followed up (decisions.models.TrackedCondition); "" for a
    # finding's condition, whose issue is people's own words.
    words: str = ""

    @property
    def met(self) -> bool:
        return self.status == CONDITION_DONE

    @property
    def waived(self) -> bool:
        return self.status == CONDITION_WAIVED


@dataclass(frozen=True)
class TrackedState:
    """How a condition's follow-up stands (decisions.models.TrackedCondition), by key."""

    key: str
    owner: str = ""
    due: date | None = None
    status: str = "open"
    note: str = ""
    waived_by: str = ""
    overdue: bool = False

    def applied_to(self, condition: Condition) -> Condition:
        return replace(
            condition,
            owner=self.owner or condition.owner,
            due=self.due,
            status=self.status,
            note=self.note,
            waived_by=self.waived_by,
            overdue=self.overdue,
        )


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
    return _("no score") if value is None else f"{value:.0f}"


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

    def track(self, condition: Condition) -> Condition:
        """The condition with its follow-up (owner, due date, status), where it has one."""
        for state in self.data.tracked:
            if state.key == condition.key and condition.source != "finding":
                return state.applied_to(condition)
        return condition

    @property
    def scores(self) -> list[Reason]:
        """One reason per assessment; those under their no-go threshold are decisive."""
        return [
            Reason(
                "score",
                _(
                    "%(kind)s scores %(score)s (go at %(go)s, no-go under %(no_go)s; "
                    "%(bank)s v%(version)s; coverage %(coverage)s)."
                )
                % {
                    # Only the first letter raised: "Strategische Passung" keeps its noun.
                    "kind": a.label[:1].upper() + a.label[1:],
                    "score": _score(a.overall),
                    "go": f"{a.go_threshold:.0f}",
                    "no_go": f"{a.no_go_threshold:.0f}",
                    "bank": bank_words(a.bank),
                    "version": a.version,
                    "coverage": f"{a.coverage:.0%}",
                },
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
        return _Step((Reason("showstopper", _("No showstopper finding.")),))
    first = facts.showstoppers[0]
    reason = Reason(
        "showstopper",
        ngettext(
            "%(count)d showstopper finding: %(findings)s",
            "%(count)d showstopper findings: %(findings)s",
            len(facts.showstoppers),
        )
        % {
            "count": len(facts.showstoppers),
            "findings": "; ".join(_finding_words(f) for f in facts.showstoppers),
        },
        decisive=True,
        refs=tuple(f.question_key for f in facts.showstoppers),
    )
    return _Step(
        (reason, *facts.scores),
        Verdict.NO_GO,
        f"{Verdict.NO_GO}: "
        + _("showstopper on %(key)s — %(issue)s")
        % {"key": first.question_key, "issue": first.statement},
        facts.sponsor_conditions,
    )


def _evidence_rule(facts: _Facts) -> _Step:
    """2. Enough evidence to decide: the required kinds, coverage, classified findings."""
    data, unclassified = facts.data, facts.unclassified
    by_kind = {a.kind for a in data.assessments}
    missing = [
        _("the %(kind)s assessment (none submitted)") % {"kind": kind_label(kind)}
        for kind in REQUIRED_KINDS
        if kind not in by_kind
    ]
    missing += [
        _("answers to the %(kind)s assessment (coverage %(coverage)s, %(needed)s needed)")
        % {"kind": a.label, "coverage": f"{a.coverage:.0%}", "needed": f"{MIN_COVERAGE:.0%}"}
        for a in data.assessments
        if a.coverage < MIN_COVERAGE
    ]
    if unclassified:
        missing.append(
            ngettext(
                "a classification of %(count)d knock-out finding "
                "as showstopper or manageable (%(findings)s)",
                "a classification of %(count)d knock-out findings "
                "as showstopper or manageable (%(findings)s)",
                len(unclassified),
            )
            % {
                "count": len(unclassified),
                "findings": "; ".join(_finding_words(f).rstrip(".") for f in unclassified),
            }
        )
    if not missing:
        return _Step(
            (
                Reason(
                    "evidence",
                    _(
                        "Strategic fit and partner selection are assessed with at least "
                        "%(coverage)s coverage, and every finding is classified."
                    )
                    % {"coverage": f"{MIN_COVERAGE:.0%}"},
                ),
            )
        )
    reason = Reason(
        "evidence",
        _("Missing: %(missing)s.") % {"missing": "; ".join(missing)},
        decisive=True,
        refs=tuple(f.question_key for f in unclassified),
    )
    return _Step(
        (reason, *facts.scores),
        Verdict.INCOMPLETE,
        f"{Verdict.INCOMPLETE}: "
        + _("still missing %(missing)s.") % {"missing": "; ".join(missing)},
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
        f"{Verdict.NO_GO}: "
        + _("%(kind)s scores %(score)s, under the no-go threshold of %(no_go)s.")
        % {
            "kind": worst.label,
            "score": _score(worst.overall),
            "no_go": f"{worst.no_go_threshold:.0f}",
        },
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
    conditions += [_gap_condition(g) for g in gaps]
    conditions += facts.sponsor_conditions
    reasons = []
    if manageable:
        still_open = [f for f in manageable if not f.met]
        text = ngettext(
            "%(count)d manageable finding becomes a condition",
            "%(count)d manageable findings become conditions",
            len(manageable),
        ) % {"count": len(manageable)}
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
                _("Largest gaps: %(gaps)s.")
                % {
                    "gaps": "; ".join(
                        _("%(key)s %(question)s (scored %(score)s)")
                        % {
                            "key": g.question_key,
                            "question": bank_words(g.question).strip().rstrip("."),
                            "score": f"{g.score:.0f}",
                        }
                        for g in gaps
                    )
                },
                decisive=True,
                refs=tuple(g.question_key for g in gaps),
            )
        )
    if not (below_go or conditions):
        names = _(" and ").join(f"{a.label} {_score(a.overall)}" for a in data.assessments)
        return _Step(
            tuple(reasons),
            Verdict.GO,
            f"{Verdict.GO}: "
            + _(
                "%(scores)s clear the go threshold with no gap, no open finding and an "
                "engaged executive sponsor."
            )
            % {"scores": names},
            tuple(agree),
        )
    if below_go:
        reasons.append(
            Reason(
                "score",
                _("Under the go threshold: %(scores)s.")
                % {"scores": ", ".join(f"{a.label} ({_score(a.overall)})" for a in below_go)},
                decisive=True,
            )
        )
    conditions = [facts.track(c) for c in conditions + agree]
    settled = manageable or any(c.met or c.waived for c in conditions)
    met = f" ({conditions_met(conditions)})" if settled else ""
    rationale = f"{Verdict.GO_WITH_CONDITIONS}: " + (
        ngettext(
            "the scores clear the no-go threshold; proceed on %(count)d condition%(met)s.",
            "the scores clear the no-go threshold; proceed on %(count)d conditions%(met)s.",
            len(conditions),
        )
        % {"count": len(conditions), "met": met}
        if conditions
        else _(
            "the scores clear the no-go threshold but not the go threshold; agree how to lift them."
        )
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
    rationale = step.rationale
    if dated := [a for a in data.assessments if a.submitted]:
        reasons.append(_evidence_age_reason(dated))
        if overdue := [a for a in dated if a.overdue_since]:
            rationale += " " + _overdue_sentence(overdue)
    reasons.append(_sponsor_reason(facts))
    conditions = step.conditions
    if data.perception_gaps:
        reasons.append(_perception_reason(data.perception_gaps))
        if step.verdict in (Verdict.NO_GO, Verdict.INCOMPLETE):
            # Still worth agreeing with the partner, whatever else must happen first.
            conditions += tuple(map(_perception_condition, data.perception_gaps))
    conditions = tuple(map(facts.track, conditions))
    return Decision(step.verdict, rationale, tuple(reasons), conditions, step.missing)


def _evidence_age_reason(assessments: list[AssessmentSummary]) -> Reason:
    """When each score's round was submitted, and which are overdue for reassessment."""
    return Reason(
        "evidence_age",
        _("Evidence: %(rounds)s.") % {"rounds": "; ".join(_evidence_date(a) for a in assessments)},
        refs=tuple(a.kind for a in assessments if a.overdue_since),
    )


def _evidence_date(a: AssessmentSummary) -> str:
    if a.overdue_since:
        return _("%(kind)s submitted %(submitted)s, reassessment overdue since %(due)s") % {
            "kind": a.label,
            "submitted": format_date(a.submitted),
            "due": format_date(a.overdue_since),
        }
    return _("%(kind)s submitted %(submitted)s") % {
        "kind": a.label,
        "submitted": format_date(a.submitted),
    }


def _overdue_sentence(overdue: list[AssessmentSummary]) -> str:
    """Appended to the rationale: the verdict rests on evidence due for a new round."""
    return _("It rests on evidence overdue for reassessment: %(rounds)s.") % {
        "rounds": "; ".join(
            _("%(kind)s since %(due)s") % {"kind": a.label, "due": format_date(a.overdue_since)}
            for a in overdue
        )
    }


def _tracked(source: str, key: str, message: str, params: dict, **how) -> Condition:
    """A condition followed up on its own record, its text kept as words (`worded`)."""
    text, words = worded(message, params, **how)
    return Condition(text, source=source, key=key, words=words)


def _gap_condition(g: Gap) -> Condition:
    return _tracked(
        "gap",
        f"gap:{g.question_key}",
        gettext_noop("Close the gap on %(key)s (%(dimension)s): %(question)s — scored %(score)s."),
        {
            "key": g.question_key,
            "dimension": g.dimension,
            "question": g.question,
            "score": f"{g.score:.0f}",
        },
        bank=("dimension", "question"),
    )


def _perception_condition(gap: PerceptionGapSummary) -> Condition:
    """`Agree with Helios how governance works: we score it 75, they score it 40.`
    The dimension's name is lower-cased in English only (`in_sentence`): in German it is
    a noun and keeps its capital."""
    return _tracked(
        "perception",
        f"perception:{gap.dimension}",
        gettext_noop(
            "Agree with %(partner)s how %(dimension)s works: "
            "we score it %(ours)s, they score it %(theirs)s."
        ),
        {
            "partner": gap.partner,
            "dimension": gap.dimension,
            "ours": f"{gap.ours:.0f}",
            "theirs": f"{gap.theirs:.0f}",
        },
        bank=("dimension",),
        sentence=("dimension",),
    )


def _perception_reason(gaps: tuple[PerceptionGapSummary, ...]) -> Reason:
    """The two sides' views differ; decisive only when the bank lets that change a GO."""
    first = gaps[0]
    listed = ", ".join(
        _("%(dimension)s (we %(ours)s, %(partner)s %(theirs)s)")
        % {
            "dimension": bank_words(g.dimension),
            "ours": f"{g.ours:.0f}",
            "partner": g.partner,
            "theirs": f"{g.theirs:.0f}",
        }
        for g in gaps
    )
    effect = (
        _("they are conditions of going ahead")
        if first.decides
        else _("they are conditions to agree with the partner and leave the verdict as it is")
    )
    return Reason(
        "perception",
        ngettext(
            "%(count)d perception gap over %(threshold)s points: %(listed)s; %(effect)s.",
            "%(count)d perception gaps over %(threshold)s points: %(listed)s; %(effect)s.",
            len(gaps),
        )
        % {
            "count": len(gaps),
            "threshold": f"{first.threshold:.0f}",
            "listed": listed,
            "effect": effect,
        },
        decisive=first.decides,
    )


def _sponsor_conditions(sponsor: SponsorSummary) -> list[Condition]:
    if not sponsor.has_executive_sponsor:
        return [
            _tracked(
                "sponsor",
                "sponsor:none",
                gettext_noop("Name an active executive sponsor on our side before committing."),
                {},
            )
        ]
    if sponsor.health_colour == "red":
        condition = _tracked(
            "sponsor",
            "sponsor:red",
            gettext_noop(
                "Restore the engagement of our executive sponsor %(name)s: sponsor health is red."
            ),
            {"name": sponsor.sponsor_name},
        )
        return [replace(condition, owner=sponsor.sponsor_name)]
    return []


def conditions_met(conditions) -> str:
    """`2 of 3 conditions met, 1 waived by Elena Rossi`: how many are done, and who
    waived which."""
    total = len(conditions)
    met = sum(1 for c in conditions if c.met)
    text = ngettext(
        "%(met)d of %(total)d condition met", "%(met)d of %(total)d conditions met", total
    ) % {"met": met, "total": total}
    waived = [c for c in conditions if getattr(c, "waived", False)]
    if waived:
        by = ", ".join(sorted({c.waived_by for c in waived if c.waived_by}))
        text += ", " + (
            ngettext("%(count)d waived by %(by)s", "%(count)d waived by %(by)s", len(waived))
            % {"count": len(waived), "by": by}
            if by
            else ngettext("%(count)d waived", "%(count)d waived", len(waived))
            % {"count": len(waived)}
        )
    return text


def _finding_words(finding: FindingSummary) -> str:
    """The finding's code followed by its words (the issue names its question): never a
    bare code."""
    return f"{finding.question_key} {finding.statement.strip()}"


def _finding_condition(finding: FindingSummary) -> Condition:
    text = f"{finding.question_key}: {finding.statement}"
    if finding.mitigation:
        text += " — " + _("mitigation: %(mitigation)s") % {"mitigation": finding.mitigation}
    return Condition(
        text,
        source="finding",
        key=f"finding:{finding.question_key}",
        owner=finding.owner,
        due=finding.due,
        status=finding.status,
        overdue=finding.overdue and not finding.met,
        note=finding.note,
        waived_by=finding.waived_by,
    )


def _largest_gaps(assessments) -> list[Gap]:
    gaps = [gap for a in assessments for gap in a.gaps]
    return sorted(gaps, key=lambda g: (-g.priority, g.question_key))[:MAX_GAP_CONDITIONS]


def _sponsor_reason(facts: _Facts) -> Reason:
    """Our executive sponsor and their health; decisive when they make a condition."""
    sponsor = facts.data.sponsor
    if not sponsor.has_executive_sponsor:
        text = _("No active executive sponsor on our side: always a condition.")
    else:
        health = (
            _("unknown (no evidence yet)")
            if sponsor.health_score is None
            else f"{colour_label(sponsor.health_colour)} ({sponsor.health_score}/100)"
        )
        text = _("Our executive sponsor is %(name)s; sponsor health %(health)s.") % {
            "name": sponsor.sponsor_name,
            "health": health,
        }
    return Reason("sponsor", text, decisive=bool(facts.sponsor_conditions))
