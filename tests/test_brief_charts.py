"""Charts drawn by matplotlib (assessments/chart_svg.py) read right in the PDF brief, in
English and German, whatever the number of rounds: axis labels whole and in order, "100"
not clipped, dates localised, in order and never printed over each other; the SVG is safe
to inline in a page (no style, no script, user text escaped)."""

import io
import re
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from assessments.chart_svg import dimension_svg, trend_svg
from assessments.charts import dimension_chart, trend_chart
from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    Thresholds,
    VersionSpec,
    score_response,
)
from briefs import services, worker
from tests.assessment_factories import answer_all, make_version, start, submit
from tests.test_assessment_flow import response_of
from tests.test_brief_demo_pdfs import text_runs
from tests.test_briefs import make_assessed

pytestmark = pytest.mark.django_db

ROUNDS = (1, 2, 12, 40)
FIRST_ROUND = date(2024, 10, 3)  # October, then December: "Okt" and "Dez" in German
LAST_OVERALL = 28  # the main line's latest value, printed whole above its point
MONTHS = {
    "en-gb": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    "de": {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"},
}


def trends_of(rounds: int) -> dict:
    """A brief snapshot's trends (as round_selectors.alliance_trends gives them, in the
    active language): `rounds` rounds two months apart, overall and one dimension."""
    days = [FIRST_ROUND + timedelta(days=61 * i) for i in range(rounds)]
    overall = [50 + (i % 5) * 10 for i in range(rounds - 1)] + [LAST_OVERALL]
    return {
        "rounds": [
            {
                "kind": "strategic_fit",
                "label": "strategic fit",
                "days": [d.toordinal() for d in days],
                "labels": [date_format(d, "j M Y") for d in days],
                "series": [["Overall", overall], ["Reach", [100 - v for v in overall]]],
            }
        ],
        "sponsor": None,
    }


def chart_runs(page) -> list[tuple[str, float, float]]:
    """Each text run a chart drew on the page: its text and where it starts (x, y)."""
    return [(run.text, run.x, run.y) for run in text_runs(page) if run.in_chart]


@pytest.fixture
def brief(open_team):
    make_assessed(open_team)
    brief, _ = services.brief_request(alliance=open_team.alliance, by=open_team.users["manager"])
    return brief


@pytest.mark.parametrize("language", ["en-gb", "de"])
def test_trend_labels_print_whole_in_order_and_apart_at_any_number_of_rounds(brief, language):
    with translation.override(language):
        for rounds in ROUNDS:
            trends = trends_of(rounds)
            brief.snapshot = {**brief.snapshot, "trends": trends, "language": language}
            brief.language = language
            reader = PdfReader(io.BytesIO(worker.brief_pdf(brief)))
            text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
            runs = [run for page in reader.pages for run in chart_runs(page)]
            labels = trends["rounds"][0]["labels"]
            where = f"{language}, {rounds} rounds"

            # The trend's axis: 0 to 100, each figure whole, in order; "100" not clipped.
            assert "0 25 50 75 100" in text, where
            assert str(LAST_OVERALL) in {t for t, _, _ in runs}, where

            # Its dates: whole labels, the latest always, oldest to newest left to right,
            # each clear of the next (at 7.5 pt a character is under 5 pt wide).
            dates = sorted((x, t) for t, x, _ in runs if t in labels)
            shown = [t for _, t in dates]
            assert shown == sorted(shown, key=labels.index), where
            assert shown[-1] == labels[-1], where
            assert len(shown) >= min(rounds, 2), where
            for (x, label), (next_x, _) in pairwise(dates):
                assert next_x - x >= len(label) * 5, (where, label)
            assert not re.search(r"\d{4}\d{1,2} ", text.replace(labels[-1], "")), where

            # In the reader's language: German months in a German brief.
            months = {t.split()[1] for t in shown}
            assert months <= MONTHS[language], (where, months)
            if rounds == 2:
                assert months == ({"Okt", "Dez"} if language == "de" else {"Oct", "Dec"})


SPEC = VersionSpec(
    dimensions=(DimensionSpec("<script>alert(1)</script>", 50), DimensionSpec("Value", 50)),
    questions=(
        QuestionSpec("S1", "q", "<script>alert(1)</script>"),
        QuestionSpec("S2", "q", "Value"),
    ),
    thresholds=Thresholds(go=70, no_go=50, gap=50),
)


def test_the_svg_is_safe_inline_and_the_same_every_time():
    score = score_response(SPEC, [AnswerInput("S1", score=100), AnswerInput("S2", score=25)])
    svg = dimension_svg(dimension_chart(score), dom_id="fit")
    assert svg == dimension_svg(dimension_chart(score), dom_id="fit")  # no date, no random id
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<script" not in svg
    # Our CSP allows no inline style; nothing is fetched or referenced.
    assert not re.search(r"\b(class|style|href|clip-path)=|<style|<use|<image|<metadata", svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="fit" width="100%"')
    assert 'aria-labelledby="fit-title fit-desc"' in svg
    assert re.findall(r'\bid="([^"]+)"', svg) == ["fit", "fit-title", "fit-desc"]
    assert ">GO ≥ 70<" in svg
    assert ">NO-GO &lt; 50<" in svg


def test_a_single_round_draws_its_point_and_date():
    with translation.override("de"):
        chart = trend_chart(
            title="Strategische Passung",
            days=[FIRST_ROUND.toordinal()],
            labels=[date_format(FIRST_ROUND, "j M Y")],
            series=[("Gesamt", [72.0])],
        )
    svg = trend_svg(chart, dom_id="one", compact=True)
    assert ">3 Okt 2024<" in svg
    assert ">72<" in svg


def test_the_results_page_shows_the_chart(client, open_team):
    assessment = start(open_team, make_version(knockouts={}), assessors=("manager",))
    mine = response_of(assessment, open_team.users["manager"])
    answer_all(mine, 3)
    submit(mine)
    client.force_login(open_team.users["viewer"])
    html = client.get(
        reverse("assessments:results", args=[open_team.alliance.slug, assessment.pk])
    ).content.decode()
    svg = re.search(r'<svg [^>]*role="img".*?</svg>', html, re.S).group(0)
    assert ">Overall<" in svg
    assert ">75<" in svg
    assert "GO ≥ " in svg
    assert "style=" not in svg
