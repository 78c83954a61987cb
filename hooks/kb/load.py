"""YAML → entries, keeping file:line:column for every value. Safe loading only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem
from .model import KINDS, SINGULAR, SourceSection, SynonymGroup

Loc = tuple[Any, ...]
Pos = tuple[int, int]  # 1-based line, column


class KBLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                    if key in seen and key != "<<":
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key '{key}'", key_node.start_mark)
                    seen[key] = True
        return super().construct_mapping(node, deep=deep)


@dataclass
class Document:
    """One parsed YAML file and where each value sits in it."""

    path: str  # as shown in messages, relative to the project root
    data: Any
    values: dict[Loc, Pos] = field(default_factory=dict)  # where each value starts
    keys: dict[Loc, Pos] = field(default_factory=dict)  # where the key of a mapping value starts

    def where(self, loc: Loc, *, key: bool = False) -> Pos:
        """The position of ``loc``, or of its nearest located parent."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


@dataclass
class Record:
    """A validated entry and where it came from."""

    kind: str
    entry: BaseModel
    doc: Document
    index: int  # position in its file's list

    @property
    def id(self) -> str:
        return self.entry.id  # type: ignore[attr-defined]

    @property
    def subject(self) -> str:
        return f"{SINGULAR[self.kind]} '{self.id}'"

    def where(self, *loc: Any, key: bool = False) -> Pos:
        return self.doc.where((self.index, *loc), key=key)

    def problem(self, message: str, *loc: Any, key: bool = False) -> Problem:
        line, col = self.where(*loc, key=key)
        return Problem(self.doc.path, line, col, message, self.subject)


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _index_positions(node: yaml.Node, loc: Loc, doc: Document, seen: set[int]) -> None:
    if id(node) in seen:  # aliases may point back up the tree
        return
    seen.add(id(node))
    doc.values.setdefault(loc, _mark(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                sub = (*loc, key_node.value)
                doc.keys.setdefault(sub, _mark(key_node))
                _index_positions(value_node, sub, doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_positions(item, (*loc, i), doc, seen)


def _decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        # utf-8-sig: files saved on Windows by non-developers carry a BOM
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(shown, line, col, f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]


def parse(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file safely; every failure becomes a located Problem."""
    text, problems = _decode(path.read_bytes(), shown)
    if text is None:
        return None, problems
    loader = KBLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown, 1, 1, "empty file: expected a list of entries")]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "could not determine a constructor" in message:
            tag = message.split("tag", 1)[-1].strip(" '!\"")
            message = f"YAML tag '!{tag}' is not allowed: the data is plain YAML (text, numbers, lists, mappings)"
        return None, [Problem(shown, line, col, f"YAML syntax: {message}")]
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        # ValueError/OverflowError: e.g. a timestamp PyYAML cannot construct
        return None, [Problem(shown, 1, 1, f"YAML syntax: {exc}")]
    finally:
        loader.dispose()
    doc = Document(shown, data)
    _index_positions(node, (), doc, set())
    return doc, []


def _field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
             dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def explain(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error as a sentence an author understands."""
    loc = tuple(p for p in error["loc"])
    where = _field_path(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return f"missing required field '{where}'"
    if kind == "extra_forbidden":
        parent = model
        for part in loc[:-1]:  # walk into nested models to list what would be valid
            f = parent.model_fields.get(part) if isinstance(part, str) else None
            ann = getattr(f, "annotation", None) if f else None
            inner = getattr(ann, "__args__", (ann,))[0] if ann is not None else None
            parent = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else parent
        valid = ", ".join(parent.model_fields)
        return f"unknown field '{where}' (valid fields: {valid})"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id" or (len(loc) >= 2 and isinstance(loc[-1], int)):
            return f"'{value}' in '{where}' is not an ASCII kebab-case id (like 'double-refund')"
        return f"field '{where}': '{value}' has the wrong form"
    if kind == "literal_error":
        return f"field '{where}': '{value}' is not one of {ctx.get('expected', '')}"
    if kind in ("string_type", "list_type", "int_type", "int_parsing", "bool_type", "bool_parsing",
                "model_type", "dict_type", "date_type", "date_from_datetime_parsing", "date_parsing",
                "int_from_float", "string_sub_type"):
        expected = {"string_type": "text", "string_sub_type": "text", "list_type": "a list",
                    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
                    "bool_type": "true or false", "bool_parsing": "true or false", "model_type": "a mapping",
                    "dict_type": "a mapping", "date_type": "a date (YYYY-MM-DD)",
                    "date_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)"}[kind]
        return f"field '{where}': expected {expected}, got {_describe(value)}"
    if kind in ("too_short", "string_too_short"):
        return f"field '{where}' must not be empty"
    if kind == "string_too_long":
        return f"field '{where}' is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("greater_than_equal",):
        return f"field '{where}' must be at least {ctx.get('ge')}"
    return f"field '{where}': {error['msg']}"


def validate(doc: Document, kind: str) -> tuple[list[Record], list[Problem]]:
    """Validate every entry of one file against its kind's model."""
    model = KINDS[kind]
    if not isinstance(doc.data, list):
        return [], [Problem(doc.path, *doc.where(()), f"expected a list of {kind} entries (each starting with '- id: ...'), got {_describe(doc.data)}")]
    records: list[Record] = []
    problems: list[Problem] = []
    for index, raw in enumerate(doc.data):
        rid = raw.get("id") if isinstance(raw, dict) else None
        subject = f"{SINGULAR[kind]} '{rid}'" if isinstance(rid, str) and rid else f"{SINGULAR[kind]} #{index + 1}"
        if not isinstance(raw, dict):
            line, col = doc.where((index,))
            problems.append(Problem(doc.path, line, col, f"expected an entry (a mapping of fields), got {_describe(raw)}", subject))
            continue
        try:
            entry = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (index, *err["loc"])
                line, col = doc.where(loc, key=err["type"] == "extra_forbidden")
                problems.append(Problem(doc.path, line, col, explain(err, model), subject))
            continue
        records.append(Record(kind, entry, doc, index))
    return records, problems


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _plain_list(path: Path, root: Path, model: type[BaseModel], what: str) -> tuple[list[Any], list[Problem]]:
    shown = _relative(path, root)
    if not path.exists():
        return [], [Problem(shown, 1, 1, f"missing file: {what}")]
    doc, problems = parse(path, shown)
    if doc is None:
        return [], problems
    if not isinstance(doc.data, list):
        return [], [Problem(shown, 1, 1, f"expected a list of {what}")]
    items = []
    for i, raw in enumerate(doc.data):
        try:
            items.append((model.model_validate(raw), doc.where((i,))))
        except ValidationError as exc:
            for err in exc.errors():
                line, col = doc.where((i, *err["loc"]), key=err["type"] == "extra_forbidden")
                problems.append(Problem(shown, line, col, explain(err, model), f"{what} #{i + 1}"))
    return items, problems


def load_sources(root: Path) -> tuple[list[tuple[SourceSection, Pos]], list[Problem]]:
    return _plain_list(root / "data" / "sources.yaml", root, SourceSection, "source section")


def load_synonyms(root: Path) -> tuple[list[tuple[SynonymGroup, Pos]], list[Problem]]:
    path = root / "data" / "synonyms.yaml"
    if not path.exists():
        return [], []
    return _plain_list(path, root, SynonymGroup, "synonym group")


def load_entries(root: Path) -> tuple[list[Record], list[Problem]]:
    """Every entry under ``data/<kind>/*.yaml``; files in unknown folders are mistakes too."""
    data = root / "data"
    records: list[Record] = []
    problems: list[Problem] = []
    for path in sorted(data.rglob("*.y*ml")):
        rel = path.relative_to(data)
        shown = _relative(path, root)
        if len(rel.parts) == 1:
            continue  # sources.yaml, synonyms.yaml: loaded on their own
        kind = rel.parts[0]
        if kind not in KINDS:
            problems.append(Problem(shown, 1, 1, f"unknown kind folder '{kind}' (valid: {', '.join(KINDS)})"))
            continue
        doc, found = parse(path, shown)
        problems += found
        if doc is not None:
            got, found = validate(doc, kind)
            records += got
            problems += found
    return records, problems
