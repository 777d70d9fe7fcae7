"""Sponsor match (sponsors/matching.py): who should back an alliance, and why."""

from hypothesis import given
from hypothesis import strategies as st

from sponsors.matching import SENIORITY_POINTS, Candidate, rank_candidates, score_candidate

OBJECTIVES = (
    "Reach German public-sector buyers through Cobalt's framework contracts\n"
    "Offer Northwind ERP as a managed service on Cobalt's sovereign cloud"
)


def test_business_unit_and_interests_matching_the_objectives_rank_first():
    public_sector = Candidate(
        1,
        "Hannah Schmidt",
        "c_suite",
        business_unit="Sales — Public Sector & DACH",
        interests=("sovereign-cloud", "marathon-running"),
    )
    unrelated = Candidate(2, "Li Wei", "c_suite", business_unit="Finance", interests=("golf",))
    ranked = rank_candidates([unrelated, public_sector], objectives=OBJECTIVES)
    assert [m.candidate.name for m in ranked] == ["Hannah Schmidt", "Li Wei"]
    best = ranked[0]
    assert best.score == 30 + 30 + 20 + 10
    assert any("public, sector" in r for r in best.reasons)
    assert any("sovereign-cloud" in r for r in best.reasons)
    assert any("matches no objective" in r for r in ranked[1].reasons)


def test_load_lowers_the_rank_and_says_so():
    free = Candidate(1, "Free", "bu_head", business_unit="Cloud services")
    busy = Candidate(2, "Busy", "bu_head", business_unit="Cloud services", load=3)
    ranked = rank_candidates([busy, free], objectives=OBJECTIVES)
    assert [m.candidate.name for m in ranked] == ["Free", "Busy"]
    assert ranked[0].score - ranked[1].score == 30
    assert "already sponsors 3 alliances — likely overloaded (+0)" in ranked[1].reasons[1]


def test_words_match_on_their_stem_not_their_exact_spelling():
    analyst = Candidate(1, "A", "other", business_unit="Analytical products")
    match = score_candidate(analyst, objectives="Grow recurring analytics revenue")
    assert match.score == 5 + 30 + 20


def test_ties_are_broken_by_name():
    a = Candidate(1, "Zoe", "c_suite")
    b = Candidate(2, "adam", "c_suite")
    assert [m.candidate.name for m in rank_candidates([a, b], objectives="")] == ["adam", "Zoe"]


candidates = st.builds(
    Candidate,
    id=st.integers(1, 10_000),
    name=st.text(min_size=1, max_size=20),
    seniority=st.sampled_from(sorted(SENIORITY_POINTS)),
    business_unit=st.text(max_size=40),
    interests=st.lists(st.text(max_size=20), max_size=5).map(tuple),
    load=st.integers(0, 10),
)


@given(st.lists(candidates, max_size=8), st.text(max_size=200))
def test_scores_stay_within_0_and_100_best_first_with_one_reason_per_part(people, objectives):
    ranked = rank_candidates(people, objectives=objectives)
    assert len(ranked) == len(people)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    for match in ranked:
        assert 0 <= match.score <= 100
        assert len(match.reasons) == 4


@given(candidates, st.integers(0, 9), st.text(max_size=200))
def test_a_heavier_load_never_raises_the_score(person, extra, objectives):
    lighter = score_candidate(person, objectives=objectives).score
    heavier = Candidate(**{**person.__dict__, "load": person.load + extra})
    assert score_candidate(heavier, objectives=objectives).score <= lighter


def test_every_seniority_a_sponsor_can_have_is_scored_and_labelled():
    """The pure module owns the seniority values; the model's choices are the same ones."""
    from sponsors.matching import SENIORITY_LABELS
    from sponsors.models import Sponsor

    assert set(Sponsor.Seniority.values) == set(SENIORITY_POINTS) == set(SENIORITY_LABELS)
