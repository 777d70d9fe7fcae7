"""Sponsor health (sponsors/health.py): each indicator at its thresholds, the overall
score, and properties that must hold whatever the signals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sponsors import health
from sponsors.health import (
    ADVOCACY,
    AMBER,
    ESCALATION_RAISED,
    ESCALATION_RESOLVED,
    GREEN,
    KPI_REVIEW,
    MEETING,
    RED,
    RESOURCES_ALLOCATED,
    RESOURCES_REQUESTED,
    UNKNOWN,
    KPIFact,
    SignalFact,
    SponsorFacts,
    rapport,
    sponsorship_health,
)

TODAY = date(2026, 6, 30)
LONG_AGO = TODAY - timedelta(days=400)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def pair(first_id, asked, answered, *, kinds=(RESOURCES_REQUESTED, RESOURCES_ALLOCATED)):
    """A request (or escalation) `asked` days ago answered `answered` days ago."""
    ask = SignalFact(first_id, kinds[0], ago(asked))
    if answered is None:
        return [ask]
    return [ask, SignalFact(first_id + 1, kinds[1], ago(answered), responds_to=first_id)]


def kpi(target, actual, current=True):
    return KPIFact(Decimal(target), None if actual is None else Decimal(actual), current)


@pytest.mark.parametrize(
    ("signals", "colour", "figure"),
    [
        ([], UNKNOWN, "No requests"),
        (pair(1, 20, 6), GREEN, "Median 14 days over 1 allocation"),
        (pair(1, 20, 5), AMBER, "Median 15 days over 1 allocation"),
        (pair(1, 40, 10), AMBER, "Median 30 days over 1 allocation"),
        (pair(1, 40, 9), RED, "Median 31 days over 1 allocation"),
        # The median, not the mean: one slow allocation among fast ones stays green.
        (pair(1, 100, 40) + pair(3, 30, 25) + pair(5, 20, 10), GREEN, "Median 10 days over 3"),
        (pair(1, 30, 20) + pair(3, 30, 5), AMBER, "Median 17.5 days over 2 allocations"),
        # An open request decides nothing until it is overdue.
        (pair(1, 30, None), UNKNOWN, "1 request open, oldest 30 days"),
        (pair(1, 31, None), RED, "1 request open, oldest 31 days"),
        (pair(1, 20, 15) + pair(3, 30, None), GREEN, "Median 5 days over 1 allocation; 1 request"),
        (pair(1, 20, 15) + pair(3, 31, None), RED, "Median 5 days over 1 allocation; 1 request"),
    ],
)
def test_allocation_delay_thresholds(signals, colour, figure):
    indicator = health.allocation_delay(signals, today=TODAY)
    assert indicator.colour == colour
    assert indicator.figure.startswith(figure)
    assert indicator.reason


@pytest.mark.parametrize(
    ("kpis", "colour", "figure"),
    [
        ([], UNKNOWN, "No current KPIs"),
        ([kpi(100, None)], UNKNOWN, "No current KPI reported"),
        ([kpi(100, 200, current=False)], UNKNOWN, "No current KPIs"),
        ([kpi(100, 100), kpi(100, 100), kpi(100, 100), kpi(100, 99)], GREEN, "3 of 4"),
        ([kpi(100, 100), kpi(100, 99), kpi(100, 99)], RED, "1 of 3"),
        ([kpi(100, 100), kpi(100, 99)], AMBER, "1 of 2 at or above target (50 %)"),
        ([kpi(100, 100), kpi(100, 100), kpi(100, 99)], AMBER, "2 of 3"),
        ([kpi(100, "99.99")], RED, "0 of 1"),
        ([kpi(100, 100), kpi(100, None)], GREEN, "1 of 1 at or above target (100 %); 1 not"),
        # Past KPIs do not count.
        ([kpi(100, 100), kpi(100, 1, current=False)], GREEN, "1 of 1"),
    ],
)
def test_kpi_attainment_thresholds(kpis, colour, figure):
    indicator = health.kpi_attainment(kpis, [], today=TODAY)
    assert indicator.colour == colour
    assert indicator.figure.startswith(figure)


def test_kpi_attainment_says_when_the_kpis_were_last_reviewed():
    reviewed = health.kpi_attainment([kpi(1, 1)], [SignalFact(1, KPI_REVIEW, ago(12))], today=TODAY)
    assert "Last KPI review 12 days ago" in reviewed.reason
    never = health.kpi_attainment([kpi(1, 1)], [], today=TODAY)
    assert "No KPI review recorded" in never.reason


def advocacy_at(*days_ago):
    return [SignalFact(i, ADVOCACY, ago(d)) for i, d in enumerate(days_ago, start=1)]


@pytest.mark.parametrize(
    ("signals", "since", "colour", "figure"),
    [
        (advocacy_at(1, 90), LONG_AGO, GREEN, "2 mentions"),
        (advocacy_at(1, 91), LONG_AGO, AMBER, "1 mention"),
        (advocacy_at(0), LONG_AGO, AMBER, "1 mention"),
        ([], LONG_AGO, RED, "0 mentions"),
        (advocacy_at(91, 120), LONG_AGO, RED, "0 mentions"),
        # A young sponsorship without advocacy is not yet evidence of anything.
        ([], ago(89), UNKNOWN, "0 mentions"),
        ([], ago(90), RED, "0 mentions"),
    ],
)
def test_advocacy_thresholds(signals, since, colour, figure):
    indicator = health.advocacy(signals, since=since, today=TODAY)
    assert indicator.colour == colour
    assert indicator.figure.startswith(figure)


@pytest.mark.parametrize(
    ("days", "colour", "figure"),
    [
        (None, UNKNOWN, "No contact recorded"),
        (0, GREEN, "Today"),
        (30, GREEN, "30 days ago"),
        (31, AMBER, "31 days ago"),
        (60, AMBER, "60 days ago"),
        (61, RED, "61 days ago"),
    ],
)
def test_counterpart_contact_thresholds(days, colour, figure):
    contacts = [] if days is None else [ago(days), ago(days + 100)]
    indicator = health.counterpart_contact(contacts, today=TODAY)
    assert (indicator.colour, indicator.figure) == (colour, figure)


def test_contact_counts_meetings_with_the_counterpart_and_the_peer_map_not_team_meetings():
    signals = [
        SignalFact(1, MEETING, ago(5), with_counterpart=False),
        SignalFact(2, MEETING, ago(45), with_counterpart=True),
    ]
    report = sponsorship_health(signals=signals, kpis=[], since=LONG_AGO, today=TODAY)
    assert report.indicator("counterpart_contact").figure == "45 days ago"
    from_peer_map = sponsorship_health(
        signals=signals, kpis=[], since=LONG_AGO, today=TODAY, counterpart_contacts=[ago(3)]
    )
    assert from_peer_map.indicator("counterpart_contact").figure == "3 days ago"


ESCALATION = (ESCALATION_RAISED, ESCALATION_RESOLVED)


@pytest.mark.parametrize(
    ("signals", "colour", "figure"),
    [
        ([], UNKNOWN, "None raised"),
        (pair(1, 10, 3, kinds=ESCALATION), GREEN, "Median 7 days"),
        (pair(1, 10, 2, kinds=ESCALATION), AMBER, "Median 8 days"),
        (pair(1, 30, 9, kinds=ESCALATION), AMBER, "Median 21 days"),
        (pair(1, 30, 8, kinds=ESCALATION), RED, "Median 22 days"),
        (pair(1, 14, None, kinds=ESCALATION), UNKNOWN, "1 escalation open"),
        (pair(1, 15, None, kinds=ESCALATION), RED, "1 escalation open"),
        (pair(1, 10, 9, kinds=ESCALATION) + pair(3, 15, None, kinds=ESCALATION), RED, "Median 1"),
    ],
)
def test_escalation_thresholds(signals, colour, figure):
    indicator = health.escalations(signals, today=TODAY)
    assert indicator.colour == colour
    assert indicator.figure.startswith(figure)


def test_no_evidence_gives_no_score_never_a_made_up_number():
    report = sponsorship_health(signals=[], kpis=[], since=ago(10), today=TODAY)
    assert report.score is None
    assert report.colour == UNKNOWN
    assert {i.colour for i in report.indicators} == {UNKNOWN}
    assert report.known_count == 0
    assert health.no_sponsor_health().score is None


@pytest.mark.parametrize(
    ("signals", "kpis", "score", "colour"),
    [
        # Allocation green (25) only.
        (pair(1, 10, 5), [], 100, GREEN),
        # Allocation green (25 × 100) + KPI red (25 × 0) → 50.
        (pair(1, 10, 5), [kpi(100, 1)], 50, AMBER),
        # Advocacy amber (20 × 50) + KPI red (25 × 0) → 1000 / 45 = 22.2 → 22.
        (advocacy_at(3), [kpi(100, 1)], 22, RED),
        # KPI green + contact amber (15 × 50) → (2500 + 750) / 40 = 81.25 → 81.
        ([SignalFact(1, MEETING, ago(40), with_counterpart=True)], [kpi(1, 1)], 81, GREEN),
        # Allocation amber + KPI amber + contact amber: 50 → amber, and 70 is green.
        (
            [*pair(1, 30, 10), SignalFact(9, MEETING, ago(40), with_counterpart=True)],
            [kpi(1, 1), kpi(1, 0)],
            50,
            AMBER,
        ),
    ],
)
def test_overall_score_is_the_weighted_mean_of_known_indicators(signals, kpis, score, colour):
    # 30 days old keeps advocacy unknown; the report itself is "too early to tell".
    report = sponsorship_health(signals=signals, kpis=kpis, since=ago(30), today=TODAY)
    overall = health.overall_score(report.indicators)
    assert (overall, health.overall_colour(overall)) == (score, colour)
    assert report.too_early


def test_a_sponsorship_on_day_one_is_too_early_to_tell_not_zero_red():
    # A sponsor chosen today on an alliance whose KPIs are behind target.
    report = sponsorship_health(signals=[], kpis=[kpi(100, 1)], since=TODAY, today=TODAY)
    assert report.indicator("kpi_attainment").colour == RED  # what is known still shows
    assert report.score is None
    assert report.colour == UNKNOWN
    assert report.too_early
    assert report.summary == (
        "Too early to tell: the sponsorship is 0 days old and health is scored after "
        f"{health.EVIDENCE_WINDOW_DAYS} days. So far: KPI attainment red."
    )


def test_health_is_scored_once_the_sponsorship_is_as_old_as_the_evidence_window():
    kpis = [kpi(100, 1)]
    day_before = ago(health.EVIDENCE_WINDOW_DAYS - 1)
    young = sponsorship_health(signals=[], kpis=kpis, since=day_before, today=TODAY)
    assert young.too_early
    assert young.score is None
    assert young.summary.startswith("Too early to tell: the sponsorship is 89 days old")
    ready = sponsorship_health(
        signals=[], kpis=kpis, since=ago(health.EVIDENCE_WINDOW_DAYS), today=TODAY
    )
    assert not ready.too_early
    assert (ready.score, ready.colour) == (0, RED)


@pytest.mark.parametrize(
    ("score", "colour"), [(100, GREEN), (70, GREEN), (69, AMBER), (40, AMBER), (39, RED), (0, RED)]
)
def test_overall_colour_thresholds(score, colour):
    assert health.overall_colour(score) == colour


def test_signals_dated_after_today_are_ignored():
    report = sponsorship_health(signals=advocacy_at(-3, -5), kpis=[], since=ago(10), today=TODAY)
    assert report.indicator("advocacy").figure.startswith("0 mentions")


def test_overdue_lists_open_requests_escalations_silence_and_missing_kpi_reviews():
    signals = (
        pair(1, 45, None)
        + pair(3, 29, None)
        + pair(5, 20, None, kinds=ESCALATION)
        + [SignalFact(7, KPI_REVIEW, ago(100))]
    )
    report = sponsorship_health(
        signals=signals, kpis=[], since=LONG_AGO, today=TODAY, counterpart_contacts=[ago(70)]
    )
    assert report.overdue == (
        f"Resources requested on {ago(45):%d %b %Y}: not allocated after 45 days.",
        f"Escalation raised on {ago(20):%d %b %Y}: unresolved after 20 days.",
        "No contact with the counterpart for 70 days.",
        "No KPI review for 100 days.",
    )
    calm = sponsorship_health(signals=pair(1, 45, 40), kpis=[], since=ago(60), today=TODAY)
    assert calm.overdue == ()


def test_rapport_finds_shared_interests_whatever_the_spelling_and_shared_alliances():
    ours = SponsorFacts(
        "Elena Rossi",
        interests=("porsche-911-gt3-track-days", "sailing"),
        alliances=("Quartz embedded payments", "Atlas"),
    )
    theirs = SponsorFacts(
        "Pieter de Vries",
        interests=("Porsche 911 GT3 track days", "chess"),
        alliances=("Atlas",),
    )
    found = rapport(ours, theirs)
    assert found.shared_interests == ("porsche-911-gt3-track-days",)
    assert found.shared_alliances == ("Atlas",)
    assert found.has_common_ground
    assert "1 shared interest" in found.summary
    nothing = rapport(SponsorFacts("A", ("golf",)), SponsorFacts("B", ("tennis",)))
    assert not nothing.has_common_ground
    assert nothing.summary == "No common ground recorded between A and B yet."


# --- Properties ---------------------------------------------------------------

days_ago = st.integers(min_value=0, max_value=300)


@st.composite
def sponsorships(draw):
    """A sponsorship 300 days old with random requests, allocations, advocacy,
    meetings, escalations and KPIs (all dated between its start and today)."""
    since = ago(300)
    signals, next_id = [], 1
    for _ in range(draw(st.integers(0, 5))):
        asked = draw(days_ago)
        answered = draw(st.one_of(st.none(), st.integers(0, asked)))
        kinds = draw(st.sampled_from([(RESOURCES_REQUESTED, RESOURCES_ALLOCATED), ESCALATION]))
        signals += pair(next_id, asked, answered, kinds=kinds)
        next_id += 2
    for kind in draw(st.lists(st.sampled_from([ADVOCACY, KPI_REVIEW, MEETING]), max_size=6)):
        signals.append(SignalFact(next_id, kind, ago(draw(days_ago)), with_counterpart=True))
        next_id += 1
    kpis = [
        kpi(draw(st.integers(1, 100)), draw(st.one_of(st.none(), st.integers(0, 150))))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return signals, kpis, since, next_id


def score_of(signals, kpis, since):
    return sponsorship_health(signals=signals, kpis=kpis, since=since, today=TODAY).score


@settings(max_examples=300, deadline=None)
@given(sponsorships(), st.data())
def test_a_faster_allocation_never_lowers_health(state, data):
    signals, kpis, since, next_id = state
    delays = [
        (s.date - next(r for r in signals if r.id == s.responds_to).date).days
        for s in signals
        if s.kind == RESOURCES_ALLOCATED
    ]
    if not delays:
        signals += pair(next_id, data.draw(st.integers(1, 300)), 0)
        next_id += 2
        delays = [(signals[-1].date - signals[-2].date).days]
    before = score_of(signals, kpis, since)
    delay = data.draw(st.integers(0, min(delays)), label="delay")
    asked = data.draw(st.integers(delay, 300), label="asked")
    after = score_of(signals + pair(next_id, asked, asked - delay), kpis, since)
    assert after >= before


@settings(max_examples=300, deadline=None)
@given(sponsorships(), st.data())
def test_allocating_an_existing_request_sooner_never_lowers_health(state, data):
    signals, kpis, since, _ = state
    allocations = [s for s in signals if s.kind == RESOURCES_ALLOCATED]
    if not allocations:
        return
    chosen = data.draw(st.sampled_from(allocations))
    request = next(s for s in signals if s.id == chosen.responds_to)
    sooner = data.draw(st.integers(0, (chosen.date - request.date).days))
    moved = [
        SignalFact(s.id, s.kind, request.date + timedelta(days=sooner), s.responds_to)
        if s is chosen
        else s
        for s in signals
    ]
    assert score_of(moved, kpis, since) >= score_of(signals, kpis, since)


@settings(max_examples=300, deadline=None)
@given(sponsorships(), days_ago, days_ago)
def test_another_advocacy_signal_never_lowers_health(state, first, another):
    signals, kpis, since, next_id = state
    signals = [*signals, SignalFact(next_id, ADVOCACY, ago(first))]
    before = score_of(signals, kpis, since)
    after = score_of([*signals, SignalFact(next_id + 1, ADVOCACY, ago(another))], kpis, since)
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(sponsorships())
def test_score_is_in_range_and_matches_its_colour(state):
    signals, kpis, since, _ = state
    report = sponsorship_health(signals=signals, kpis=kpis, since=since, today=TODAY)
    if report.score is None:
        assert report.colour == UNKNOWN
        assert report.known_count == 0
    else:
        assert 0 <= report.score <= 100
        assert report.colour == health.overall_colour(report.score)
        assert report.known_count >= 1
    assert len(report.indicators) == 5
    for indicator in report.indicators:
        assert indicator.figure
        assert indicator.reason
        assert indicator.threshold_note


@settings(max_examples=200, deadline=None)
@given(sponsorships(), st.integers(0, health.EVIDENCE_WINDOW_DAYS - 1))
def test_a_sponsorship_younger_than_the_evidence_window_never_gets_a_score(state, age):
    signals, kpis, _, _ = state
    report = sponsorship_health(signals=signals, kpis=kpis, since=ago(age), today=TODAY)
    assert report.score is None
    assert report.colour == UNKNOWN
    assert report.too_early
    assert report.summary.startswith(f"Too early to tell: the sponsorship is {age} day")
    for indicator in report.indicators:
        if indicator.colour != UNKNOWN:
            assert f"{indicator.name} {indicator.colour}" in report.summary
