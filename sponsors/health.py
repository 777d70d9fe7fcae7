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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median

from kit.texts import _, format_date, gettext_noop, ngettext

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
COLOUR_LABELS = {
    GREEN: gettext_noop("green"),
    AMBER: gettext_noop("amber"),
    RED: gettext_noop("red"),
    UNKNOWN: gettext_noop("unknown"),
}

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

INDICATOR_NAMES = {
    ALLOCATION_DELAY: gettext_noop("Allocation delay"),
    KPI_ATTAINMENT: gettext_noop("KPI attainment"),
    ADVOCACY_90_DAYS: gettext_noop("Advocacy"),
    COUNTERPART_CONTACT: gettext_noop("Counterpart contact"),
    ESCALATIONS: gettext_noop("Escalations"),
}


def colour_label(colour: str) -> str:
    """A health colour in words, in the active language ("green")."""
    return _(COLOUR_LABELS.get(colour, colour))


def overall_threshold_note() -> str:
    """How the overall score and colour are computed, in the active language."""
    weights = ", ".join(
        f"{_(INDICATOR_NAMES[key]).lower()} {weight}" for key, weight in WEIGHTS.items()
    )
    return _(
        "Weighted mean of the known indicators (green 100, amber 50, red 0; weights "
        "%(weights)s): green ≥ %(green)s, amber ≥ %(amber)s, red below."
    ) % {"weights": weights, "green": OVERALL_GREEN_MIN, "amber": OVERALL_AMBER_MIN}


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
    threshold_note: str = field(default_factory=overall_threshold_note)
    too_early: bool = False

    def indicator(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None)

    @property
    def known_count(self) -> int:
        return sum(1 for i in self.indicators if i.colour != UNKNOWN)


def no_sponsor_health(reason: str | None = None) -> HealthReport:
    """Health when there is no sponsorship to measure: unknown, never a number."""
    if reason is None:
        reason = _("No executive sponsor on our side.")
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
        colour = UNKNOWN
        summary = _("No evidence yet: record signals and KPIs to measure health.")
    else:
        colour = overall_colour(score)
        summary = ngettext(
            "Based on %(known)d of %(count)d indicator.",
            "Based on %(known)d of %(count)d indicators.",
            len(indicators),
        ) % {"known": known, "count": len(indicators)}
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
    known = [f"{i.name} {colour_label(i.colour)}" for i in indicators if i.colour != UNKNOWN]
    so_far = (
        _("So far: %(known)s.") % {"known": ", ".join(known)}
        if known
        else _("Nothing measured yet.")
    )
    too_early = _(
        "Too early to tell: the sponsorship is %(age)s old and health is "
        "scored after %(window)s days."
    ) % {"age": _days(max(age, 0)), "window": EVIDENCE_WINDOW_DAYS}
    return f"{too_early} {so_far}"


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
    return ngettext("%(n)s day", "%(n)s days", n if isinstance(n, int) else 2) % {"n": n}


def _requests(n: int) -> str:
    return ngettext("%(count)d request", "%(count)d requests", n) % {"count": n}


def _escalations(n: int) -> str:
    return ngettext("%(count)d escalation", "%(count)d escalations", n) % {"count": n}


def _pairs(signals, asked_kind, answer_kind, today):
    """(delays of answered asks in days, ages of open asks in days)."""
    asks = {s.id: s for s in signals if s.kind == asked_kind}
    answers = {s.responds_to: s for s in signals if s.kind == answer_kind and s.responds_to in asks}
    delays = [(answers[i].date - ask.date).days for i, ask in asks.items() if i in answers]
    open_ages = [(today - ask.date).days for i, ask in asks.items() if i not in answers]
    return delays, open_ages


def allocation_note() -> str:
    return _(
        "Green: median ≤ %(green)s days from request to allocation · "
        "amber ≤ %(amber)s · red above, or any request open over %(red)s days."
    ) % {
        "green": ALLOCATION_GREEN_MAX_DAYS,
        "amber": ALLOCATION_AMBER_MAX_DAYS,
        "red": OPEN_REQUEST_RED_AFTER_DAYS,
    }


def allocation_delay(signals: Iterable[SignalFact], *, today: date) -> Indicator:
    """Median days from resources requested to resources allocated."""
    delays, open_ages = _pairs(signals, RESOURCES_REQUESTED, RESOURCES_ALLOCATED, today)

    def result(colour, figure, reason):
        return Indicator(
            ALLOCATION_DELAY,
            _(INDICATOR_NAMES[ALLOCATION_DELAY]),
            colour,
            figure,
            reason,
            allocation_note(),
        )

    if not delays and not open_ages:
        return result(
            UNKNOWN, _("No requests"), _("No resources requested yet: nothing to measure.")
        )
    open_part = (
        "; " + _("%(requests)s open") % {"requests": _requests(len(open_ages))} if open_ages else ""
    )
    oldest_open = max(open_ages, default=0)
    if not delays:
        figure = _("%(requests)s open, oldest %(age)s") % {
            "requests": _requests(len(open_ages)),
            "age": _days(oldest_open),
        }
        if oldest_open > OPEN_REQUEST_RED_AFTER_DAYS:
            return result(
                RED,
                figure,
                _("A request has waited %(age)s for resources.") % {"age": _days(oldest_open)},
            )
        return result(UNKNOWN, figure, _("Nothing allocated yet, and no request is overdue."))
    typical = median(delays)
    figure = (
        _("Median %(typical)s over %(allocations)s")
        % {
            "typical": _days(typical),
            "allocations": ngettext("%(count)d allocation", "%(count)d allocations", len(delays))
            % {"count": len(delays)},
        }
        + open_part
    )
    if oldest_open > OPEN_REQUEST_RED_AFTER_DAYS:
        reason = _("A request has been open for %(age)s without an allocation.") % {
            "age": _days(oldest_open)
        }
        return result(RED, figure, reason)
    colour = _band(typical, ALLOCATION_GREEN_MAX_DAYS, ALLOCATION_AMBER_MAX_DAYS)
    reason = {
        GREEN: _("Resources usually arrive within two weeks of being asked for."),
        AMBER: _("Resources take two to four weeks to arrive."),
        RED: _("Resources usually take more than a month to arrive."),
    }[colour]
    return result(colour, figure, reason)


def kpi_note() -> str:
    return _(
        "Green: ≥ %(green)s %% of reported current KPIs at or above target · "
        "amber ≥ %(amber)s %% · red below."
    ) % {"green": KPI_GREEN_MIN_PERCENT, "amber": KPI_AMBER_MIN_PERCENT}


def kpi_attainment(
    kpis: Iterable[KPIFact], signals: Iterable[SignalFact], *, today: date
) -> Indicator:
    """Share of current KPIs (with an actual reported) at or above target."""
    current = [k for k in kpis if k.is_current]
    reported = [k for k in current if k.actual is not None]
    reviews = [s.date for s in signals if s.kind == KPI_REVIEW]
    review = " " + (
        _("Last KPI review %(age)s ago.") % {"age": _days((today - max(reviews)).days)}
        if reviews
        else _("No KPI review recorded.")
    )

    def result(colour, figure, reason):
        return Indicator(
            KPI_ATTAINMENT, _(INDICATOR_NAMES[KPI_ATTAINMENT]), colour, figure, reason, kpi_note()
        )

    if not reported:
        figure = _("No current KPIs") if not current else _("No current KPI reported")
        return result(UNKNOWN, figure, _("Nothing reported against a target yet.") + review)
    on_target = sum(1 for k in reported if k.actual >= k.target)
    percent = on_target * 100 / len(reported)
    figure = _("%(on_target)s of %(reported)s at or above target (%(percent)s %%)") % {
        "on_target": on_target,
        "reported": len(reported),
        "percent": round(percent),
    }
    if len(current) > len(reported):
        figure += "; " + _("%(count)s not reported") % {"count": len(current) - len(reported)}
    if percent >= KPI_GREEN_MIN_PERCENT:
        colour, reason = GREEN, _("The alliance delivers on most of its KPIs.")
    elif percent >= KPI_AMBER_MIN_PERCENT:
        colour, reason = AMBER, _("Some KPIs are behind target.")
    else:
        colour, reason = RED, _("Most KPIs are behind target.")
    return result(colour, figure, reason + review)


def advocacy_note() -> str:
    return _(
        "Green: %(green)s or more mentions in the last %(window)s days · "
        "amber %(amber)s · red none (unknown while the sponsorship is younger than "
        "%(window)s days)."
    ) % {
        "green": ADVOCACY_GREEN_MIN,
        "amber": ADVOCACY_AMBER_MIN,
        "window": ADVOCACY_WINDOW_DAYS,
    }


def advocacy(signals: Iterable[SignalFact], *, since: date, today: date) -> Indicator:
    """Advocacy signals dated today or in the 90 days before."""
    recent = [
        s
        for s in signals
        if s.kind == ADVOCACY and 0 <= (today - s.date).days <= ADVOCACY_WINDOW_DAYS
    ]
    count = len(recent)
    figure = ngettext(
        "%(count)d mention in the last %(window)d days",
        "%(count)d mentions in the last %(window)d days",
        count,
    ) % {"count": count, "window": ADVOCACY_WINDOW_DAYS}

    def result(colour, reason):
        return Indicator(
            ADVOCACY_90_DAYS,
            _(INDICATOR_NAMES[ADVOCACY_90_DAYS]),
            colour,
            figure,
            reason,
            advocacy_note(),
        )

    if count >= ADVOCACY_GREEN_MIN:
        return result(GREEN, _("They promote the alliance in their communications."))
    if count >= ADVOCACY_AMBER_MIN:
        return result(AMBER, _("They promoted the alliance once lately."))
    age = (today - since).days
    if age < ADVOCACY_WINDOW_DAYS:
        return result(
            UNKNOWN,
            _("Too early to tell: the sponsorship is %(age)s old.") % {"age": _days(max(age, 0))},
        )
    return result(
        RED, _("No mention of the alliance in %(window)s days.") % {"window": ADVOCACY_WINDOW_DAYS}
    )


def contact_note() -> str:
    return _("Green: last contact ≤ %(green)s days ago · amber ≤ %(amber)s · red longer.") % {
        "green": CONTACT_GREEN_MAX_DAYS,
        "amber": CONTACT_AMBER_MAX_DAYS,
    }


def counterpart_contact(contacts: Iterable[date], *, today: date) -> Indicator:
    """Days since the latest direct contact with the partner's counterpart."""
    contacts = [d for d in contacts if d <= today]

    def result(colour, figure, reason):
        return Indicator(
            COUNTERPART_CONTACT,
            _(INDICATOR_NAMES[COUNTERPART_CONTACT]),
            colour,
            figure,
            reason,
            contact_note(),
        )

    if not contacts:
        return result(
            UNKNOWN, _("No contact recorded"), _("No meeting with the counterpart recorded.")
        )
    days = (today - max(contacts)).days
    figure = _("Today") if days == 0 else _("%(age)s ago") % {"age": _days(days)}
    colour = _band(days, CONTACT_GREEN_MAX_DAYS, CONTACT_AMBER_MAX_DAYS)
    reason = {
        GREEN: _("In regular touch with their counterpart."),
        AMBER: _("Contact with their counterpart is getting rare."),
        RED: _("Out of touch with their counterpart for over two months."),
    }[colour]
    return result(colour, figure, reason)


def escalation_note() -> str:
    return _(
        "Green: median ≤ %(green)s days to resolve · amber ≤ %(amber)s · red above, "
        "or one open over %(red)s days."
    ) % {
        "green": ESCALATION_GREEN_MAX_DAYS,
        "amber": ESCALATION_AMBER_MAX_DAYS,
        "red": OPEN_ESCALATION_RED_AFTER_DAYS,
    }


def escalations(signals: Iterable[SignalFact], *, today: date) -> Indicator:
    """Median days from escalation raised to resolved."""
    durations, open_ages = _pairs(signals, ESCALATION_RAISED, ESCALATION_RESOLVED, today)

    def result(colour, figure, reason):
        return Indicator(
            ESCALATIONS, _(INDICATOR_NAMES[ESCALATIONS]), colour, figure, reason, escalation_note()
        )

    if not durations and not open_ages:
        return result(UNKNOWN, _("None raised"), _("No escalation raised: nothing to measure."))
    oldest_open = max(open_ages, default=0)
    open_part = (
        "; "
        + ngettext("%(count)d open", "%(count)d open", len(open_ages)) % {"count": len(open_ages)}
        if open_ages
        else ""
    )
    if not durations:
        figure = _("%(escalations)s open, oldest %(age)s") % {
            "escalations": _escalations(len(open_ages)),
            "age": _days(oldest_open),
        }
        if oldest_open > OPEN_ESCALATION_RED_AFTER_DAYS:
            return result(
                RED, figure, _("An escalation has waited %(age)s.") % {"age": _days(oldest_open)}
            )
        return result(UNKNOWN, figure, _("None resolved yet, and none is overdue."))
    typical = median(durations)
    figure = (
        _("Median %(typical)s to resolve over %(count)s")
        % {
            "typical": _days(typical),
            "count": len(durations),
        }
        + open_part
    )
    if oldest_open > OPEN_ESCALATION_RED_AFTER_DAYS:
        return result(
            RED,
            figure,
            _("An escalation has been open for %(age)s.") % {"age": _days(oldest_open)},
        )
    colour = _band(typical, ESCALATION_GREEN_MAX_DAYS, ESCALATION_AMBER_MAX_DAYS)
    reason = {
        GREEN: _("Escalations are resolved within a week."),
        AMBER: _("Escalations take one to three weeks to resolve."),
        RED: _("Escalations take more than three weeks to resolve."),
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
                _("Resources requested on %(date)s: not allocated after %(age)s.")
                % {"date": format_date(s.date), "age": _days(age)}
            )
        elif s.kind == ESCALATION_RAISED and age > OPEN_ESCALATION_RED_AFTER_DAYS:
            items.append(
                _("Escalation raised on %(date)s: unresolved after %(age)s.")
                % {"date": format_date(s.date), "age": _days(age)}
            )
    contacts = [d for d in contacts if d <= today]
    if contacts and (today - max(contacts)).days > contact_after_days:
        items.append(
            _("No contact with the counterpart for %(age)s.")
            % {"age": _days((today - max(contacts)).days)}
        )
    reviews = [s.date for s in signals if s.kind == KPI_REVIEW]
    last_review = max(reviews, default=since)
    if (today - last_review).days > KPI_REVIEW_DUE_DAYS:
        items.append(_("No KPI review for %(age)s.") % {"age": _days((today - last_review).days)})
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
        names = {"ours": self.ours, "theirs": self.theirs}
        if not self.has_common_ground:
            return _("No common ground recorded between %(ours)s and %(theirs)s yet.") % names
        parts = []
        if self.shared_interests:
            parts.append(
                ngettext(
                    "%(count)d shared interest",
                    "%(count)d shared interests",
                    len(self.shared_interests),
                )
                % {"count": len(self.shared_interests)}
            )
        if self.shared_alliances:
            parts.append(
                ngettext(
                    "%(count)d alliance sponsored together",
                    "%(count)d alliances sponsored together",
                    len(self.shared_alliances),
                )
                % {"count": len(self.shared_alliances)}
            )
        return _("%(ours)s and %(theirs)s: %(common)s.") % {
            **names,
            "common": _(" and ").join(parts),
        }


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
