"""Sponsor health: is this sponsor engaged, on the evidence? Pure: no Django, no ORM.

An engaged sponsor allocates resources without delay, watches the alliance's
KPIs, promotes the alliance, stays in touch with the partner's counterpart
and gets escalations resolved. Each of those is an `Indicator` coloured
green / amber / red from the signals recorded on a sponsorship, or
"unknown" when there is nothing to measure. Nothing is ever guessed: an
indicator without evidence stays unknown and counts for nothing.

Thresholds (days are calendar days, "today" is passed in):

| indicator           | green            | amber         | red                            |
|---------------------|------------------|---------------|--------------------------------|
| allocation delay    | median ≤ 14 days | median ≤ 30   | median > 30, or a request open |
|                     |                  |               | for more than 30 days          |
| KPI attainment      | ≥ 75 % on target | ≥ 50 %        | < 50 %                         |
| advocacy (90 days)  | 2 or more        | 1             | none, once the sponsorship is  |
|                     |                  |               | 90 days old (unknown before)   |
| counterpart contact | ≤ 30 days ago    | ≤ 60 days ago | > 60 days ago                  |
| escalations         | median ≤ 7 days  | median ≤ 21   | median > 21, or one open for   |
|                     |                  |               | more than 14 days              |

KPI attainment is the share of current KPIs with an actual reported whose
actual is at or above target. Advocacy counts signals dated today or in the
90 days before. Contact is the latest meeting with the counterpart or the
peer map's "last direct contact", whichever is later.

Overall score (0–100): the weighted mean of the known indicators' points
(green 100, amber 50, red 0), weights below; green at 70 or more, amber at
40 or more, else red. No known indicator → score None, colour "unknown".

Too early to tell: a sponsorship younger than the evidence window (90 days) gets
no overall score (None, colour "unknown", `too_early` set) whatever one early
indicator says; its indicators still show what is known so far.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

# Signal kinds (the model's choices use the same values).
RESOURCES_REQUESTED = "resources_requested"
RESOURCES_ALLOCATED = "resources_allocated"
KPI_REVIEW = "kpi_review"
ADVOCACY = "advocacy"
MEETING = "meeting"
ESCALATION_RAISED = "escalation_raised"
ESCALATION_RESOLVED = "escalation_resolved"
SENIOR_PRESENCE = "senior_presence"

GREEN, AMBER, RED, UNKNOWN = "green", "amber", "red", "unknown"
POINTS = {GREEN: 100, AMBER: 50, RED: 0}

ALLOCATION_GREEN_MAX_DAYS = 14
ALLOCATION_AMBER_MAX_DAYS = 30
OPEN_REQUEST_RED_AFTER_DAYS = 30
KPI_GREEN_MIN_PERCENT = 75
KPI_AMBER_MIN_PERCENT = 50
ADVOCACY_WINDOW_DAYS = 90
ADVOCACY_GREEN_MIN = 2
ADVOCACY_AMBER_MIN = 1
CONTACT_GREEN_MAX_DAYS = 30
CONTACT_AMBER_MAX_DAYS = 60
ESCALATION_GREEN_MAX_DAYS = 7
ESCALATION_AMBER_MAX_DAYS = 21
OPEN_ESCALATION_RED_AFTER_DAYS = 14
KPI_REVIEW_DUE_DAYS = 90
OVERALL_GREEN_MIN = 70
OVERALL_AMBER_MIN = 40
# A sponsorship younger than this has no overall score yet: one early signal or a
# KPI set before the sponsor arrived must not read as "0 · Red" on day one.
EVIDENCE_WINDOW_DAYS = ADVOCACY_WINDOW_DAYS

ALLOCATION_DELAY = "allocation_delay"
KPI_ATTAINMENT = "kpi_attainment"
ADVOCACY_90_DAYS = "advocacy"
COUNTERPART_CONTACT = "counterpart_contact"
ESCALATIONS = "escalations"

WEIGHTS = {
    ALLOCATION_DELAY: 25,
    KPI_ATTAINMENT: 25,
    ADVOCACY_90_DAYS: 20,
    COUNTERPART_CONTACT: 15,
    ESCALATIONS: 15,
}

_WEIGHT_LIST = ", ".join(f"{key.replace('_', ' ')} {weight}" for key, weight in WEIGHTS.items())
OVERALL_THRESHOLD_NOTE = (
    f"Weighted mean of the known indicators (green 100, amber 50, red 0; weights "
    f"{_WEIGHT_LIST}): green ≥ {OVERALL_GREEN_MIN}, amber ≥ {OVERALL_AMBER_MIN}, red below."
)


@dataclass(frozen=True)
class SignalFact:
    """One engagement signal. An allocation's `responds_to` is the `id` of the request
    it answers; a resolution's, the escalation's. `with_counterpart` marks a meeting
    with the partner's counterpart."""

    id: int
    kind: str
    date: date
    responds_to: int | None = None
    with_counterpart: bool = False


@dataclass(frozen=True)
class KPIFact:
    """One alliance KPI; `actual` is None until something is reported."""

    target: Decimal
    actual: Decimal | None
    is_current: bool = True


@dataclass(frozen=True)
class Indicator:
    """One measure of engagement: its colour, the figure behind it and why."""

    key: str
    name: str
    colour: str
    figure: str
    reason: str
    threshold_note: str

    @property
    def points(self) -> int | None:
        """100 / 50 / 0 for green / amber / red, None when unknown."""
        return POINTS.get(self.colour)


@dataclass(frozen=True)
class HealthReport:
    """Overall health (0–100 and a colour, or None and "unknown" without evidence),
    the indicators behind it, and what is overdue (one sentence each)."""

    score: int | None
    colour: str
    indicators: tuple[Indicator, ...]
    overdue: tuple[str, ...] = ()
    summary: str = ""
    threshold_note: str = OVERALL_THRESHOLD_NOTE
    too_early: bool = False

    def indicator(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None)

    @property
    def known_count(self) -> int:
        return sum(1 for i in self.indicators if i.colour != UNKNOWN)


def no_sponsor_health(reason: str = "No executive sponsor on our side.") -> HealthReport:
    """Health when there is no sponsorship to measure: unknown, never a number."""
    return HealthReport(score=None, colour=UNKNOWN, indicators=(), summary=reason)


def sponsorship_health(
    *,
    signals: Iterable[SignalFact],
    kpis: Iterable[KPIFact],
    since: date,
    today: date,
    counterpart_contacts: Iterable[date] = (),
) -> HealthReport:
    """Health of one sponsorship that started on `since`, as of `today`.

    Signals and contacts dated after `today` are ignored. The score is an int in
    0–100, or None with colour "unknown" when no indicator has evidence or when the
    sponsorship is younger than `EVIDENCE_WINDOW_DAYS` (then `too_early` is set and
    the summary says what is known so far).
    """
    signals = tuple(s for s in signals if s.date <= today)
    kpis = tuple(kpis)
    contacts = [d for d in counterpart_contacts if d <= today]
    contacts += [s.date for s in signals if s.kind == MEETING and s.with_counterpart]
    indicators = (
        allocation_delay(signals, today=today),
        kpi_attainment(kpis, signals, today=today),
        advocacy(signals, since=since, today=today),
        counterpart_contact(contacts, today=today),
        escalations(signals, today=today),
    )
    score = overall_score(indicators)
    known = sum(1 for i in indicators if i.colour != UNKNOWN)
    age = (today - since).days
    too_early = age < EVIDENCE_WINDOW_DAYS
    if too_early:
        score, colour = None, UNKNOWN
        summary = too_early_summary(indicators, age=age)
    elif score is None:
        colour, summary = UNKNOWN, "No evidence yet: record signals and KPIs to measure health."
    else:
        colour = overall_colour(score)
        summary = f"Based on {known} of {len(indicators)} indicators."
    return HealthReport(
        score=score,
        colour=colour,
        indicators=indicators,
        overdue=overdue(signals, contacts, since=since, today=today),
        summary=summary,
        too_early=too_early,
    )


def too_early_summary(indicators: Iterable[Indicator], *, age: int) -> str:
    """One sentence for a sponsorship younger than the evidence window: its age and
    the colour of each indicator known so far (or that nothing is known yet)."""
    known = [f"{i.name} {i.colour}" for i in indicators if i.colour != UNKNOWN]
    so_far = f"So far: {', '.join(known)}." if known else "Nothing measured yet."
    return (
        f"Too early to tell: the sponsorship is {_days(max(age, 0))} old and health is "
        f"scored after {EVIDENCE_WINDOW_DAYS} days. {so_far}"
    )


def overall_score(indicators: Iterable[Indicator]) -> int | None:
    """Weighted mean of the known indicators' points, rounded half up; None if none known."""
    known = [i for i in indicators if i.points is not None]
    if not known:
        return None
    total = sum(WEIGHTS.get(i.key, 1) for i in known)
    weighted = sum(WEIGHTS.get(i.key, 1) * i.points for i in known)
    return math.floor(weighted / total + 0.5)


def overall_colour(score: int | None) -> str:
    if score is None:
        return UNKNOWN
    if score >= OVERALL_GREEN_MIN:
        return GREEN
    return AMBER if score >= OVERALL_AMBER_MIN else RED


def _band(value: float, green_max: float, amber_max: float) -> str:
    """Lower is better: green up to green_max, amber up to amber_max, red above."""
    if value <= green_max:
        return GREEN
    return AMBER if value <= amber_max else RED


def _days(n: float) -> str:
    n = int(n) if float(n).is_integer() else round(n, 1)
    return f"{n} day" if n == 1 else f"{n} days"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _pairs(signals, asked_kind, answer_kind, today):
    """(delays of answered asks in days, ages of open asks in days)."""
    asks = {s.id: s for s in signals if s.kind == asked_kind}
    answers = {s.responds_to: s for s in signals if s.kind == answer_kind and s.responds_to in asks}
    delays = [(answers[i].date - ask.date).days for i, ask in asks.items() if i in answers]
    open_ages = [(today - ask.date).days for i, ask in asks.items() if i not in answers]
    return delays, open_ages


ALLOCATION_NOTE = (
    f"Green: median ≤ {ALLOCATION_GREEN_MAX_DAYS} days from request to allocation · "
    f"amber ≤ {ALLOCATION_AMBER_MAX_DAYS} · red above, or any request open over "
    f"{OPEN_REQUEST_RED_AFTER_DAYS} days."
)


def allocation_delay(signals: Iterable[SignalFact], *, today: date) -> Indicator:
    """Median days from resources requested to resources allocated."""
    delays, open_ages = _pairs(signals, RESOURCES_REQUESTED, RESOURCES_ALLOCATED, today)

    def result(colour, figure, reason):
        return Indicator(
            ALLOCATION_DELAY, "Allocation delay", colour, figure, reason, ALLOCATION_NOTE
        )

    if not delays and not open_ages:
        return result(UNKNOWN, "No requests", "No resources requested yet: nothing to measure.")
    open_part = f"; {_plural(len(open_ages), 'request')} open" if open_ages else ""
    oldest_open = max(open_ages, default=0)
    if not delays:
        figure = f"{_plural(len(open_ages), 'request')} open, oldest {_days(oldest_open)}"
        if oldest_open > OPEN_REQUEST_RED_AFTER_DAYS:
            return result(RED, figure, f"A request has waited {_days(oldest_open)} for resources.")
        return result(UNKNOWN, figure, "Nothing allocated yet, and no request is overdue.")
    typical = median(delays)
    figure = f"Median {_days(typical)} over {_plural(len(delays), 'allocation')}{open_part}"
    if oldest_open > OPEN_REQUEST_RED_AFTER_DAYS:
        reason = f"A request has been open for {_days(oldest_open)} without an allocation."
        return result(RED, figure, reason)
    colour = _band(typical, ALLOCATION_GREEN_MAX_DAYS, ALLOCATION_AMBER_MAX_DAYS)
    reason = {
        GREEN: "Resources usually arrive within two weeks of being asked for.",
        AMBER: "Resources take two to four weeks to arrive.",
        RED: "Resources usually take more than a month to arrive.",
    }[colour]
    return result(colour, figure, reason)


KPI_NOTE = (
    f"Green: ≥ {KPI_GREEN_MIN_PERCENT} % of reported current KPIs at or above target · "
    f"amber ≥ {KPI_AMBER_MIN_PERCENT} % · red below."
)


def kpi_attainment(
    kpis: Iterable[KPIFact], signals: Iterable[SignalFact], *, today: date
) -> Indicator:
    """Share of current KPIs (with an actual reported) at or above target."""
    current = [k for k in kpis if k.is_current]
    reported = [k for k in current if k.actual is not None]
    reviews = [s.date for s in signals if s.kind == KPI_REVIEW]
    review = (
        f" Last KPI review {_days((today - max(reviews)).days)} ago."
        if reviews
        else " No KPI review recorded."
    )

    def result(colour, figure, reason):
        return Indicator(KPI_ATTAINMENT, "KPI attainment", colour, figure, reason, KPI_NOTE)

    if not reported:
        figure = "No current KPIs" if not current else "No current KPI reported"
        return result(UNKNOWN, figure, "Nothing reported against a target yet." + review)
    on_target = sum(1 for k in reported if k.actual >= k.target)
    percent = on_target * 100 / len(reported)
    figure = f"{on_target} of {len(reported)} at or above target ({round(percent)} %)"
    if len(current) > len(reported):
        figure += f"; {len(current) - len(reported)} not reported"
    if percent >= KPI_GREEN_MIN_PERCENT:
        colour, reason = GREEN, "The alliance delivers on most of its KPIs."
    elif percent >= KPI_AMBER_MIN_PERCENT:
        colour, reason = AMBER, "Some KPIs are behind target."
    else:
        colour, reason = RED, "Most KPIs are behind target."
    return result(colour, figure, reason + review)


ADVOCACY_NOTE = (
    f"Green: {ADVOCACY_GREEN_MIN} or more mentions in the last {ADVOCACY_WINDOW_DAYS} days · "
    f"amber {ADVOCACY_AMBER_MIN} · red none (unknown while the sponsorship is younger than "
    f"{ADVOCACY_WINDOW_DAYS} days)."
)


def advocacy(signals: Iterable[SignalFact], *, since: date, today: date) -> Indicator:
    """Advocacy signals dated today or in the 90 days before."""
    recent = [
        s
        for s in signals
        if s.kind == ADVOCACY and 0 <= (today - s.date).days <= ADVOCACY_WINDOW_DAYS
    ]
    count = len(recent)
    figure = f"{_plural(count, 'mention')} in the last {ADVOCACY_WINDOW_DAYS} days"

    def result(colour, reason):
        return Indicator(ADVOCACY_90_DAYS, "Advocacy", colour, figure, reason, ADVOCACY_NOTE)

    if count >= ADVOCACY_GREEN_MIN:
        return result(GREEN, "They promote the alliance in their communications.")
    if count >= ADVOCACY_AMBER_MIN:
        return result(AMBER, "They promoted the alliance once lately.")
    age = (today - since).days
    if age < ADVOCACY_WINDOW_DAYS:
        return result(UNKNOWN, f"Too early to tell: the sponsorship is {_days(max(age, 0))} old.")
    return result(RED, f"No mention of the alliance in {ADVOCACY_WINDOW_DAYS} days.")


CONTACT_NOTE = (
    f"Green: last contact ≤ {CONTACT_GREEN_MAX_DAYS} days ago · amber ≤ "
    f"{CONTACT_AMBER_MAX_DAYS} · red longer."
)


def counterpart_contact(contacts: Iterable[date], *, today: date) -> Indicator:
    """Days since the latest direct contact with the partner's counterpart."""
    contacts = [d for d in contacts if d <= today]

    def result(colour, figure, reason):
        return Indicator(
            COUNTERPART_CONTACT, "Counterpart contact", colour, figure, reason, CONTACT_NOTE
        )

    if not contacts:
        return result(UNKNOWN, "No contact recorded", "No meeting with the counterpart recorded.")
    days = (today - max(contacts)).days
    figure = "Today" if days == 0 else f"{_days(days)} ago"
    colour = _band(days, CONTACT_GREEN_MAX_DAYS, CONTACT_AMBER_MAX_DAYS)
    reason = {
        GREEN: "In regular touch with their counterpart.",
        AMBER: "Contact with their counterpart is getting rare.",
        RED: "Out of touch with their counterpart for over two months.",
    }[colour]
    return result(colour, figure, reason)


ESCALATION_NOTE = (
    f"Green: median ≤ {ESCALATION_GREEN_MAX_DAYS} days to resolve · amber ≤ "
    f"{ESCALATION_AMBER_MAX_DAYS} · red above, or one open over "
    f"{OPEN_ESCALATION_RED_AFTER_DAYS} days."
)


def escalations(signals: Iterable[SignalFact], *, today: date) -> Indicator:
    """Median days from escalation raised to resolved."""
    durations, open_ages = _pairs(signals, ESCALATION_RAISED, ESCALATION_RESOLVED, today)

    def result(colour, figure, reason):
        return Indicator(ESCALATIONS, "Escalations", colour, figure, reason, ESCALATION_NOTE)

    if not durations and not open_ages:
        return result(UNKNOWN, "None raised", "No escalation raised: nothing to measure.")
    oldest_open = max(open_ages, default=0)
    open_part = f"; {_plural(len(open_ages), 'open')}" if open_ages else ""
    if not durations:
        figure = f"{_plural(len(open_ages), 'escalation')} open, oldest {_days(oldest_open)}"
        if oldest_open > OPEN_ESCALATION_RED_AFTER_DAYS:
            return result(RED, figure, f"An escalation has waited {_days(oldest_open)}.")
        return result(UNKNOWN, figure, "None resolved yet, and none is overdue.")
    typical = median(durations)
    figure = f"Median {_days(typical)} to resolve over {len(durations)}{open_part}"
    if oldest_open > OPEN_ESCALATION_RED_AFTER_DAYS:
        return result(RED, figure, f"An escalation has been open for {_days(oldest_open)}.")
    colour = _band(typical, ESCALATION_GREEN_MAX_DAYS, ESCALATION_AMBER_MAX_DAYS)
    reason = {
        GREEN: "Escalations are resolved within a week.",
        AMBER: "Escalations take one to three weeks to resolve.",
        RED: "Escalations take more than three weeks to resolve.",
    }[colour]
    return result(colour, figure, reason)


# My work and the daily reminders chase contact earlier than health turns it red.
REMIND_CONTACT_AFTER_DAYS = CONTACT_GREEN_MAX_DAYS


def overdue(
    signals: Iterable[SignalFact],
    contacts: Iterable[date],
    *,
    since: date,
    today: date,
    contact_after_days: int = CONTACT_AMBER_MAX_DAYS,
) -> tuple[str, ...]:
    """What the sponsor owes, oldest first: open requests over 30 days, escalations
    open over 14, no counterpart contact for over `contact_after_days` (60 unless
    told), no KPI review for 90."""
    signals = tuple(signals)
    items = []
    answered = {s.responds_to for s in signals if s.responds_to is not None}
    for s in sorted(signals, key=lambda s: s.date):
        age = (today - s.date).days
        if s.id in answered:
            continue
        if s.kind == RESOURCES_REQUESTED and age > OPEN_REQUEST_RED_AFTER_DAYS:
            items.append(
                f"Resources requested on {s.date:%d %b %Y}: not allocated after {_days(age)}."
            )
        elif s.kind == ESCALATION_RAISED and age > OPEN_ESCALATION_RED_AFTER_DAYS:
            items.append(f"Escalation raised on {s.date:%d %b %Y}: unresolved after {_days(age)}.")
    contacts = [d for d in contacts if d <= today]
    if contacts and (today - max(contacts)).days > contact_after_days:
        items.append(f"No contact with the counterpart for {_days((today - max(contacts)).days)}.")
    reviews = [s.date for s in signals if s.kind == KPI_REVIEW]
    last_review = max(reviews, default=since)
    if (today - last_review).days > KPI_REVIEW_DUE_DAYS:
        items.append(f"No KPI review for {_days((today - last_review).days)}.")
    return tuple(items)


# --- Rapport ----------------------------------------------------------------


@dataclass(frozen=True)
class SponsorFacts:
    """What rapport compares: a sponsor's interests (tags) and the other alliances
    they sponsor or sponsored (names, already limited to what the reader may see)."""

    name: str
    interests: tuple[str, ...] = ()
    alliances: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rapport:
    """Common ground between our executive sponsor and the partner's."""

    ours: str
    theirs: str
    shared_interests: tuple[str, ...]
    shared_alliances: tuple[str, ...]

    @property
    def has_common_ground(self) -> bool:
        return bool(self.shared_interests or self.shared_alliances)

    @property
    def summary(self) -> str:
        if not self.has_common_ground:
            return f"No common ground recorded between {self.ours} and {self.theirs} yet."
        parts = []
        if self.shared_interests:
            parts.append(_plural(len(self.shared_interests), "shared interest"))
        if self.shared_alliances:
            parts.append(_plural(len(self.shared_alliances), "alliance") + " sponsored together")
        return f"{self.ours} and {self.theirs}: " + " and ".join(parts) + "."


def interest_key(text: str) -> str:
    """Spelling-insensitive key: "Porsche 911 GT3 track days" == "porsche-911-gt3-track-days"."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def rapport(ours: SponsorFacts, theirs: SponsorFacts) -> Rapport:
    """Shared interests (compared by `interest_key`, in our sponsor's spelling) and
    shared alliances (by name), each sorted alphabetically."""
    their_interests = {interest_key(t) for t in theirs.interests}
    shared = {interest_key(t): t for t in ours.interests if interest_key(t) in their_interests}
    alliances = set(ours.alliances) & set(theirs.alliances)
    return Rapport(
        ours=ours.name,
        theirs=theirs.name,
        shared_interests=tuple(sorted(shared.values(), key=str.lower)),
        shared_alliances=tuple(sorted(alliances, key=str.lower)),
    )
