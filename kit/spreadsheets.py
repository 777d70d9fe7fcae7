"""Spreadsheet downloads (CSV and Excel) shared by every app: the lowest layer.

`safe_cell` neutralises user text a spreadsheet would run as a formula (CSV / formula
injection, https://owasp.org/www-community/attacks/CSV_Injection): a text that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so Excel,
LibreOffice and Google Sheets show it as text. Numbers, dates and booleans pass through
unchanged, so a negative score stays a number.

`csv_response` and `xlsx_response` stream: rows are consumed from an iterator one at a
time (CSV line by line; Excel through openpyxl's write-only mode, which keeps no cell
objects in memory), so a large export never holds the whole file as Python objects.
"""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import get_valid_filename

# A cell that starts with one of these runs as a formula (or DDE) in spreadsheet apps.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Skipped before looking for a trigger: spaces, and the control characters an .xlsx drops
# (so `\x01=HYPERLINK(…)` is guarded as the formula it becomes once they are gone).
SKIPPED_LEAD = " " + "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127]))

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limit on a sheet name.
SHEET_NAME_MAX = 31


def safe_cell(value):
    """The value as a spreadsheet may show it without running anything.

    None → "" ; int/float/Decimal/bool/date/datetime → unchanged (a real number or date);
    any other value → its text, with a leading `'` when the text starts with `=`, `+`,
    `-`, `@`, tab, CR or LF (after leading spaces, which spreadsheets skip too, and
    control characters, which the .xlsx drops).
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # Excel has no time zones: write the wall-clock time of our time zone.
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if text.lstrip(SKIPPED_LEAD).startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def download_name(*parts) -> str:
    """A download's file name: its parts (an alliance's slug first) and today's date."""
    return "-".join([*map(str, parts), timezone.localdate().isoformat()])


def _attachment(filename: str, extension: str) -> str:
    name = get_valid_filename(filename) or "export"
    if not name.endswith(f".{extension}"):
        name = f"{name}.{extension}"
    return name


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterable[str]:
    """The CSV text line by line: a BOM (Excel then reads UTF-8), the header, the rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]):
    """A streamed CSV download; `rows` is consumed lazily, one row at a time."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_attachment(filename, "csv")}"'
    return response


class SheetFormatConverter:
    """`<sheet:fmt>` in a URL: `xlsx` or `csv`; anything else matches no URL (a 404)."""

    regex = "xlsx|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


@dataclass
class Sheet:
    """One worksheet: a title (cut to Excel's 31 characters), a header row and rows."""

    title: str
    header: Sequence
    rows: Iterable[Sequence] = field(default_factory=list)
    # Column widths in characters, in header order; missing ones keep Excel's default.
    widths: Sequence[int] = ()


def _as_sheet(sheet) -> Sheet:
    if isinstance(sheet, Sheet):
        return sheet
    return Sheet(*sheet)


# Control characters are not allowed in an .xlsx file (openpyxl refuses the cell), and a
# cell holds at most 32,767 characters: both are cut rather than failing the download.
XLSX_CELL_MAX = 32767


def _xlsx_value(value):
    """A cell's value for the .xlsx: control characters out first, then the formula guard
    on what is left (never the other way round), then Excel's length."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = safe_cell(value)
    return value[:XLSX_CELL_MAX] if isinstance(value, str) else value


def _sheet_title(title: str, taken: set[str]) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip() or "Sheet"
    cleaned = cleaned[:SHEET_NAME_MAX]
    candidate, number = cleaned, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = cleaned[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(target, sheets: Iterable) -> None:
    """Write the sheets (`Sheet`s or `(title, header, rows)` tuples) as an .xlsx workbook
    to `target` (a path or a binary file)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    for sheet in map(_as_sheet, sheets):
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title, taken))
        for index, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        header_cells = []
        for value in sheet.header:
            cell = WriteOnlyCell(worksheet, value=_xlsx_value(value))
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        worksheet.freeze_panes = "A2"
        for row in sheet.rows:
            worksheet.append([_xlsx_value(value) for value in row])
    if not taken:
        workbook.create_sheet(title="Sheet")
    workbook.save(target)


def xlsx_response(filename: str, sheets: Iterable):
    """An Excel download. openpyxl writes the rows one by one (write-only mode) into a
    temporary file, which is then streamed in chunks and deleted when closed: memory
    stays flat whatever the number of rows."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(spool, sheets)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_attachment(filename, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
