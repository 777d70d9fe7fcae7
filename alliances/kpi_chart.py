"""A KPI's reported actuals over time, with its target as a line, as plain geometry that
`templates/alliances/_kpi_trend.svg.html` draws as inline SVG (no script, no style).

Pure: no Django. Coordinates are in the SVG's user units (WIDTH × HEIGHT, y downwards).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kit.texts import _, format_date

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36  # room for the axis labels
TICKS = 4  # intervals on the value axis, about
HEADROOM = 1.1  # the highest of target and values sits below the top


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: str  # as the reader reads it
    value: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class KPITrend:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the plot's baseline (value 0)
    points: tuple[Point, ...]  # by day, then as entered
    polyline: str  # "x,y x,y …" through the points
    target_y: float
    target_label: str
    ticks: tuple[Tick, ...]  # on the value axis, from 0 up
    first_day: str
    last_day: str
    title: str
    description: str  # every figure, for screen readers


def number(value: Decimal | float) -> str:
    """A value as printed on the chart: no trailing zeros ("1250", "12.5")."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def nice_step(top: float, intervals: int = TICKS) -> float:
    """A step of 1, 2 or 5 × 10ⁿ that cuts 0…`top` (> 0) into about `intervals` parts."""
    raw = top / intervals
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def kpi_trend(
    *, name: str, target: Decimal, actuals: list[tuple[date, Decimal]], unit: str = ""
) -> KPITrend:
    """The trend of `actuals` ((day, value ≥ 0) pairs, in the order to draw: by day, then
    as entered) against `target` (> 0). The value axis runs from 0 to a round number above
    the highest of target and values; the day axis from the first day to the last (a
    single day sits in the middle)."""
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    highest = max([float(target), *(float(v) for _day, v in actuals)]) or 1.0
    step = nice_step(highest * HEADROOM)
    ceiling = step * math.ceil(highest * HEADROOM / step)

    def y_of(value) -> float:
        return round(plot_bottom - float(value) / ceiling * (plot_bottom - TOP), 1)

    days = [day.toordinal() for day, _value in actuals]
    first, last = (min(days), max(days)) if days else (0, 0)

    def x_of(ordinal: int) -> float:
        if last == first:
            return round((LEFT + plot_right) / 2, 1)
        return round(LEFT + (ordinal - first) / (last - first) * (plot_right - LEFT), 1)

    points = tuple(
        Point(x_of(day.toordinal()), y_of(value), format_date(day), number(value))
        for day, value in actuals
    )
    ticks = tuple(
        Tick(y_of(step * i), number(round(step * i, 10))) for i in range(round(ceiling / step) + 1)
    )
    suffix = f" {unit}" if unit else ""
    said = "; ".join(f"{p.day}: {p.value}{suffix}" for p in points)
    description = _("Target %(target)s%(unit)s.") % {"target": number(target), "unit": suffix}
    description += " " + (said + "." if said else _("No actuals reported yet."))
    return KPITrend(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=plot_right,
        top=TOP,
        bottom=plot_bottom,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        target_y=y_of(target),
        target_label=_("target %(target)s") % {"target": number(target)},
        ticks=ticks,
        first_day=points[0].day if points else "",
        last_day=points[-1].day if points else "",
        title=_("%(name)s over time") % {"name": name},
        description=description,
    )
