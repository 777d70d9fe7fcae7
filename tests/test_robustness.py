"""How robust a verdict is: weights varied at random, the smallest flip, and where it shows."""

import dataclasses
import random

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    Thresholds,
    VersionSpec,
    score_response,
)
from decisions.robustness import (
    WEIGHT_STEPS,
    AssessmentEvidence,
    FlipKind,
    _Assessment,
    _sides,
    _Study,
    rescored,
    verdict_robustness,
)
from decisions.rules import (
    MIN_COVERAGE,
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

SPONSOR = SponsorSummary(True, "Elena Rossi", "green", 80)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scored(kind: str, spec: VersionSpec, answers) -> tuple[AssessmentSummary, AssessmentEvidence]:
    answers = tuple(answers)
    summary = assessment_summary(
        kind=kind,
        title=kind,
        bank="Bank",
        version=1,
        score=score_response(spec, answers),
        spec=spec,
    )
    return summary, AssessmentEvidence(spec, answers)


def decision(*parts, findings=()) -> tuple[DecisionInput, tuple[AssessmentEvidence, ...]]:
    return (
        DecisionInput(tuple(s for s, _ in parts), tuple(findings), SPONSOR),
        tuple(e for _, e in parts),
    )


THRESHOLDS = Thresholds(go=70, no_go=50, gap=50)


def bank(weights, dimensions=(30, 20), thresholds=THRESHOLDS) -> VersionSpec:
    """Questions Q0, Q1 … spread over the dimensions D0, D1 … in turn."""
    return VersionSpec(
        dimensions=tuple(DimensionSpec(f"D{i}", w) for i, w in enumerate(dimensions)),
        questions=tuple(
            QuestionSpec(f"Q{i}", f"Question {i}", f"D{i % len(dimensions)}", weight=w)
            for i, w in enumerate(weights)
        ),
        thresholds=thresholds,
    )


def all_fully_evidenced(kind="partner_selection"):
    spec = bank([1, 2, 1, 2])
    return scored(kind, spec, [AnswerInput(q.key, score=100) for q in spec.questions])


# --- strategies --------------------------------------------------------------------------

SCORES = st.sampled_from([0, 25, 50, 75, 100, 62.5])  # a median may fall between levels
ANSWER_KINDS = st.sampled_from(["score", "score", "score", "score", "na", "dont_know", "none"])
MOSTLY_SCORED = st.sampled_from(["score"] * 12 + ["na", "dont_know", "none"])


@st.composite
def assessments(draw, kind="strategic_fit", kinds=ANSWER_KINDS):
    """A bank of 2–12 questions in 1–4 dimensions with any answers, N/A and gaps."""
    n_dims = draw(st.integers(1, 4))
    n = draw(st.integers(n_dims, 12))
    spec = VersionSpec(
        dimensions=tuple(DimensionSpec(f"D{i}", draw(st.integers(1, 40))) for i in range(n_dims)),
        questions=tuple(
            QuestionSpec(f"Q{i}", f"Question {i}", f"D{i % n_dims}", weight=draw(st.integers(1, 5)))
            for i in range(n)
        ),
        thresholds=Thresholds(70, 50, 50),
    )
    answers = []
    for q in spec.questions:
        how = draw(kinds)
        if how == "score":
            answers.append(AnswerInput(q.key, score=draw(SCORES)))
        elif how == "na":
            answers.append(AnswerInput(q.key, is_na=True))
        elif how == "dont_know":
            answers.append(AnswerInput(q.key, is_dont_know=True))
    return scored(kind, spec, answers)


# --- the fast sides and the cache they key ------------------------------------------------


@FAST
@given(assessments(), st.randoms(use_true_random=False))
def test_fast_scores_equal_scoring_for_any_weighting(part, rng):
    summary, evidence = part
    fast = _Assessment(summary, evidence)
    q_factors = [0.75 + 0.5 * rng.random() for _ in fast.questions]
    d_factors = [0.75 + 0.5 * rng.random() for _ in fast.dimension_weights]
    real = rescored(
        summary,
        evidence,
        question_factors=dict(zip(fast.keys, q_factors, strict=True)),
        dimension_factors=dict(zip(fast.dimension_names, d_factors, strict=True)),
    )
    overall, coverage, has_gap = fast.scores_with(q_factors, d_factors)
    assert (overall is None) == (real.overall is None)
    if overall is not None:
        assert overall == pytest.approx(real.overall, abs=1e-9)
    assert coverage == pytest.approx(real.coverage, abs=1e-9)
    assert has_gap == bool(real.gaps)
    as_scored = fast.scores_with()
    if summary.overall is None:
        assert as_scored[0] is None
    else:
        assert as_scored[0] == pytest.approx(summary.overall, abs=1e-9)
    assert as_scored[1] == pytest.approx(summary.coverage, abs=1e-9)


@FAST
@given(
    st.lists(st.sampled_from(["under no-go", "between", "at or over go"]), min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.sampled_from([None, *Classification]),
    st.randoms(use_true_random=False),
)
def test_the_verdict_reads_scores_only_by_their_sides(bands, enough, gaps, finding, rng):
    """What the cache relies on: moving each overall score within its band and coverage on
    the same side of the minimum never changes `decide()`'s verdict."""
    ranges = {"under no-go": (0, 49.99), "between": (50, 69.99), "at or over go": (70, 100)}
    kinds = ["strategic_fit", "partner_selection", "sponsor_readiness"]
    _, evidence = all_fully_evidenced()

    def summaries():
        result = []
        for i, band in enumerate(bands):
            low, high = ranges[band]
            coverage = rng.uniform(MIN_COVERAGE, 1) if enough[i] else rng.uniform(0, 0.79)
            summary = assessment_summary(
                kind=kinds[i],
                title="",
                bank="B",
                version=1,
                score=score_response(evidence.spec, evidence.answers),
                spec=evidence.spec,
            )
            result.append(
                dataclasses.replace(
                    summary,
                    overall=rng.uniform(low, high),
                    coverage=coverage,
                    gaps=(Gap("Q9", "Question 9", "D0", 25, 0.1),) if gaps[i] else (),
                )
            )
        return tuple(result)

    findings = () if finding is None else (FindingSummary("Q1", "issue", finding, kinds[0]),)
    first = DecisionInput(summaries(), findings, SPONSOR)
    second = DecisionInput(summaries(), findings, SPONSOR)
    sides = [
        tuple(_sides(a.overall, a.coverage, bool(a.gaps), go=70, no_go=50) for a in d.assessments)
        for d in (first, second)
    ]
    assert sides[0] == sides[1]
    assert decide(first).verdict == decide(second).verdict


# --- the figure ---------------------------------------------------------------------------


@FAST
@given(
    st.lists(st.sampled_from([75, 87.5, 100]), min_size=2, max_size=12),
    st.lists(st.integers(1, 5), min_size=12, max_size=12),
)
def test_a_verdict_far_from_every_threshold_holds_in_every_weighting(scores, weights):
    """Every answer at 75 or more (go at 70): whatever the weights, the mean is a GO."""
    spec = bank(weights[: len(scores)])
    data, evidence = decision(
        scored(
            "strategic_fit", spec, [AnswerInput(f"Q{i}", score=s) for i, s in enumerate(scores)]
        ),
        all_fully_evidenced(),
    )
    result = verdict_robustness(data, evidence, draws=300)
    assert result.verdict == Verdict.GO
    assert result.share_same == 1
    assert result.percent == 100


@FAST
@given(
    st.lists(st.sampled_from([0, 12.5, 25]), min_size=2, max_size=12),
    st.lists(st.integers(1, 5), min_size=12, max_size=12),
)
def test_a_no_go_far_under_its_threshold_holds_in_every_weighting(scores, weights):
    spec = bank(weights[: len(scores)])
    data, evidence = decision(
        scored(
            "strategic_fit", spec, [AnswerInput(f"Q{i}", score=s) for i, s in enumerate(scores)]
        ),
        all_fully_evidenced(),
    )
    result = verdict_robustness(data, evidence, draws=300)
    assert result.verdict == Verdict.NO_GO
    assert result.share_same == 1


@FAST
@given(
    st.lists(st.sampled_from([2.5, 5, 10, 15, 20]), min_size=1, max_size=5),
    st.integers(1, 4),
)
def test_a_verdict_exactly_on_a_threshold_holds_in_about_half_the_weightings(offsets, weight):
    """Pairs of answers mirrored around the go threshold (70), all weighted alike: the
    mean is exactly 70 (a GO), and a random weighting falls either side as often."""
    scores = [s for d in offsets for s in (70 - d, 70 + d)]
    spec = bank([weight] * len(scores), dimensions=(10,))
    data, evidence = decision(
        scored(
            "strategic_fit", spec, [AnswerInput(f"Q{i}", score=s) for i, s in enumerate(scores)]
        ),
        all_fully_evidenced(),
    )
    assert data.assessments[0].overall == pytest.approx(70)
    result = verdict_robustness(data, evidence)
    assert 0.35 <= result.share_same <= 0.65


def test_the_same_data_gives_the_same_figure():
    def build():
        spec = bank([3, 1, 2, 2, 1, 3], dimensions=(30, 20, 10))
        return decision(
            scored(
                "strategic_fit",
                spec,
                [AnswerInput(f"Q{i}", score=s) for i, s in enumerate([50, 100, 75, 50, 100, 75])],
            ),
            all_fully_evidenced(),
        )

    first, second = verdict_robustness(*build()), verdict_robustness(*build())
    assert first == second
    assert 0 < first.share_same < 1  # a figure worth comparing: the weights do matter here


def test_the_sentence_names_the_verdict_the_share_and_the_smallest_flip():
    """GO WITH CONDITIONS only for the gap on P6; one level more closes it."""
    spec = VersionSpec(
        dimensions=(DimensionSpec("Fit", 1),),
        questions=tuple(QuestionSpec(f"P{i}", f"Question {i}", "Fit") for i in range(1, 11)),
        thresholds=Thresholds(70, 50, 50),
    )
    answers = [AnswerInput(f"P{i}", score=25 if i == 6 else 100) for i in range(1, 11)]
    data, evidence = decision(scored("strategic_fit", spec, answers), all_fully_evidenced())
    result = verdict_robustness(data, evidence)
    assert result.verdict == Verdict.GO_WITH_CONDITIONS
    assert result.smallest_flip.kind == FlipKind.ANSWER
    assert (result.smallest_flip.from_level, result.smallest_flip.to_level) == (1, 2)
    assert result.sentence == (
        "GO WITH CONDITIONS holds in 100 % of weightings; one level more on P6 would make it GO."
    )
    with translation.override("de"):
        assert result.sentence == (
            "GO MIT BEDINGUNGEN gilt in 100 % der Gewichtungen; eine Stufe mehr bei P6 ergäbe GO."
        )


def test_a_weight_flip_is_named_with_its_size():
    """Q0 (90) and Q1 (52.5) weighted alike make 71.25, a GO; 15 % less weight on Q0
    makes 69.7, the smallest weight change tried that gives GO WITH CONDITIONS."""
    spec = bank([1, 1], dimensions=(10,))
    data, evidence = decision(
        scored("strategic_fit", spec, [AnswerInput("Q0", score=90), AnswerInput("Q1", score=52.5)]),
        all_fully_evidenced(),
    )
    assert data.assessments[0].overall == 71.25
    flip = verdict_robustness(data, evidence).smallest_flip
    assert (flip.kind, flip.target, flip.verdict) == (
        FlipKind.QUESTION_WEIGHT,
        "Q0",
        Verdict.GO_WITH_CONDITIONS,
    )
    assert flip.factor == pytest.approx(0.85)
    assert flip.text == "15 % less weight on Q0 would make it GO WITH CONDITIONS"


def apply(flip, data: DecisionInput, evidence) -> Verdict:
    """The verdict once the flip is made, by scoring and deciding from scratch."""
    summary, own = data.assessments[flip.assessment], evidence[flip.assessment]
    spec, answers = own.spec, own.answers
    if flip.kind == FlipKind.ANSWER:
        answers = tuple(
            dataclasses.replace(a, score=flip.to_level * 25) if a.key == flip.target else a
            for a in answers
        )
    elif flip.kind == FlipKind.QUESTION_WEIGHT:
        spec = dataclasses.replace(
            spec,
            questions=tuple(
                dataclasses.replace(q, weight=q.weight * flip.factor) if q.key == flip.target else q
                for q in spec.questions
            ),
        )
    else:
        spec = dataclasses.replace(
            spec,
            dimensions=tuple(
                dataclasses.replace(d, weight=d.weight * flip.factor)
                if d.name == flip.target
                else d
                for d in spec.dimensions
            ),
        )
    score = score_response(spec, answers)
    changed = list(data.assessments)
    changed[flip.assessment] = dataclasses.replace(
        summary,
        overall=score.overall,
        coverage=score.coverage,
        gaps=assessment_summary(kind="", title="", bank="", version=1, score=score, spec=spec).gaps,
    )
    return decide(dataclasses.replace(data, assessments=tuple(changed))).verdict


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    assessments(kinds=MOSTLY_SCORED),
    assessments(kind="partner_selection", kinds=MOSTLY_SCORED),
)
def test_the_smallest_flip_when_made_really_flips_the_verdict(first, second):
    data, evidence = decision(first, second)
    study = _Study(data, evidence)
    flip = study.smallest_flip()
    assume(flip is not None)
    assert flip.verdict != study.verdict
    assert apply(flip, data, evidence) == flip.verdict
    if flip.kind != FlipKind.ANSWER and flip.size > WEIGHT_STEPS[0] + 1e-9:
        # The smallest tried: the same weight one step less leaves the verdict alone.
        direction = 1 if flip.factor > 1 else -1
        smaller = dataclasses.replace(flip, factor=1 + direction * (flip.size - WEIGHT_STEPS[0]))
        assert apply(smaller, data, evidence) == study.verdict


def test_nothing_single_flips_a_verdict_only_findings_decide():
    """A showstopper decides whatever the scores: no weight and no answer flips it."""
    data, evidence = decision(
        all_fully_evidenced("strategic_fit"),
        all_fully_evidenced(),
        findings=[FindingSummary("Q1", "No budget", Classification.SHOWSTOPPER, "strategic_fit")],
    )
    result = verdict_robustness(data, evidence, draws=100)
    assert (result.verdict, result.share_same, result.smallest_flip) == (Verdict.NO_GO, 1, None)
    assert "no single answer" in result.sentence


def test_draws_vary_every_weight_within_a_quarter_and_are_seeded():
    data, evidence = decision(all_fully_evidenced("strategic_fit"), all_fully_evidenced())
    study = _Study(data, evidence)
    factors = study.draw(random.Random(1))
    flat = [f for q, d in factors for f in (*q, *d)]
    assert all(0.75 <= f <= 1.25 for f in flat)
    assert factors == study.draw(random.Random(1))


# --- where it shows ------------------------------------------------------------------------


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


@pytest.mark.django_db
def test_the_alliance_page_shows_how_robust_the_verdict_is(client, demo):
    client.force_login(get_user_model().objects.get(username="manager"))
    page = client.get(reverse("alliances:detail", args=["cobalt-cloud-co-sell"]))
    robustness = page.context["robustness"]
    assert robustness.verdict == Verdict.GO_WITH_CONDITIONS
    html = page.content.decode()
    assert "GO WITH CONDITIONS holds in " in html
    assert f"holds in {robustness.percent} % of weightings" in html
    assert "2000 seeded random draws" in html


@pytest.mark.django_db
def test_the_brief_freezes_the_robustness_sentence_with_its_snapshot(demo):
    from alliances.models import Alliance
    from briefs.snapshot import build_snapshot

    alliance = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    snapshot, decision_ = build_snapshot(alliance)
    frozen = snapshot["robustness"]
    assert frozen["verdict"] == decision_.verdict.value
    assert frozen["sentence"].startswith(f"GO WITH CONDITIONS holds in {frozen['percent']} %")
    assert build_snapshot(alliance)[0]["robustness"] == frozen


@pytest.mark.django_db
def test_the_brief_shows_the_frozen_sentence_and_an_older_snapshot_renders_without_it(demo):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from alliances.models import Alliance
    from briefs.models import Brief
    from briefs.snapshot import build_snapshot
    from briefs.worker import brief_context

    alliance = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    snapshot = build_snapshot(alliance)[0]
    # A sentence with markup in it (as a bank's question key could be) is shown escaped.
    snapshot["robustness"]["sentence"] += " <b>P6</b>"

    def html(snapshot):
        brief = Brief(
            alliance=alliance,
            snapshot=snapshot,
            snapshot_sha256="0" * 64,
            created_at=timezone.now(),
        )
        return render_to_string("briefs/brief.html", brief_context(brief))

    shown = html(snapshot)
    assert snapshot["robustness"]["sentence"].replace("<b>P6</b>", "&lt;b&gt;P6&lt;/b&gt;") in shown
    assert "seeded random draws" in shown
    older = {key: value for key, value in snapshot.items() if key != "robustness"}
    assert "of weightings" not in html(older)
