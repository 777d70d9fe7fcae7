"""Question bank YAML: import, export, round trip, and errors that name the line and field."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from banks.models import BankVersion, Choice, Question, QuestionBank
from banks.parse import BankFormatError, parse_bank
from banks.services import bank_import, shipped_bank_files, version_data
from tests.assessment_factories import make_bank_data

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "banks" / "small.yaml"


def import_text(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_bank", str(path), stdout=StringIO())


def export_text(slug, number=None):
    out = StringIO()
    args = [slug] + (["--version", str(number)] if number else [])
    call_command("export_bank", *args, stdout=out)
    return out.getvalue()


def test_import_builds_the_bank_with_defaults_and_generated_choices():
    call_command("import_bank", str(SMALL), stdout=StringIO())
    version = BankVersion.objects.get(bank__slug="small-fit")
    assert version.status == BankVersion.Status.PUBLISHED
    s1 = Question.objects.get(dimension__version=version, key="S1")
    assert [c.score for c in s1.choices.all()] == [0, 25, 50, 75, 100]
    assert (s1.knockout_level, s1.weight, s1.required, s1.allows_dont_know) == (1, 3, True, True)
    s3 = Question.objects.get(dimension__version=version, key="S3")
    assert [(c.label, c.score) for c in s3.choices.all()] == [("Yes", 100), ("No", 0)]
    s4 = Question.objects.get(dimension__version=version, key="S4")
    assert not s4.required
    assert not s4.choices.exists()


def test_export_then_import_gives_the_same_bank(tmp_path):
    call_command("import_bank", str(SMALL), stdout=StringIO())
    first = export_text("small-fit")
    document = yaml.safe_load(first)
    document["version"]["number"] = 2
    import_text(tmp_path, yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    second = export_text("small-fit", 2)
    assert yaml.safe_load(second) == document
    # The structure read back from the database is identical too, apart from the number.
    v1, v2 = (
        version_data(BankVersion.objects.get(bank__slug="small-fit", number=n)) for n in (1, 2)
    )
    assert v1.dimensions == v2.dimensions
    assert (v1.go, v1.no_go, v1.gap) == (v2.go, v2.no_go, v2.gap)


def test_export_to_a_file(tmp_path):
    call_command("import_bank", str(SMALL), stdout=StringIO())
    target = tmp_path / "out.yaml"
    call_command("export_bank", "small-fit", "-o", str(target), stderr=StringIO())
    assert parse_bank(target.read_text()).slug == "small-fit"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("weight: 3", "weight: 1.5"),
            "line 20, dimensions[0].questions[0].weight",
        ),
        (lambda t: t.replace("weight: 40", "weight: 30"), "weights add up to 90"),
        (
            lambda t: t.replace("knockout_level: 1", "knockout_level: 7"),
            "knockout_level: must be between 0 and 4",
        ),
        (
            lambda t: t.replace("allows_na: true", "allow_na: true"),
            "line 26, dimensions[0].questions[1].allow_na: unknown field",
        ),
        (lambda t: t.replace("Partial, Largely, ", ""), "exactly 5 levels"),
        (lambda t: t.replace("key: S3", "key: S1"), "question S1: the key is used twice"),
        (lambda t: t.replace("no_go: 50", "no_go: 80"), "no_go (80) must not exceed go (70)"),
        (
            lambda t: t.replace("kind: custom", "kind: marketing"),
            "line 5, bank.kind: must be one of",
        ),
        (lambda t: t.replace("score: 100}", "score: 140}"), "score: must be between 0 and 100"),
        (lambda t: t.replace("  name: Small fit\n", ""), "bank.name: is required"),
        (lambda t: t.replace("format: 1", "format: 2"), "format: must be 1"),
        (lambda t: t + "  - name: [unclosed\n", "not valid YAML"),
        (
            lambda t: t.replace("kind: yes_no", "kind: yes_no\n        kind: text"),
            "duplicate field",
        ),
    ],
)
def test_an_invalid_bank_names_the_problem_exits_1_and_writes_nothing(tmp_path, change, expected):
    text = change(SMALL.read_text())
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_bank", str(path), stdout=StringIO())
    assert expected in str(excinfo.value)
    assert excinfo.value.returncode == 1
    assert not QuestionBank.objects.exists()
    assert not Choice.objects.exists()


def test_a_version_number_already_loaded_is_refused(tmp_path):
    call_command("import_bank", str(SMALL), stdout=StringIO())
    with pytest.raises(CommandError, match="already has version 1"):
        call_command("import_bank", str(SMALL), stdout=StringIO())
    assert BankVersion.objects.count() == 1


def test_export_of_an_unknown_bank_or_version_is_a_clear_error():
    call_command("import_bank", str(SMALL), stdout=StringIO())
    with pytest.raises(CommandError, match="No question bank has the slug"):
        call_command("export_bank", "nope")
    with pytest.raises(CommandError, match="has no version 9"):
        call_command("export_bank", "small-fit", "--version", "9")


def test_every_shipped_bank_imports_and_publishes_cleanly():
    files = shipped_bank_files()
    assert {f.stem for f in files} >= {"strategic-fit", "partner-selection", "sponsor-readiness"}
    for path in files:
        call_command("import_bank", str(path), stdout=StringIO())
    published = BankVersion.objects.filter(status=BankVersion.Status.PUBLISHED)
    assert published.count() == len(files)
    for version in published:
        questions = Question.objects.filter(dimension__version=version)
        assert sum(d.weight for d in version.dimensions.all()) == 100
        assert all(q.help for q in questions), f"{version}: every question has a help text"
        assert questions.filter(knockout_level__isnull=False).exists()


def test_parse_errors_list_every_problem_at_once():
    text = SMALL.read_text().replace("weight: 3", "weight: 0").replace("key: S2", "key: s2")
    with pytest.raises(BankFormatError) as excinfo:
        parse_bank(text)
    assert len(excinfo.value.errors) >= 2


def test_a_published_bank_that_cannot_publish_is_the_format_error_and_writes_nothing():
    data = make_bank_data(status="published")
    data.dimensions[0].weight -= 10  # weights add up to 90
    with pytest.raises(BankFormatError, match="weights add up to 90"):
        bank_import(data=data)
    assert not QuestionBank.objects.exists()
    assert not Choice.objects.exists()
