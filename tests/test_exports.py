"""Excel and CSV downloads of an assessment's answers and results, and of an alliance's
findings and conditions: what a user opens in a spreadsheet, under the pages' rules."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import selectors, services
from tests.assessment_factories import give, make_version, start, submit
from tests.conftest import make_team

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def assessed(open_team):
    """Fit check on a 6-question bank: the manager answered everything (with a hostile
    comment, an evidence link, an N/A and a don't-know) and submitted; the contributor
    answered A1 at 0 (a knock-out) and has not submitted."""
    version = make_version(allows_na=("A3",))
    assessment = start(open_team, version)
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    give(mine, "A1", 4, comment=HOSTILE)
    give(mine, "A2", 3)
    give(mine, "A3", na=True)
    give(mine, "A4", dont_know=True)
    give(mine, "A5", 1)
    give(mine, "A6", 2)
    answer = mine.answers.get(question__key="A2")
    answer.evidence_url = "https://evidence.example/a2"
    answer.save()
    submit(mine)
    theirs = assessment.responses.get(assessor=open_team.users["contributor"])
    give(theirs, "A1", 0, comment="-1 looks bad")
    open_team.assessment = assessment
    return open_team


def url(name, team, fmt, *, assessment=True):
    if not assessment:  # the alliance's findings, with the decision's conditions
        return reverse(f"decisions:{name}", args=[team.alliance.slug, fmt])
    return reverse(f"assessments:{name}", args=[team.alliance.slug, team.assessment.pk, fmt])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheets_of(response) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(body(response)))
    return {
        sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def rows_of_xlsx(response, sheet):
    return sheets_of(response)[sheet]


def rows_of_csv(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_answers_excel_has_a_row_per_assessor_and_question_with_comments_na_and_dont_know(
    client, assessed
):
    client.force_login(assessed.users["manager"])
    response = client.get(url("export_answers", assessed, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{assessed.alliance.slug}-assessment-'
    )
    rows = rows_of_xlsx(response, "Answers")
    header, data = rows[0], rows[1:]
    assert header[:6] == ["Assessor", "Response status", "Dimension", "Question key", "Question",
                          "Answer"]  # fmt: skip
    assert len(data) == 2 * 6  # the manager runs it: both assessors, in progress included
    by_key = {(r[0], r[3]): dict(zip(header, r, strict=True)) for r in data}
    manager = assessed.users["manager"].get_full_name()
    a1 = by_key[(manager, "A1")]
    assert a1["Comment"] == "'" + HOSTILE  # shown as text, never run as a formula
    assert a1["Score (0–100)"] == 100
    assert by_key[(manager, "A2")]["Evidence link"] == "https://evidence.example/a2"
    assert by_key[(manager, "A3")]["N/A"] is True
    assert by_key[(manager, "A4")]["Don't know"] is True
    contributor = assessed.users["contributor"].get_full_name()
    assert by_key[(contributor, "A1")]["Response status"] == "In progress"
    assert by_key[(contributor, "A1")]["Comment"] == "'-1 looks bad"
    assert by_key[(contributor, "A2")]["Answer"] is None  # not answered: an empty row


def test_readers_get_only_submitted_answers_as_on_the_results_page(client, assessed):
    client.force_login(assessed.users["viewer"])
    rows = rows_of_csv(client.get(url("export_answers", assessed, "csv")))
    assessors = {row[0] for row in rows[1:]}
    assert assessors == {assessed.users["manager"].get_full_name()}
    assert len(rows) == 1 + 6


def test_results_excel_matches_the_scores_of_the_page(client, assessed):
    client.force_login(assessed.users["executive"])
    response = client.get(url("export_results", assessed, "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == ["Overview", "Dimensions", "Questions", "Gaps"]
    overview = {row[0].value: row[1].value for row in workbook["Overview"].iter_rows(min_row=2)}
    score = selectors.assessment_score(assessed.assessment)
    assert overview["Overall score (0–100)"] == round(score.overall, 1)
    assert overview["Assessment"] == "Fit check"
    questions = [[c.value for c in row] for row in workbook["Questions"].iter_rows(min_row=2)]
    assert [q[1] for q in questions] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert questions[0][4] == 100  # median of the submitted answers only


def test_results_csv_lists_overall_then_each_dimension(client, assessed):
    client.force_login(assessed.users["viewer"])
    rows = rows_of_csv(client.get(url("export_results", assessed, "csv")))
    assert rows[0] == ["Scope", "Dimension", "Score", "Coverage (%)", "Answered", "Of",
                       "Submitted on"]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["Overall", "Dimension", "Dimension"]


def test_findings_export_lists_findings_and_conditions(client, assessed):
    theirs = assessed.assessment.responses.get(assessor=assessed.users["contributor"])
    for key in ("A2", "A3", "A4", "A5", "A6"):
        give(theirs, key, 2)
    submit(theirs)
    finding = assessed.assessment.findings.get()
    finding.classification = "manageable"
    finding.mitigation = "@owner to fix the roadmap"
    finding.owner = "Dana"
    finding.due_date = datetime.date(2027, 3, 31)
    services.finding_classify(finding=finding, by=assessed.users["manager"])
    client.force_login(assessed.users["contributor"])
    response = client.get(url("export_findings", assessed, "xlsx", assessment=False))
    sheets = sheets_of(response)
    findings = sheets["Findings"]
    assert len(findings) == 2
    row = dict(zip(findings[0], findings[1], strict=True))
    assert row["Classification"] == "Manageable"
    assert row["Mitigation"] == "'@owner to fix the roadmap"
    conditions = sheets["Conditions"]
    # Still INCOMPLETE (no partner selection yet): the one condition is the sponsor's.
    assert conditions[1][1:3] == [
        "Name an active executive sponsor on our side before committing.",
        "Sponsor",
    ]
    assert row["Owner"] == "Dana"
    assert row["Due"] == datetime.datetime(2027, 3, 31, 0, 0)
    assert sheets["Decision"][1][0] == "INCOMPLETE"
    rows = rows_of_csv(client.get(url("export_findings", assessed, "csv", assessment=False)))
    assert [r[0] for r in rows[1:]].count("Finding") == 1
    assert "Condition" in [r[0] for r in rows[1:]]


def test_confidential_exports_do_not_exist_for_outsiders(client):
    team = make_team(confidential=True, prefix="hidden")
    team.assessment = start(team, make_version(slug="hidden-bank"))
    client.force_login(team.users["outsider"])
    for name in ("export_answers", "export_results"):
        for fmt in ("xlsx", "csv"):
            assert client.get(url(name, team, fmt)).status_code == 404
    assert client.get(url("export_findings", team, "csv", assessment=False)).status_code == 404
    client.force_login(team.users["viewer"])
    assert client.get(url("export_results", team, "csv")).status_code == 200


def test_another_format_matches_no_url(client, assessed):
    client.force_login(assessed.users["manager"])
    path = url("export_answers", assessed, "csv").replace(".csv", ".xls")
    assert client.get(path).status_code == 404


def test_the_pages_offer_the_downloads(client, assessed):
    client.force_login(assessed.users["viewer"])
    results = client.get(reverse("assessments:results", args=[assessed.alliance.slug,
                                                              assessed.assessment.pk]))  # fmt: skip
    assert url("export_results", assessed, "xlsx").encode() in results.content
    assert url("export_answers", assessed, "csv").encode() in results.content
    page = client.get(reverse("alliances:detail", args=[assessed.alliance.slug]))
    assert url("export_findings", assessed, "xlsx", assessment=False).encode() in page.content
