"""Frozen dataclasses to JSON and back, so that a decision's inputs and its robustness can
be stored as the record and read again without their queries.

Pure: the types say how to rebuild each value (dataclasses, tuples of them, dates, string
enums, numbers, strings, None), so nothing is pickled and a stored record stays readable
after a field with a default is added.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache


def encode(value):
    """A JSON-ready form of `value` (dataclass instances become dicts of their fields)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def decode(kind, data):
    """The value of type `kind` that `encode` turned into `data`."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [t for t in typing.get_args(kind) if t is not type(None)]
        return decode(options[0], data)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(decode(item, value) for value in data)
    if origin is dict:
        key_kind, item = typing.get_args(kind)
        return {decode(key_kind, k): decode(item, v) for k, v in data.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: decode(hints[name], v) for name, v in data.items() if name in hints})
    if kind is date:
        return date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is float and isinstance(data, int):
        return float(data)
    return data


@cache
def _hints(kind: type) -> dict:
    return {
        name: hint
        for name, hint in typing.get_type_hints(kind).items()
        if name in {f.name for f in dataclasses.fields(kind) if f.init}
    }
