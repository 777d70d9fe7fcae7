"""The bank rules the pure format and the ORM share have one definition each.

The pure modules own the values (level points in `scoring`, key and slug patterns, kinds
and text limits in `banks/format`); the models import them. These tests fail if a copy
comes back and drifts, or if a second definition is written at all.
"""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from assessments import scoring
from assessments.banks import format as bank_format
from assessments.models import BankVersion, Choice, Dimension, Question, QuestionBank

ROOT = Path(__file__).resolve().parent.parent
APPS = ["alliances", "sponsors", "assessments", "briefs", "config"]


def _patterns(model, field_name):
    field = model._meta.get_field(field_name)
    return [v.regex.pattern for v in field.validators if isinstance(v, RegexValidator)]


def test_the_models_check_keys_and_slugs_with_the_format_patterns():
    assert bank_format.KEY_PATTERN in _patterns(Question, "key")
    assert bank_format.SLUG_PATTERN in _patterns(QuestionBank, "slug")


@pytest.mark.parametrize(
    ("model", "field_name", "valid", "invalid"),
    [
        (Question, "key", ["S1", "PS12", "ABCD1234"], ["s1", "S", "1", "ABCDE1", "S12345"]),
        (
            QuestionBank,
            "slug",
            ["strategic-fit", "fit2"],
            ["Strategic-fit", "strategic_fit", "-fit", "fit-"],
        ),
    ],
)
def test_a_value_the_format_refuses_the_model_refuses_too(model, field_name, valid, invalid):
    field = model._meta.get_field(field_name)
    pattern = bank_format.KEY_RE if field_name == "key" else bank_format.SLUG_RE
    for value in valid:
        assert pattern.fullmatch(value)
        field.run_validators(value)
    for value in invalid:
        assert not pattern.fullmatch(value)
        with pytest.raises(ValidationError):
            field.run_validators(value)


def test_kinds_and_statuses_match_the_model_choices():
    assert tuple(QuestionBank.Kind.values) == bank_format.BANK_KINDS
    assert tuple(Question.Kind.values) == bank_format.QUESTION_KINDS
    assert set(bank_format.STATUSES) <= set(BankVersion.Status.values)


def test_text_limits_match_the_columns():
    limits = {
        (QuestionBank, "slug"): bank_format.SLUG_MAX,
        (QuestionBank, "name"): bank_format.NAME_MAX,
        (Dimension, "name"): bank_format.NAME_MAX,
        (Question, "text"): bank_format.QUESTION_TEXT_MAX,
        (Choice, "label"): bank_format.LABEL_MAX,
    }
    for (model, name), limit in limits.items():
        assert model._meta.get_field(name).max_length == limit, f"{model.__name__}.{name}"


def test_level_points_are_the_scoring_ones_in_the_models_and_the_format():
    points = scoring.LEVEL_POINTS
    assert Question(knockout_level=1).knockout_score == points
    assert Choice(score=3 * points).level == 3
    scale = (
        bank_format.parse_bank((ROOT / "tests" / "banks" / "small.yaml").read_text())
        .dimensions[0]
        .questions[0]
    )
    assert [c.score for c in scale.choices] == [n * points for n in range(bank_format.LEVELS)]


def _module_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("LEVEL_POINTS", "assessments/scoring.py"),
        ("KEY_PATTERN", "assessments/banks/format.py"),
        ("SLUG_PATTERN", "assessments/banks/format.py"),
    ],
)
def test_each_shared_rule_is_defined_in_one_module_only(name, owner):
    defined_in = [
        str(path.relative_to(ROOT))
        for app in APPS
        if (ROOT / app).is_dir()
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and name in _module_level_names(path)
    ]
    assert defined_in == [owner]


def test_the_key_and_slug_patterns_are_not_written_out_anywhere_else():
    patterns = {bank_format.KEY_PATTERN, bank_format.SLUG_PATTERN}
    copies = [
        str(path.relative_to(ROOT))
        for app in APPS
        if (ROOT / app).is_dir()
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in patterns
    ]
    assert copies == ["assessments/banks/format.py", "assessments/banks/format.py"]
