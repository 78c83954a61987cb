"""The history's parsed file versions and trees, kept between builds in the project's .cache/ folder.

A commit's data never changes, but reading the compared commits again (a `git ls-tree` each, every file
version through the loader) was a fifth of a build of the real data (0.5 s of 2.6). What is kept: each
commit's data files (path → blob id) and each file version's entries as kb.changes reads them (or the
note that it could not be read). The file is named by the code that decides what a kept result holds
(kb.changes, kb.load, kb.model, kb.datafiles and this module): an edit there starts a new one. It holds only what the last
build used (the commits in the window), and a file that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .diskcache import write_json

# the modules whose rules decide what a kept result holds
_RULES = ("changes.py", "load.py", "model.py", "datafiles.py", "historystore.py")

Entries = dict[str, tuple[str, str, str, tuple[str, ...]]]


def _rules_version() -> str:
    h = hashlib.sha1()
    for name in _RULES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:16]


class HistoryStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / f"history-{_rules_version()}.json"
        self.trees: dict[str, dict[str, str]] = {}
        self.files: dict[str, list] = {}  # "kind blob" → [entries or None, note or None]
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
            self.trees, self.files = dict(kept["trees"]), dict(kept["files"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self._used_trees: set[str] = set()
        self._used_files: set[str] = set()
        self._added = False

    def tree(self, sha: str) -> dict[str, str] | None:
        found = self.trees.get(sha)
        if found is not None:
            self._used_trees.add(sha)
        return found

    def put_tree(self, sha: str, tree: dict[str, str]) -> None:
        self.trees[sha] = tree
        self._used_trees.add(sha)
        self._added = True

    def file(self, kind: str, blob: str) -> tuple[bool, Entries | None, str | None]:
        """(found, the entries or None if unreadable, its note)."""
        kept = self.files.get(f"{kind} {blob}")
        if kept is None:
            return False, None, None
        self._used_files.add(f"{kind} {blob}")
        entries, note = kept
        if entries is None:
            return True, None, note
        return True, {i: (k, t, f, tuple(a)) for i, (k, t, f, a) in entries.items()}, note

    def put_file(self, kind: str, blob: str, entries: Entries | None, note: str | None) -> None:
        self.files[f"{kind} {blob}"] = [entries, note]
        self._used_files.add(f"{kind} {blob}")
        self._added = True

    def save(self) -> None:
        """Write what this build used, if it added anything or left something unused."""
        if not self._added and self._used_trees == set(self.trees) and self._used_files == set(self.files):
            return
        write_json(self.path, {"trees": {s: self.trees[s] for s in sorted(self._used_trees)},
                               "files": {k: self.files[k] for k in sorted(self._used_files)}})
