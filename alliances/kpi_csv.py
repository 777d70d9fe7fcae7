"""Reads a CSV file of KPI actuals (columns alliance, kpi, date, value) into rows, each
checked on its own, every fault named with the line it is on.

Pure: no Django. Which alliance and KPI a row names is the service's question
(`alliances.services.kpi_actuals_import`); here only the file's shape and each cell.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from kit.texts import _

COLUMNS = ("alliance", "kpi", "date", "value")
ROWS_MAX = 5000
# As KPI.actual stores them: 14 digits, 2 after the point.
INTEGER_DIGITS_MAX = 12
DECIMAL_PLACES_MAX = 2
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ActualRow:
    line: int  # the file's line the row ends on (the header is line 1)
    alliance: str
    kpi: str
    on: date | None  # None when unreadable (a LineError says why)
    value: Decimal | None


@dataclass(frozen=True)
class LineError:
    line: int  # 0 for the file as a whole
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


def parse_value(text: str) -> Decimal | str:
    """The value as a Decimal ≥ 0 with at most 2 decimal places and 12 digits before the
    point, or the message saying why not."""
    cleaned = text.strip().replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return _("“%(value)s” is not a number (write it like 1234.50).") % {"value": text}
    if not value.is_finite():
        return _("“%(value)s” is not a number (write it like 1234.50).") % {"value": text}
    if value < 0:
        return _("The value cannot be negative.")
    _sign, digits, exponent = value.as_tuple()
    if -exponent > DECIMAL_PLACES_MAX:
        return _("Give the value with at most 2 decimal places.")
    if len(digits) + min(exponent, 0) > INTEGER_DIGITS_MAX:
        return _("The value is too large.")
    return value


def parse_day(text: str) -> date | str:
    """The day of a YYYY-MM-DD text, or the message saying why not."""
    cleaned = text.strip()
    if ISO_DAY.fullmatch(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    return _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text}


def parse_actuals(text: str) -> tuple[list[ActualRow], list[LineError]]:
    """The rows of a CSV text (a header naming the COLUMNS, in any order, other columns
    ignored; comma or semicolon separated; blank lines skipped) and the faults found:
    every row is checked, so the errors list all of them at once. A row with a fault is
    returned too (its unreadable cells None), so its names can still be checked."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [LineError(1, _("The file is not a readable CSV (%(error)s).") % {"error": exc})]
    if header is None:
        return [], [LineError(0, _("The file is empty."))]
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        return [], [
            LineError(
                1,
                _("The first line must name the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)},
            )
        ]
    where = {column: names.index(column) for column in COLUMNS}
    rows: list[ActualRow] = []
    errors: list[LineError] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= ROWS_MAX:
                errors.append(
                    LineError(line, _("A file holds at most %(max)d rows.") % {"max": ROWS_MAX})
                )
                break
            cells = {column: _cell(record, index) for column, index in where.items()}
            if not cells["alliance"]:
                errors.append(LineError(line, _("The alliance is missing.")))
            if not cells["kpi"]:
                errors.append(LineError(line, _("The KPI is missing.")))
            on = parse_day(cells["date"])
            if isinstance(on, str):
                errors.append(LineError(line, on))
            value = parse_value(cells["value"])
            if isinstance(value, str):
                errors.append(LineError(line, value))
            rows.append(
                ActualRow(
                    line,
                    cells["alliance"],
                    cells["kpi"],
                    None if isinstance(on, str) else on,
                    None if isinstance(value, str) else value,
                )
            )
    except csv.Error as exc:
        errors.append(
            LineError(
                reader.line_num, _("The file is not a readable CSV (%(error)s).") % {"error": exc}
            )
        )
    if not rows and not errors:
        errors.append(LineError(0, _("The file has no rows under its header.")))
    return rows, errors


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""
