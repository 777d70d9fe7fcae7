"""What executives read cannot mislead: every score carries the day its round was
submitted and says when its reassessment is overdue, and the marks beside an answer say
what happened to it (a knock-out reached, the scale's bottom, assessors far apart), never
what merely could happen."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from assessments.marks import answer_marks
from assessments.models import Assessment
from briefs import services
from briefs.models import Brief
from briefs.snapshot import build_snapshot
from decisions.selectors import alliance_decision
from kit.texts import format_date
from tests.assessment_factories import answer_all, make_version, start, submit

pytestmark = pytest.mark.django_db


def assess(team, *, kind, slug, levels, knockouts=None, days_ago=0):
    """A submitted assessment by the manager and the contributor (`levels` by role)."""
    version = make_version(
        slug=slug, kind=kind, name=kind.replace("_", " ").capitalize(), knockouts=knockouts or {}
    )
    assessment = start(team, version, title=f"{kind} check")
    for response in assessment.responses.select_related("assessor"):
        role = "manager" if response.assessor == team.users["manager"] else "contributor"
        answer_all(response, levels[role])
        submit(response)
    if days_ago:
        then = timezone.now() - timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=then)
    return assessment


def day(value) -> str:
    """A date as the brief writes it."""
    return date_format(value, "j M Y")


@pytest.fixture
def assessed(open_team):
    """Strategic fit 14 months old (reassessment overdue: a managed alliance is reassessed
    every 12 months), partner selection fresh; A1 can knock out at level 1 but nobody went that
    low, A2 can knock out and one assessor reached it, A3 is 0 for both, A4 is 1 and 4."""
    fit = assess(
        open_team, kind="strategic_fit", slug="fit", levels={"manager": 3, "contributor": 3},
        days_ago=430,
    )  # fmt: skip
    partner = assess(
        open_team,
        kind="partner_selection",
        slug="partner",
        knockouts={"A1": 1, "A2": 1},
        levels={
            "manager": {"A1": 3, "A2": 1, "A3": 0, "A4": 1},
            "contributor": {"A1": 2, "A2": 3, "A3": 0, "A4": 4},
        },
    )
    open_team.alliance.stage = "managing"
    open_team.alliance.save()
    return open_team, fit, partner


def test_the_brief_dates_every_score_and_says_which_evidence_is_overdue(assessed):
    team, fit, _partner = assessed
    snapshot = build_snapshot(team.alliance)[0]
    by_kind = {a["kind"]: a for a in snapshot["assessments"]}
    fit.refresh_from_db()
    submitted = timezone.localdate(fit.submitted_at)
    assert by_kind["strategic_fit"]["submitted_on"] == day(submitted)
    overdue_since = submitted.replace(year=submitted.year + 1)
    assert by_kind["strategic_fit"]["overdue_since"] == day(overdue_since)
    assert by_kind["partner_selection"]["submitted_on"] == day(timezone.localdate())
    assert by_kind["partner_selection"]["overdue_since"] == ""
    decision = alliance_decision(team.alliance)
    assert "It rests on evidence overdue for reassessment: strategic fit since " in (
        decision.rationale
    )
    (evidence,) = [r for r in decision.reasons if r.rule == "evidence_age"]
    assert (
        f"strategic fit submitted {format_date(submitted)}, reassessment overdue since "
        f"{format_date(overdue_since)}" in evidence.text
    )
    assert f"partner selection submitted {format_date(timezone.localdate())}" in evidence.text


def test_a_fresh_round_is_dated_and_not_called_overdue(open_team):
    assess(open_team, kind="strategic_fit", slug="fit", levels={"manager": 3, "contributor": 3})
    decision = alliance_decision(open_team.alliance)
    assert "overdue" not in decision.rationale
    (evidence,) = [r for r in decision.reasons if r.rule == "evidence_age"]
    assert (
        evidence.text == f"Evidence: strategic fit submitted {format_date(timezone.localdate())}."
    )


def test_the_alliance_page_dates_each_score_and_marks_the_overdue_one(client, assessed):
    team, fit, _ = assessed
    client.force_login(team.users["manager"])
    page = client.get(reverse("alliances:detail", args=[team.alliance.slug])).content.decode()
    fit.refresh_from_db()
    assert f"Submitted {date_format(timezone.localdate(fit.submitted_at), 'DATE_FORMAT')}" in page
    card = page.split('id="assessments"')[1].split("</section>")[0]
    assert card.count("reassessment overdue since") == 1
    assert card.count("Submitted ") == 2


def test_marks_say_only_what_happened():
    assert answer_marks(kind="scale", knockout_level=1, scores=[75, 50]) == ()
    (reached,) = answer_marks(kind="scale", knockout_level=1, scores=[25, 50])
    assert reached.text == "knock-out reached: 1 ≤ 1"
    (bottom,) = answer_marks(kind="scale", knockout_level=None, scores=[0, 0])
    assert bottom.text == "lowest level (0)"
    (apart,) = answer_marks(kind="scale", knockout_level=None, scores=[25, 100])
    assert apart.text == "assessors disagree: 1 to 4"
    assert answer_marks(kind="scale", knockout_level=None, scores=[50, 75]) == ()
    assert answer_marks(kind="scale", knockout_level=2, scores=[None, None]) == ()


def test_the_results_page_marks_reached_knock_outs_only_and_explains_its_marks(client, assessed):
    team, _, partner = assessed
    client.force_login(team.users["manager"])
    page = client.get(
        reverse("assessments:results", args=[team.alliance.slug, partner.pk])
    ).content.decode()
    marks = page.split('id="answers-h"')[1].split('id="mark-legend"')[0]
    assert marks.count("knock-out reached: 1 ≤ 1") == 1  # A2, not A1
    assert marks.count("lowest level (0)") == 1  # A3
    assert marks.count("assessors disagree: 1 to 4") == 1  # A4
    assert marks.count("assessors disagree: 1 to 3") == 1  # A2
    legend = page.split('id="mark-legend"')[1]
    assert "which opens a finding" in legend
    assert "levels or more apart" in legend


def test_the_brief_pdf_marks_what_happened_with_a_legend(
    assessed, django_capture_on_commit_callbacks
):
    team, fit, _ = assessed
    with django_capture_on_commit_callbacks(execute=True):
        brief = services.brief_render_now(alliance=team.alliance, by=team.users["manager"])
    brief.refresh_from_db()
    assert brief.status == Brief.Status.READY
    with default_storage.open(brief.pdf.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    partner = text.split("Partner selection · ")[-1]
    a1 = partner.split("A1 Question A1")[1].split("A2 Question A2")[0]
    assert "KNOCK-OUT" not in a1.upper()  # it can knock out; nobody's answer did
    assert text.upper().count("KNOCK-OUT REACHED: 1 ≤ 1") == 1
    assert "LOWEST LEVEL (0)" in text.upper()
    assert "ASSESSORS DISAGREE: 1 TO 4" in text.upper()
    assert "Marks" in text
    assert "which opens a finding" in text
    fit.refresh_from_db()
    assert f"Submitted {day(timezone.localdate(fit.submitted_at))}" in text
    assert "reassessment overdue since" in text.lower()
