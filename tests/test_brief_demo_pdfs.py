"""The brief of every demo alliance, rendered by real WeasyPrint through `manage.py
render_brief` and read back with pypdf, cannot mislead: a missing assessment is said on
page 1, every assessment's overall score is text, no question code stands without its
words, KPIs fill a table on page 1, and no hash reaches the executive pages."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from alliances.models import Alliance
from assessments.models import Assessment, Question
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
def demo(db):
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
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


def chart_label_sizes(page) -> dict[str, float]:
    """Each text run of the page with the size it is drawn at, in points: the font size
    times the scale of the text and graphics matrices (WeasyPrint scales the SVG's
    viewBox to the width it gets, and CSS pixels to points)."""
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font, font_size):
        if text.strip():
            # The text matrix applies first, then the current transformation matrix.
            b = tm[0] * cm[1] + tm[1] * cm[3]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            scale = max(abs(b), abs(d))
            sizes[text.strip()] = min(sizes.get(text.strip(), 1e9), font_size * scale)

    page.extract_text(visitor_text=visit)
    return sizes


def test_chart_labels_in_the_pdf_are_at_least_7_points(demo):
    brief, _ = render("cobalt-cloud-co-sell")
    with default_storage.open(brief.pdf.name, "rb") as stored:
        page = PdfReader(io.BytesIO(stored.read())).pages[0]
    sizes = chart_label_sizes(page)
    labels = {text: size for text, size in sizes.items() if re.match(r"(NO-GO <|GO ≥) \d+", text)}
    names = {d["name"] for a in brief.snapshot["assessments"] for d in a["dimensions"]}
    labels |= {text: size for text, size in sizes.items() if text in names}
    assert len(labels) >= 4, sizes
    # The body text is drawn at its CSS size: the measure is right.
    assert max(sizes.values()) >= 9
    assert min(labels.values()) >= 7, labels
