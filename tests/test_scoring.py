"""The pure scoring core: weighted means, N/A, don't know, knock-outs, gaps, consolidation."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    ResponseInput,
    Thresholds,
    VersionSpec,
    consolidate,
    score_response,
)

SPEC = VersionSpec(
    dimensions=(DimensionSpec("Alignment", 60), DimensionSpec("Value", 40)),
    questions=(
        QuestionSpec("S1", "Serves an objective", "Alignment", weight=3, knockout_level=1),
        QuestionSpec("S2", "Supports the department", "Alignment", weight=1),
        QuestionSpec("S3", "Value case", "Value", weight=1),
        QuestionSpec("S4", "Beats build or buy", "Value", weight=1, required=False),
        QuestionSpec("S5", "Anything else", "Value", kind="text", required=False),
    ),
    thresholds=Thresholds(go=70, no_go=50, gap=50),
)


def answers(**scores):
    return [AnswerInput(key, score=value) for key, value in scores.items()]


def test_weights_change_the_score():
    # Alignment: (3×100 + 1×0) / 4 = 75; Value: 50; overall (60×75 + 40×50) / 100 = 65.
    result = score_response(SPEC, answers(S1=100, S2=0, S3=50, S4=50))
    assert [d.score for d in result.dimensions] == [75, 50]
    assert result.overall == pytest.approx(65)
    swapped = score_response(SPEC, answers(S1=0, S2=100, S3=50, S4=50))
    assert swapped.dimensions[0].score == 25
    assert swapped.overall < result.overall


def test_na_leaves_the_denominator_instead_of_counting_as_zero():
    with_na = score_response(
        SPEC, [*answers(S1=100, S2=100, S3=100), AnswerInput("S4", is_na=True)]
    )
    assert with_na.dimensions[1].score == 100
    assert with_na.overall == 100
    assert with_na.coverage == pytest.approx(1.0)


def test_dont_know_is_left_out_and_reported_as_missing():
    result = score_response(
        SPEC, [*answers(S1=100, S2=100, S3=100), AnswerInput("S4", is_dont_know=True)]
    )
    assert result.dimensions[1].score == 100
    assert result.dont_know == ("S4",)
    assert result.coverage < 1


def test_coverage_is_the_answered_share_of_weight():
    # S1 is 3/4 of Alignment (60 %): 45 % of the bank's weight.
    result = score_response(SPEC, answers(S1=50))
    assert result.coverage == pytest.approx(0.45)
    assert result.dimensions[1].score is None
    assert result.overall == 50  # only dimensions with answers count
    assert result.missing_required == ("S2", "S3")


def test_knockout_triggers_at_or_below_its_level():
    assert [k.key for k in score_response(SPEC, answers(S1=25)).knockouts] == ["S1"]
    assert score_response(SPEC, answers(S1=50)).knockouts == ()


def test_gaps_are_ranked_by_weight_times_shortfall():
    result = score_response(SPEC, answers(S1=25, S2=0, S3=25, S4=100))
    # S1: 0.45 × 25 = 11.25; S2: 0.15 × 50 = 7.5; S3: 0.2 × 25 = 5.
    assert [g.key for g in result.gaps] == ["S1", "S2", "S3"]
    assert result.gaps[0].priority == pytest.approx(11.25)


def test_nothing_answered_scores_none():
    result = score_response(SPEC, [])
    assert result.overall is None
    assert result.coverage == 0
    assert result.missing_required == ("S1", "S2", "S3")


def test_consolidation_takes_the_median_and_lists_disagreements():
    maya = ResponseInput("Maya", tuple(answers(S1=100, S2=50, S3=75, S4=75)))
    chris = ResponseInput("Chris", tuple(answers(S1=25, S2=50, S3=50, S4=75)))
    omar = ResponseInput("Omar", tuple(answers(S1=75, S2=25, S3=75, S4=75)))
    result = consolidate(SPEC, [maya, chris, omar])
    assert result.median_by_key == {"S1": 75, "S2": 50, "S3": 75, "S4": 75}
    assert [d.key for d in result.disagreements] == ["S1"]
    assert result.disagreements[0].spread == 3
    assert result.knockouts == ()  # the median (75) is above the knock-out level
    assert [name for name, _ in result.per_assessor] == ["Maya", "Chris", "Omar"]
    assert result.per_assessor[1][1].knockouts[0].key == "S1"


def test_consolidation_of_one_assessor_equals_their_own_score():
    only = answers(S1=75, S2=25, S3=50)
    mine = score_response(SPEC, only)
    result = consolidate(SPEC, [ResponseInput("Maya", tuple(only))])
    assert result.overall == mine.overall
    assert result.disagreements == ()


# ---------------------------------------------------------------- properties

LEVELS = st.sampled_from([0, 25, 50, 75, 100])


@st.composite
def specs(draw):
    n_dims = draw(st.integers(1, 4))
    dims = tuple(
        DimensionSpec(f"D{i}", draw(st.floats(0.5, 50, allow_nan=False))) for i in range(n_dims)
    )
    n_questions = draw(st.integers(1, 12))
    questions = tuple(
        QuestionSpec(
            f"Q{i}",
            "text",
            f"D{draw(st.integers(0, n_dims - 1))}",
            weight=draw(st.floats(0.5, 10, allow_nan=False)),
            knockout_level=draw(st.one_of(st.none(), st.integers(0, 4))),
        )
        for i in range(n_questions)
    )
    return VersionSpec(dims, questions)


@st.composite
def spec_and_answers(draw):
    spec = draw(specs())
    given_answers = []
    for q in spec.questions:
        kind = draw(st.sampled_from(["score", "score", "score", "na", "dk", "none"]))
        if kind == "score":
            given_answers.append(AnswerInput(q.key, score=draw(LEVELS)))
        elif kind == "na":
            given_answers.append(AnswerInput(q.key, is_na=True))
        elif kind == "dk":
            given_answers.append(AnswerInput(q.key, is_dont_know=True))
    return spec, given_answers


def all_scores(result):
    return [result.overall, *(d.score for d in result.dimensions)]


def not_lower(after, before):
    return all(
        b is None or (a is not None and a >= b - 1e-9) for a, b in zip(after, before, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(spec_and_answers(), st.data())
def test_raising_one_answer_never_lowers_any_score(case, data):
    spec, given_answers = case
    scored = [i for i, a in enumerate(given_answers) if a.score is not None and a.score < 100]
    if not scored:
        return
    i = data.draw(st.sampled_from(scored))
    raised = list(given_answers)
    higher = data.draw(st.sampled_from([s for s in (25, 50, 75, 100) if s > raised[i].score]))
    raised[i] = dataclasses.replace(raised[i], score=higher)
    assert not_lower(
        all_scores(score_response(spec, raised)), all_scores(score_response(spec, given_answers))
    )


@settings(max_examples=150, deadline=None)
@given(spec_and_answers(), st.data())
def test_na_never_lowers_a_score_compared_with_zero_or_no_answer(case, data):
    spec, given_answers = case
    i = data.draw(st.integers(0, len(spec.questions) - 1))
    key = spec.questions[i].key
    others = [a for a in given_answers if a.key != key]
    as_na = all_scores(score_response(spec, [*others, AnswerInput(key, is_na=True)]))
    as_zero = all_scores(score_response(spec, [*others, AnswerInput(key, score=0)]))
    unanswered = all_scores(score_response(spec, others))
    # A dimension whose only answers are N/A has no score (rather than 0): not lower.
    assert all(a is None or b is None or a >= b - 1e-9 for a, b in zip(as_na, as_zero, strict=True))
    assert as_na == unanswered  # N/A is simply out of the denominator


@settings(max_examples=150, deadline=None)
@given(spec_and_answers(), st.floats(0.01, 1000, allow_nan=False))
def test_multiplying_all_weights_by_a_constant_changes_nothing(case, factor):
    spec, given_answers = case
    scaled = VersionSpec(
        tuple(dataclasses.replace(d, weight=d.weight * factor) for d in spec.dimensions),
        tuple(dataclasses.replace(q, weight=q.weight * factor) for q in spec.questions),
        spec.thresholds,
    )
    before, after = score_response(spec, given_answers), score_response(scaled, given_answers)
    for a, b in zip(all_scores(after), all_scores(before), strict=True):
        assert a == pytest.approx(b) if b is not None else a is None
    assert after.coverage == pytest.approx(before.coverage)


@settings(max_examples=150, deadline=None)
@given(spec_and_answers())
def test_scores_stay_between_0_and_100_and_knockouts_are_reported(case):
    spec, given_answers = case
    result = score_response(spec, given_answers)
    for value in all_scores(result):
        assert value is None or 0 <= value <= 100
    assert 0 <= result.coverage <= 1
    by_key = spec.by_key
    expected = {
        a.key
        for a in given_answers
        if a.score is not None
        and by_key[a.key].knockout_level is not None
        and a.score <= by_key[a.key].knockout_level * 25
    }
    assert {k.key for k in result.knockouts} == expected


@settings(max_examples=80, deadline=None)
@given(specs(), st.data())
def test_consolidated_knockouts_and_disagreements_follow_the_medians(spec, data):
    responses = [
        ResponseInput(
            f"A{n}", tuple(AnswerInput(q.key, score=data.draw(LEVELS)) for q in spec.questions)
        )
        for n in range(data.draw(st.integers(1, 4)))
    ]
    result = consolidate(spec, responses)
    for value in all_scores(result):
        assert value is None or 0 <= value <= 100
    for d in result.disagreements:
        scores = [s for _, s in d.scores]
        assert (max(scores) - min(scores)) / 25 >= 2
    medians = result.median_by_key
    for q in spec.questions:
        if q.knockout_level is not None and medians[q.key] <= q.knockout_level * 25:
            assert q.key in {k.key for k in result.knockouts}
