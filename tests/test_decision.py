"""The go / no-go rules of decisions/rules.py, one table row per rule."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    VersionSpec,
    score_response,
)
from decisions.rules import (
    AssessmentSummary,
    Classification,
    DecisionInput,
    FindingSummary,
    Gap,
    SponsorSummary,
    Verdict,
    assessment_summary,
    decide,
)


def assessment(kind, overall=80.0, coverage=1.0, gaps=(), **thresholds):
    return AssessmentSummary(
        kind=kind,
        title=kind,
        bank=kind.replace("_", "-"),
        version=1,
        overall=overall,
        coverage=coverage,
        go_threshold=thresholds.get("go", 70),
        no_go_threshold=thresholds.get("no_go", 50),
        gap_threshold=50,
        gaps=tuple(gaps),
    )


def finding(key, classification, **extra):
    return FindingSummary(
        question_key=key,
        issue=f"issue on {key}",
        classification=Classification(classification),
        assessment_kind="partner_selection",
        **extra,
    )


GAP = Gap("P6", "Decision-making is workable", "Compatibility", score=25, priority=50)
SPONSOR = SponsorSummary(True, "Elena Rossi", "green", 82)
NO_SPONSOR = SponsorSummary(False)
RED_SPONSOR = SponsorSummary(True, "Elena Rossi", "red", 30)


def inputs(*, fit=80.0, partner=80.0, findings=(), sponsor=SPONSOR, **kw):
    assessments = []
    if fit is not None:
        assessments.append(assessment("strategic_fit", fit, kw.get("fit_coverage", 1.0)))
    if partner is not None:
        assessments.append(
            assessment("partner_selection", partner, kw.get("coverage", 1.0), kw.get("gaps", ()))
        )
    return DecisionInput(tuple(assessments), tuple(findings), sponsor)


CASES = [
    ("all clear", inputs(), Verdict.GO, "GO: strategic fit 80"),
    (
        "showstopper beats great scores",
        inputs(findings=[finding("P12", "showstopper")]),
        Verdict.NO_GO,
        "showstopper on P12",
    ),
    (
        "showstopper beats missing assessments",
        inputs(partner=None, findings=[finding("S4", "showstopper")]),
        Verdict.NO_GO,
        "S4",
    ),
    (
        "no partner selection",
        inputs(partner=None),
        Verdict.INCOMPLETE,
        "partner selection assessment",
    ),
    ("no strategic fit", inputs(fit=None), Verdict.INCOMPLETE, "strategic fit assessment"),
    ("coverage under 80 %", inputs(coverage=0.79), Verdict.INCOMPLETE, "coverage 79%"),
    ("coverage at 80 % is enough", inputs(coverage=0.8), Verdict.GO, "GO"),
    (
        "unclassified finding",
        inputs(findings=[finding("P4", "unclassified")]),
        Verdict.INCOMPLETE,
        "classification of 1 knock-out finding as showstopper or manageable (P4 issue on P4)",
    ),
    ("score under no-go", inputs(partner=49.9), Verdict.NO_GO, "under the no-go threshold of 50"),
    (
        "score at no-go threshold",
        inputs(partner=50),
        Verdict.GO_WITH_CONDITIONS,
        "GO WITH CONDITIONS",
    ),
    ("score at go threshold", inputs(partner=70), Verdict.GO, "GO"),
    ("just under go", inputs(partner=69.9), Verdict.GO_WITH_CONDITIONS, "GO WITH CONDITIONS"),
    ("gap makes conditions", inputs(gaps=[GAP]), Verdict.GO_WITH_CONDITIONS, "1 condition"),
    (
        "manageable finding",
        inputs(
            findings=[
                finding(
                    "P8", "manageable", mitigation="NDA first", owner="Legal", due=date(2027, 1, 31)
                )
            ]
        ),
        Verdict.GO_WITH_CONDITIONS,
        "1 condition",
    ),
    ("no executive sponsor", inputs(sponsor=NO_SPONSOR), Verdict.GO_WITH_CONDITIONS, "1 condition"),
    ("red sponsor health", inputs(sponsor=RED_SPONSOR), Verdict.GO_WITH_CONDITIONS, "1 condition"),
    (
        "amber sponsor health is fine",
        inputs(sponsor=replace(SPONSOR, health_colour="amber")),
        Verdict.GO,
        "GO",
    ),
]


@pytest.mark.parametrize(("case", "data", "verdict", "says"), CASES, ids=[c[0] for c in CASES])
def test_rules(case, data, verdict, says):
    decision = decide(data)
    assert decision.verdict == verdict
    assert says in decision.rationale
    assert decision.rationale.startswith(verdict.value)
    assert any(r.decisive for r in decision.reasons) or verdict == Verdict.GO


def test_conditions_carry_mitigation_owner_and_due_date_and_the_sponsor_condition():
    due = date(2027, 1, 31)
    decision = decide(
        inputs(
            findings=[
                finding("P8", "manageable", mitigation="Sign the NDA", owner="Legal", due=due)
            ],
            gaps=[GAP],
            sponsor=NO_SPONSOR,
        )
    )
    by_source = {c.source: c for c in decision.conditions}
    assert set(by_source) == {"finding", "gap", "sponsor"}
    assert "Sign the NDA" in by_source["finding"].text
    assert (by_source["finding"].owner, by_source["finding"].due) == ("Legal", due)
    assert "P6" in by_source["gap"].text
    assert "executive sponsor" in by_source["sponsor"].text


def test_no_sponsor_stays_a_condition_even_on_no_go():
    decision = decide(inputs(partner=20, sponsor=NO_SPONSOR))
    assert decision.verdict == Verdict.NO_GO
    assert [c.source for c in decision.conditions] == ["sponsor"]


def test_only_the_three_largest_gaps_become_conditions():
    gaps = [replace(GAP, question_key=f"P{i}", priority=i) for i in range(1, 6)]
    decision = decide(inputs(gaps=gaps))
    assert [c.text.split()[4] for c in decision.conditions] == ["P5", "P4", "P3"]


def test_codes_never_stand_without_their_words():
    """Unclassified findings and the largest gaps are named by code and words."""
    incomplete = decide(inputs(findings=[finding("P4", "unclassified")]))
    assert "(P4 issue on P4)" in incomplete.missing[0]
    assert "(P4 issue on P4)" in incomplete.rationale
    gaps = decide(inputs(gaps=[GAP]))
    texts = " ".join(r.text for r in gaps.reasons)
    assert "Largest gaps: P6 Decision-making is workable (scored 25)." in texts


def test_incomplete_lists_everything_missing():
    decision = decide(
        inputs(partner=None, fit_coverage=0.5, findings=[finding("S1", "unclassified")])
    )
    assert len(decision.missing) == 3


def test_every_assessment_score_is_a_reason():
    decision = decide(inputs(fit=82, partner=76))
    texts = " ".join(r.text for r in decision.reasons)
    assert "Strategic fit scores 82" in texts
    assert "Partner selection scores 76" in texts


scores = st.floats(min_value=0, max_value=100, allow_nan=False)
classifications = st.sampled_from(list(Classification))
findings_strategy = st.lists(
    st.builds(finding, st.sampled_from(["P3", "P4", "S1", "S4"]), classifications), max_size=4
)
sponsors = st.sampled_from([SPONSOR, NO_SPONSOR, RED_SPONSOR])


@given(
    fit=scores, partner=scores, found=findings_strategy, sponsor=sponsors, coverage=st.floats(0, 1)
)
def test_adding_a_showstopper_always_gives_no_go(fit, partner, found, sponsor, coverage):
    data = inputs(fit=fit, partner=partner, findings=found, sponsor=sponsor, coverage=coverage)
    with_showstopper = replace(data, findings=(*data.findings, finding("P12", "showstopper")))
    assert decide(with_showstopper).verdict == Verdict.NO_GO


@given(
    fit=scores,
    partner=scores,
    lift_fit=scores,
    lift_partner=scores,
    gaps=st.lists(
        st.builds(Gap, st.just("P1"), st.just("q"), st.just("d"), scores, scores), max_size=3
    ),
)
def test_higher_scores_and_fewer_gaps_never_turn_go_into_anything_worse(
    fit, partner, lift_fit, lift_partner, gaps
):
    before = inputs(fit=fit, partner=partner, gaps=gaps)
    if decide(before).verdict != Verdict.GO:
        return
    after = inputs(fit=max(fit, lift_fit), partner=max(partner, lift_partner), gaps=gaps[:1])
    assert decide(after).verdict == Verdict.GO


SPEC = VersionSpec(
    dimensions=(DimensionSpec("Alignment", 60), DimensionSpec("Value", 40)),
    questions=(
        QuestionSpec("Q1", "Serves a named objective", "Alignment", weight=3),
        QuestionSpec("Q2", "Fits the roadmap", "Alignment", weight=1),
        QuestionSpec("Q3", "Quantified value case", "Value", weight=2),
        QuestionSpec("Q4", "Beats build or buy", "Value", weight=1),
    ),
)
KEYS = [q.key for q in SPEC.questions]
levels = st.lists(st.integers(0, 4), min_size=4, max_size=4)


def scored_inputs(fit_levels, partner_levels):
    def summary(kind, lvls):
        answers = [AnswerInput(k, score=lvl * 25) for k, lvl in zip(KEYS, lvls, strict=True)]
        score = score_response(SPEC, answers)
        return assessment_summary(
            kind=kind, title=kind, bank="b", version=1, score=score, spec=SPEC
        )

    return DecisionInput(
        (summary("strategic_fit", fit_levels), summary("partner_selection", partner_levels)),
        (),
        SPONSOR,
    )


@given(fit=levels, partner=levels, which=st.integers(0, 7))
def test_improving_an_answer_never_turns_go_into_anything_worse(fit, partner, which):
    before = decide(scored_inputs(fit, partner))
    if before.verdict != Verdict.GO:
        return
    both = [list(fit), list(partner)]
    side, index = divmod(which, 4)
    both[side][index] = min(both[side][index] + 1, 4)
    assert decide(scored_inputs(*both)).verdict == Verdict.GO


@given(fit=levels, partner=levels, which=st.integers(0, 7))
def test_improving_an_answer_never_makes_a_verdict_worse(fit, partner, which):
    rank = {Verdict.NO_GO: 0, Verdict.GO_WITH_CONDITIONS: 1, Verdict.GO: 2}
    before = decide(scored_inputs(fit, partner)).verdict
    both = [list(fit), list(partner)]
    side, index = divmod(which, 4)
    both[side][index] = min(both[side][index] + 1, 4)
    after = decide(scored_inputs(*both)).verdict
    assert rank[after] >= rank[before]


def test_gaps_from_scoring_carry_the_question_text():
    decision = decide(scored_inputs([4, 4, 1, 4], [4, 4, 4, 4]))
    assert decision.verdict == Verdict.GO_WITH_CONDITIONS
    assert any("Quantified value case" in c.text for c in decision.conditions)


def test_because_drops_the_leading_verdict():
    decision = decide(inputs(partner=None))
    assert decision.rationale.startswith("INCOMPLETE: ")
    assert decision.because.startswith("still missing")
