"""Question banks through the Excel template: exported, edited in a spreadsheet and
imported back with the YAML import's rules and messages; hostile workbooks refused."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from banks.excel import bank_workbook, parse_bank_workbook
from banks.models import BankVersion, QuestionBank
from banks.parse import BankFormatError, parse_bank_bytes
from banks.services import version_data

pytestmark = pytest.mark.django_db

SMALL = (Path(__file__).parent / "banks" / "small.yaml").read_bytes()


@pytest.fixture
def template(tmp_path):
    """The small test bank imported from YAML and exported as the Excel template."""
    call_command("import_bank", str(Path(__file__).parent / "banks" / "small.yaml"))
    version = BankVersion.objects.get()
    path = tmp_path / "bank.xlsx"
    call_command("export_bank", version.bank.slug, "-o", str(path))
    return path


def edited(path: Path, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_bank_round_trips_through_the_excel_template(template):
    original = version_data(BankVersion.objects.get())
    assert parse_bank_workbook(template.read_bytes()) == original
    assert parse_bank_bytes(SMALL) == original


def test_an_edited_workbook_imports_as_a_new_version(template, tmp_path):
    workbook = load_workbook(template)
    bank = {row[0].value: row[1] for row in workbook["Bank"].iter_rows(min_row=2)}
    bank["version"].value = 2
    bank["status"].value = "published"
    workbook["Questions"]["C2"] = "=Is the partner's roadmap public?"  # text, not a formula
    workbook["Questions"]["C2"].data_type = "s"
    path = tmp_path / "v2.xlsx"
    workbook.save(path)
    call_command("import_bank", str(path))
    slug = QuestionBank.objects.get().slug
    published = BankVersion.objects.get(bank__slug=slug, status="published")
    assert published.number == 2
    question = published.dimensions.first().questions.order_by("order", "pk").first()
    assert question.text == "=Is the partner's roadmap public?"


def test_errors_are_the_yaml_imports_pointed_at_sheet_and_row(template):
    content = edited(template, "Questions", "E2", "slider")  # kind of the first question
    with pytest.raises(BankFormatError) as caught:
        parse_bank_workbook(content, source="bank.xlsx")
    [error] = caught.value.errors
    assert error.startswith("bank.xlsx: sheet Questions, row 2: dimensions[0].questions[0].kind")
    assert "must be one of scale, choice, yes_no, text, got 'slider'" in error


def test_the_import_command_refuses_an_invalid_workbook_and_writes_nothing(template, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edited(template, "Dimensions", "C2", "heavy"))
    before = BankVersion.objects.count()
    with pytest.raises(CommandError, match=r"sheet Dimensions, row 2: dimensions\[0\]\.weight"):
        call_command("import_bank", str(path))
    assert BankVersion.objects.count() == before


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"format: 1\n", "not an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "not an Excel workbook"),
        (zipped({"bomb.xml": b"\0" * 50_000_000}), "unpacks to 50,000,000 bytes"),
        (zipped({"hello.txt": b"hi"}), "not a readable Excel workbook"),
        (b"PK\x03\x04" + b"x" * 3_000_000, "over 2,097,152 bytes"),
    ],
)
def test_hostile_files_are_refused_with_a_clear_message(content, message):
    with pytest.raises(BankFormatError) as caught:
        parse_bank_workbook(content, source="upload.xlsx", max_bytes=2_097_152)
    assert message in caught.value.errors[0]


def test_a_workbook_without_the_template_sheets_is_refused(template):
    workbook = load_workbook(template)
    del workbook["Dimensions"]
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(BankFormatError, match="missing: Dimensions"):
        parse_bank_workbook(out.getvalue())


def test_formulas_are_refused(template):
    with pytest.raises(BankFormatError, match="sheet Dimensions, row 2: formulas are not allowed"):
        parse_bank_workbook(edited(template, "Dimensions", "C2", "=40+10"))


def with_sheet_xml(template, tmp_path, change) -> Path:
    """The template with each sheet's XML passed through `change`."""
    source, out = zipfile.ZipFile(template), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            target.writestr(item, data)
    path = tmp_path / "changed.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_a_workbook_with_a_dtd_or_broken_sheet_xml_is_refused_with_the_files_problem(
    template, tmp_path
):
    """As every other bad file: the import says what is wrong, nothing is written."""

    def dtd(data):
        head, mark, rest = data.partition(b"?>")
        return head + mark + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + rest

    path = with_sheet_xml(template, tmp_path, dtd)
    with pytest.raises(BankFormatError, match=r"holds a DTD"):
        parse_bank_workbook(path.read_bytes(), source="changed.xlsx")
    with pytest.raises(CommandError, match="holds a DTD"):
        call_command("import_bank", str(path))
    path = with_sheet_xml(template, tmp_path, lambda data: data.replace(b"<row", b"<row <", 1))
    with pytest.raises(BankFormatError, match="not a readable Excel workbook"):
        parse_bank_workbook(path.read_bytes(), source="changed.xlsx")
    assert QuestionBank.objects.count() == 1


SEED = Path(__file__).parent.parent / "banks" / "seed"


@pytest.mark.parametrize("name", sorted(p.name for p in SEED.glob("*.yaml")))
def test_a_translated_bank_keeps_every_translation_through_excel(name, tmp_path):
    """The seed banks carry German for every wording: the workbook has a column for it
    beside each text ("text@de", "labels@de"), and reads back to the same bank, its
    language, perception settings and translations included."""
    original = parse_bank_bytes((SEED / name).read_bytes())
    assert original.dimensions[0].questions[0].translations["de"]["text"]
    path = tmp_path / "bank.xlsx"
    bank_workbook(original, path)
    headers = [c.value for c in load_workbook(path)["Questions"][1]]
    assert {"text@de", "help@de", "labels@de"} <= set(headers)
    assert parse_bank_workbook(path.read_bytes()) == original


def test_a_translation_column_for_something_untranslatable_is_named(template):
    content = edited(template, "Questions", "Z1", "weight@de")
    workbook = load_workbook(io.BytesIO(content))
    workbook["Questions"]["Z2"] = "3"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(BankFormatError) as refused:
        parse_bank_workbook(out.getvalue())
    assert "sheet Questions, row 2: unknown 'weight@de'" in str(refused.value)
