"""Walk an entry's values together with what the schema says about each (text, prose, reference)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .model import RefTo


@dataclass(frozen=True)
class Value:
    loc: tuple[Any, ...]  # path inside the entry, e.g. ("dialogue", 2, "line")
    value: Any
    format: str | None  # "text", "prose" or None
    refers_to: tuple[str, ...] | None  # kinds, when the value is an id reference


def _format(info) -> str | None:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "x-format" in extra:
        return extra["x-format"]
    for meta in info.metadata:
        extra = getattr(meta, "json_schema_extra", None)
        if isinstance(extra, dict) and "x-format" in extra:
            return extra["x-format"]
    return None


def _refers(info) -> tuple[str, ...] | None:
    for meta in info.metadata:
        if isinstance(meta, RefTo):
            return meta.kinds
    return None


@lru_cache(maxsize=None)
def _fields(model_class: type[BaseModel]) -> tuple[tuple[str, str | None, tuple[str, ...] | None], ...]:
    """(name, format, reference kinds) of each field of a model class: read from the schema once, not
    for every value of every entry (the graph, the checks and the search each walk every entry)."""
    return tuple((name, _format_of(info), _refers(info)) for name, info in model_class.model_fields.items())


def walk(model: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[Value]:
    """Every leaf value of ``model`` with its field's format and reference kinds."""
    for name, fmt, refers in _fields(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            sub = (*loc, name) if i is None else (*loc, name, i)
            if isinstance(item, BaseModel):
                yield from walk(item, sub)
            elif item is not None:
                yield Value(sub, item, fmt, refers)


def _format_of(info) -> str | None:
    fmt = _format(info)
    if fmt is None:  # list[Text]: the format sits on the item type
        args = getattr(info.annotation, "__args__", ())
        for arg in args:
            for meta in getattr(arg, "__metadata__", ()):
                extra = getattr(meta, "json_schema_extra", None)
                if isinstance(extra, dict) and "x-format" in extra:
                    return extra["x-format"]
    return fmt
