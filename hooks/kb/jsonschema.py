"""JSON Schemas for editors, generated from the model (schema/<kind>.schema.json)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from .model import KINDS, CompanyValue, SourceSection, SynonymGroup

SCHEMA_DIR = "schema"


def file_schema(name: str, model: type[BaseModel], title: str) -> dict:
    """A data file is a list of entries of one model."""
    item = model.model_json_schema(by_alias=True)
    defs = item.pop("$defs", {})
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        "title": title,
        "type": "array",
        "items": item,
    }
    if defs:
        schema["$defs"] = defs
    return schema


@lru_cache(maxsize=1)  # from the code alone; the data-format page asks twice per build (kb.formatdoc)
def all_schemas() -> dict[str, dict]:
    """Every file's schema, by name (shared between callers: read it, never change it)."""
    out = {kind: file_schema(kind, model, f"data/{kind}/*.yaml: a list of {kind} entries")
           for kind, model in KINDS.items()}
    out["sources"] = file_schema("sources", SourceSection, "data/sources.yaml: the sections of the source documents")
    out["synonyms"] = file_schema("synonyms", SynonymGroup, "data/synonyms.yaml: words agents use for the same thing")
    out["company"] = file_schema("company", CompanyValue, "branches/<name>/data/company.yaml: a branch's 本单位规定")
    return out


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write(root: Path) -> list[Path]:
    target = root / SCHEMA_DIR
    target.mkdir(exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = target / f"{name}.schema.json"
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def stale(root: Path) -> list[str]:
    """Names of committed schemas that differ from what the model generates."""
    out = []
    for name, schema in all_schemas().items():
        path = root / SCHEMA_DIR / f"{name}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(schema):
            out.append(path.relative_to(root).as_posix())
    return out
