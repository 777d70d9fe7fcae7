"""The per-dimension chart: SVG drawn on the server (matplotlib), the same in pages and PDFs."""

import io
import re

from django.template import Context, Template
from pypdf import PdfReader

from assessments.charts import GREEN, RED, dimension_chart
from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    Thresholds,
    VersionSpec,
    score_response,
)

SPEC = VersionSpec(
    dimensions=(DimensionSpec("Alignment <script>", 50), DimensionSpec("Value", 50)),
    questions=(
        QuestionSpec("S1", "q", "Alignment <script>"),
        QuestionSpec("S2", "q", "Value"),
    ),
    thresholds=Thresholds(go=70, no_go=50, gap=50),
)


def render(score):
    template = Template("{% load assessment_tags %}{% dimension_scores_chart score 'fit' %}")
    return template.render(Context({"score": score}))


def test_bars_carry_scores_and_their_band_with_go_and_no_go():
    score = score_response(SPEC, [AnswerInput("S1", score=100), AnswerInput("S2", score=0)])
    chart = dimension_chart(score)
    overall, alignment, value = chart.bars
    assert (overall.label, overall.value, overall.is_overall) == ("Overall", 50, True)
    assert (alignment.value, value.value) == (100, 0)
    assert (alignment.colour, value.colour) == (GREEN, RED)
    assert (chart.go, chart.no_go) == (70, 50)
    assert "Alignment <script> 100; Value 0." in chart.description


def test_the_svg_is_self_contained_and_escapes_names():
    html = render(score_response(SPEC, [AnswerInput("S1", score=50)]))
    assert html.count("<svg") == 1
    assert "Alignment &lt;script&gt;" in html
    assert "<script" not in html
    assert not re.search(r"\b(class|style|href)=", html)
    assert "GO ≥ 70" in html
    assert "NO-GO &lt; 50" in html
    assert 'aria-labelledby="fit-title fit-desc"' in html
    assert ">—<" in html  # the unanswered dimension shows a dash, not 0


def test_weasyprint_draws_the_same_partial():
    from weasyprint import HTML

    svg = render(score_response(SPEC, [AnswerInput("S1", score=75), AnswerInput("S2", score=50)]))
    pdf = HTML(string=f"<html><body><h1>Brief</h1>{svg}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Value" in text
    assert "GO ≥ 70" in text
