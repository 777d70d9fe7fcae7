"""The brief of every demo alliance, rendered by real WeasyPrint through `manage.py
render_brief` and read back with pypdf, cannot mislead: a missing assessment is said on
page 1, every assessment's overall score is text, no question code stands without its
words, KPIs fill a table on page 1, no hash reaches the executive pages, and every chart
label prints at 7 pt or more, on every page."""

import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from alliances.models import Alliance
from assessments.models import Assessment
from banks.models import Question
from briefs.models import Brief

pytestmark = pytest.mark.django_db

KEY = re.compile(r"\b([A-Z]\d{1,2})\b")
HEX = re.compile(r"[0-9a-f]{16,}")


def render(slug: str) -> tuple[Brief, list[str]]:
    """The demo alliance's brief rendered now, and each page's text (whitespace folded)."""
    call_command("render_brief", slug, stdout=io.StringIO())
    brief = Brief.objects.filter(alliance__slug=slug).latest("pk")
    with default_storage.open(brief.pdf.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    return brief, [" ".join(page.extract_text().split()) for page in reader.pages]


def whole(score: float) -> str:
    """A score as the template shows it (floatformat rounds half up)."""
    return str(Decimal(str(score)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def bare_codes(text: str, words: dict[str, set[str]]) -> list[str]:
    """Question codes in `text` not followed, within a few words, by their question's words."""
    bare = []
    for match in KEY.finditer(text):
        key = match.group(1)
        if key not in words:
            continue  # not a question code (e.g. "Q4 2027")
        # A hyphenated word broken across lines comes back as "decision- making".
        after = re.sub(r"(\w)- (\w)", r"\1-\2", text[match.end() : match.end() + 80])
        if not any(opening in after for opening in words[key]):
            bare.append(text[max(match.start() - 30, 0) : match.end() + 50])
    return bare


@pytest.fixture
def demo(seeded_demo, db, settings):
    """The demo (tests/conftest.py: seeded once for the module) with its brief's files, and
    what must follow each question code."""
    settings.STORAGES = {**settings.STORAGES, "default": seeded_demo}
    # The first four words of every question, by code: what must follow a code.
    words: dict[str, set[str]] = {}
    for key, text in Question.objects.values_list("key", "text"):
        words.setdefault(key, set()).add(" ".join(text.split()[:4]))
    return words


def test_every_demo_brief_reads_correctly_on_two_pages(demo):
    slugs = list(Alliance.objects.order_by("slug").values_list("slug", flat=True))
    assert len(slugs) >= 4
    for slug in slugs:
        brief, pages = render(slug)
        snapshot, first, executive = brief.snapshot, pages[0], " ".join(pages)
        kinds = {a["kind"] for a in snapshot["assessments"]}
        assert len(pages) == 2, f"{slug}: {len(pages)} pages"
        assert snapshot["decision"]["verdict"] in first

        missing = [
            label
            for kind, label in (
                ("strategic_fit", "strategic fit"),
                ("partner_selection", "partner selection"),
            )
            if kind not in kinds
        ]
        if len(missing) == 2:
            assert (
                "Neither the strategic fit nor the partner selection assessment was ever done"
                in first
            ), f"{slug}: page 1 does not say both assessments were never done"
        elif missing:
            assert f"The {missing[0]} assessment was never done" in first, slug
        else:
            assert "ever done" not in executive, slug

        for a in snapshot["assessments"]:
            assert f"Overall {whole(a['overall'])} / 100" in first, f"{slug}: {a['label']}"

        assert not bare_codes(executive, demo), f"{slug}: {bare_codes(executive, demo)}"

        kpis = Alliance.objects.get(slug=slug).kpis.filter(is_current=True)
        if kpis:
            assert "Key performance indicators" in first
            assert "Target Actual Attainment" in first
            for kpi in kpis:
                assert kpi.name in first, f"{slug}: KPI {kpi.name} not on page 1"
                if kpi.attainment is not None:
                    assert f"{kpi.attainment} %" in first
        else:
            assert "Key performance indicators" not in executive

        # No hash in the executive's view: a short reference in the method note only.
        assert not HEX.search(executive.replace(" ", "")), f"{slug}: a hash in the brief"
        assert f"Reference {brief.snapshot_sha256[:8]}" in pages[-1]
        assert "sha256" not in executive.lower()


def test_a_no_go_without_partner_selection_says_so_on_page_one(demo):
    # Project Aurora's showstopper is in strategic fit: without partner selection it
    # is still NO-GO, and page 1 must say the partner selection was never done.
    Assessment.objects.filter(
        alliance__slug="project-aurora", version__bank__kind="partner_selection"
    ).delete()
    brief, pages = render("project-aurora")
    assert brief.verdict == "NO-GO"
    assert (
        "The partner selection assessment was never done (none submitted): this decision "
        "does not rest on it." in pages[0]
    )
    strategic_fit = brief.snapshot["assessments"][0]
    assert f"Overall {whole(strategic_fit['overall'])} / 100" in pages[0]


def test_the_brief_page_stops_saying_preparing_once_ready(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(
        Alliance.objects.get(slug="cobalt-cloud-co-sell").memberships.get(role="manager").user
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("briefs:prepare", args=["cobalt-cloud-co-sell"]))
    brief = Brief.objects.get(alliance__slug="cobalt-cloud-co-sell")
    assert brief.status == Brief.Status.READY
    page = client.get(response.url).content.decode()
    assert "Download PDF" in page
    assert "Preparing the brief" not in page


# WeasyPrint draws the page's own text at 1 CSS px = 0.75 pt; a chart's text at that
# times the scale of its SVG viewBox to the width the chart gets.
CSS_PX = 0.75
IDENTITY = (1, 0, 0, 1, 0, 0)


def times(m, n):
    """The product of two PDF matrices (a, b, c, d, e, f): `m` applies first."""
    a, b, c, d, e, f = m
    aa, bb, cc, dd, ee, ff = n
    return (
        a * aa + b * cc,
        a * bb + b * dd,
        c * aa + d * cc,
        c * bb + d * dd,
        e * aa + f * cc + ee,
        e * bb + f * dd + ff,
    )


class Run(NamedTuple):
    text: str
    size: float  # points
    in_chart: bool
    x: float  # where it starts, in points
    y: float


def text_runs(page) -> list[Run]:
    """Each text run of the page: its text, the size it is drawn at in points (the font
    size times the scale of the text and transformation matrices), whether a chart
    drew it (its scale is not the page's 0.75; a chart drawn at exactly 1:1 would pass for
    page text, but its 12-unit labels would then be 9 pt), and where it starts.

    WeasyPrint draws centred and right-aligned SVG text in form XObjects, whose text pypdf
    reports relative to the form: each form's text is put back where the page's matrix at
    its `Do` draws it (WeasyPrint's forms have no /Matrix of their own)."""
    runs, bases, entering = [], [IDENTITY], []

    def before(operator, operands, cm, tm):
        if entering:  # the first operator inside the form: its text is drawn there
            bases.append(entering.pop())
        if operator == b"Do":
            entering.append(times(cm, bases[-1]))

    def after(operator, operands, cm, tm):
        if operator == b"Do":
            (entering or bases).pop()

    def visit(text, cm, tm, font, font_size):
        if text.strip():
            ctm = times(cm, bases[-1])
            drawn = times(tm, ctm)
            size = font_size * math.hypot(drawn[2], drawn[3])
            in_chart = abs(math.hypot(ctm[2], ctm[3]) - CSS_PX) > 1e-3
            runs.append(Run(text.strip(), size, in_chart, drawn[4], drawn[5]))

    page.extract_text(
        visitor_text=visit, visitor_operand_before=before, visitor_operand_after=after
    )
    return runs


def chart_label_sizes(page) -> dict[str, float]:
    """Each chart label of the page with the smallest size it is drawn at, in points."""
    sizes: dict[str, float] = {}
    for text, size, in_chart, _x, _y in text_runs(page):
        if in_chart:
            sizes[text] = min(sizes.get(text, size), size)
    return sizes


def test_chart_labels_in_the_pdf_are_at_least_7_points_on_every_page(demo):
    labels: dict[tuple[str, int], dict[str, float]] = {}
    for slug in Alliance.objects.order_by("slug").values_list("slug", flat=True):
        brief, _ = render(slug)
        with default_storage.open(brief.pdf.name, "rb") as stored:
            pages = PdfReader(io.BytesIO(stored.read())).pages
        for number, page in enumerate(pages, start=1):
            sizes = chart_label_sizes(page)
            labels[slug, number] = sizes
            smallest = sorted(sizes.items(), key=lambda item: item[1])[:4]
            assert not sizes or smallest[0][1] >= 7, f"{slug} page {number}: {smallest}"
        if slug == "cobalt-cloud-co-sell":
            cobalt = brief.snapshot
            running_title = [
                run for run in text_runs(pages[0]) if " · executive brief · " in run[0]
            ]

    # The measure reads CSS sizes right: the running title is set at 8 pt.
    assert running_title
    assert running_title[0][1] == pytest.approx(8, abs=0.05), running_title
    # And it reaches every chart of Cobalt's brief. Page 1: the score bars with their
    # thresholds, and the trend across rounds (its dates and series).
    first = labels["cobalt-cloud-co-sell", 1]
    names = {
        d["name"]
        for a in cobalt["assessments"]
        if a["kind"] != "mutual_fit"  # the two-sided one is drawn on page 2
        for d in a["dimensions"]
    }
    assert {"NO-GO < 50", "Overall"} | names <= set(first), first
    trend = cobalt["trends"]["rounds"][0]
    assert set(trend["labels"]) | {name for name, _ in trend["series"]} <= set(first), first
    # Page 2: the perception radar, every dimension (a name may break onto two lines)
    # and both sides in its legend.
    second = labels["cobalt-cloud-co-sell", 2]
    words = {word for text in second for word in text.split()}
    for row in cobalt["perception"]["rows"]:
        assert set(row["name"].split()) <= words, (row["name"], second)
    assert {cobalt["perception"]["ours_label"], cobalt["perception"]["partner"]} <= set(second)


def test_the_two_sided_part_of_a_german_brief_is_in_german(demo):
    from django.utils import translation

    with translation.override("de"):
        brief, pages = render("cobalt-cloud-co-sell")
    assert brief.language == "de"
    assert len(pages) == 2
    text = " ".join(pages)
    assert "Wahrnehmungslücke · " in text
    assert "Beide Unternehmen haben dieselben Fragen getrennt beantwortet" in text
    for english in ("Perception gap", "Both companies answered", "we score it", "points apart"):
        assert english not in text
