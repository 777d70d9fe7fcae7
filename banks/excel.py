"""Question banks as an Excel template (.xlsx): the same content as the YAML format, laid
out on three sheets, and checked by the same code (`parse.parse_bank`), so a workbook
gets exactly the YAML import's rules and messages, each pointed at its sheet and row.

Sheets (the first row of each is the header, as written by `bank_workbook`):
- **Bank**: one field per row (`field`, `value`): format, slug, name, kind, description,
  version, status, notes, go, no_go, gap.
- **Dimensions**: name, description, weight.
- **Questions**: dimension (a name from the Dimensions sheet), key, text, help, kind,
  weight, required, allows_na, allows_dont_know, knockout_level, level_0 … level_4 (the
  scale's anchors), choices (for a choice question: one `label = score` per line).

A hostile workbook is refused before it is read: over the size limit, not a zip file,
a zip that would unpack to much more than the limit, or without these sheets; formulas
are refused (the template holds values only). Pure Python (openpyxl, no Django).
"""

import io
import re
import zipfile

import yaml

from banks.parse import (
    DEFAULT_MAX_BYTES,
    BankFormatError,
    parse_bank,
    refuse_oversized,
)
from banks.schema import FORMAT, LEVELS, BankData

SHEETS = ("Bank", "Dimensions", "Questions")
BANK_FIELDS = (
    "format", "slug", "name", "kind", "description", "version", "status", "notes", "go",
    "no_go", "gap", "language", "perception_gap", "perception_gaps_decide",
)  # fmt: skip
# Translations sit beside the wording they translate, one field or column per language:
# "name@de" on the Bank sheet, "name@de" / "description@de" on Dimensions, "text@de",
# "help@de" and "labels@de" (the levels' or choices' labels, one per line, in order) on
# Questions.
AT = "@"
TRANSLATED = {
    "Bank": ("name", "description"),
    "Dimensions": ("name", "description"),
    "Questions": ("text", "help", "labels"),
}
DIMENSION_COLUMNS = ("name", "description", "weight")
LEVEL_COLUMNS = tuple(f"level_{n}" for n in range(LEVELS))
QUESTION_COLUMNS = (
    "dimension", "key", "text", "help", "kind", "weight", "required", "allows_na",
    "allows_dont_know", "knockout_level", *LEVEL_COLUMNS, "choices",
)  # fmt: skip
# A workbook is a zip: what it unpacks to may be this many times the file size limit.
UNPACKED_FACTOR = 20
MAX_ROWS = 5000  # per sheet; a bank has dozens of questions, not thousands
XLSX_SIGNATURE = b"PK\x03\x04"


# ---------------------------------------------------------------- reading


def parse_bank_workbook(
    content: bytes, *, source: str = "bank", max_bytes: int = DEFAULT_MAX_BYTES
) -> BankData:
    """Check a workbook's size and shape, turn it into the YAML format's structure, and
    parse it with `parse.parse_bank`; raise BankFormatError listing every problem."""
    _refuse_hostile(content, source=source, max_bytes=max_bytes)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise BankFormatError([f"{source}: not a readable Excel workbook ({exc})"]) from exc
    try:
        missing = [name for name in SHEETS if name not in workbook.sheetnames]
        if missing:
            raise BankFormatError(
                [
                    f"{source}: the workbook needs the sheets {', '.join(SHEETS)}; "
                    f"missing: {', '.join(missing)} (export a bank to get the template)"
                ]
            )
        errors: list[str] = []
        rows = {name: _rows(workbook[name], name, errors) for name in SHEETS}
    except BankFormatError:
        raise
    except Exception as exc:  # a sheet's XML is read only now (a DTD, a broken tag …)
        raise BankFormatError([f"{source}: not a readable Excel workbook ({exc})"]) from exc
    finally:
        workbook.close()
    if errors:
        raise BankFormatError([f"{source}: {e}" for e in errors])
    document, where = _document(rows, errors)
    if errors:
        raise BankFormatError([f"{source}: {e}" for e in errors])
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    try:
        return parse_bank(text, source=source)
    except BankFormatError as exc:
        raise BankFormatError([_located(e, where) for e in exc.errors]) from exc


def _refuse_hostile(content: bytes, *, source: str, max_bytes: int) -> None:
    refuse_oversized(content, source=source, max_bytes=max_bytes)
    if not content.startswith(XLSX_SIGNATURE) or not zipfile.is_zipfile(io.BytesIO(content)):
        raise BankFormatError([f"{source}: not an Excel workbook (.xlsx is a zip file)"])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_bytes * UNPACKED_FACTOR:
                raise BankFormatError(
                    [
                        f"{source}: the workbook unpacks to {unpacked:,} bytes, "
                        "more than a bank needs"
                    ]
                )
            with_dtd = [
                info.filename
                for info in archive.infolist()
                if info.filename.endswith((".xml", ".rels"))
                and b"<!doctype" in archive.read(info).lower()
            ]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BankFormatError([f"{source}: a damaged zip file ({exc})"]) from exc
    if with_dtd:
        # Excel never writes one; a DTD is how XML smuggles entities in.
        raise BankFormatError(
            [f"{source}: {with_dtd[0]} holds a DTD (<!DOCTYPE …>), which a workbook never has"]
        )


def _rows(sheet, name: str, errors: list[str]) -> list[tuple[int, dict]]:
    """The sheet's rows after the header as (row number, {column: value}); blank rows
    are skipped, formulas refused."""
    out = []
    header: list[str] = []
    for number, cells in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 2), start=1):
        values = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                errors.append(f"sheet {name}, row {number}: formulas are not allowed")
                value = None
            values.append(value)
        if number == 1:
            header = [str(v).strip().lower() if v is not None else "" for v in values]
            continue
        if number > MAX_ROWS + 1:
            errors.append(f"sheet {name}: more than {MAX_ROWS} rows")
            break
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return out


def _value(value):
    """A cell as the YAML format reads it: text stripped, whole floats as integers."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flag(value):
    """Excel's TRUE/FALSE, or the words true/false/yes/no; anything else passes on (and
    the format check names it)."""
    if isinstance(value, str):
        word = value.strip().lower()
        return {"true": True, "yes": True, "false": False, "no": False}.get(word, value)
    return _value(value)


def _document(rows: dict, errors: list[str]) -> tuple[dict, dict]:
    """The YAML format's structure, and where each dimension and question came from."""
    fields = {}
    bank_translations: dict = {}
    for number, row in rows["Bank"]:
        field = _value(row.get("field"))
        if field is None:
            continue
        field = str(field)
        if AT in field:
            _translate(bank_translations, field, _value(row.get("value")), "Bank", number, errors)
            continue
        if field not in BANK_FIELDS:
            errors.append(
                f"sheet Bank, row {number}: unknown field {field!r}; "
                f"expected one of {', '.join(BANK_FIELDS)}"
            )
            continue
        fields[field] = _value(row.get("value"))
    where: dict[str, str] = {}
    dimensions = []
    by_name = {}
    for number, row in rows["Dimensions"]:
        dimension = {
            "name": _value(row.get("name")),
            "description": _value(row.get("description")) or "",
            "weight": _value(row.get("weight")),
            "questions": [],
        }
        translations = _row_translations(row, "Dimensions", number, errors)
        if translations:
            dimension["translations"] = translations
        where[f"dimensions[{len(dimensions)}]"] = f"sheet Dimensions, row {number}"
        by_name.setdefault(str(dimension["name"]), dimension)
        dimensions.append(dimension)
    for number, row in rows["Questions"]:
        name = _value(row.get("dimension"))
        dimension = by_name.get(str(name))
        if dimension is None:
            errors.append(
                f"sheet Questions, row {number}: dimension {name!r} is not on the Dimensions sheet"
            )
            continue
        question = {
            key: _flag(row.get(key))
            if key.startswith(("required", "allows"))
            else _value(row.get(key))
            for key in QUESTION_COLUMNS[1:10]
        }
        question = {k: v for k, v in question.items() if v is not None}
        levels = [_value(row.get(column)) for column in LEVEL_COLUMNS]
        if any(level is not None for level in levels):
            question["levels"] = levels
        choices = _value(row.get("choices"))
        if choices is not None:
            question["choices"] = _choices(str(choices))
        translations = _row_translations(row, "Questions", number, errors)
        labels_of = "levels" if question.get("kind", "scale") == "scale" else "choices"
        for entry in translations.values():
            if "labels" in entry:
                entry[labels_of] = [line.strip() for line in entry.pop("labels").splitlines()]
        if translations:
            question["translations"] = translations
        d = dimensions.index(dimension)
        where[f"dimensions[{d}].questions[{len(dimension['questions'])}]"] = (
            f"sheet Questions, row {number}"
        )
        dimension["questions"].append(question)
    bank = {
        k: fields[k] for k in ("slug", "name", "kind", "description", "language") if k in fields
    }
    if bank_translations:
        bank["translations"] = bank_translations
    thresholds = ("go", "no_go", "gap", "perception_gap")
    document = {
        "format": fields.get("format", FORMAT),
        "bank": bank,
        "version": {
            "number": fields.get("version"),
            **{k: fields[k] for k in ("status", "notes") if k in fields},
            "thresholds": {k: fields[k] for k in thresholds if k in fields},
            **(
                {"perception_gaps_decide": _flag(fields["perception_gaps_decide"])}
                if "perception_gaps_decide" in fields
                else {}
            ),
        },
        "dimensions": dimensions,
    }
    return document, where


def _translate(translations: dict, column: str, value, sheet: str, number, errors) -> None:
    """Put `value` of a "field@language" column (or Bank field) in `translations`."""
    base, _at, code = column.partition(AT)
    if base not in TRANSLATED[sheet] or not code:
        expected = ", ".join(f"{name}{AT}de" for name in TRANSLATED[sheet])
        errors.append(f"sheet {sheet}, row {number}: unknown {column!r}; expected e.g. {expected}")
        return
    if value is not None:
        translations.setdefault(code, {})[base] = str(value)


def _row_translations(row: dict, sheet: str, number: int, errors: list[str]) -> dict:
    translations: dict = {}
    for column, value in row.items():
        if AT in column:
            _translate(translations, column, _value(value), sheet, number, errors)
    return translations


CHOICE_LINE = re.compile(r"^(?P<label>.*?)\s*=\s*(?P<score>-?\d+)\s*$")


def _choices(text: str) -> list:
    """`label = score` per line; a line without a score is passed on as text (the
    format's check then says what a choice needs)."""
    choices = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = CHOICE_LINE.match(line.strip())
        if match:
            choices.append({"label": match["label"], "score": int(match["score"])})
        else:
            choices.append(line.strip())
    return choices


LOCATION = re.compile(
    r"^(?P<source>.*?: )(?:line \d+, )?(?P<path>dimensions\[\d+\](?:\.questions\[\d+\])?)"
)


def _located(error: str, where: dict) -> str:
    """The format's message with the generated YAML's line replaced by the sheet and row
    the dimension or question came from."""
    match = LOCATION.match(error)
    if not match:
        return re.sub(r"^(.*?: )line \d+, ", r"\1", error)
    path = match["path"]
    place = where.get(path) or where.get(path.split(".questions")[0], "")
    rest = error[match.end("path") :]
    return f"{match['source']}{place}: {path}{rest}" if place else error


# ---------------------------------------------------------------- writing


def bank_workbook(data: BankData, target) -> None:
    """Write a bank version as the Excel template to `target` (a path or binary file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    codes = _languages(data)
    workbook = Workbook()
    bank = workbook.active
    bank.title = "Bank"
    bank.append(["field", "value"])
    for field, value in [
        ("format", FORMAT),
        ("slug", data.slug),
        ("name", data.name),
        ("kind", data.kind),
        ("description", data.description),
        ("version", data.number),
        ("status", "draft" if data.status == "draft" else "published"),
        ("notes", data.notes),
        ("go", data.go),
        ("no_go", data.no_go),
        ("gap", data.gap),
        # Added after the first fields, which keep their rows (B7 is the version).
        ("language", data.language),
        ("perception_gap", data.perception_gap),
        ("perception_gaps_decide", data.perception_gaps_decide),
        *_translated(data.translations, codes, TRANSLATED["Bank"]),
    ]:
        bank.append([field, value])
    dimensions = workbook.create_sheet("Dimensions")
    dimensions.append([*DIMENSION_COLUMNS, *_columns(codes, TRANSLATED["Dimensions"])])
    questions = workbook.create_sheet("Questions")
    questions.append([*QUESTION_COLUMNS, *_columns(codes, TRANSLATED["Questions"])])
    for d in data.dimensions:
        dimensions.append(
            [
                d.name,
                d.description,
                d.weight,
                *(v for _c, v in _translated(d.translations, codes, TRANSLATED["Dimensions"])),
            ]
        )
        for q in d.questions:
            levels = [c.label for c in q.choices] if q.kind == "scale" else [None] * LEVELS
            choices = (
                "\n".join(f"{c.label} = {c.score}" for c in q.choices)
                if q.kind == "choice"
                else None
            )
            questions.append(
                [
                    d.name,
                    q.key,
                    q.text,
                    q.help,
                    q.kind,
                    q.weight,
                    q.required,
                    q.allows_na,
                    q.allows_dont_know,
                    q.knockout_level,
                    *levels,
                    choices,
                    *(
                        v
                        for _c, v in _translated(_question_texts(q), codes, TRANSLATED["Questions"])
                    ),
                ]
            )
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # Bank text is plain text: a leading "=" must never become a formula.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(target)


def _languages(data: BankData) -> list[str]:
    """Every language the bank translates anything into, in the order first met."""
    found: dict[str, None] = dict.fromkeys(data.translations)
    for d in data.dimensions:
        found.update(dict.fromkeys(d.translations))
        for q in d.questions:
            found.update(dict.fromkeys(q.translations))
            for c in q.choices:
                found.update(dict.fromkeys(c.translations))
    return list(found)


def _columns(codes: list[str], names: tuple[str, ...]) -> list[str]:
    return [f"{name}{AT}{code}" for code in codes for name in names]


def _translated(translations: dict, codes: list[str], names: tuple[str, ...]):
    """("name@de", its text or None) for every language and translated field."""
    return [
        (f"{name}{AT}{code}", (translations.get(code) or {}).get(name))
        for code in codes
        for name in names
    ]


def _question_texts(q) -> dict:
    """A question's translations with its labels as one "labels" text per language (one
    label per line; the bank's own label where one is not translated)."""
    texts = {code: dict(entry) for code, entry in q.translations.items()}
    codes = dict.fromkeys([*texts, *(code for c in q.choices for code in c.translations)])
    for code in codes:
        labels = [c.translations.get(code, {}).get("label") for c in q.choices]
        if any(labels):
            own = (label or c.label for label, c in zip(labels, q.choices, strict=True))
            texts.setdefault(code, {})["labels"] = "\n".join(own)
    return texts
