"""References between entries, and the backlinks they imply."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .carryover import CARRIED
from .load import Record
from .refs import find_inline


@dataclass(frozen=True)
class Reference:
    source: str  # id of the referring entry
    field: str  # top-level field it sits in
    target: str  # id it points at
    inline: bool  # written in prose rather than in a list field


def collect(records: list[Record]) -> list[Reference]:
    """Every reference written in the data, list fields and prose alike (unresolved)."""
    out: list[Reference] = []
    if CARRIED.keeping:  # serving: an entry as written before has the references it had (kb.carryover)
        for rec in records:
            out += CARRIED.get(("refs", rec.kind, rec.id, rec.doc.entry_repr(rec.index)), lambda rec=rec: _written(rec))
        return out
    for rec in records:
        out += _written(rec)
    return out


def _written(rec: Record) -> list[Reference]:
    """The references one entry writes, in its fields' order (searching every prose value for [[kind:id]]
    was ~5 % of a rebuild after an edit at 15,000 entries)."""
    out: list[Reference] = []
    for v in rec.values:
        if v.refers_to:
            out.append(Reference(rec.id, v.loc[0], v.value, False))
        elif v.format == "prose":
            out += [Reference(rec.id, v.loc[0], r.id, True) for r in find_inline(v.value)]
    return out


class Graph:
    """Who refers to whom, deduplicated, in the order written."""

    def __init__(self, references: list[Reference]):
        self.references = references
        # dicts as ordered sets: a hub with thousands of backlinks must not be searched on every insert
        self._out: dict[str, dict[str, None]] = defaultdict(dict)
        self._in: dict[str, dict[str, None]] = defaultdict(dict)
        for ref in references:
            self._out[ref.source].setdefault(ref.target)
            if ref.source != ref.target:
                self._in[ref.target].setdefault(ref.source)

    def refers_to(self, entry_id: str) -> list[str]:
        return list(self._out.get(entry_id, ()))

    def referred_by(self, entry_id: str) -> list[str]:
        """Backlinks: ids of the entries that mention ``entry_id``."""
        return list(self._in.get(entry_id, ()))
