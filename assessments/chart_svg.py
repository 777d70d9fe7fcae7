"""Draws the charts of `assessments/charts.py` with matplotlib as inline SVG, the same for
the pages and the PDF brief (WeasyPrint).

matplotlib lays the charts out (axes, ticks, legends) and measures every label with its
own font metrics, so nothing is clipped and no two date labels overlap. Its SVG is then
made safe to inline: text stays text (`svg.fonttype = none`, so pypdf and screen readers
read it), its `style` attributes become presentation attributes (our CSP allows no inline
style), `<use>` references are copied in place, ids, metadata and dates go, so the same
data always gives the same bytes (the brief's PDF hash). matplotlib escapes every text.

Sizes are in points: a chart drawn `compact` is as wide as a half-page column of the
brief (its labels print at `COMPACT_FONT` points); the page's is as wide as its
`.chart-scroll` minimum (640 px), so its labels show at 13 px or more.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.safestring import SafeString, mark_safe

from assessments.charts import (
    COMPACT_LABEL_CHARS,
    OURS_COLOUR,
    THEIRS_COLOUR,
    DimensionChart,
    RadarChart,
    TrendChart,
    shorten,
    trend_charts,
    whole,
)

FONT_FAMILY = "'Source Sans 3', Helvetica, Arial, sans-serif"  # brief.css ships the font
# matplotlib measures with its own DejaVu Sans, wider than Source Sans 3: the room it
# keeps for a label is always enough for the label as printed.
MEASURE_FONT = "DejaVu Sans"
INK, MUTED, RULE = "#212529", "#495057", "#dee2e6"

COMPACT_WIDTH = 244  # pt: a column of the brief (48.5 % of A4 less 2 × 16 mm)
COMPACT_FONT = 7.5  # pt
PAGE_WIDTH = 480  # pt = 640 px
PAGE_FONT = 10  # pt: 13.3 px at the scroll's minimum width

# A worker draws the same charts again for each new brief of an alliance (its assessments'
# scores change less often than the rest of the evidence): the same data gives the same
# bytes, so drawn charts are kept per process, by their data.
CACHED_CHARTS = 256

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# The style properties kept, as SVG presentation attributes.
PRESENTATION = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
}


@cache
def _matplotlib():
    """matplotlib's object API with the SVG canvas (no pyplot, no GUI), set up once per
    process: imported here, so a process that draws no chart never pays for it."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # labels stay text
            "svg.hashsalt": "alliance-readiness",  # no random ids
            "text.parse_math": False,  # a "$" in a dimension's name is just a "$"
            "font.family": MEASURE_FONT,
            "axes.unicode_minus": False,
        }
    )
    return Figure, FigureCanvasSVG, FontProperties, TextToPath()


@lru_cache(maxsize=4096)
def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points as matplotlib lays it out."""
    _figure, _canvas, font_properties, text_to_path = _matplotlib()
    prop = font_properties(family=MEASURE_FONT, size=size, weight="bold" if bold else "normal")
    width, _height, _descent = text_to_path.get_text_width_height_descent(text, prop, False)
    return width


def _figure(width: float, height: float):
    figure, _canvas, _props, _ttp = _matplotlib()
    fig = figure(figsize=(width / 72, height / 72), dpi=72)
    fig.patch.set_visible(False)  # transparent: no background to draw
    return fig


def _svg(fig, *, dom_id: str, title: str, description: str) -> SafeString:
    """The figure as inline SVG: presentation attributes only, no id but its own, its
    title's and its description's, no reference, no metadata."""
    _f, canvas, _p, _t = _matplotlib()
    out = io.StringIO()
    canvas(fig).print_svg(out, metadata={"Date": None, "Creator": None, "Format": None})
    root = ET.fromstring(out.getvalue())
    defs = {}
    for element in root.iter():
        if element.get("id") and element.tag == f"{{{SVG_NS}}}path":
            defs[element.get("id")] = element
    _inline_uses(root, defs)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}defs", f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for element in root.iter():
        _presentation(element)
    _unwrap_groups(root)
    view_box = root.get("viewBox")
    root.attrib.clear()
    # Tags without their namespace, which the root declares: <svg xmlns="…">, not
    # <ns0:svg>, and no ElementTree.register_namespace (global: WeasyPrint uses it too).
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.attrib.update(
        {
            "xmlns": SVG_NS,
            "id": dom_id,
            "width": "100%",
            "viewBox": view_box,
            "role": "img",
            "aria-labelledby": f"{dom_id}-title {dom_id}-desc",
            "font-family": FONT_FAMILY,
            "stroke-linejoin": "round",
        }
    )
    title_element = ET.Element("title", id=f"{dom_id}-title")
    title_element.text = title
    desc_element = ET.Element("desc", id=f"{dom_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    svg = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return mark_safe(re.sub(r">\s+<", "><", svg))


def _inline_uses(root, defs) -> None:
    """Each `<use>` of a marker becomes the marker's path moved to its place."""
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag != f"{{{SVG_NS}}}use":
                continue
            source = defs[child.get(XLINK_HREF, "").lstrip("#")]
            path = ET.Element(f"{{{SVG_NS}}}path", d=source.get("d"))
            path.set("style", f"{source.get('style', '')};{child.get('style', '')}")
            path.set("transform", f"translate({child.get('x', '0')} {child.get('y', '0')})")
            parent.remove(child)
            parent.insert(index, path)


def _unwrap_groups(parent) -> None:
    """A `<g>` without attributes gives way to its children: fewer elements to draw."""
    index = 0
    while index < len(parent):
        child = parent[index]
        _unwrap_groups(child)
        if child.tag == f"{{{SVG_NS}}}g" and not child.attrib:
            parent[index : index + 1] = list(child)
            index += len(child)
        else:
            index += 1


def _presentation(element) -> None:
    """`style="fill: #fff; font-size: 10px"` → `fill="#fff" font-size="10"`; ids, clip
    paths and empty rotations dropped."""
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            element.set(name, value.removesuffix("px"))
    gid = element.attrib.pop("id", "")
    if gid.startswith("side-"):  # a side's polygon says whose it is (radar_svg)
        element.set("data-side", gid.removeprefix("side-"))
    element.attrib.pop("clip-path", None)
    if re.fullmatch(r"rotate\(-?0 [^)]*\)", element.get("transform", "")):
        del element.attrib["transform"]
    if "d" in element.attrib:
        element.set("d", " ".join(element.get("d").split()))


def _style_axes(ax, font: float) -> None:
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    ax.tick_params(length=0, labelsize=font, colors=MUTED, pad=font * 0.4)


# ---------------------------------------------------------------- dimension scores


@lru_cache(maxsize=CACHED_CHARTS)
def dimension_svg(chart: DimensionChart, *, dom_id: str, compact: bool = False) -> SafeString:
    """Horizontal bars, overall first (bold), each with its figure at the right; dashed
    GO and NO-GO lines captioned above the bars."""
    font = COMPACT_FONT if compact else PAGE_FONT
    width = COMPACT_WIDTH if compact else PAGE_WIDTH
    row = font * (1.8 if compact else 2.2)
    labels = [
        shorten(bar.label, COMPACT_LABEL_CHARS) if compact else shorten(bar.label)
        for bar in chart.bars
    ]
    caption = font * 1.8  # the thresholds' captions
    height = caption + row * len(chart.bars) + font * 0.4
    left = max(
        _text_width(t, font, bar.is_overall) for t, bar in zip(labels, chart.bars, strict=True)
    )
    left += font
    right = _text_width("100", font, True) + font
    fig = _figure(width, height)
    ax = fig.add_axes(
        (left / width, 0.2 * font / height, (width - left - right) / width, 1 - caption / height)
    )
    _style_axes(ax, font)
    rows = range(len(chart.bars))
    ax.set_xlim(0, 100)
    ax.set_ylim(len(chart.bars) - 0.5, -0.5)  # overall at the top
    ax.barh(rows, [100] * len(chart.bars), height=0.62, color="#f1f3f5")
    ax.barh(
        rows,
        [bar.value or 0 for bar in chart.bars],
        height=0.62,
        color=[bar.colour for bar in chart.bars],
    )
    ax.set_yticks(list(rows), labels, color=INK)
    ax.set_xticks([])
    for tick, bar in zip(ax.get_yticklabels(), chart.bars, strict=True):
        tick.set_fontweight("bold" if bar.is_overall else "normal")
    for y, bar in zip(rows, chart.bars, strict=True):
        ax.annotate(
            whole(bar.value),
            (1.0, y),
            xycoords=ax.get_yaxis_transform(),
            xytext=(font * 0.4, 0),
            textcoords="offset points",
            va="center",
            fontsize=font,
            color=INK,
            fontweight="bold" if bar.is_overall else "normal",
        )
    for value, colour, text, align in (
        (chart.no_go, "#b02a37", f"NO-GO < {chart.no_go:.0f}", "right"),
        (chart.go, "#2e7d6b", f"GO ≥ {chart.go:.0f}", "left"),
    ):
        ax.axvline(value, ymax=1.04, color=colour, linewidth=1.2, dashes=(3, 2), clip_on=False)
        ax.text(
            value,
            1.06,
            text,
            transform=ax.get_xaxis_transform(),
            ha=align,
            va="bottom",
            fontsize=font,
            color=colour,
        )
    return _svg(fig, dom_id=dom_id, title=chart.title, description=chart.description)


# ---------------------------------------------------------------- perception radar


def _wrapped(name: str, chars: int) -> str:
    """`name` on two lines of about `chars` characters when it is longer."""
    if len(name) <= chars or " " not in name:
        return shorten(name, chars + 4)
    words, first = name.split(), ""
    while words and len(first) + len(words[0]) < chars:
        first = f"{first} {words.pop(0)}".strip()
    first = first or words.pop(0)
    return f"{first}\n{shorten(' '.join(words), chars + 4)}" if words else first


@lru_cache(maxsize=CACHED_CHARTS)
def radar_svg(radar: RadarChart, *, dom_id: str, compact: bool = False) -> SafeString:
    """One axis a dimension, clockwise from the top, 0 at the centre and 100 on the rim;
    our side a solid polygon, the partner's dashed; perception gaps named in bold red."""
    font = COMPACT_FONT if compact else PAGE_FONT
    width = COMPACT_WIDTH if compact else PAGE_WIDTH
    chars = 14 if compact else 26
    count = max(len(radar.axes), 1)
    angles = [2 * math.pi * i / count for i in range(len(radar.axes))]
    # Labels beside the rim break onto two lines; those above and below it have the
    # chart's width to themselves.
    names = [
        _wrapped(axis.name, chars) if abs(math.sin(angle)) > 0.5 else shorten(axis.name, 24)
        for axis, angle in zip(radar.axes, angles, strict=True)
    ]
    widest = max(
        (_text_width(line, font, True) for n in names for line in n.split("\n")), default=0
    )
    # Room above the rim for the top label, below it for the lowest labels' lines.
    line = font * 1.2
    above = line + font * 0.6
    below = (
        max(
            (n.count("\n") + 1 for n, a in zip(names, angles, strict=True) if math.cos(a) < -0.5),
            default=1,
        )
        * line
        + font * 0.6
    )
    legend = font * 2
    radius = min((width - 2 * widest - 2 * font) / 2, font * (5.4 if compact else 12))
    height = 2 * radius + above + below + legend
    fig = _figure(width, height)
    ax = fig.add_axes(
        (
            (width / 2 - radius) / width,
            (legend + below) / height,
            2 * radius / width,
            2 * radius / height,
        ),
        projection="polar",
    )
    ax.patch.set_visible(False)
    ax.spines["polar"].set_color(RULE)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], [""] * 4)
    ax.grid(color=RULE, linewidth=0.6)
    ax.set_xticks(angles, names, fontsize=font, color=INK)
    ax.tick_params(axis="x", pad=font * 0.3)
    for label, axis in zip(ax.get_xticklabels(), radar.axes, strict=True):
        if axis.is_gap:
            label.set_color("#b02a37")
            label.set_fontweight("bold")
    closed = [*angles, *angles[:1]]
    for side, values, colour, dashes, name in (
        ("theirs", [a.theirs for a in radar.axes], THEIRS_COLOUR, (4, 2), radar.theirs_label),
        ("ours", [a.ours for a in radar.axes], OURS_COLOUR, (), radar.ours_label),
    ):
        r = [v or 0 for v in values]
        r = [*r, *r[:1]]
        ax.fill(closed, r, color=colour, alpha=0.15, clip_on=False)
        ax.plot(
            closed,
            r,
            color=colour,
            linewidth=1.5,
            dashes=dashes or (None, None),
            marker="o",
            markersize=font * 0.35,
            label=shorten(name, 22 if compact else 40),
            clip_on=False,
            gid=f"side-{side}",
        )
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles[::-1],
        labels[::-1],
        loc="lower center",
        ncols=2,
        fontsize=font,
        frameon=False,
        handlelength=1.6,
        borderaxespad=0.2,
        columnspacing=1.2,
    )
    return _svg(fig, dom_id=dom_id, title=radar.title, description=radar.description)


# ------------------------------------------------------------------ trend chart


def _shown_dates(xs: list[float], widths: list[float], gap: float) -> list[int]:
    """Indexes of the date labels to print, centred at `xs` (points) with `widths`: the
    latest always, then each earlier one that keeps `gap` from the last one kept."""
    shown: list[int] = []
    for i in reversed(range(len(xs))):
        if not shown or xs[i] + widths[i] / 2 + gap <= xs[shown[-1]] - widths[shown[-1]] / 2:
            shown.append(i)
    return shown[::-1]


@lru_cache(maxsize=CACHED_CHARTS)
def trend_svg(chart: TrendChart, *, dom_id: str, compact: bool = False) -> SafeString:
    """Scores over time (0–100): a line a series, the main one thick with its latest
    value printed; dates under the points, as many as fit side by side. Compact: the
    legend in a column right of the plot; on the page: in rows under it."""
    font = COMPACT_FONT if compact else PAGE_FONT
    width = COMPACT_WIDTH if compact else PAGE_WIDTH
    plot_height = font * (7 if compact else 18)
    names = [shorten(line.name, COMPACT_LABEL_CHARS if compact else 26) for line in chart.lines]
    handle = font * 2.4  # a legend entry's line and the space after it
    if compact:
        legend_width = max(_text_width(n, font, True) for n in names) + handle + font
        legend_rows, columns = 0, 1
    else:
        legend_width, columns = 0, 3
        legend_rows = math.ceil(len(names) / columns)
    left = _text_width("100", font) + font * 0.8
    right = legend_width + font * 1.2
    top = font * 1.8  # the latest value above its point, at 100 too
    bottom = font * 2.2 + legend_rows * font * 1.6
    height = max(top + plot_height + bottom, len(names) * font * 1.5 + font)
    plot_width = width - left - right
    fig = _figure(width, height)
    ax = fig.add_axes(
        (left / width, bottom / height, plot_width / width, (height - top - bottom) / height)
    )
    _style_axes(ax, font)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.grid(axis="y", color=RULE, linewidth=0.6)
    ax.set_axisbelow(True)
    # Dates last: read back from the PDF, they never run into the figures ("Dec 2026 0 25").
    ax.xaxis.set_zorder(10)
    days = list(chart.days)
    first, last = days[0], days[-1]
    span = max(last - first, 1)
    ax.set_xlim(first - span * 0.06, last + span * 0.06)
    low, high = ax.get_xlim()
    xs = [plot_width * (d - low) / (high - low) for d in days]
    widths = [_text_width(label, font) for label in chart.labels]
    shown = _shown_dates(xs, widths, gap=font)
    ax.set_xticks([days[i] for i in shown], [chart.labels[i] for i in shown])
    for line, name in zip(chart.lines, names, strict=True):
        values = [math.nan if v is None else v for v in line.values]
        ax.plot(
            days,
            values,
            color=line.colour,
            linewidth=2.2 if line.is_main else 1.2,
            marker="o",
            markersize=font * (0.45 if line.is_main else 0.35),
            label=name,
            clip_on=False,
        )
        scored = [(d, v) for d, v in zip(days, line.values, strict=True) if v is not None]
        if line.is_main and scored:
            ax.annotate(
                whole(scored[-1][1]),
                scored[-1],
                xytext=(0, font * 0.6),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=font,
                fontweight="bold",
                color=line.colour,
                annotation_clip=False,
            )
    legend = ax.legend(
        loc="upper left" if compact else "upper center",
        bbox_to_anchor=(1.02, 1) if compact else (0.5, -font * 2.0 / (height - top - bottom)),
        ncols=columns,
        fontsize=font,
        frameon=False,
        handlelength=1.6,
        borderaxespad=0,
        borderpad=0,
        labelspacing=0.4,
        columnspacing=1.2,
    )
    legend.get_texts()[0].set_fontweight("bold")
    for text in legend.get_texts():
        text.set_color(INK)
    return _svg(fig, dom_id=dom_id, title=chart.title, description=chart.description)


@dataclass(frozen=True)
class DrawnTrend:
    """A trend chart's title and its SVG."""

    title: str
    svg: SafeString


def trend_figures(trends: dict, *, compact: bool = False) -> list[tuple[str, DrawnTrend]]:
    """(dom id, drawn chart) for each trend of `trends` (round_selectors.alliance_trends,
    or a brief's snapshot): what the alliance page's trend card and the brief print."""
    return [
        (dom_id, DrawnTrend(chart.title, trend_svg(chart, dom_id=dom_id, compact=compact)))
        for dom_id, chart in trend_charts(trends)
    ]
