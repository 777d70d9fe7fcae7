"""Check a bank file's content against the format (README.md beside this module), and the
rules any publishable bank follows, whether it comes from a file or the admin.

Pure: no Django, no ORM. `check_bank` takes what `parse` read (mappings and lists that
remember their lines) and reports every problem with its line and field path, all at once.
"""

from __future__ import annotations

from banks.schema import (
    BANK_KINDS,
    DEFAULT_LANGUAGE,
    DIMENSION_DESCRIPTION_MAX,
    FORMAT,
    GAP_DEFAULT,
    GO_DEFAULT,
    KEY_RE,
    LABEL_MAX,
    LANGUAGE_RE,
    LEVEL_POINTS,
    LEVELS,
    LONG_TEXT_MAX,
    MAX_LANGUAGES,
    MAX_VERSION_NUMBER,
    NAME_MAX,
    NO_GO_DEFAULT,
    PERCEPTION_GAP_DEFAULT,
    QUESTION_FIELDS,
    QUESTION_KINDS,
    QUESTION_TEXT_MAX,
    SLUG_MAX,
    SLUG_RE,
    STATUSES,
    YES_NO,
    BankData,
    ChoiceData,
    DimensionData,
    QuestionData,
    Translations,
)
from kit.texts import _


class LineMap(dict):
    """A YAML mapping that remembers its line, the line of each key, and what it had to drop."""

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.lines: dict = {}
        self.problems: list[tuple[int, str]] = []  # (line, ".field: message") of dropped keys


class LineList(list):
    """A YAML sequence that remembers its line and the line of each item."""

    def __init__(self, items=(), line: int = 0, lines=()):
        super().__init__(items)
        self.line = line
        self.lines = list(lines)


def check_bank(root) -> tuple[BankData, list[str]]:
    """The bank a parsed file describes and every problem in it: "line N, field: message"
    strings, each once, in file order, then those of `structure_errors`. The bank is only
    meant to be used when there is no problem."""
    check = _Checker()
    data = _check_file(check, root)
    if data.dimensions:  # else the checker said why; its thresholds message says it already
        check.errors.extend(e for e in structure_errors(data) if not e.startswith("thresholds:"))
    return data, list(dict.fromkeys(check.errors))


def structure_errors(data: BankData) -> list[str]:
    """Rules a publishable bank follows, whether it comes from YAML or the admin."""
    errors = []
    if data.no_go > data.go:
        # The "thresholds:" path stays untranslated: check_bank filters on it.
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


# ---------------------------------------------------------------- the checker


def _line(container, key) -> int:
    if isinstance(container, LineMap):
        return container.lines.get(key, container.line)
    if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container.lines):
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

    def dropped(self, node, path):
        """Report the keys the reader dropped from `node` (duplicates, lists as names)."""
        for line, message in getattr(node, "problems", ()):
            self.errors.append(f"line {line}, {path}{message}")

    def mapping(self, parent, key, path, allowed, required=()) -> LineMap:
        """The mapping at parent[key] (an empty one, after an error, if it is not one)."""
        node = parent.get(key) if isinstance(parent, dict) else parent[key]
        if not isinstance(node, dict):
            self.error(parent, key, path, f"must be a mapping of fields, got {_show(node)}")
            return LineMap(_line(parent, key))
        self.dropped(node, path)
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

    def sequence(self, parent, key, path) -> LineList | None:
        node = parent.get(key)
        if node is None:
            self.error(parent, key, path, "is required (a non-empty list)")
        elif not isinstance(node, list) or not node:
            got = "an empty list" if isinstance(node, list) else _show(node)
            self.error(parent, key, path, f"must be a non-empty list, got {got}")
        else:
            return node
        return None

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

    def labels(self, items, path) -> list[str | None]:
        """Each of `items` as a label (stripped), or None after an error where it is not
        non-empty text of at most LABEL_MAX characters."""
        result: list[str | None] = []
        for n, label in enumerate(items):
            problem = (
                _text_problem(label.strip(), LABEL_MAX)
                if isinstance(label, str) and label.strip()
                else f"must be non-empty text, got {_show(label)}"
            )
            if problem:
                self.error(items, n, f"{path}[{n}]", problem)
            result.append(None if problem else label.strip())
        return result

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


# ---------------------------------------------------------------- the file, part by part


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
) -> tuple[Translations, dict[str, dict[str, list[str | None]]]]:
    """`node.translations`: {language code: {field: text}} for the `texts` fields (name →
    max length) and {field: [labels]} for the `lists` fields (name → required length).
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
    check.dropped(value, path)
    if len(value) > MAX_LANGUAGES:
        check.error(node, "translations", path, f"at most {MAX_LANGUAGES} languages")
        return {}, {}
    texts_out: Translations = {}
    lists_out: dict[str, dict[str, list[str | None]]] = {}
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
            lists_out.setdefault(code, {})[name] = check.labels(items, f"{where}.{name}")
    return texts_out, lists_out


def _check_file(check: _Checker, root) -> BankData:
    holder = LineMap(1)
    holder["file"] = root
    if root is None:
        check.errors.append("the file is empty")
        root = LineMap(1)
    else:
        if not isinstance(root, dict):
            check.error(holder, "file", "file", f"must be a mapping of fields, got {_show(root)}")
            return BankData(
                "", "", "", "", 0, "draft", "", GO_DEFAULT, NO_GO_DEFAULT, GAP_DEFAULT, []
            )
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
        else LineMap()
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
        else LineMap()
    )
    slug = check.text(bank, "slug", "bank.slug", max_length=SLUG_MAX)
    if slug and not SLUG_RE.fullmatch(slug):
        check.error(bank, "slug", "bank.slug", "use lowercase letters, digits and hyphens only")
    thresholds = (
        check.mapping(
            version, "thresholds", "version.thresholds", ["go", "no_go", "gap", "perception_gap"]
        )
        if version.get("thresholds") is not None
        else LineMap()
    )
    path = "version.thresholds"
    go, no_go, gap, perception_gap = (
        check.integer(thresholds, name, f"{path}.{name}", low=0, high=100, default=default)
        for name, default in (
            ("go", GO_DEFAULT),
            ("no_go", NO_GO_DEFAULT),
            ("gap", GAP_DEFAULT),
            ("perception_gap", PERCEPTION_GAP_DEFAULT),
        )
    )
    if no_go > go:
        check.error(thresholds, "no_go", path, f"no_go ({no_go}) must not exceed go ({go})")
    language = _check_language(check, bank, "language", "bank.language")
    translations, _lists = _check_translations(
        check,
        bank,
        "bank",
        language=language,
        texts={"name": NAME_MAX, "description": LONG_TEXT_MAX},
        lists={},
    )
    return BankData(
        slug=slug,
        name=check.text(bank, "name", "bank.name", max_length=NAME_MAX),
        kind=check.choice(bank, "kind", "bank.kind", BANK_KINDS, ""),
        description=check.text(bank, "description", "bank.description", max_length=LONG_TEXT_MAX),
        number=check.integer(
            version, "number", "version.number", low=1, high=MAX_VERSION_NUMBER, default=0
        ),
        status=check.choice(version, "status", "version.status", STATUSES, "draft"),
        notes=check.text(version, "notes", "version.notes", max_length=LONG_TEXT_MAX),
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


def _check_dimensions(check: _Checker, root: LineMap, language: str) -> list[DimensionData]:
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
                description=check.text(
                    node, "description", f"{path}.description", max_length=DIMENSION_DESCRIPTION_MAX
                ),
                weight=check.integer(node, "weight", f"{path}.weight", low=1, high=100, default=1),
                questions=parsed,
                translations=_check_translations(
                    check,
                    node,
                    path,
                    language=language,
                    texts={"name": NAME_MAX, "description": DIMENSION_DESCRIPTION_MAX},
                    lists={},
                )[0],
            )
        )
    return result


def _check_question(
    check: _Checker, questions: LineList, index: int, path: str, language: str = DEFAULT_LANGUAGE
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
        help=check.text(node, "help", f"{path}.help", max_length=LONG_TEXT_MAX),
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
            for n, label in enumerate(check.labels(levels, f"{path}.levels")):
                if label is not None:
                    question.choices.append(ChoiceData(label, n * LEVEL_POINTS))
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
        texts={"text": QUESTION_TEXT_MAX, "help": LONG_TEXT_MAX},
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
