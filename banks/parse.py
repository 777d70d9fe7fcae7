"""Read a question bank file (YAML, format 1, see README.md beside this module) into
`BankData`.

Pure: no Django, no ORM. Whatever the bytes, parsing raises `BankFormatError` and nothing
else. A hostile file is refused cheaply: over the size limit before parsing; YAML anchors
and aliases (how "billion laughs" files multiply) from the event stream, before any node
is composed or expanded; nesting deeper than the format needs before the (recursive)
composer runs. Parsing uses the safe loader only. Every other problem is reported by
`check` with its line and field path, all at once.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError

from banks.check import LineList, LineMap, check_bank
from banks.schema import BankData
from kit.texts import ngettext

DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # the settings pass BANK_FILE_MAX_BYTES
MAX_DEPTH = 12  # the format nests 8 deep (… → questions → translations → de → levels)
MAX_ERRORS = 100  # a broken 2 MB file could list thousands; the first hundred say enough

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


def read_bank_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A bank file's bytes (YAML or Excel), never more than `max_bytes` + 1 of them, so
    that the size check can tell an oversized file; BankFormatError if it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return stream.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BankFormatError([f"{path}: cannot read the file ({reason})"]) from exc


def refuse_oversized(content: bytes, *, source: str, max_bytes: int) -> None:
    """BankFormatError if `content` is over `max_bytes`, the limit for a bank file."""
    if len(content) > max_bytes:
        raise BankFormatError(
            [f"{source}: the file is over {max_bytes:,} bytes, the limit for a bank file"]
        )


def read_bank_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> BankData:
    """Read and parse a bank file; never reads more than `max_bytes` + 1 bytes of it."""
    content = read_bank_bytes(path, max_bytes=max_bytes)
    return parse_bank_bytes(content, source=str(path), max_bytes=max_bytes)


def parse_bank_bytes(
    content: bytes, *, source: str = "bank", max_bytes: int = DEFAULT_MAX_BYTES
) -> BankData:
    """Check size and encoding before any parsing, then `parse_bank`."""
    refuse_oversized(content, source=source, max_bytes=max_bytes)
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
    data, errors = check_bank(root)
    if errors:
        raise BankFormatError([f"{source}: {e}" for e in errors])
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


class _LineLoader(_Loader):
    """The safe loader, building mappings and lists that remember their lines (for `check`)."""

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
        mapping = LineMap(node.start_mark.line + 1)
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
        return LineList(
            [self.construct_object(child) for child in node.value],
            line=node.start_mark.line + 1,
            lines=[child.start_mark.line + 1 for child in node.value],
        )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_bank_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_bank_sequence)
