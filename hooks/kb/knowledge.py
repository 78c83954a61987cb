"""The knowledge base: every entry, validated, with its references resolved both ways."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .branch import BranchValue, check_values, load_branch
from .check import check
from .choices import with_choices
from .errors import DataError
from .graph import Graph, collect
from .load import Record, load_entries, load_sources, load_synonyms
from .model import KINDS, SourceSection, SynonymGroup


@dataclass
class KnowledgeBase:
    records: list[Record]
    by_id: dict[str, Record]
    aliases: dict[str, Record]  # former id -> the entry it became
    graph: Graph
    sources: list[SourceSection]
    synonyms: list[SynonymGroup]
    branch: str | None = None  # the branch's folder name (branches/<name>/), None for the shared site
    company_values: list[BranchValue] = field(default_factory=list)  # the branch's 本单位规定

    def company_value(self, note_id: str, key: str) -> BranchValue | None:
        """The branch's value for a legal note's company field, or None (待本单位填写)."""
        return next((v for v in self.company_values if v.legal == note_id and v.key == key), None)

    def __post_init__(self) -> None:
        # indexes built once: templates ask for a kind, a source's entries or backlinks on every page,
        # and a scan of every record per question makes the build quadratic
        self._by_kind: dict[str, list[Record]] = defaultdict(list)
        self._by_source: dict[str, list[Record]] = defaultdict(list)
        self._groups: dict[tuple[str, str], dict[object, list[Record]]] = {}
        for r in self.records:
            self._by_kind[r.kind].append(r)
            for key in dict.fromkeys(r.entry.sources):  # type: ignore[attr-defined]
                self._by_source[key].append(r)

    def grouped(self, kind: str, field: str) -> dict[object, list[Record]]:
        """The entries of ``kind`` by the value of ``field`` (e.g. scenarios by category), in order."""
        key = (kind, field)
        if key not in self._groups:
            groups: dict[object, list[Record]] = defaultdict(list)
            for r in self._by_kind.get(kind, ()):
                groups[getattr(r.entry, field)].append(r)
            self._groups[key] = dict(groups)
        return self._groups[key]

    def of_kind(self, kind: str) -> list[Record]:
        return list(self._by_kind.get(kind, ()))

    def get(self, entry_id: str) -> Record:
        return self.by_id[entry_id]

    def backlink_ids(self, entry_id: str) -> list[str]:
        """The ids of the entries that refer to ``entry_id`` (those that are there), in the graph's order."""
        return [i for i in self.graph.referred_by(entry_id) if i in self.by_id]

    def link_ids(self, entry_id: str) -> list[str]:
        """The ids of the entries ``entry_id`` refers to (those that are there), in the graph's order."""
        return [i for i in self.graph.refers_to(entry_id) if i in self.by_id]

    def backlinks(self, entry_id: str) -> list[Record]:
        return [self.by_id[i] for i in self.backlink_ids(entry_id)]

    def links(self, entry_id: str) -> list[Record]:
        return [self.by_id[i] for i in self.link_ids(entry_id)]

    def from_source(self, key: str) -> list[Record]:
        return list(self._by_source.get(key, ()))


def load_knowledge(root: Path, branch: Path | None = None) -> KnowledgeBase:
    """Load and validate everything under ``root/data`` and, for a branch, under ``branch/data``;
    raise DataError listing every mistake."""
    root = Path(root)
    sources, problems = load_sources(root)
    source_keys = None if any(p.unreadable for p in problems) else {s.key for s, _ in sources}
    synonyms, found = load_synonyms(root)
    problems += found
    records, found, unread = load_entries(root)
    problems += found
    local = None
    if branch is not None:
        local, found = load_branch(root, Path(branch))
        problems += found
        records += local.records
        for kind, files in local.unread.items():
            unread.setdefault(kind, []).extend(files)
    by_id, aliases, found, notes = check(records, source_keys, unread)
    problems += found
    values, found = check_values(local.values, by_id, aliases) if local else ([], [])
    problems += found
    if problems:
        raise DataError([with_choices(p, records) for p in problems], notes)
    order = {kind: i for i, kind in enumerate(KINDS)}
    records.sort(key=lambda r: (order[r.kind], getattr(r.entry, "order", 0), r.doc.path, r.index))
    return KnowledgeBase(records, by_id, aliases, Graph(collect(records)),
                         [s for s, _ in sources], [g for g, _ in synonyms],
                         local.name if local else None, values)
