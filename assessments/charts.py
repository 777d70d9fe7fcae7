"""Geometry of the per-dimension score chart (templates/charts/dimension_scores.html).

Pure: takes a score (ResponseScore or AssessmentScore) and returns numbers
the SVG template only prints, so the page and the PDF draw the same chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assessments.scoring import ResponseScore
from kit.texts import _

WIDTH = 640
LABEL_WIDTH = 200  # left column with the dimension names
VALUE_WIDTH = 56  # right column with the figures
# The PDF brief's variant, in a half-page column (about 245 pt): 12 × 245 / 360 ≈ 8.2 pt.
COMPACT_WIDTH = 360
COMPACT_LABEL_WIDTH = 128
COMPACT_VALUE_WIDTH = 36
COMPACT_ROW_HEIGHT = 20
ROW_HEIGHT = 30
BAR_HEIGHT = 16
TOP = 34  # room for the threshold captions
GREEN, AMBER, RED, GREY = "#2e7d6b", "#b86e00", "#b02a37", "#6c757d"


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: str  # "72" or "—"
    y: int  # top of the row
    bar_y: int
    text_y: int
    bar_width: float
    colour: str
    is_overall: bool = False


@dataclass(frozen=True)
class DimensionChart:
    width: int
    height: int
    plot_x: int
    label_x: int
    plot_width: int
    plot_bottom: int
    rows: tuple[ChartRow, ...]
    go_x: float
    no_go_x: float
    go: float
    no_go: float
    value_x: int
    ticks: tuple[tuple[float, int], ...]  # (x, value) every 25 points
    title: str
    description: str


def band_colour(score: float | None, go: float, no_go: float) -> str:
    if score is None:
        return GREY
    if score >= go:
        return GREEN
    if score < no_go:
        return RED
    return AMBER


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def dimension_chart(score: ResponseScore, compact: bool = False) -> DimensionChart:
    """Bars for the overall score then each dimension, with GO and NO-GO lines.
    `compact` draws it narrow for a half-page column of the PDF brief, so that its
    12-unit text stays above 7 pt once the viewBox is scaled to the column."""
    go, no_go = score.thresholds.go, score.thresholds.no_go
    width = COMPACT_WIDTH if compact else WIDTH
    plot_x = COMPACT_LABEL_WIDTH if compact else LABEL_WIDTH
    value_width = COMPACT_VALUE_WIDTH if compact else VALUE_WIDTH
    plot_width = width - plot_x - value_width
    entries = [(_("Overall"), score.overall, True)] + [
        (d.name, d.score, False) for d in score.dimensions
    ]
    rows = []
    row_height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
    for i, (label, value, is_overall) in enumerate(entries):
        y = TOP + i * row_height + (6 if not is_overall else 0)
        rows.append(
            ChartRow(
                label=_shorten(label, 20 if compact else 30),
                value="—" if value is None else f"{value:.0f}",
                y=y,
                bar_y=y + (row_height - BAR_HEIGHT) // 2,
                text_y=y + row_height // 2 + 5,
                bar_width=0 if value is None else round(plot_width * value / 100, 1),
                colour=band_colour(value, go, no_go),
                is_overall=is_overall,
            )
        )
    plot_bottom = rows[-1].y + row_height
    parts = [
        f"{d.name} {_('not answered') if d.score is None else f'{d.score:.0f}'}"
        for d in score.dimensions
    ]
    overall = (
        _("not scored")
        if score.overall is None
        else _("%(score)s out of 100") % {"score": f"{score.overall:.0f}"}
    )
    return DimensionChart(
        width=width,
        height=plot_bottom + 8,
        plot_x=plot_x,
        label_x=plot_x - 8,
        plot_width=plot_width,
        plot_bottom=plot_bottom,
        rows=tuple(rows),
        go_x=round(plot_x + plot_width * go / 100, 1),
        no_go_x=round(plot_x + plot_width * no_go / 100, 1),
        go=go,
        no_go=no_go,
        value_x=width - value_width + 8,
        ticks=tuple((round(plot_x + plot_width * v / 100, 1), v) for v in (0, 25, 50, 75, 100)),
        title=_("Scores by dimension"),
        description=_("Overall %(overall)s; GO at %(go)s or above, NO-GO below %(no_go)s.")
        % {"overall": overall, "go": f"{go:.0f}", "no_go": f"{no_go:.0f}"}
        + " "
        + "; ".join(parts)
        + ".",
    )


# ---------------------------------------------------------------- perception radar

RADAR_WIDTH, RADAR_HEIGHT = 600, 380  # wide: the axis labels sit left and right
RADAR_RADIUS = 140
RADAR_LABEL_GAP = 18
# The PDF brief's variant, in a half-page column (about 252 pt): 12 × 252 / 360 ≈ 8.4 pt.
# Low enough to keep the brief on two pages: side labels break onto two short lines, and
# the legend is one row, ours on the left and the partner's on the right.
RADAR_COMPACT_WIDTH = 360
RADAR_COMPACT_RADIUS = 64
RADAR_COMPACT_LABEL_GAP = 10
RADAR_COMPACT_LINE_CHARS = 14  # ≈ 90 units of 12-unit text: the room beside the rim
RADAR_COMPACT_LEGEND_CHARS = 22  # two legend entries side by side in 360 units
RADAR_LINE_HEIGHT = 14
OURS_COLOUR, THEIRS_COLOUR = "#1f4e79", "#b86e00"


@dataclass(frozen=True)
class RadarAxis:
    label: str
    x: float  # end of the axis (score 100)
    y: float
    label_x: float
    label_y: float  # baseline of the label's first line
    anchor: str  # start | middle | end
    is_gap: bool
    lines: tuple[tuple[str, float], ...]  # (text, baseline y) of each line of the label


@dataclass(frozen=True)
class RadarKey:
    """A legend entry: a colour swatch and the side's name."""

    label: str
    colour: str
    swatch_x: int
    swatch_y: int
    text_x: int
    text_y: int
    anchor: str  # start | end


@dataclass(frozen=True)
class RadarChart:
    width: int
    height: int
    cx: float
    cy: float
    axes: tuple[RadarAxis, ...]
    rings: tuple[str, ...]  # polygon points of the 25 / 50 / 75 / 100 rings
    ours: str  # polygon points of our side
    theirs: str  # polygon points of the partner's side
    our_dots: tuple[tuple[float, float], ...]
    their_dots: tuple[tuple[float, float], ...]
    legend: tuple[RadarKey, RadarKey]  # ours, then the partner's
    title: str
    description: str


@dataclass(frozen=True)
class _RadarFrame:
    width: int
    height: int
    cx: float
    cy: float
    radius: int
    label_gap: int
    line_chars: int | None  # side labels break onto two lines of this many characters


_WEB_FRAME = _RadarFrame(
    RADAR_WIDTH,
    RADAR_HEIGHT,
    RADAR_WIDTH / 2,
    RADAR_HEIGHT / 2,
    RADAR_RADIUS,
    RADAR_LABEL_GAP,
    None,
)
# Above the rim, the top label's line; below it the bottom label's, then the legend's
# baseline 20 units lower and its descenders.
_COMPACT_REACH = RADAR_COMPACT_RADIUS + RADAR_COMPACT_LABEL_GAP
_COMPACT_FRAME = _RadarFrame(
    RADAR_COMPACT_WIDTH,
    (_COMPACT_REACH + 10) + (_COMPACT_REACH + 4) + 20 + 4,
    RADAR_COMPACT_WIDTH / 2,
    _COMPACT_REACH + 10,
    RADAR_COMPACT_RADIUS,
    RADAR_COMPACT_LABEL_GAP,
    RADAR_COMPACT_LINE_CHARS,
)


def _radar_point(
    angle: float, value: float, frame: _RadarFrame = _WEB_FRAME
) -> tuple[float, float]:
    r = frame.radius * max(0.0, min(100.0, value)) / 100
    return round(frame.cx + r * math.cos(angle), 1), round(frame.cy + r * math.sin(angle), 1)


def _points(points) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _legend(
    ours_label: str, theirs_label: str, frame: _RadarFrame, compact: bool
) -> tuple[RadarKey, RadarKey]:
    """The page's legend: two rows at the bottom left. The compact one: a single row."""
    h = frame.height
    if not compact:
        return (
            RadarKey(ours_label, OURS_COLOUR, 8, h - 36, 28, h - 30, "start"),
            RadarKey(theirs_label, THEIRS_COLOUR, 8, h - 18, 28, h - 12, "start"),
        )
    w, limit = frame.width, RADAR_COMPACT_LEGEND_CHARS
    return (
        RadarKey(_shorten(ours_label, limit), OURS_COLOUR, 8, h - 10, 28, h - 4, "start"),
        RadarKey(
            _shorten(theirs_label, limit), THEIRS_COLOUR, w - 22, h - 10, w - 28, h - 4, "end"
        ),
    )


def _two_lines(label: str, limit: int) -> tuple[str, ...]:
    """`label` on one line if it fits in `limit` characters, else on two broken at a space
    (each shortened with an ellipsis if a word alone is too long)."""
    if len(label) <= limit:
        return (label,)
    words = label.split()
    first, rest = words[0], words[1:]
    while rest and len(first) + 1 + len(rest[0]) <= limit:
        first += " " + rest.pop(0)
    lines = (first, " ".join(rest)) if rest else (first,)
    return tuple(_shorten(line, limit) for line in lines)


def perception_radar(
    rows, *, ours_label: str, theirs_label: str, gap_dimensions=(), compact: bool = False
) -> RadarChart:
    """A radar (spider) chart: one axis per dimension from the centre (0) to the rim
    (100), clockwise from the top; a polygon for each side. `rows` are
    (dimension, our score or None, their score or None); an unanswered score sits at 0.
    Needs no particular number of axes: fewer than three still draw (as lines).
    `compact` draws it narrow for a half-page column of the PDF brief, so that its
    12-unit text stays above 7 pt once the viewBox is scaled to the column."""

    frame = _COMPACT_FRAME if compact else _WEB_FRAME
    n = max(len(rows), 1)
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(len(rows))]
    gap_dimensions = set(gap_dimensions)
    axes = []
    reach = frame.radius + frame.label_gap
    for (name, _ours, _theirs), angle in zip(rows, angles, strict=True):
        x, y = _radar_point(angle, 100, frame)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        lx = round(frame.cx + reach * cos, 1)
        ly = frame.cy + reach * math.sin(angle) + 4
        label = _shorten(name, 24)
        # Top and bottom labels have the width to themselves; side ones break, centred on ly.
        if anchor == "middle" or not frame.line_chars:
            lines = (label,)
        else:
            lines = _two_lines(name, frame.line_chars)
        first = ly - (len(lines) - 1) * RADAR_LINE_HEIGHT / 2
        placed = tuple(
            (text, round(first + i * RADAR_LINE_HEIGHT, 1)) for i, text in enumerate(lines)
        )
        axes.append(
            RadarAxis(label, x, y, lx, placed[0][1], anchor, name in gap_dimensions, placed)
        )
    rings = tuple(
        _points(_radar_point(a, level, frame) for a in angles) for level in (25, 50, 75, 100)
    )
    our_dots = tuple(
        _radar_point(a, o or 0, frame) for (_, o, _), a in zip(rows, angles, strict=True)
    )
    their_dots = tuple(
        _radar_point(a, t or 0, frame) for (_, _, t), a in zip(rows, angles, strict=True)
    )

    def said(value):
        return _("not answered") if value is None else f"{value:.0f}"

    parts = [f"{name}: {ours_label} {said(o)}, {theirs_label} {said(t)}" for name, o, t in rows]
    return RadarChart(
        width=frame.width,
        height=frame.height,
        cx=frame.cx,
        cy=frame.cy,
        axes=tuple(axes),
        rings=rings,
        ours=_points(our_dots),
        theirs=_points(their_dots),
        our_dots=our_dots,
        their_dots=their_dots,
        legend=_legend(ours_label, theirs_label, frame, compact),
        title=_("Perception gap by dimension"),
        description="; ".join(parts) + ".",
    )


# ------------------------------------------------------------------ trend chart

TREND_WIDTH = 640
TREND_PLOT_LEFT = 40  # room for the 0–100 axis labels
TREND_PLOT_RIGHT = 16
TREND_PLOT_TOP = 12
TREND_PLOT_HEIGHT = 180
TREND_AXIS_ROOM = 28  # dates under the plot
TREND_LEGEND_ROW = 20
# The PDF brief's variant, drawn in a half-page column (about 245 pt): 12 × 245 / 340 ≈ 8.6 pt.
TREND_COMPACT_WIDTH = 340
TREND_COMPACT_PLOT_HEIGHT = 64
TREND_COMPACT_LEGEND_WIDTH = 140
# Overall first, in ink; the dimensions in colours that stay apart for colour-blind readers.
TREND_COLOURS = (
    "#212529",
    "#0b6bcb",
    "#b86e00",
    "#2e7d6b",
    "#8e3ea6",
    "#b02a37",
    "#5c6f82",
    "#1f9aa8",
)


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    value: str  # "72"
    when: str  # "12 Mar 2026"


@dataclass(frozen=True)
class TrendLine:
    name: str
    colour: str
    path: str  # SVG path data; a missing value breaks the line
    points: tuple[TrendPoint, ...]
    is_main: bool
    legend_x: int
    legend_y: int


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_x: int
    plot_y: int
    plot_right: int
    plot_bottom: int
    lines: tuple[TrendLine, ...]
    y_ticks: tuple[tuple[float, int], ...]  # (y, value) every 25 points
    x_ticks: tuple[tuple[float, str], ...]  # (x, date label)
    title: str
    description: str


def _x_positions(days: list[int], left: float, width: float) -> list[float]:
    """Time-proportional x of each day number; evenly spread when they are all the same."""
    if len(days) == 1:
        return [left + width / 2]
    first, last = min(days), max(days)
    if first == last:
        return [left + width * i / (len(days) - 1) for i in range(len(days))]
    return [round(left + width * (d - first) / (last - first), 1) for d in days]


def trend_chart(
    *,
    title: str,
    days: list[int],
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    compact: bool = False,
) -> TrendChart:
    """Lines of 0–100 scores over time. `days` are ordinal day numbers (ascending) with
    `labels` to print; each series is (name, one value or None per day), the first one
    drawn as the main line. The description says every value, for screen readers.
    `compact` draws it narrow and low for a column of the PDF brief: its viewBox is
    narrow enough that 12-unit text stays above 7 pt in a half-page column."""
    width = TREND_COMPACT_WIDTH if compact else TREND_WIDTH
    plot_height = TREND_COMPACT_PLOT_HEIGHT if compact else TREND_PLOT_HEIGHT
    plot_x, plot_y = TREND_PLOT_LEFT, TREND_PLOT_TOP
    # Compact: the legend stands in a column right of the plot, one line a series.
    plot_right = width - (TREND_COMPACT_LEGEND_WIDTH if compact else TREND_PLOT_RIGHT)
    plot_bottom = plot_y + plot_height
    xs = _x_positions(days, plot_x + 12, plot_right - plot_x - 24)

    def y_of(value: float) -> float:
        return round(plot_bottom - plot_height * max(0.0, min(100.0, value)) / 100, 1)

    lines, parts = [], []
    per_row = 1 if compact else 3
    for i, (name, values) in enumerate(series):
        points, path, pen_down = [], [], False
        for x, when, value in zip(xs, labels, values, strict=True):
            if value is None:
                pen_down = False
                continue
            y = y_of(value)
            path.append(f"{'L' if pen_down else 'M'}{x} {y}")
            pen_down = True
            points.append(TrendPoint(x, y, f"{value:.0f}", when))
        lines.append(
            TrendLine(
                name=_shorten(name, 20 if compact else 26),
                colour=TREND_COLOURS[i % len(TREND_COLOURS)],
                path=" ".join(path),
                points=tuple(points),
                is_main=i == 0,
                legend_x=plot_right + 12 if compact else plot_x + (i % per_row) * 200,
                legend_y=plot_y + 10 + i * 16
                if compact
                else plot_bottom + TREND_AXIS_ROOM + 14 + (i // per_row) * TREND_LEGEND_ROW,
            )
        )
        shown = ", ".join(f"{p.when} {p.value}" for p in points) or _("no score")
        parts.append(f"{name}: {shown}")
    rows = (len(series) + per_row - 1) // per_row
    most = 3 if compact else 6  # date labels that fit side by side
    step = max(1, (len(labels) + most - 1) // most)
    return TrendChart(
        width=width,
        height=max(plot_bottom + TREND_AXIS_ROOM, plot_y + len(series) * 16) + 8
        if compact
        else plot_bottom + TREND_AXIS_ROOM + rows * TREND_LEGEND_ROW + 8,
        plot_x=plot_x,
        plot_y=plot_y,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        lines=tuple(lines),
        y_ticks=tuple((y_of(v), v) for v in (0, 25, 50, 75, 100)),
        x_ticks=tuple(
            (x, label)
            for n, (x, label) in enumerate(zip(xs, labels, strict=True))
            if n % step == 0 or n == len(labels) - 1
        ),
        title=title,
        description="; ".join(parts) + ".",
    )


def trend_charts(trends: dict, compact: bool = False) -> list[tuple[str, TrendChart]]:
    """(dom id, chart) for each series of `trends` as `round_selectors.alliance_trends`
    (and the brief's snapshot) give them: one per kind of assessment with two rounds or
    more, then our sponsor's health. `compact` for the PDF brief's columns."""
    charts = []
    for kind in trends.get("rounds", ()):
        charts.append(
            (
                f"trend-{kind['kind']}",
                trend_chart(
                    title=_("%(kind)s across rounds") % {"kind": kind["label"]},
                    days=kind["days"],
                    labels=kind["labels"],
                    series=[(name, values) for name, values in kind["series"]],
                    compact=compact,
                ),
            )
        )
    sponsor = trends.get("sponsor")
    if sponsor:
        title = _("Health of our executive sponsor, %(name)s") % {"name": sponsor["name"]}
        charts.append(
            (
                "trend-sponsor-health",
                trend_chart(
                    title=title,
                    days=sponsor["days"],
                    labels=sponsor["labels"],
                    series=[(_("Sponsor health"), sponsor["values"])],
                    compact=compact,
                ),
            )
        )
    return charts
