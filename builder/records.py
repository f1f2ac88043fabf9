"""JSON round-trip for the dataclass records, so the cache can store any stage's output."""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a record of type `cls` from `to_jsonable` output (types come from annotations)."""
    return _load(cls, data)


@functools.lru_cache(maxsize=None)
def _fields(tp: type) -> tuple[tuple[str, Any], ...]:
    """A record type's fields with their resolved annotations, worked out once per type: a cached
    analysis holds tens of thousands of records, and resolving the hints is most of reading it."""
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


def _load(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        structured = [a for a in options if dataclasses.is_dataclass(a) or typing.get_origin(a)]
        if len(options) == 1:
            return _load(options[0], data)
        if isinstance(data, dict) and structured:
            return _load(structured[0], data)
        return data
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_load(item, v) for v in data]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _load(item, v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        kwargs = {name: _load(hint, data[name]) for name, hint in _fields(tp) if name in data}
        return tp(**kwargs)
    if tp is Path:
        return Path(data)
    if tp is float and isinstance(data, int):
        return float(data)
    return data
