"""Geometry of the per-dimension score chart (templates/charts/dimension_scores.html).

Pure: takes a score (ResponseScore or AssessmentScore) and returns numbers
the SVG template only prints, so the page and the PDF draw the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliances.texts import _
from assessments.scoring import ResponseScore

WIDTH = 640
LABEL_WIDTH = 200  # left column with the dimension names
VALUE_WIDTH = 56  # right column with the figures
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


def dimension_chart(score: ResponseScore) -> DimensionChart:
    """Bars for the overall score then each dimension, with GO and NO-GO lines."""
    go, no_go = score.thresholds.go, score.thresholds.no_go
    plot_x = LABEL_WIDTH
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    entries = [(_("Overall"), score.overall, True)] + [
        (d.name, d.score, False) for d in score.dimensions
    ]
    rows = []
    for i, (label, value, is_overall) in enumerate(entries):
        y = TOP + i * ROW_HEIGHT + (6 if not is_overall else 0)
        rows.append(
            ChartRow(
                label=_shorten(label),
                value="—" if value is None else f"{value:.0f}",
                y=y,
                bar_y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=y + ROW_HEIGHT // 2 + 5,
                bar_width=0 if value is None else round(plot_width * value / 100, 1),
                colour=band_colour(value, go, no_go),
                is_overall=is_overall,
            )
        )
    plot_bottom = rows[-1].y + ROW_HEIGHT
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
        width=WIDTH,
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
        value_x=WIDTH - VALUE_WIDTH + 8,
        ticks=tuple((round(plot_x + plot_width * v / 100, 1), v) for v in (0, 25, 50, 75, 100)),
        title=_("Scores by dimension"),
        description=_("Overall %(overall)s; GO at %(go)s or above, NO-GO below %(no_go)s.")
        % {"overall": overall, "go": f"{go:.0f}", "no_go": f"{no_go:.0f}"}
        + " "
        + "; ".join(parts)
        + ".",
    )
