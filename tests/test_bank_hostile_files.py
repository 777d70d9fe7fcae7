"""Malformed and hostile bank files: readable errors with line and field, exit 1, nothing
written, and never any exception but the documented BankFormatError."""

import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from banks.parse import BankFormatError, parse_bank_bytes

pytestmark = pytest.mark.django_db

SMALL = (Path(__file__).parent / "banks" / "small.yaml").read_bytes()
# The file: a list for a text, a number for a kind, a mapping for a list.
WRONG_TYPES = b"""format: 1
bank:
  slug: ok
  name: [1, 2]
  kind: 5
version:
  number: 1
dimensions: {a: 1}
"""


def small(old: str, new: str) -> bytes:
    """The valid test bank with one edit."""
    assert old.encode() in SMALL, old
    return SMALL.replace(old.encode(), new.encode(), 1)


def db_rows():
    return [m.objects.count() for m in (QuestionBank, BankVersion, Dimension, Question, Choice)]


def run_import(path) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        call_command("import_bank", str(path), stdout=StringIO())
    return excinfo.value


def billion_laughs(levels: int) -> str:
    """Each level repeats the one below nine times: `*lol{levels}` stands for 9**levels."""
    lines = ["format: 1", "lol0: &lol0 lol"]
    for n in range(1, levels + 1):
        lines.append(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]")
    lines += [
        f"bank: {{slug: laughs, name: *lol{levels}, kind: custom}}",
        "version: {number: 1}",
        f"dimensions: *lol{levels}",
    ]
    return "\n".join(lines) + "\n"


# (content, messages expected in the output). Line numbers refer to the file as written.
MALFORMED = {
    "issue: list for text, number for kind, mapping for list": (
        WRONG_TYPES,
        [
            "line 4, bank.name: must be text, got a list",
            "line 5, bank.kind: must be one of strategic_fit, partner_selection, "
            "sponsor_readiness, mutual_fit, custom, got 5",
            "line 8, dimensions: must be a non-empty list, got a mapping",
        ],
    ),
    "issue: billion laughs, seven levels, as name and dimensions": (
        billion_laughs(7).encode(),
        ["line 2: &lol0: YAML anchors (&) and aliases (*) are not part of the bank format"],
    ),
    "list where a mapping belongs": (
        small(
            "  slug: small-fit\n  name: Small fit\n  kind: custom\n"
            "  description: A two-dimension bank for tests.\n",
            "  - small-fit\n",
        ),
        ["line 2, bank: must be a mapping of fields, got a list"],
    ),
    "mapping where a list belongs": (
        small("levels: [Nothing, Weak, Partial, Largely, Fully]", "levels: {a: 1}"),
        ["line 22, dimensions[0].questions[0].levels: a scale question needs exactly 5 levels"],
    ),
    "number for a text": (
        small("text: Serves a named objective.", "text: 12"),
        ["line 18, dimensions[0].questions[0].text: must be text, got 12"],
    ),
    "text for a number": (
        small("weight: 3", "weight: '3'"),
        ["line 20, dimensions[0].questions[0].weight: must be a whole number, got '3'"],
    ),
    "boolean for a weight": (
        small("weight: 60", "weight: true"),
        ["line 15, dimensions[0].weight: must be a whole number, got True"],
    ),
    "null for a dimension": (
        small("  - name: Other\n    weight: 40\n", "  - null\n  - name: Other\n    weight: 40\n"),
        ["line 30, dimensions[1]: must be a mapping of fields, got None"],
    ),
    "null for a required text, a number for a key": (
        small("      - key: S1\n        text: Serves", "      - key: 1\n        text: ~\n#"),
        [
            "line 17, dimensions[0].questions[0].key: must be a key like S1, got 1",
            "line 18, dimensions[0].questions[0].text: is required",
        ],
    ),
    "a label that is a list, a score that is text": (
        small("- {label: Few or none, score: 0}", "- {label: [Few], score: none}"),
        [
            "line 29, dimensions[0].questions[1].choices[1].label: must be text, got a list",
            "line 29, dimensions[0].questions[1].choices[1].score: must be a whole number, "
            "got 'none'",
        ],
    ),
    "missing field": (
        small("      - key: S3\n        text", "      - text"),
        ["line 33, dimensions[1].questions[0].key: is required"],
    ),
    "unknown field": (
        small("allows_na: true", "allow_na: true"),
        ["line 26, dimensions[0].questions[1].allow_na: unknown field"],
    ),
    "duplicate key": (
        small("        kind: yes_no\n", "        kind: yes_no\n        kind: text\n"),
        ["line 36, dimensions[1].questions[0].kind: duplicate field (first on line 35)"],
    ),
    "a list as a field name": (
        small("        kind: yes_no\n", "        kind: yes_no\n        ? [a, b]\n        : 1\n"),
        ["line 36, dimensions[1].questions[0]: a field name must be plain text"],
    ),
    "tab indentation": (
        small("  name: Small fit\n", "\tname: Small fit\n"),
        ["line 4: indented with a tab; YAML is indented with spaces only"],
    ),
    "not UTF-8 (Latin-1)": (
        small("A two-dimension bank", "Caf\u00e9").replace(b"Caf\xc3\xa9", b"Caf\xe9"),
        ["line 6: not UTF-8 text (byte 0xe9); save the file as UTF-8"],
    ),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["this is a binary file, not YAML"]),
    "empty file": (b"\n  \n", ["the file is empty"]),
    "only a scalar": (b"just a sentence\n", ["line 1, file: must be a mapping of fields"]),
    "only a list": (b"- format: 1\n", ["line 1, file: must be a mapping of fields, got a list"]),
    "a control character": (
        small("First.", "Fir\x07st."),
        ["line 10: the character U+0007 is not allowed in YAML"],
    ),
    "a NUL inside a quoted text": (
        small("notes: First.", 'notes: "Fir\\0st."'),
        ["line 10, version.notes: contains a NUL character"],
    ),
    "an impossible date": (
        small("notes: First.", "notes: 2024-13-45"),
        ["line 10: not valid YAML: cannot read this value (month must be in 1..12)"],
    ),
    "a number of 5,000 digits": (
        small("number: 1", "number: " + "9" * 5000),
        ["line 8: not valid YAML: cannot read this value"],
    ),
    "a version number out of range": (
        small("number: 1", "number: 99999999999999999999"),
        ["line 8, version.number: must be between 1 and 1000000, got 99999999999999999999"],
    ),
    "format true": (small("format: 1", "format: true"), ["line 1, format: must be 1, got True"]),
    "two documents": (SMALL + b"---\nformat: 1\n", ["the file holds 2 YAML documents"]),
    "nested 13 deep": (
        small("notes: First.", "notes: " + "[" * 13 + "]" * 13),
        ["line 10: nested more than 12 levels deep; a bank file needs 7 at most"],
    ),
    "not YAML": (small("name: Other", "name: [unclosed"), ["line 31: not valid YAML"]),
}


@pytest.mark.parametrize(("content", "expected"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_gets_line_and_field_errors_exit_1_and_nothing_written(
    tmp_path, content, expected
):
    path = tmp_path / "bank.yaml"
    path.write_bytes(content)
    error = run_import(path)
    assert error.returncode == 1
    for message in expected:
        assert message in str(error)
    assert db_rows() == [0, 0, 0, 0, 0]


def test_every_problem_of_the_file_is_reported_at_once(tmp_path):
    content = (
        small("weight: 3", "weight: 1.5")
        .replace(b"key: S2", b"key: s2")
        .replace(b"score: 100}", b"score: 140}")
        .replace(b"kind: custom", b"kind: [custom]")
    )
    path = tmp_path / "bank.yaml"
    path.write_bytes(content)
    output = str(run_import(path))
    located = [
        line.split(": line ")[1].split(":")[0]
        for line in output.splitlines()[1:]
        if ": line " in line
    ]
    assert located[:4] == [
        "5, bank.kind",
        "20, dimensions[0].questions[0].weight",
        "23, dimensions[0].questions[1].key",
        "28, dimensions[0].questions[1].choices[0].score",
    ]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, settings):
    settings.BANK_FILE_MAX_BYTES = 1000
    path = tmp_path / "big.yaml"
    # Had it been parsed, it would have been refused as nested too deep.
    path.write_bytes(b"[" * 1001)
    assert "the file is over 1,000 bytes" in str(run_import(path))
    # A device that never ends is read no further than the limit.
    assert "the file is over 1,000 bytes" in str(run_import("/dev/zero"))
    assert db_rows() == [0, 0, 0, 0, 0]


def test_a_file_that_cannot_be_read_is_a_clear_error(tmp_path):
    assert "cannot read the file" in str(run_import(tmp_path / "missing.yaml"))
    assert "cannot read the file" in str(run_import(tmp_path))


def test_billion_laughs_is_refused_from_the_event_stream_before_any_expansion(tmp_path):
    # 9**30 ≈ 4e28 strings if expanded: no machine could; refusing it proves nothing was.
    levels = 30
    assert 9**levels > 10**28
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs(levels))
    errors = str(run_import(path)).splitlines()[1:]
    # One line per line of the file that defines or uses an anchor, from the first on:
    # only the event stream still knows anchors (a composed document has none).
    assert len(errors) == levels + 3
    assert errors[0].endswith(
        "line 2: &lol0: YAML anchors (&) and aliases (*) are not part of "
        "the bank format; write each value out"
    )
    assert "line 3: &lol1, *lol0:" in errors[1]
    assert f"line {levels + 3}: *lol{levels}:" in errors[-2]
    assert db_rows() == [0, 0, 0, 0, 0]


def test_an_alias_is_refused_before_the_composer_sees_it():
    # Composing would fail on the undefined alias ("found undefined alias"): the event
    # check comes first and refuses the alias itself.
    text = SMALL.replace(b"name: Small fit", b"name: *nowhere")
    with pytest.raises(BankFormatError) as excinfo:
        parse_bank_bytes(text)
    assert excinfo.value.errors == [
        "bank: line 4: *nowhere: YAML anchors (&) and aliases (*) are not part of the bank "
        "format; write each value out"
    ]


# ---------------------------------------------------------------- properties

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", "S1", "scale", "choice", "yes_no", "text", "custom", "published"])
)
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=12) | st.integers() | st.booleans(), inner, max_size=5)
    ),
    max_leaves=25,
)
VALID = yaml.safe_load(SMALL)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict | list):
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            yield from _paths(child, (*prefix, key))


PATHS = list(_paths(VALID))


@st.composite
def mutated_banks(draw):
    """The valid test bank with one field, item or subtree replaced by anything (or dropped)."""
    document = yaml.safe_load(SMALL)
    path = draw(st.sampled_from(PATHS[1:]))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()):
        parent[path[-1]] = draw(structures)
    elif isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent.pop(path[-1])
    return document


def import_only_bank_format_errors(content: bytes) -> None:
    """Import `content` as the command does; a refusal must be BankFormatError with the
    database unchanged. (A mutation may still be a valid bank: that one imports.)"""
    before = db_rows()
    with tempfile.NamedTemporaryFile(suffix=".yaml", delete=False) as stream:
        stream.write(content)
    refusal = None
    try:
        call_command("import_bank", stream.name, stdout=StringIO())
    except CommandError as exc:
        refusal = exc
    finally:
        os.unlink(stream.name)
    if refusal is not None:
        assert isinstance(refusal.__cause__, BankFormatError), refusal
        assert refusal.returncode == 1
        assert db_rows() == before


def dump(document) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=structures)
def test_any_yaml_structure_gives_only_the_documented_error(document):
    import_only_bank_format_errors(dump(document))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=mutated_banks())
def test_a_bank_with_any_field_replaced_gives_only_the_documented_error(document):
    import_only_bank_format_errors(dump(document))


@settings(max_examples=150, deadline=None)
@given(content=st.binary(max_size=300))
def test_any_bytes_give_only_the_documented_error(content):
    import_only_bank_format_errors(content)


@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(0, len(SMALL) - 1),
    replacement=st.binary(min_size=0, max_size=4),
    length=st.integers(0, 4),
)
def test_a_bank_with_any_bytes_spliced_in_gives_only_the_documented_error(
    position, replacement, length
):
    import_only_bank_format_errors(SMALL[:position] + replacement + SMALL[position + length :])


def test_the_format_modules_import_no_django():
    code = (
        "import sys, banks.schema, banks.parse, banks.check, "
        "banks.export, banks.diff, banks.excel; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert out.stdout.strip() == "[]"
