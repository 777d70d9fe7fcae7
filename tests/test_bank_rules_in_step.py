"""The bank rules the pure format and the ORM share have one definition each.

The pure format owns the values (level points, key and slug patterns, kinds and text
limits in `banks/schema`); scoring and the models import them. These tests fail if a copy
comes back and drifts, or if a second definition is written at all.
"""

import ast
import tomllib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from assessments import scoring
from banks import schema
from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from banks.parse import parse_bank

ROOT = Path(__file__).resolve().parent.parent
# Every package of ours (the import contracts' list in pyproject.toml).
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def _patterns(model, field_name):
    field = model._meta.get_field(field_name)
    return [v.regex.pattern for v in field.validators if isinstance(v, RegexValidator)]


def test_the_models_check_keys_and_slugs_with_the_format_patterns():
    assert schema.KEY_PATTERN in _patterns(Question, "key")
    assert schema.SLUG_PATTERN in _patterns(QuestionBank, "slug")


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
    pattern = schema.KEY_RE if field_name == "key" else schema.SLUG_RE
    for value in valid:
        assert pattern.fullmatch(value)
        field.run_validators(value)
    for value in invalid:
        assert not pattern.fullmatch(value)
        with pytest.raises(ValidationError):
            field.run_validators(value)


def test_kinds_and_statuses_match_the_model_choices():
    assert tuple(QuestionBank.Kind.values) == schema.BANK_KINDS
    assert tuple(Question.Kind.values) == schema.QUESTION_KINDS
    assert set(schema.STATUSES) <= set(BankVersion.Status.values)


def test_text_limits_match_the_columns():
    limits = {
        (QuestionBank, "slug"): schema.SLUG_MAX,
        (QuestionBank, "name"): schema.NAME_MAX,
        (Dimension, "name"): schema.NAME_MAX,
        (Question, "text"): schema.QUESTION_TEXT_MAX,
        (Choice, "label"): schema.LABEL_MAX,
    }
    for (model, name), limit in limits.items():
        assert model._meta.get_field(name).max_length == limit, f"{model.__name__}.{name}"


def test_level_points_are_the_scoring_ones_in_the_models_and_the_format():
    points = schema.LEVEL_POINTS
    assert points == scoring.LEVEL_POINTS
    assert Question(knockout_level=1).knockout_score == points
    assert Choice(score=3 * points).level == 3
    scale = (
        parse_bank((ROOT / "tests" / "banks" / "small.yaml").read_text()).dimensions[0].questions[0]
    )
    assert [c.score for c in scale.choices] == [n * points for n in range(schema.LEVELS)]


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
        ("LEVEL_POINTS", "banks/schema.py"),
        ("KEY_PATTERN", "banks/schema.py"),
        ("SLUG_PATTERN", "banks/schema.py"),
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
    patterns = {schema.KEY_PATTERN, schema.SLUG_PATTERN}
    copies = [
        str(path.relative_to(ROOT))
        for app in APPS
        if (ROOT / app).is_dir()
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in patterns
    ]
    assert copies == ["banks/schema.py", "banks/schema.py"]
