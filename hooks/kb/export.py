"""The knowledge as JSON beside the pages, for other tools: kb.json with every entry, and
export/<kind>.json per kind, both described by export/kb.schema.json (generated from the model).

Each entry carries its fields as written in data/, plus its address, its references resolved both ways
(id, kind, URL), its review schedule and when it last changed; the document carries the build date and
the data version (the git commit, when there is one).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from functools import cache

from .buildinfo import BuildInfo
from .carryover import CARRIED
from .incremental import entry_signatures
from .knowledge import KnowledgeBase
from .load import Record
from .model import KINDS, SourceSection
from .pages import entry_url

SCHEMA_PATH = "export/kb.schema.json"
FORMAT = 1  # bump when a field changes meaning or disappears


def _ref(info: BuildInfo, r: Record) -> dict:
    return {"id": r.id, "kind": r.kind, "title": r.entry.title, "url": entry_url(r), "address": info.address(r)}


def entry_json(kb: KnowledgeBase, info: BuildInfo, r: Record, refs: dict[str, dict] | None = None) -> dict:
    """``refs``: every entry's reference (``_ref``) by id, made once (an entry is referred to ~18 times)."""
    ref = (lambda x: refs[x.id]) if refs is not None else (lambda x: _ref(info, x))
    s = info.review.get(r.id)
    changed = info.changed.get(r.id) if info.history.available else None  # made once per build
    return {
        "kind": r.kind,
        "url": entry_url(r),
        "address": info.address(r),
        "local": r.local,  # a branch's own entry
        "refers_to": [ref(x) for x in kb.links(r.id)],
        "referred_by": [ref(x) for x in kb.backlinks(r.id)],
        "review_schedule": None if s is None else {
            "next_review": s.due.isoformat() if s.due else None,
            "interval_days": s.interval_days,
            "state": s.state,
            "days_left": s.days_left,
            "needs_legal_review": s.needs_legal_review,
        },
        "last_changed": None if changed is None else {
            "date": changed.day.isoformat(), "commit": changed.commit, "what": changed.what},
        **r.entry.model_dump(mode="json", by_alias=True),
    }


def document(kb: KnowledgeBase, info: BuildInfo, records: list[Record], schema_url: str) -> dict:
    """The export of ``records`` (``exports`` gives none and writes each entry's line made once: kb.json and
    the per-kind files show every entry, and making it is most of the cost)."""
    return {
        "$schema": schema_url,
        "format": FORMAT,
        "generated_on": info.today.isoformat(),
        "data_version": info.data_version(),
        "site_url": info.site_url or None,
        "branch": kb.branch,  # None for the shared knowledge base
        "entries": [entry_json(kb, info, r) for r in records],
        "aliases": {old: r.id for old, r in kb.aliases.items()},
        "sources": [s.model_dump(mode="json", by_alias=True) for s in kb.sources],
        # the branch's 本单位规定 (legal + key address a note's company field); dates as YYYY-MM-DD
        "company_values": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dataclasses.asdict(cv).items()}
            for cv in kb.company_values
        ],
    }


def exports(kb: KnowledgeBase, info: BuildInfo) -> Iterator[tuple[str, str]]:
    """(site path, JSON text) of kb.json and of one file per kind (``export_parts``, each joined)."""
    for path, parts in export_parts(kb, info):
        yield path, "".join(parts)


def export_parts(kb: KnowledgeBase, info: BuildInfo) -> Iterator[tuple[str, Iterator[str]]]:
    """(site path, the JSON text in parts) of kb.json and of one file per kind, one at a time, for a build
    to write part by part: kb.json alone is ~70 MB at 10,000 entries, and joining it (and encoding it to
    write) held three copies at once, the build's peak memory."""
    lines = _entry_lines(kb, info)
    yield "kb.json", _dump_parts(document(kb, info, [], SCHEMA_PATH), [lines[r.id] for r in kb.records])
    for kind in KINDS:
        yield f"export/{kind}.json", _dump_parts(document(kb, info, [], "kb.schema.json"),
                                                 [lines[r.id] for r in kb.of_kind(kind)])


def _entry_lines(kb: KnowledgeBase, info: BuildInfo) -> dict[str, str]:
    """Each entry's line of the export (entry_json, encoded), by id. While serving, an entry whose inputs
    are unchanged (its own and its neighbours' signatures, as for its page: kb.incremental) keeps the
    line the build before made: encoding every entry was most of a rebuild's exports."""
    refs = {r.id: _ref(info, r) for r in kb.records}

    def line(r: Record) -> str:
        return " " + _compact(entry_json(kb, info, r, refs))

    if not CARRIED.keeping:
        return {r.id: line(r) for r in kb.records}
    sigs = entry_signatures(kb, info)
    shared = (FORMAT, info.site_url, info.history.available)
    return {r.id: CARRIED.get(("export", shared, sigs.around(r, kb)), lambda r=r: line(r)) for r in kb.records}


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _dump(data: dict, entries: list[str] | None = None) -> str:
    """The document with each top-level field, and each item of a list, on a line of its own: readable
    and diffable, and every line is written by json's C encoder (``indent`` switches to its pure-Python
    one, which took 4 s of a 1,585-entry build). ``entries``: the entries' lines, made already."""
    return "".join(_dump_parts(data, entries))


def _dump_parts(data: dict, entries: list[str] | None = None) -> Iterator[str]:
    """``_dump``'s text in parts, a line or a separator at a time."""
    yield "{\n"
    for n, (key, value) in enumerate(data.items()):
        if n:
            yield ",\n"
        items = entries if key == "entries" and entries is not None else None
        if items is None and isinstance(value, list):
            items = [" " + _compact(v) for v in value]
        if not items:
            yield f"{_compact(key)}: {_compact(value if items is None else [])}"
            continue
        yield f"{_compact(key)}: [\n"
        for i, item in enumerate(items):
            if i:
                yield ",\n"
            yield item  # as it is: an entry's line is the object kb.carryover keeps (kb.sidefiles compares them)
        yield "\n]"
    yield "\n}\n"


# ---------------------------------------------------------------- the schema of the export

_REF = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "kind", "title", "url", "address"],
    "properties": {"id": {"type": "string"}, "kind": {"enum": list(KINDS)}, "title": {"type": "string"},
                   "url": {"type": "string", "description": "site-relative address"},
                   "address": {"type": "string", "description": "full address when site_url is set, else the site-relative one"}},
}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_COMPANY_VALUE = {
    "type": "object", "additionalProperties": False,
    "required": ["legal", "key", "label", "value", "effective_on", "decided_by", "review_due", "path", "line"],
    "properties": {
        "legal": {"type": "string", "description": "id of the legal note"}, "key": {"type": "string"},
        "label": {"type": "string"}, "value": {"type": "string"},
        "effective_on": {"type": "string", "format": "date"}, "decided_by": {"type": "string"},
        "review_due": _NULLABLE_DATE,
        "path": {"type": "string", "description": "the file it is written in"}, "line": {"type": "integer"}},
}
_ENVELOPE = {
    "kind": None,  # filled per kind
    "url": {"type": "string", "description": "the entry's address relative to the site root (page/ or page/#anchor)"},
    "address": {"type": "string", "description": "the full published address when site_url is set"},
    "local": {"type": "boolean", "description": "true: the branch's own entry (branches/<name>/data/), not a shared one"},
    "refers_to": {"type": "array", "items": {"$ref": "#/$defs/EntryRef"}, "description": "entries this one refers to"},
    "referred_by": {"type": "array", "items": {"$ref": "#/$defs/EntryRef"}, "description": "entries referring to this one"},
    "review_schedule": {
        "description": "the review as judged on generated_on; null when the entry carries no review",
        "oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False,
            "required": ["next_review", "interval_days", "state", "days_left", "needs_legal_review"],
            "properties": {
                "next_review": _NULLABLE_DATE,
                "interval_days": {"type": ["integer", "null"]},
                "state": {"enum": ["overdue", "soon", "ok", "unscheduled"]},
                "days_left": {"type": ["integer", "null"]},
                "needs_legal_review": {"type": "boolean"}}}]},
    "last_changed": {
        "description": "the last change found in the git history of data/ (null: none in the compared window, or no history)",
        "oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["date", "commit", "what"],
            "properties": {"date": {"type": "string", "format": "date"},
                           "commit": {"type": ["string", "null"], "description": "null: not committed yet"},
                           "what": {"enum": ["added", "changed", "renamed"]}}}]},
}


def export_schema() -> dict:
    """JSON Schema (2020-12) of kb.json and export/<kind>.json, from the entry models themselves."""
    defs: dict = {"EntryRef": _REF}
    variants = []
    for kind, model in KINDS.items():
        item = copy.deepcopy(model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}"))
        defs.update(item.pop("$defs", {}))
        props = {**{k: v for k, v in _ENVELOPE.items() if v is not None}, **item["properties"]}
        props["kind"] = {"const": kind}
        defs[f"Entry_{kind}"] = {
            "title": item.get("title", kind), "description": item.get("description", ""),
            "type": "object", "additionalProperties": False,
            "required": sorted(set(item.get("required", [])) | set(_ENVELOPE)),
            "properties": props,
        }
        variants.append({"$ref": f"#/$defs/Entry_{kind}"})
    source = SourceSection.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "kb.schema.json",
        "title": "投诉处理宝典: the knowledge base as JSON",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "generated_on", "data_version", "site_url", "branch", "entries", "aliases", "sources",
                     "company_values"],
        "properties": {
            "$schema": {"type": "string"},
            "format": {"const": FORMAT},
            "generated_on": {"type": "string", "format": "date", "description": "the build date (or extra.kb.today)"},
            "data_version": {
                "type": "object", "additionalProperties": False,
                "required": ["commit", "committed_at", "uncommitted_changes", "note"],
                "properties": {
                    "commit": {"type": ["string", "null"], "description": "git commit the data was built from; null without git"},
                    "committed_at": {"type": ["string", "null"]},
                    "uncommitted_changes": {"type": ["boolean", "null"], "description": "data/ differed from that commit"},
                    "note": {"type": ["string", "null"], "description": "why there is no commit"}}},
            "site_url": {"type": ["string", "null"]},
            "branch": {"type": ["string", "null"], "description": "the branch (branches/<name>/) built; null: the shared knowledge base"},
            "entries": {"type": "array", "items": {"oneOf": variants}},
            "aliases": {"type": "object", "additionalProperties": {"type": "string"}, "description": "former id → current id"},
            "sources": {"type": "array", "items": source},
            "company_values": {"type": "array", "items": _COMPANY_VALUE,
                               "description": "the branch's 本单位规定: a value for the company field `key` of legal note `legal`"},
        },
        "$defs": defs,
    }


@cache  # the models are the code's: the same text until kb is imported again
def schema_text() -> str:
    return json.dumps(export_schema(), ensure_ascii=False, indent=1) + "\n"
