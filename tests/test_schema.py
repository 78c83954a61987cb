"""The editor JSON Schemas in schema/ are generated from the model and named by every data file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb import jsonschema
from kb.model import KINDS

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / jsonschema.SCHEMA_DIR).glob("*.schema.json"))
DATA_FILES = sorted((ROOT / "data").glob("*/*.yaml"))


def test_committed_schemas_match_the_model():
    stale = jsonschema.stale(ROOT)
    assert not stale, f"schemas differ from hooks/kb/model.py: {stale}; run `make schema` and commit the result"


def test_every_kind_has_a_schema_file():
    names = {p.name for p in SCHEMAS}
    missing = [kind for kind in [*KINDS, "sources", "synonyms"] if f"{kind}.schema.json" not in names]
    assert not missing, f"no schema for {missing}: run `make schema`"


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_a_json_array_schema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == path.name
    assert schema["type"] == "array"
    assert schema["items"]["type"] == "object"
    defs = schema.get("$defs", {})
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, f"{path.name}: dangling $ref {ref}"


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.relative_to(ROOT).as_posix() for p in DATA_FILES])
def test_data_file_names_its_schema_on_the_first_line(path):
    kind = path.parent.name
    first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0].rstrip("\r")
    assert first == f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
