"""The data-format reference for authors, derived from the same JSON Schemas editors use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .jsonschema import all_schemas
from .model import KINDS


@dataclass
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str
    refers_to: list[str]


@dataclass
class KindDoc:
    kind: str
    title: str
    fields: list[FieldDoc]
    parts: dict[str, list[FieldDoc]]  # nested objects (dialogue line, legal basis, …)


def _type(prop: dict, defs: dict) -> str:
    if "$ref" in prop:
        return defs_name(prop["$ref"])
    if "enum" in prop:
        return "以下之一：" + "、".join(map(str, prop["enum"]))
    if "const" in prop:
        return repr(prop["const"])
    if "anyOf" in prop:
        kinds = [_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return " 或 ".join(kinds) + "（可不写）"
    t = prop.get("type", "any")
    if t == "array":
        return f"{_type(prop.get('items', {}), defs)}的列表"
    fmt = prop.get("x-format")
    if t == "string":
        if fmt == "prose":
            return "prose（Markdown 与 [[kind:id]]）"
        if prop.get("format") == "date":
            return "日期 YYYY-MM-DD"
        if "pattern" in prop:
            return "id"
        return "text"
    return {"integer": "整数", "boolean": "true / false", "object": "映射"}.get(t, t)


def defs_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _fields(schema: dict, defs: dict) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        refers = prop.get("x-refers-to") or prop.get("items", {}).get("x-refers-to") or []
        out.append(FieldDoc(name, _type(prop, defs), name in required, prop.get("description", ""), refers))
    return out


def _doc(name: str, schema: dict) -> KindDoc:
    item, defs = schema["items"], schema.get("$defs", {})
    parts = {part: _fields(d, defs) for part, d in defs.items()}
    return KindDoc(name, item.get("description", ""), _fields(item, defs), parts)


# made once per process: the schemas come from the code, and `mkdocs serve` keeps the kb modules while
# hooks/kb/ is unchanged (generating the JSON Schemas took ~0.1 s of every rebuild)
@lru_cache(maxsize=1)
def describe() -> list[KindDoc]:
    schemas = all_schemas()
    return [_doc(kind, schemas[kind]) for kind in KINDS]


@lru_cache(maxsize=1)
def describe_company() -> KindDoc:
    """A branch's data/company.yaml (its 本单位规定 values)."""
    return _doc("company", all_schemas()["company"])
