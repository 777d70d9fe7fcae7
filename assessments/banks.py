"""Question bank YAML (format 1, see assessments/banks/README.md): parse, check, import, export.

Parsing and checking touch no database: every error names the YAML line and
the field, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Max, Prefetch

from assessments.models import (
    LEVEL_POINTS,
    BankVersion,
    Choice,
    Dimension,
    Question,
    QuestionBank,
)

FORMAT = 1
BANKS_DIR = Path(__file__).resolve().parent / "banks"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$")
KINDS = [kind.value for kind in QuestionBank.Kind]
QUESTION_KINDS = [kind.value for kind in Question.Kind]
YES_NO = (("Yes", 100), ("No", 0))
LEVELS = 5


class BankFormatError(Exception):
    """The file is not a valid bank: `errors` lists "line N, field: message" strings."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ChoiceData:
    label: str
    score: int


@dataclass
class QuestionData:
    key: str
    text: str
    help: str = ""
    kind: str = "scale"
    weight: int = 1
    required: bool = True
    allows_na: bool = False
    allows_dont_know: bool = True
    knockout_level: int | None = None
    choices: list[ChoiceData] = field(default_factory=list)


@dataclass
class DimensionData:
    name: str
    description: str
    weight: int
    questions: list[QuestionData]


@dataclass
class BankData:
    slug: str
    name: str
    kind: str
    description: str
    number: int
    status: str
    notes: str
    go: int
    no_go: int
    gap: int
    dimensions: list[DimensionData]


# ---------------------------------------------------------------- parsing


class _Node(dict):
    """A YAML mapping that remembers the line of each key."""

    line: int = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = _Node()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate field “{key}” (line {line})", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = line
        return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)


class _Checker:
    """Collects every error of a file with its line and field path."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, node, key, path, message):
        line = node.key_lines.get(key, node.line) if isinstance(node, _Node) else None
        where = f"line {line}, " if line else ""
        self.errors.append(f"{where}{path}: {message}")

    def mapping(self, node, path, allowed, required=()):
        if not isinstance(node, dict):
            self.errors.append(f"{path}: must be a mapping of fields")
            return False
        for key in node:
            if key not in allowed:
                self.error(
                    node,
                    key,
                    f"{path}.{key}",
                    f"unknown field; expected one of {', '.join(allowed)}",
                )
        for key in required:
            if key not in node or node[key] in (None, ""):
                self.error(node, key, f"{path}.{key}", "is required")
        return True

    def text(self, node, key, path, *, max_length, required=False, default=""):
        value = node.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            self.error(node, key, path, "must be text")
            return default
        value = value.strip()
        if required and not value:
            return value  # reported by mapping()
        if len(value) > max_length:
            self.error(node, key, path, f"is {len(value)} characters long; at most {max_length}")
        return value

    def integer(self, node, key, path, *, low, high=None, default=None):
        value = node.get(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node, key, path, f"must be a whole number, got {value!r}")
            return default
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.error(node, key, path, f"must be {bounds}, got {value}")
            return default
        return value

    def boolean(self, node, key, path, default):
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.error(node, key, path, f"must be true or false, got {value!r}")
            return default
        return value


def parse_bank(text: str, source: str = "bank") -> BankData:
    """Parse and check a bank file; raise BankFormatError listing every problem."""
    try:
        root = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BankFormatError([f"{source}: {where}not valid YAML: {problem}"]) from exc
    check = _Checker()
    if not check.mapping(root, "file", ["format", "bank", "version", "dimensions"], ["format"]):
        raise BankFormatError(check.errors)
    if root.get("format") != FORMAT:
        check.error(root, "format", "format", f"must be {FORMAT}, got {root.get('format')!r}")
    bank = root.get("bank") or _Node()
    version = root.get("version") or _Node()
    if "bank" not in root:
        check.error(root, "bank", "bank", "is required")
    if "version" not in root:
        check.error(root, "version", "version", "is required")
    check.mapping(bank, "bank", ["slug", "name", "kind", "description"], ["slug", "name", "kind"])
    slug = check.text(bank, "slug", "bank.slug", max_length=80, required=True)
    if slug and not SLUG_RE.match(slug):
        check.error(bank, "slug", "bank.slug", "use lowercase letters, digits and hyphens only")
    kind = bank.get("kind")
    if kind is not None and kind not in KINDS:
        check.error(bank, "kind", "bank.kind", f"must be one of {', '.join(KINDS)}")
    check.mapping(version, "version", ["number", "status", "notes", "thresholds"], ["number"])
    status = version.get("status", "draft")
    if status not in ("draft", "published"):
        check.error(version, "status", "version.status", "must be draft or published")
    thresholds = version.get("thresholds") or _Node()
    check.mapping(thresholds, "version.thresholds", ["go", "no_go", "gap"])
    go = check.integer(thresholds, "go", "version.thresholds.go", low=0, high=100, default=70)
    no_go = check.integer(
        thresholds, "no_go", "version.thresholds.no_go", low=0, high=100, default=50
    )
    gap = check.integer(thresholds, "gap", "version.thresholds.gap", low=0, high=100, default=50)
    if no_go > go:
        check.error(
            thresholds, "no_go", "version.thresholds", f"no_go ({no_go}) must not exceed go ({go})"
        )
    data = BankData(
        slug=slug,
        name=check.text(bank, "name", "bank.name", max_length=200, required=True),
        kind=kind or "",
        description=check.text(bank, "description", "bank.description", max_length=4000),
        number=check.integer(version, "number", "version.number", low=1) or 0,
        status=status,
        notes=check.text(version, "notes", "version.notes", max_length=4000),
        go=go,
        no_go=no_go,
        gap=gap,
        dimensions=_parse_dimensions(check, root),
    )
    check.errors.extend(structure_errors(data))
    if check.errors:
        raise BankFormatError([f"{source}: {e}" for e in _unique(check.errors)])
    return data


def _unique(items):
    return list(dict.fromkeys(items))


def _parse_dimensions(check: _Checker, root) -> list[DimensionData]:
    dims = root.get("dimensions")
    if not isinstance(dims, list) or not dims:
        check.error(root, "dimensions", "dimensions", "must be a non-empty list")
        return []
    result = []
    for d, node in enumerate(dims):
        path = f"dimensions[{d}]"
        if not check.mapping(
            node, path, ["name", "description", "weight", "questions"], ["name", "weight"]
        ):
            continue
        questions = node.get("questions")
        parsed = []
        if not isinstance(questions, list) or not questions:
            check.error(node, "questions", f"{path}.questions", "must be a non-empty list")
        else:
            for q, q_node in enumerate(questions):
                question = _parse_question(check, q_node, f"{path}.questions[{q}]")
                if question:
                    parsed.append(question)
        result.append(
            DimensionData(
                name=check.text(node, "name", f"{path}.name", max_length=200, required=True),
                description=check.text(node, "description", f"{path}.description", max_length=2000),
                weight=check.integer(node, "weight", f"{path}.weight", low=1, default=1),
                questions=parsed,
            )
        )
    return result


QUESTION_FIELDS = [
    "key",
    "text",
    "help",
    "kind",
    "weight",
    "required",
    "allows_na",
    "allows_dont_know",
    "knockout_level",
    "levels",
    "choices",
]


def _parse_question(check: _Checker, node, path) -> QuestionData | None:
    if not check.mapping(node, path, QUESTION_FIELDS, ["key", "text"]):
        return None
    kind = node.get("kind", "scale")
    if kind not in QUESTION_KINDS:
        check.error(node, "kind", f"{path}.kind", f"must be one of {', '.join(QUESTION_KINDS)}")
        kind = "scale"
    key = node.get("key")
    key = str(key).strip() if key is not None else ""
    if key and not KEY_RE.match(key):
        check.error(node, "key", f"{path}.key", f"“{key}” is not a key like S1 (capitals + number)")
    question = QuestionData(
        key=key,
        text=check.text(node, "text", f"{path}.text", max_length=500, required=True),
        help=check.text(node, "help", f"{path}.help", max_length=4000),
        kind=kind,
        weight=check.integer(node, "weight", f"{path}.weight", low=1, high=1000, default=1),
        required=check.boolean(node, "required", f"{path}.required", kind != "text"),
        allows_na=check.boolean(node, "allows_na", f"{path}.allows_na", False),
        allows_dont_know=check.boolean(node, "allows_dont_know", f"{path}.allows_dont_know", True),
    )
    if node.get("knockout_level") is not None:
        question.knockout_level = check.integer(
            node, "knockout_level", f"{path}.knockout_level", low=0, high=4
        )
    levels, choices = node.get("levels"), node.get("choices")
    if kind == "scale":
        if choices is not None:
            check.error(
                node, "choices", f"{path}.choices", "a scale question has levels, not choices"
            )
        if not isinstance(levels, list) or len(levels) != LEVELS:
            check.error(node, "levels", f"{path}.levels", "a scale question needs exactly 5 levels")
        else:
            for n, label in enumerate(levels):
                if not isinstance(label, str) or not label.strip():
                    check.error(node, "levels", f"{path}.levels[{n}]", "must be non-empty text")
                elif len(label) > 500:
                    check.error(node, "levels", f"{path}.levels[{n}]", "at most 500 characters")
                else:
                    question.choices.append(ChoiceData(label.strip(), n * LEVEL_POINTS))
    elif kind == "choice":
        if levels is not None:
            check.error(
                node, "levels", f"{path}.levels", "a choice question has choices, not levels"
            )
        if not isinstance(choices, list) or len(choices) < 2:
            check.error(node, "choices", f"{path}.choices", "a choice question needs 2 or more")
        else:
            for n, item in enumerate(choices):
                c_path = f"{path}.choices[{n}]"
                if not check.mapping(item, c_path, ["label", "score"], ["label", "score"]):
                    continue
                label = check.text(item, "label", f"{c_path}.label", max_length=500, required=True)
                score = check.integer(item, "score", f"{c_path}.score", low=0, high=100)
                if label and score is not None:
                    question.choices.append(ChoiceData(label, score))
    else:
        for name, value in (("levels", levels), ("choices", choices)):
            if value is not None:
                check.error(node, name, f"{path}.{name}", f"a {kind} question takes no {name}")
        if kind == "yes_no":
            question.choices = [ChoiceData(label, score) for label, score in YES_NO]
    return question


def structure_errors(data: BankData) -> list[str]:
    """Rules a publishable bank follows, whether it comes from YAML or the admin."""
    errors = []
    if data.no_go > data.go:
        errors.append(f"thresholds: NO-GO ({data.no_go}) must not exceed GO ({data.go})")
    if not data.dimensions:
        errors.append("the bank has no dimensions")
    total = sum(d.weight for d in data.dimensions)
    if data.dimensions and total != 100:
        errors.append(f"dimensions: weights add up to {total}; they must add up to 100")
    seen_keys, seen_names = set(), set()
    scored = 0
    for dim in data.dimensions:
        if dim.weight is None or dim.weight <= 0:
            errors.append(f"dimension “{dim.name}”: weight must be above 0")
        if dim.name in seen_names:
            errors.append(f"dimension “{dim.name}”: two dimensions have this name")
        seen_names.add(dim.name)
        if not dim.questions:
            errors.append(f"dimension “{dim.name}”: has no questions")
        for q in dim.questions:
            label = f"question {q.key or '(no key)'}"
            if q.key in seen_keys:
                errors.append(f"{label}: the key is used twice in the bank")
            seen_keys.add(q.key)
            if q.weight is None or q.weight <= 0:
                errors.append(f"{label}: weight must be above 0")
            if q.kind == "text":
                if q.knockout_level is not None:
                    errors.append(f"{label}: a text question cannot be a knock-out")
                continue
            scored += 1
            scores = [c.score for c in q.choices]
            if q.kind == "scale" and scores != [n * LEVEL_POINTS for n in range(LEVELS)]:
                errors.append(f"{label}: a scale question needs five levels scoring 0 to 100")
            elif len(scores) < 2:
                errors.append(f"{label}: a scored question needs at least two choices")
            if any(not 0 <= s <= 100 for s in scores):
                errors.append(f"{label}: choice scores must be between 0 and 100")
    if data.dimensions and not scored:
        errors.append("the bank has no scored question")
    return errors


def parse_bank_file(path: Path) -> BankData:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankFormatError([f"{path}: cannot read the file ({exc})"]) from exc
    return parse_bank(text, source=str(path))


# ---------------------------------------------------------------- database


@transaction.atomic
def bank_import(*, data: BankData) -> BankVersion:
    """Write `data` as a new version of its bank (created if new); publishing retires the
    previous published version. Raise BankFormatError if the version number is taken."""
    bank, created = QuestionBank.objects.select_for_update().get_or_create(
        slug=data.slug,
        defaults=dict(name=data.name, kind=data.kind, description=data.description),
    )
    if not created:
        if bank.kind != data.kind:
            raise BankFormatError(
                [f"bank.kind: bank “{bank.slug}” is {bank.kind}, the file says {data.kind}"]
            )
        latest = bank.versions.aggregate(n=Max("number"))["n"] or 0
        if data.number <= latest:
            raise BankFormatError(
                [
                    f"version.number: bank “{bank.slug}” already has version {latest}; "
                    f"give the file a number above {latest}"
                ]
            )
        bank.name, bank.description = data.name, data.description
        bank.save(update_fields=["name", "description"])
    version = BankVersion.objects.create(
        bank=bank,
        number=data.number,
        status=BankVersion.Status.DRAFT,
        go_threshold=data.go,
        no_go_threshold=data.no_go,
        gap_threshold=data.gap,
        notes=data.notes,
    )
    _write_structure(version, data.dimensions)
    if data.status == BankVersion.Status.PUBLISHED:
        from assessments.services import version_publish

        version = version_publish(version=version)
    return version


def _write_structure(version: BankVersion, dimensions: list[DimensionData]) -> None:
    """Bulk-write the dimensions, questions and choices of a draft version."""
    dims = Dimension.objects.bulk_create(
        Dimension(version=version, name=d.name, description=d.description, weight=d.weight, order=i)
        for i, d in enumerate(dimensions, start=1)
    )
    questions = []
    for dim, d in zip(dims, dimensions, strict=True):
        for i, q in enumerate(d.questions, start=1):
            questions.append(
                Question(
                    dimension=dim,
                    key=q.key,
                    text=q.text,
                    help=q.help,
                    kind=q.kind,
                    weight=q.weight,
                    required=q.required,
                    allows_na=q.allows_na,
                    allows_dont_know=q.allows_dont_know,
                    knockout_level=q.knockout_level,
                    order=i,
                )
            )
    questions = Question.objects.bulk_create(questions)
    source = [q for d in dimensions for q in d.questions]
    Choice.objects.bulk_create(
        Choice(question=question, label=c.label, score=c.score, order=i)
        for question, q in zip(questions, source, strict=True)
        for i, c in enumerate(q.choices, start=1)
    )


def version_data(version: BankVersion) -> BankData:
    """Read a version (3 queries) into the same structure the YAML parses to."""
    dimensions = version.dimensions.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("order", "pk").prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("order", "pk"))
            ),
        )
    ).order_by("order", "pk")
    bank = version.bank
    return BankData(
        slug=bank.slug,
        name=bank.name,
        kind=bank.kind,
        description=bank.description,
        number=version.number,
        status=version.status,
        notes=version.notes,
        go=version.go_threshold,
        no_go=version.no_go_threshold,
        gap=version.gap_threshold,
        dimensions=[
            DimensionData(
                name=d.name,
                description=d.description,
                weight=d.weight,
                questions=[
                    QuestionData(
                        key=q.key,
                        text=q.text,
                        help=q.help,
                        kind=q.kind,
                        weight=q.weight,
                        required=q.required,
                        allows_na=q.allows_na,
                        allows_dont_know=q.allows_dont_know,
                        knockout_level=q.knockout_level,
                        choices=[ChoiceData(c.label, c.score) for c in q.choices.all()],
                    )
                    for q in d.questions.all()
                ],
            )
            for d in dimensions
        ],
    )


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line texts as literal blocks."""


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def export_bank(data: BankData) -> str:
    """The YAML text of a version, in the documented format (format 1)."""
    status = "draft" if data.status == BankVersion.Status.DRAFT else "published"
    document = {
        "format": FORMAT,
        "bank": {
            "slug": data.slug,
            "name": data.name,
            "kind": data.kind,
            "description": data.description,
        },
        "version": {
            "number": data.number,
            "status": status,
            "notes": data.notes,
            "thresholds": {"go": data.go, "no_go": data.no_go, "gap": data.gap},
        },
        "dimensions": [
            {
                "name": d.name,
                "description": d.description,
                "weight": d.weight,
                "questions": [_export_question(q) for q in d.questions],
            }
            for d in data.dimensions
        ],
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _export_question(q: QuestionData) -> dict:
    item = {
        "key": q.key,
        "text": q.text,
        "help": q.help,
        "kind": q.kind,
        "weight": q.weight,
        "required": q.required,
        "allows_na": q.allows_na,
        "allows_dont_know": q.allows_dont_know,
        "knockout_level": q.knockout_level,
    }
    if q.kind == "scale":
        item["levels"] = [c.label for c in q.choices]
    elif q.kind == "choice":
        item["choices"] = [{"label": c.label, "score": c.score} for c in q.choices]
    return item


def version_publish_errors(version: BankVersion) -> list[str]:
    """What stops `version` from being published (empty when it can be)."""
    return structure_errors(version_data(version))


def shipped_bank_files() -> list[Path]:
    return sorted(BANKS_DIR.glob("*.yaml"))


def load_shipped_banks() -> list[tuple[Path, BankVersion | None]]:
    """Import each shipped bank whose version is not loaded yet; (file, version or None)."""
    loaded = []
    for path in shipped_bank_files():
        data = parse_bank_file(path)
        exists = BankVersion.objects.filter(bank__slug=data.slug, number__gte=data.number)
        loaded.append((path, None if exists.exists() else bank_import(data=data)))
    return loaded
