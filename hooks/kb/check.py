"""Cross-entry rules: unique ids, references, inline references, sources, legal review."""

from __future__ import annotations

import re

from .errors import Problem
from .fields import walk
from .load import Record
from .model import AUTHORED, LABEL, PLURAL, SINGULAR, LegalNote
from .refs import find_inline

# Markdown links in prose may only go to the web or inside the site, never javascript: or data:
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
SAFE_TARGET = re.compile(r"^(https?://|mailto:|/|#|\.\.?/|[A-Za-z0-9_-]+(/|\.md|$))")


def _ids(records: list[Record]) -> tuple[dict[str, Record], dict[str, Record], list[Problem]]:
    by_id: dict[str, Record] = {}
    aliases: dict[str, Record] = {}
    problems: list[Problem] = []
    for rec in records:
        if rec.id in by_id or rec.id in aliases:
            first = by_id.get(rec.id) or aliases[rec.id]
            line, col = first.where("id")
            problems.append(rec.problem(f"duplicate id '{rec.id}' (already used at {first.doc.path}:{line}:{col})", "id"))
            continue
        by_id[rec.id] = rec
    for rec in records:
        for i, old in enumerate(rec.entry.aliases):  # type: ignore[attr-defined]
            if old in by_id or old in aliases:
                other = by_id.get(old) or aliases[old]
                problems.append(rec.problem(f"alias '{old}' is already the id or alias of {other.subject}", "aliases", i))
            else:
                aliases[old] = rec
    return by_id, aliases, problems


def _resolve(rec: Record, target: str, kinds: tuple[str, ...], loc: tuple,
             by_id: dict[str, Record], aliases: dict[str, Record]) -> Problem | None:
    expected = " or ".join(LABEL[k] for k in kinds)
    found = by_id.get(target)
    if found is None:
        if target in aliases:
            return rec.problem(f"'{target}' was renamed to '{aliases[target].id}': refer to the new id", *loc)
        return rec.problem(f"unknown {expected} '{target}'", *loc)
    if found.kind not in kinds:
        return rec.problem(f"'{target}' is a {LABEL[found.kind]}, not a {expected}", *loc)
    return None


def check(records: list[Record], source_keys: set[str]) -> tuple[dict[str, Record], dict[str, Record], list[Problem]]:
    """Apply every rule that needs more than one entry; return the id and alias indexes."""
    by_id, aliases, problems = _ids(records)
    for rec in records:
        entry = rec.entry
        for v in walk(entry):
            if v.refers_to:
                p = _resolve(rec, v.value, v.refers_to, v.loc, by_id, aliases)
                if p:
                    problems.append(p)
            elif v.format == "prose":
                for ref in find_inline(v.value):
                    kind = PLURAL.get(ref.kind)
                    if kind is None:
                        problems.append(rec.problem(
                            f"inline reference [[{ref.kind}:{ref.id}]]: unknown kind '{ref.kind}' "
                            f"(valid: {', '.join(sorted(SINGULAR.values()))})", *v.loc))
                        continue
                    p = _resolve(rec, ref.id, (kind,), v.loc, by_id, aliases)
                    if p:
                        problems.append(rec.problem(f"inline reference [[{ref.kind}:{ref.id}]]: {p.message}", *v.loc))
                for target in LINK_TARGET.findall(v.value):
                    if not SAFE_TARGET.match(target):
                        problems.append(rec.problem(
                            f"link to '{target}' is not allowed in prose (use http(s) links or [[kind:id]])", *v.loc))
        for i, key in enumerate(entry.sources):  # type: ignore[attr-defined]
            if key != AUTHORED and key not in source_keys:
                problems.append(rec.problem(f"unknown source '{key}' (not a key of data/sources.yaml)", "sources", i))
        if AUTHORED in entry.sources and not entry.authored_basis:  # type: ignore[attr-defined]
            problems.append(rec.problem("sources says 'authored' but 'authored_basis' is missing: say what it was written from", "sources"))
        if isinstance(entry, LegalNote) and entry.review.status == "verified":
            for i, b in enumerate(entry.basis):
                if b.confidence != "high":
                    problems.append(rec.problem(
                        f"review.status is 'verified' but basis[{i + 1}] has confidence '{b.confidence}': "
                        "mark the note 'needs-review'", "review", "status"))
    return by_id, aliases, problems
