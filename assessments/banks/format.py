"""Question bank files (YAML, format 1, see README.md beside this module): parse, check, export.

Pure: no Django, no ORM; plain dataclasses in and out. Whatever the bytes, parsing raises
`BankFormatError` and nothing else. A hostile file is refused cheaply: over the size limit
before parsing; YAML anchors and aliases (how "billion laughs" files multiply) from the
event stream, before any node is composed or expanded; nesting deeper than the format
needs before the (recursive) composer runs. Parsing uses the safe loader only. Every other
problem is reported with its line and field path, all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError

from assessments.scoring import LEVEL_POINTS
from kit.texts import _, gettext_noop, ngettext

FORMAT = 1
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # the settings pass BANK_FILE_MAX_BYTES
MAX_DEPTH = 12  # the format nests 8 deep (… → questions → translations → de → levels)
MAX_ERRORS = 100  # a broken 2 MB file could list thousands; the first hundred say enough
MAX_VERSION_NUMBER = 1_000_000

# The one definition of these rules; the models import them (a test keeps them in step).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[A-Z]{1,4}[0-9]{1,4}$"
SLUG_RE = re.compile(SLUG_PATTERN)
KEY_RE = re.compile(KEY_PATTERN)
SLUG_MAX, NAME_MAX, QUESTION_TEXT_MAX, LABEL_MAX = 80, 200, 500, 500
BANK_KINDS = ("strategic_fit", "partner_selection", "sponsor_readiness", "mutual_fit", "custom")
PERCEPTION_GAP_DEFAULT = 20  # points between our score and the partner's on a dimension
QUESTION_KINDS = ("scale", "choice", "yes_no", "text")
STATUSES = ("draft", "published")  # retired only happens by publishing a newer version
YES_NO = (("Yes", 100), ("No", 0))
LEVELS = 5  # the anchored scale: level n scores n × LEVEL_POINTS
# Translations of a bank's wording: language codes such as de or pt-br, a few per bank.
DEFAULT_LANGUAGE = "en"
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")
MAX_LANGUAGES = 20

# Characters YAML itself forbids (C0 controls but tab and newlines, DEL, C1, surrogates, …).
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it


class BankFormatError(Exception):
    """The file is not a valid bank: `errors` lists "line N, field: message" strings."""

    def __init__(self, errors: list[str]):
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = [
                *errors[:MAX_ERRORS],
                ngettext("… and %(count)d more problem", "… and %(count)d more problems", more)
                % {"count": more},
            ]
        self.errors = errors
        super().__init__("\n".join(errors))


# Translations, everywhere: {language: {field: text}}, e.g. {"de": {"text": "…"}}; the
# fields themselves hold the wording in the bank's own language.
Translations = dict[str, dict[str, str]]


@dataclass
class ChoiceData:
    label: str
    score: int
    translations: Translations = field(default_factory=dict)  # {"de": {"label": …}}


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
    translations: Translations = field(default_factory=dict)  # {"de": {"text", "help"}}


@dataclass
class DimensionData:
    name: str
    description: str
    weight: int
    questions: list[QuestionData]
    translations: Translations = field(default_factory=dict)  # {"de": {"name", "description"}}


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
    # Two-sided (mutual fit) banks: a dimension where the sides differ by more than this
    # is a perception gap; `perception_gaps_decide` lets such gaps turn a GO into a GO
    # WITH CONDITIONS (by default they are conditions that leave the verdict alone).
    perception_gap: int = PERCEPTION_GAP_DEFAULT
    perception_gaps_decide: bool = False
    language: str = DEFAULT_LANGUAGE  # the language of the wording in the fields
    translations: Translations = field(default_factory=dict)  # {"de": {"name", "description"}}


# ---------------------------------------------------------------- reading


def read_bank_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> BankData:
    """Read and parse a bank file; never reads more than `max_bytes` + 1 bytes of it."""
    try:
        with open(path, "rb") as stream:
            content = stream.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BankFormatError([f"{path}: cannot read the file ({reason})"]) from exc
    return parse_bank_bytes(content, source=str(path), max_bytes=max_bytes)


def parse_bank_bytes(
    content: bytes, *, source: str = "bank", max_bytes: int = DEFAULT_MAX_BYTES
) -> BankData:
    """Check size and encoding before any parsing, then `parse_bank`."""
    if len(content) > max_bytes:
        raise BankFormatError(
            [f"{source}: the file is over {max_bytes:,} bytes, the limit for a bank file"]
        )
    if not content.strip():
        raise BankFormatError([f"{source}: the file is empty"])
    if b"\x00" in content:
        raise BankFormatError([f"{source}: this is a binary file, not YAML text"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        byte = content[exc.start]
        raise BankFormatError(
            [f"{source}: line {line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"]
        ) from exc
    return parse_bank(text, source=source)


def parse_bank(text: str, source: str = "bank") -> BankData:
    """Parse and check a bank's YAML text; raise BankFormatError listing every problem."""
    errors = _refuse_before_parsing(text) or _refuse_from_events(text)
    if errors:
        raise BankFormatError([f"{source}: {e}" for e in errors])
    loader = _LineLoader(text)
    try:
        root = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise BankFormatError([f"{source}: {_yaml_problem(exc, text)}"]) from exc
    finally:
        loader.dispose()
    check = _Checker()
    data = _check_file(check, root)
    if data.dimensions:  # else the checker said why; its thresholds message says it already
        check.errors.extend(e for e in structure_errors(data) if not e.startswith("thresholds:"))
    if check.errors:
        raise BankFormatError([f"{source}: {e}" for e in dict.fromkeys(check.errors)])
    return data


def _refuse_before_parsing(text: str) -> list[str]:
    if not text.strip():
        return ["the file is empty"]
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        return [f"line {line}: the character U+{ord(bad.group()):04X} is not allowed in YAML"]
    return []


def _refuse_from_events(text: str) -> list[str]:
    """Anchors, aliases, deep nesting and extra documents, seen in the event stream: before
    the composer builds (or an alias multiplies) a single node."""
    problems: list[str] = []
    references: dict[int, dict[str, None]] = {}  # line → {"&name" / "*name"}, in order
    depth = documents = seen = 0
    loader = _Loader(text)
    try:
        # Stop early on a file made of anchors: a hundred lines of them say enough.
        while loader.check_event() and len(references) < MAX_ERRORS and seen < 10 * MAX_ERRORS:
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                references.setdefault(line, {})[f"*{event.anchor}"] = None
                seen += 1
            elif getattr(event, "anchor", None) is not None:
                references.setdefault(line, {})[f"&{event.anchor}"] = None
                seen += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        f"line {line}: nested more than {MAX_DEPTH} levels deep; "
                        "a bank file needs 7 at most"
                    )
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(exc, text))
    finally:
        loader.dispose()
    refused = [
        f"line {line}: {', '.join(list(names)[:10])}: YAML anchors (&) and aliases (*) are "
        "not part of the bank format; write each value out"
        for line, names in references.items()
    ]
    if documents > 1:
        problems.append(f"the file holds {documents} YAML documents; a bank file is one")
    return refused + problems


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or "cannot be read"
    if mark is None:
        return f"not valid YAML: {problem}"
    line = mark.line + 1
    lines = text.splitlines()
    source_line = lines[line - 1] if line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent:
        return f"line {line}: indented with a tab; YAML is indented with spaces only"
    return f"line {line}: not valid YAML: {problem}"


class _Map(dict):
    """A YAML mapping that remembers its line, the line of each key, and what it had to drop."""

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.lines: dict = {}
        self.problems: list[tuple[int, str]] = []  # (line, ".field: message") of dropped keys


class _Seq(list):
    """A YAML sequence that remembers its line and the line of each item."""

    def __init__(self, items=(), line: int = 0, lines=()):
        super().__init__(items)
        self.line = line
        self.lines = list(lines)


class _LineLoader(_Loader):
    def construct_object(self, node, deep=False):
        # A value YAML resolves but Python cannot build (2024-13-45, a 5,000-digit number).
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ConstructorError(
                None, None, f"cannot read this value ({exc})", node.start_mark
            ) from exc

    def construct_bank_mapping(self, node):
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping = _Map(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                mapping.problems.append((line, ": a field name must be plain text, not a list"))
                continue
            key = self.construct_object(key_node)
            if key in mapping:
                first = mapping.lines[key]
                mapping.problems.append((line, f".{key}: duplicate field (first on line {first})"))
                continue
            mapping[key] = self.construct_object(value_node)
            mapping.lines[key] = line
        return mapping

    def construct_bank_sequence(self, node):
        if not isinstance(node, yaml.SequenceNode):
            raise ConstructorError(None, None, "expected a list", node.start_mark)
        return _Seq(
            [self.construct_object(child) for child in node.value],
            line=node.start_mark.line + 1,
            lines=[child.start_mark.line + 1 for child in node.value],
        )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_bank_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_bank_sequence)


# ---------------------------------------------------------------- checking


def _line(container, key) -> int:
    if isinstance(container, _Map):
        return container.lines.get(key, container.line)
    if isinstance(container, _Seq) and isinstance(key, int) and 0 <= key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", 0)


def _show(value) -> str:
    """A value as an error message quotes it: short, whatever it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return "a number too large"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _text_problem(value: str, max_length: int) -> str | None:
    if len(value) > max_length:
        return f"is {len(value)} characters long; at most {max_length}"
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a character that is not valid Unicode"
    return None


class _Checker:
    """Collects every error of a file with its line and field path."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, container, key, path, message):
        line = _line(container, key)
        where = f"line {line}, " if line else ""
        self.errors.append(f"{where}{path}: {message}")

    def mapping(self, parent, key, path, allowed, required=()) -> _Map:
        """The mapping at parent[key] (an empty one, after an error, if it is not one)."""
        node = parent.get(key) if isinstance(parent, dict) else parent[key]
        if not isinstance(node, dict):
            self.error(parent, key, path, f"must be a mapping of fields, got {_show(node)}")
            return _Map(_line(parent, key))
        for line, message in getattr(node, "problems", ()):
            self.errors.append(f"line {line}, {path}{message}")
        for name in node:
            if name not in allowed:
                self.error(
                    node,
                    name,
                    f"{path}.{name}",
                    f"unknown field; expected one of {', '.join(allowed)}",
                )
        for name in required:
            if name not in node or node[name] is None or node[name] == "":
                self.error(node, name, f"{path}.{name}", "is required")
        return node

    def sequence(self, parent, key, path) -> _Seq | None:
        node = parent.get(key)
        if node is None:
            self.error(parent, key, path, "is required (a non-empty list)")
        elif not isinstance(node, list) or not node:
            got = "an empty list" if isinstance(node, list) else _show(node)
            self.error(parent, key, path, f"must be a non-empty list, got {got}")
        else:
            return node
        return None
        return node

    def text(self, node, key, path, *, max_length) -> str:
        value = node.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(node, key, path, f"must be text, got {_show(value)}")
            return ""
        value = value.strip()
        problem = _text_problem(value, max_length)
        if problem:
            self.error(node, key, path, problem)
        return value

    def integer(self, node, key, path, *, low, high, default=None):
        value = node.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node, key, path, f"must be a whole number, got {_show(value)}")
            return default
        if not low <= value <= high:
            self.error(node, key, path, f"must be between {low} and {high}, got {_show(value)}")
            return default
        return value

    def boolean(self, node, key, path, default):
        value = node.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(node, key, path, f"must be true or false, got {_show(value)}")
            return default
        return value

    def choice(self, node, key, path, options, default):
        value = node.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            self.error(node, key, path, f"must be one of {', '.join(options)}, got {_show(value)}")
            return default
        return value


def _check_language(check: _Checker, node, key, path) -> str:
    value = node.get(key)
    if value is None:
        return DEFAULT_LANGUAGE
    if not isinstance(value, str) or not LANGUAGE_RE.fullmatch(value):
        check.error(
            node, key, path, f"must be a language code such as en or pt-br, got {_show(value)}"
        )
        return DEFAULT_LANGUAGE
    return value


def _check_translations(
    check: _Checker, node, path, *, language: str, texts: dict[str, int], lists: dict[str, int]
) -> tuple[Translations, dict[str, dict[str, list[str]]]]:
    """`node.translations`: {language code: {field: text}} for the `texts` fields (name →
    max length) and {field: [texts]} for the `lists` fields (name → required length).
    Returns the texts and the lists apart: the lists belong to the levels or choices."""
    path = f"{path}.translations"
    value = node.get("translations")
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        check.error(
            node,
            "translations",
            path,
            f"must be a mapping of language codes (such as de:) to fields, got {_show(value)}",
        )
        return {}, {}
    for line, message in getattr(value, "problems", ()):
        check.errors.append(f"line {line}, {path}{message}")
    if len(value) > MAX_LANGUAGES:
        check.error(node, "translations", path, f"at most {MAX_LANGUAGES} languages")
        return {}, {}
    texts_out: Translations = {}
    lists_out: dict[str, dict[str, list[str]]] = {}
    allowed = [*texts, *lists]
    for code in value:
        where = f"{path}.{code}"
        if not isinstance(code, str) or not LANGUAGE_RE.fullmatch(code):
            check.error(value, code, f"{path}.{_show(code)}", "is not a language code like de")
            continue
        if code == language:
            check.error(
                value,
                code,
                where,
                "is the bank's own language: write that wording in the fields themselves",
            )
            continue
        entry = check.mapping(value, code, where, allowed)
        for name, max_length in texts.items():
            if name not in entry:
                continue
            text = check.text(entry, name, f"{where}.{name}", max_length=max_length)
            if text:
                texts_out.setdefault(code, {})[name] = text
            elif isinstance(entry.get(name), str):
                check.error(entry, name, f"{where}.{name}", "must be non-empty text")
        for name, length in lists.items():
            if name not in entry:
                continue
            items = entry.get(name)
            if not isinstance(items, list) or len(items) != length:
                check.error(entry, name, f"{where}.{name}", f"must list {length} labels, in order")
                continue
            labels = []
            for n, label in enumerate(items):
                problem = (
                    _text_problem(label.strip(), LABEL_MAX)
                    if isinstance(label, str) and label.strip()
                    else f"must be non-empty text, got {_show(label)}"
                )
                if problem:
                    check.error(items, n, f"{where}.{name}[{n}]", problem)
                labels.append(label.strip() if isinstance(label, str) else "")
            lists_out.setdefault(code, {})[name] = labels
    return texts_out, lists_out


def _check_file(check: _Checker, root) -> BankData:
    holder = _Map(1)
    holder["file"] = root
    if root is None:
        check.errors.append("the file is empty")
        root = _Map(1)
    else:
        if not isinstance(root, dict):
            check.error(holder, "file", "file", f"must be a mapping of fields, got {_show(root)}")
            return BankData("", "", "", "", 0, "draft", "", 70, 50, 50, [])
        root = check.mapping(
            holder, "file", "file", ["format", "bank", "version", "dimensions"], ["format"]
        )
    fmt = root.get("format")
    if fmt is not None and (isinstance(fmt, bool) or fmt != FORMAT or not isinstance(fmt, int)):
        check.error(root, "format", "format", f"must be {FORMAT}, got {_show(fmt)}")
    for name in ("bank", "version"):
        if name not in root:
            check.error(root, name, name, "is required")
    bank = (
        check.mapping(
            root,
            "bank",
            "bank",
            ["slug", "name", "kind", "description", "language", "translations"],
            ["slug", "name", "kind"],
        )
        if "bank" in root
        else _Map()
    )
    version = (
        check.mapping(
            root,
            "version",
            "version",
            ["number", "status", "notes", "thresholds", "perception_gaps_decide"],
            ["number"],
        )
        if "version" in root
        else _Map()
    )
    slug = check.text(bank, "slug", "bank.slug", max_length=SLUG_MAX)
    if slug and not SLUG_RE.fullmatch(slug):
        check.error(bank, "slug", "bank.slug", "use lowercase letters, digits and hyphens only")
    thresholds = (
        check.mapping(
            version, "thresholds", "version.thresholds", ["go", "no_go", "gap", "perception_gap"]
        )
        if version.get("thresholds") is not None
        else _Map()
    )
    path = "version.thresholds"
    go = check.integer(thresholds, "go", f"{path}.go", low=0, high=100, default=70)
    no_go = check.integer(thresholds, "no_go", f"{path}.no_go", low=0, high=100, default=50)
    gap = check.integer(thresholds, "gap", f"{path}.gap", low=0, high=100, default=50)
    perception_gap = check.integer(
        thresholds,
        "perception_gap",
        f"{path}.perception_gap",
        low=0,
        high=100,
        default=PERCEPTION_GAP_DEFAULT,
    )
    if no_go > go:
        check.error(thresholds, "no_go", path, f"no_go ({no_go}) must not exceed go ({go})")
    language = _check_language(check, bank, "language", "bank.language")
    translations, _lists = _check_translations(
        check,
        bank,
        "bank",
        language=language,
        texts={"name": NAME_MAX, "description": 4000},
        lists={},
    )
    return BankData(
        slug=slug,
        name=check.text(bank, "name", "bank.name", max_length=NAME_MAX),
        kind=check.choice(bank, "kind", "bank.kind", BANK_KINDS, ""),
        description=check.text(bank, "description", "bank.description", max_length=4000),
        number=check.integer(
            version, "number", "version.number", low=1, high=MAX_VERSION_NUMBER, default=0
        ),
        status=check.choice(version, "status", "version.status", STATUSES, "draft"),
        notes=check.text(version, "notes", "version.notes", max_length=4000),
        go=go,
        no_go=no_go,
        gap=gap,
        dimensions=_check_dimensions(check, root, language),
        perception_gap=perception_gap,
        perception_gaps_decide=check.boolean(
            version, "perception_gaps_decide", "version.perception_gaps_decide", False
        ),
        language=language,
        translations=translations,
    )


def _check_dimensions(check: _Checker, root: _Map, language: str) -> list[DimensionData]:
    dims = check.sequence(root, "dimensions", "dimensions")
    result = []
    for d in range(len(dims or ())):
        path = f"dimensions[{d}]"
        node = check.mapping(
            dims,
            d,
            path,
            ["name", "description", "weight", "questions", "translations"],
            ["name", "weight"],
        )
        if not node:
            continue
        questions = check.sequence(node, "questions", f"{path}.questions")
        parsed = []
        for q in range(len(questions or ())):
            question = _check_question(check, questions, q, f"{path}.questions[{q}]", language)
            if question:
                parsed.append(question)
        result.append(
            DimensionData(
                name=check.text(node, "name", f"{path}.name", max_length=NAME_MAX),
                description=check.text(node, "description", f"{path}.description", max_length=2000),
                weight=check.integer(node, "weight", f"{path}.weight", low=1, high=100, default=1),
                questions=parsed,
                translations=_check_translations(
                    check,
                    node,
                    path,
                    language=language,
                    texts={"name": NAME_MAX, "description": 2000},
                    lists={},
                )[0],
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
    "translations",
]


def _check_question(
    check: _Checker, questions: _Seq, index: int, path: str, language: str = DEFAULT_LANGUAGE
) -> QuestionData | None:
    node = check.mapping(questions, index, path, QUESTION_FIELDS, ["key", "text"])
    if not node:
        return None
    kind = check.choice(node, "kind", f"{path}.kind", QUESTION_KINDS, "scale")
    key = node.get("key")
    if isinstance(key, str):
        key = key.strip()
        if key and not KEY_RE.fullmatch(key):
            check.error(
                node, "key", f"{path}.key", f"“{key[:20]}” is not a key like S1 (capitals + number)"
            )
    elif key is not None:
        check.error(node, "key", f"{path}.key", f"must be a key like S1, got {_show(key)}")
        key = ""
    question = QuestionData(
        key=key or "",
        text=check.text(node, "text", f"{path}.text", max_length=QUESTION_TEXT_MAX),
        help=check.text(node, "help", f"{path}.help", max_length=4000),
        kind=kind,
        weight=check.integer(node, "weight", f"{path}.weight", low=1, high=1000, default=1),
        required=check.boolean(node, "required", f"{path}.required", kind != "text"),
        allows_na=check.boolean(node, "allows_na", f"{path}.allows_na", False),
        allows_dont_know=check.boolean(node, "allows_dont_know", f"{path}.allows_dont_know", True),
        knockout_level=check.integer(
            node, "knockout_level", f"{path}.knockout_level", low=0, high=LEVELS - 1
        ),
    )
    levels, choices = node.get("levels"), node.get("choices")
    if kind == "scale":
        if choices is not None:
            check.error(
                node, "choices", f"{path}.choices", "a scale question has levels, not choices"
            )
        if not isinstance(levels, list) or len(levels) != LEVELS:
            check.error(
                node, "levels", f"{path}.levels", f"a scale question needs exactly {LEVELS} levels"
            )
        else:
            for n, label in enumerate(levels):
                problem = (
                    _text_problem(label.strip(), LABEL_MAX)
                    if isinstance(label, str) and label.strip()
                    else f"must be non-empty text, got {_show(label)}"
                )
                if problem:
                    check.error(levels, n, f"{path}.levels[{n}]", problem)
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
            for n in range(len(choices)):
                c_path = f"{path}.choices[{n}]"
                item = check.mapping(choices, n, c_path, ["label", "score"], ["label", "score"])
                label = check.text(item, "label", f"{c_path}.label", max_length=LABEL_MAX)
                score = check.integer(item, "score", f"{c_path}.score", low=0, high=100)
                if label and score is not None:
                    question.choices.append(ChoiceData(label, score))
    else:
        for name, value in (("levels", levels), ("choices", choices)):
            if value is not None:
                check.error(node, name, f"{path}.{name}", f"a {kind} question takes no {name}")
        if kind == "yes_no":
            question.choices = [ChoiceData(label, score) for label, score in YES_NO]
    _translate_question(check, node, path, question, language)
    return question


def _translate_question(check: _Checker, node, path, question: QuestionData, language) -> None:
    """A question's translations: text and help on the question, the levels' or choices'
    labels (in their order) on its choices."""
    lists = {}
    if question.kind == "scale":
        lists = {"levels": LEVELS}
    elif question.kind in ("choice", "yes_no") and question.choices:
        lists = {"choices": len(question.choices)}
    texts, labels = _check_translations(
        check,
        node,
        path,
        language=language,
        texts={"text": QUESTION_TEXT_MAX, "help": 4000},
        lists=lists,
    )
    question.translations = texts
    for code, by_name in labels.items():
        for items in by_name.values():
            if len(items) != len(question.choices):
                continue  # the levels or choices themselves are wrong: reported already
            for choice, label in zip(question.choices, items, strict=True):
                if label:
                    choice.translations.setdefault(code, {})["label"] = label


def structure_errors(data: BankData) -> list[str]:
    """Rules a publishable bank follows, whether it comes from YAML or the admin."""
    errors = []
    if data.no_go > data.go:
        # The "thresholds:" path stays untranslated: parse_bank filters on it.
        errors.append(
            "thresholds: "
            + _("NO-GO (%(no_go)s) must not exceed GO (%(go)s)")
            % {"no_go": data.no_go, "go": data.go}
        )
    if not data.dimensions:
        errors.append(_("the bank has no dimensions"))
    total = sum(d.weight or 0 for d in data.dimensions)
    if data.dimensions and total != 100:
        errors.append(
            _("dimensions: weights add up to %(total)s; they must add up to 100") % {"total": total}
        )
    seen_keys, seen_names = set(), set()
    scored = 0
    for dim in data.dimensions:
        dimension = {"name": dim.name}
        if dim.weight is None or dim.weight <= 0:
            errors.append(_("dimension “%(name)s”: weight must be above 0") % dimension)
        if dim.name in seen_names:
            errors.append(_("dimension “%(name)s”: two dimensions have this name") % dimension)
        seen_names.add(dim.name)
        if not dim.questions:
            errors.append(_("dimension “%(name)s”: has no questions") % dimension)
        for q in dim.questions:
            label = {"key": q.key or _("(no key)")}
            if q.key in seen_keys:
                errors.append(_("question %(key)s: the key is used twice in the bank") % label)
            seen_keys.add(q.key)
            if q.weight is None or q.weight <= 0:
                errors.append(_("question %(key)s: weight must be above 0") % label)
            if q.kind == "text":
                if q.knockout_level is not None:
                    errors.append(
                        _("question %(key)s: a text question cannot be a knock-out") % label
                    )
                continue
            scored += 1
            scores = [c.score for c in q.choices]
            if q.kind == "scale" and scores != [n * LEVEL_POINTS for n in range(LEVELS)]:
                errors.append(
                    _("question %(key)s: a scale question needs five levels scoring 0 to 100")
                    % label
                )
            elif len(scores) < 2:
                errors.append(
                    _("question %(key)s: a scored question needs at least two choices") % label
                )
            if any(not 0 <= s <= 100 for s in scores):
                errors.append(
                    _("question %(key)s: choice scores must be between 0 and 100") % label
                )
    if data.dimensions and not scored:
        errors.append(_("the bank has no scored question"))
    return errors


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line texts as literal blocks; never anchors (the reader refuses them)."""

    def ignore_aliases(self, data):
        return True


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def export_bank(data: BankData) -> str:
    """The YAML text of a version, in the documented format (format 1)."""
    status = "draft" if data.status == "draft" else "published"
    document = {
        "format": FORMAT,
        "bank": {
            "slug": data.slug,
            "name": data.name,
            "kind": data.kind,
            "description": data.description,
            **({"language": data.language} if data.language != DEFAULT_LANGUAGE else {}),
            **({"translations": data.translations} if data.translations else {}),
        },
        "version": {
            "number": data.number,
            "status": status,
            "notes": data.notes,
            "thresholds": {
                "go": data.go,
                "no_go": data.no_go,
                "gap": data.gap,
                "perception_gap": data.perception_gap,
            },
            "perception_gaps_decide": data.perception_gaps_decide,
        },
        "dimensions": [
            {
                "name": d.name,
                "description": d.description,
                "weight": d.weight,
                "questions": [_export_question(q) for q in d.questions],
                **({"translations": d.translations} if d.translations else {}),
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
    translations = _export_translations(q)
    if translations:
        item["translations"] = translations
    return item


def _export_translations(q: QuestionData) -> Translations:
    """The question's translations as the file holds them: text and help, then the levels'
    or choices' labels in order (the bank's own label where one is not translated)."""
    name = "levels" if q.kind == "scale" else "choices"
    codes = dict.fromkeys([*q.translations, *(code for c in q.choices for code in c.translations)])
    result: dict = {}
    for code in codes:
        entry: dict = dict(q.translations.get(code, {}))
        labels = [c.translations.get(code, {}).get("label") for c in q.choices]
        if any(labels):
            entry[name] = [label or c.label for label, c in zip(labels, q.choices, strict=True)]
        result[code] = entry
    return result


# ---------------------------------------------------------------- comparing

# The anchors a new scale question starts with (editable): level n scores n × LEVEL_POINTS.
# Stored in the active language (the bank admin's) when a question gets them.
DEFAULT_LEVEL_LABELS = (
    gettext_noop("No evidence, or evidence to the contrary"),
    gettext_noop("Weak evidence"),
    gettext_noop("Partly evidenced"),
    gettext_noop("Largely evidenced"),
    gettext_noop("Fully evidenced"),
)


def default_scale_choices() -> list[ChoiceData]:
    """The five default anchors of a scale question: 0, 25, 50, 75, 100 with their labels."""
    return [ChoiceData(_(label), n * LEVEL_POINTS) for n, label in enumerate(DEFAULT_LEVEL_LABELS)]


@dataclass(frozen=True)
class QuestionRef:
    key: str
    text: str


@dataclass(frozen=True)
class Rewording:
    key: str
    before: str
    after: str


@dataclass(frozen=True)
class NumberChange:
    """A weight or threshold that moved: `what` names it ("question A1", "GO threshold")."""

    what: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class BankDiff:
    """What a version changes against the one it replaces, questions matched by stable key."""

    added: tuple[QuestionRef, ...] = ()
    removed: tuple[QuestionRef, ...] = ()
    reworded: tuple[Rewording, ...] = ()
    weights: tuple[NumberChange, ...] = ()
    thresholds: tuple[NumberChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.weights or self.thresholds)

    def summary(self) -> str:
        """One short line, e.g. "2 questions added, 1 reworded, 3 weights changed"."""
        counts = {
            "added": len(self.added),
            "removed": len(self.removed),
            "reworded": len(self.reworded),
            "weights": len(self.weights),
            "thresholds": len(self.thresholds),
        }
        parts = []
        for name, count in counts.items():
            if not count:
                continue
            text = {
                "added": lambda n: ngettext(
                    "%(count)d question added", "%(count)d questions added", n
                ),
                "removed": lambda n: ngettext(
                    "%(count)d question removed", "%(count)d questions removed", n
                ),
                "reworded": lambda n: ngettext(
                    "%(count)d question reworded", "%(count)d questions reworded", n
                ),
                "weights": lambda n: ngettext(
                    "%(count)d weight changed", "%(count)d weights changed", n
                ),
                "thresholds": lambda n: ngettext(
                    "%(count)d threshold changed", "%(count)d thresholds changed", n
                ),
            }[name](count)
            parts.append(text % {"count": count})
        return ", ".join(parts) if parts else _("no changes to questions, weights or thresholds")


def bank_diff(old: BankData, new: BankData) -> BankDiff:
    """Compare `new` with `old`: questions added, removed and reworded (by key, in `new`'s
    order, then `old`'s), question and dimension weights and the three thresholds changed."""
    old_q = {q.key: q for d in old.dimensions for q in d.questions}
    new_q = {q.key: q for d in new.dimensions for q in d.questions}
    added = tuple(QuestionRef(k, q.text) for k, q in new_q.items() if k not in old_q)
    removed = tuple(QuestionRef(k, q.text) for k, q in old_q.items() if k not in new_q)
    reworded = tuple(
        Rewording(k, old_q[k].text, q.text)
        for k, q in new_q.items()
        if k in old_q and old_q[k].text != q.text
    )
    old_dims = {d.name: d.weight for d in old.dimensions}
    weights = [
        NumberChange(_("dimension “%(name)s”") % {"name": d.name}, old_dims[d.name], d.weight)
        for d in new.dimensions
        if d.name in old_dims and old_dims[d.name] != d.weight
    ]
    weights += [
        NumberChange(_("question %(key)s") % {"key": k}, old_q[k].weight, q.weight)
        for k, q in new_q.items()
        if k in old_q and old_q[k].weight != q.weight
    ]
    thresholds = tuple(
        NumberChange(what, before, after)
        for what, before, after in (
            (_("GO threshold"), old.go, new.go),
            (_("NO-GO threshold"), old.no_go, new.no_go),
            (_("gap threshold"), old.gap, new.gap),
            (_("perception gap threshold"), old.perception_gap, new.perception_gap),
        )
        if before != after
    )
    return BankDiff(added, removed, reworded, tuple(weights), thresholds)
