"""Template tags of the assessment pages and of the decision panels on the alliance pages."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from assessments.chart_svg import dimension_svg, radar_svg
from assessments.charts import dimension_chart, perception_radar
from assessments.fill_html import questions_html
from assessments.scoring import level_of

register = template.Library()


@register.simple_tag
def fill_questions(
    questions,
    *,
    locked,
    position,
    previous_answers,
    previous_title,
    shows_knockouts,
    keeps_evidence,
):
    """A fill page's questions, ours or the partner's (assessments/fill_html.py: the
    template language's cost per question was most of the page's)."""
    return questions_html(
        questions,
        locked=locked,
        position=position,
        previous_title=previous_title if previous_answers else None,
        shows_knockouts=shows_knockouts,
        keeps_evidence=keeps_evidence,
    )


@register.simple_tag
def dimension_scores_chart(score, dom_id="dimension-chart"):
    """`{% dimension_scores_chart score "fit" %}`: the per-dimension SVG chart of a score;
    give each chart of a page (or PDF) its own `dom_id`."""
    return dimension_svg(dimension_chart(score), dom_id=dom_id)


@register.inclusion_tag("assessments/_alliance_summary.html", takes_context=True)
def alliance_assessment_summary(context, alliance):
    """The alliance page's card: latest submitted assessment of each kind and open findings."""
    from assessments.round_selectors import evidence_dates
    from assessments.selectors import alliance_findings, scored_latest

    # The decision card's scores: on a page, computed once for both (kit/memo.py).
    scored = scored_latest([alliance.pk])
    latest = list(scored.latest.get(alliance.pk, {}).values())
    dates = evidence_dates([alliance], latest, today=timezone.localdate())
    summaries = [(a, scored.scores[a.pk], *dates[a.pk]) for a in latest]
    return {
        "alliance": alliance,
        "actions": context.get("actions", ()),
        "summaries": summaries,
        "findings": alliance_findings(alliance),
    }


@register.filter
def score(value):
    """A 0–100 score as a whole number, or an em dash."""
    return "—" if value is None else f"{value:.0f}"


@register.filter
def percent(value):
    """A 0–1 share as a whole percentage."""
    return "—" if value is None else f"{value * 100:.0f} %"


@register.filter
def level(value):
    """A 0–100 score on the 0–4 scale, e.g. 2 or 2.5 (2,5 in German)."""
    if value is None:
        return "—"
    lvl = level_of(value)
    return number_format(lvl, 0 if lvl == int(lvl) else 1)


@register.simple_tag
def perception_radar_chart(
    rows, ours_label, theirs_label, gaps=(), dom_id="perception-radar", compact=False
):
    """`{% perception_radar_chart rows "Us" "Helios" gaps %}`: the two sides' radar. `rows`
    are perception.SideBySide objects or snapshot dicts (name, ours, theirs); `gaps` the
    dimensions (names, or objects with `dimension`/`name`) drawn as perception gaps.
    `compact=True` for the PDF brief's half-page column."""
    triples = [
        (row["name"], row["ours"], row["theirs"])
        if isinstance(row, dict)
        else (row.dimension, row.ours, row.theirs)
        for row in rows
    ]
    names = [
        g if isinstance(g, str) else (g["dimension"] if isinstance(g, dict) else g.dimension)
        for g in gaps
    ]
    radar = perception_radar(
        triples, ours_label=ours_label, theirs_label=theirs_label, gap_dimensions=names
    )
    return radar_svg(radar, dom_id=dom_id, compact=compact)
