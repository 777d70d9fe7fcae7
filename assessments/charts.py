"""What the charts show: the per-dimension scores, the two sides' perception radar and
the scores over time, as plain data (labels, values, colours, what a screen reader hears).

Pure: no Django, no drawing. `assessments/chart_svg.py` draws these with matplotlib, the
same way for the pages and the PDF brief.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.scoring import ResponseScore
from kit.texts import _, bank_words

GREEN, AMBER, RED, GREY = "#2e7d6b", "#b86e00", "#b02a37", "#6c757d"
OURS_COLOUR, THEIRS_COLOUR = "#1f4e79", "#b86e00"
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
LABEL_CHARS = 30  # a longer name is shortened with an ellipsis
COMPACT_LABEL_CHARS = 20  # in the PDF brief's half-page columns


def band_colour(score: float | None, go: float, no_go: float) -> str:
    """Green at or above GO, red under NO-GO, amber between, grey when not scored."""
    if score is None:
        return GREY
    if score >= go:
        return GREEN
    if score < no_go:
        return RED
    return AMBER


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """`label` cut to at most `limit` characters, an ellipsis marking the cut."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def whole(value: float | None) -> str:
    """A 0–100 score as printed on a chart: "72", or "—" when not scored."""
    return "—" if value is None else f"{value:.0f}"


# ---------------------------------------------------------------- dimension scores


@dataclass(frozen=True)
class Bar:
    label: str  # the dimension's name in full; the drawing shortens it
    value: float | None  # 0–100, None when not scored
    colour: str
    is_overall: bool = False


@dataclass(frozen=True)
class DimensionChart:
    bars: tuple[Bar, ...]  # overall first, then each dimension in the bank's order
    go: float
    no_go: float
    title: str
    description: str


def dimension_chart(score: ResponseScore) -> DimensionChart:
    """A bar for the overall score then one for each dimension (0–100, coloured by band),
    with the GO and NO-GO thresholds; the description says every figure."""
    go, no_go = score.thresholds.go, score.thresholds.no_go
    entries = [(_("Overall"), score.overall, True)] + [
        (bank_words(d.name), d.score, False) for d in score.dimensions
    ]
    parts = [
        f"{bank_words(d.name)} {_('not answered') if d.score is None else whole(d.score)}"
        for d in score.dimensions
    ]
    overall = (
        _("not scored")
        if score.overall is None
        else _("%(score)s out of 100") % {"score": whole(score.overall)}
    )
    return DimensionChart(
        bars=tuple(
            Bar(label, value, band_colour(value, go, no_go), is_overall)
            for label, value, is_overall in entries
        ),
        go=go,
        no_go=no_go,
        title=_("Scores by dimension"),
        description=_("Overall %(overall)s; GO at %(go)s or above, NO-GO below %(no_go)s.")
        % {"overall": overall, "go": f"{go:.0f}", "no_go": f"{no_go:.0f}"}
        + " "
        + "; ".join(parts)
        + ".",
    )


# ---------------------------------------------------------------- perception radar


@dataclass(frozen=True)
class RadarAxis:
    name: str
    ours: float | None  # 0–100, None when unanswered (drawn at the centre)
    theirs: float | None
    is_gap: bool


@dataclass(frozen=True)
class RadarChart:
    axes: tuple[RadarAxis, ...]  # clockwise from the top
    ours_label: str
    theirs_label: str
    title: str
    description: str


def perception_radar(rows, *, ours_label: str, theirs_label: str, gap_dimensions=()) -> RadarChart:
    """One axis per dimension from the centre (0) to the rim (100); a polygon for each
    side. `rows` are (dimension, our score or None, their score or None); the dimensions
    named in `gap_dimensions` are marked as perception gaps. Any number of axes."""
    gaps = {bank_words(name) for name in gap_dimensions}
    rows = [(bank_words(name), o, t) for name, o, t in rows]

    def said(value):
        return _("not answered") if value is None else whole(value)

    parts = [f"{name}: {ours_label} {said(o)}, {theirs_label} {said(t)}" for name, o, t in rows]
    return RadarChart(
        axes=tuple(RadarAxis(name, o, t, name in gaps) for name, o, t in rows),
        ours_label=ours_label,
        theirs_label=theirs_label,
        title=_("Perception gap by dimension"),
        description="; ".join(parts) + ".",
    )


# ------------------------------------------------------------------ trend chart


@dataclass(frozen=True)
class TrendLine:
    name: str
    colour: str
    values: tuple[float | None, ...]  # one per day; None breaks the line
    is_main: bool


@dataclass(frozen=True)
class TrendChart:
    days: tuple[int, ...]  # ordinal day numbers, ascending
    labels: tuple[str, ...]  # each day as the reader reads it ("5 Mar 2026", "5 Mär 2026")
    lines: tuple[TrendLine, ...]  # the main line (overall) first
    title: str
    description: str


def trend_chart(
    *,
    title: str,
    days: list[int],
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
) -> TrendChart:
    """Lines of 0–100 scores over time. `days` are ordinal day numbers (ascending) with
    `labels` to print; each series is (name, one value or None per day), the first one
    the main line. The description says every value, for screen readers."""
    lines, parts = [], []
    for i, (name, values) in enumerate(series):
        lines.append(TrendLine(name, TREND_COLOURS[i % len(TREND_COLOURS)], tuple(values), i == 0))
        shown = ", ".join(
            f"{when} {whole(value)}"
            for when, value in zip(labels, values, strict=True)
            if value is not None
        )
        parts.append(f"{name}: {shown or _('no score')}")
    return TrendChart(
        days=tuple(days),
        labels=tuple(labels),
        lines=tuple(lines),
        title=title,
        description="; ".join(parts) + ".",
    )


def trend_charts(trends: dict) -> list[tuple[str, TrendChart]]:
    """(dom id, chart) for each series of `trends` as `round_selectors.alliance_trends`
    (and the brief's snapshot) give them: one per kind of assessment with two rounds or
    more, then our sponsor's health."""
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
                ),
            )
        )
    return charts
