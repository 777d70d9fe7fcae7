"""The agenda a meeting is proposed: pure, no Django.

What is open on the alliance becomes the items to discuss, one section per source, in a
fixed order: conditions of the decision due or overdue, actions of earlier meetings still
open, KPIs off target, sponsor signals overdue, the perception gaps of the last two-sided
round, and a reassessment due. A section with nothing in it is left out; the manager edits
the text before the meeting is planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kit.texts import _, format_date

# A KPI is off target below this attainment (percent of target).
KPI_OFF_TARGET_BELOW = 80
# A condition or action due within this many days is on the agenda (overdue ones always).
DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class OpenItem:
    """A condition of the decision or an earlier meeting's action, still to be done."""

    text: str
    owner: str  # display name, "" when nobody owns it
    due: date | None


@dataclass(frozen=True)
class KPIFigure:
    name: str
    period: str
    attainment: int | None  # percent of target; None: no actual reported yet


@dataclass(frozen=True)
class SignalOwed:
    sponsor: str
    owed: tuple[str, ...]  # what the sponsor owes, in words


@dataclass(frozen=True)
class GapFigure:
    dimension: str
    ours: float  # 0–100
    theirs: float  # 0–100


@dataclass(frozen=True)
class AgendaInputs:
    today: date
    conditions: tuple[OpenItem, ...] = ()
    actions: tuple[OpenItem, ...] = ()
    kpis: tuple[KPIFigure, ...] = ()
    signals: tuple[SignalOwed, ...] = ()
    perception_gaps: tuple[GapFigure, ...] = ()
    partner: str = ""
    reassessments: tuple[str, ...] = ()  # one sentence per kind of assessment due


@dataclass(frozen=True)
class AgendaSection:
    heading: str
    items: tuple[str, ...]


def _when(item: OpenItem, today: date) -> str:
    if item.due is None:
        return _("no due date")
    if item.due < today:
        return _("overdue since %(date)s") % {"date": format_date(item.due)}
    return _("due %(date)s") % {"date": format_date(item.due)}


def _open_line(item: OpenItem, today: date) -> str:
    who = item.owner or _("no owner")
    return f"{item.text} ({who}, {_when(item, today)})"


def is_due(item: OpenItem, today: date, within_days: int = DUE_WITHIN_DAYS) -> bool:
    """Overdue, or due within `within_days` days of `today`; undated items are not due."""
    return item.due is not None and item.due <= today + timedelta(days=within_days)


def is_off_target(kpi: KPIFigure, below: int = KPI_OFF_TARGET_BELOW) -> bool:
    """A KPI with an actual reported whose attainment is under `below` percent."""
    return kpi.attainment is not None and kpi.attainment < below


def propose_agenda(inputs: AgendaInputs) -> tuple[AgendaSection, ...]:
    """The sections of the proposed agenda, each with at least one item, in a fixed
    order; the open items due first (overdue first), then by the order given."""
    today = inputs.today
    sections = []

    def by_due(items):
        due = [item for item in items if is_due(item, today)]
        return sorted(due, key=lambda item: item.due)

    conditions = by_due(inputs.conditions)
    if conditions:
        sections.append(
            AgendaSection(
                _("Conditions of the decision due or overdue"),
                tuple(_open_line(c, today) for c in conditions),
            )
        )
    actions = by_due(inputs.actions)
    if actions:
        sections.append(
            AgendaSection(
                _("Actions of earlier meetings due or overdue"),
                tuple(_open_line(a, today) for a in actions),
            )
        )
    off_target = sorted(
        (k for k in inputs.kpis if is_off_target(k)), key=lambda k: (k.attainment, k.name)
    )
    if off_target:
        sections.append(
            AgendaSection(
                _("KPIs off target (under %(percent)d %% of target)")
                % {"percent": KPI_OFF_TARGET_BELOW},
                tuple(
                    _("%(name)s (%(period)s): %(attainment)d %% of target")
                    % {"name": k.name, "period": k.period, "attainment": k.attainment}
                    for k in off_target
                ),
            )
        )
    if inputs.signals:
        sections.append(
            AgendaSection(
                _("Sponsor signals overdue"),
                tuple(f"{s.sponsor}: {'; '.join(s.owed)}" for s in inputs.signals),
            )
        )
    if inputs.perception_gaps:
        sections.append(
            AgendaSection(
                _("Perception gaps of the last two-sided round"),
                tuple(
                    _("%(dimension)s: we score %(ours)d, %(partner)s scores %(theirs)d")
                    % {
                        "dimension": g.dimension,
                        "ours": round(g.ours),
                        "theirs": round(g.theirs),
                        "partner": inputs.partner or _("the partner"),
                    }
                    for g in inputs.perception_gaps
                ),
            )
        )
    if inputs.reassessments:
        sections.append(AgendaSection(_("Reassessment due"), tuple(inputs.reassessments)))
    return tuple(sections)


def agenda_text(sections: tuple[AgendaSection, ...]) -> str:
    """The agenda as the text the manager edits: numbered sections, their items as
    dashes, and "Any other business" last."""
    lines = []
    for number, section in enumerate(sections, start=1):
        lines.append(f"{number}. {section.heading}")
        lines += [f"   - {item}" for item in section.items]
    lines.append(f"{len(sections) + 1}. {_('Any other business')}")
    return "\n".join(lines)
