"""What changed in the knowledge, entry by entry, from the git history of data/.

Each compared commit's data files are read by the data loader (kb.load: the working tree's limits and
located mistakes; a version it refuses is skipped with a note) into {id: entry}; consecutive snapshots are
compared by id, so an entry moved to another file is not a change and a renamed id (kept in `aliases`) is
one rename. The cost is bounded by ``extra.kb.changes`` (the last N commits, within a time window), each
distinct file version is parsed once, and git runs as a few plain subprocesses (no shell).
Without git or without history (an unpacked archive) the history is simply unavailable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .carryover import CARRIED
from .datafiles import yaml_files
from .errors import Problem
from .historystore import HistoryStore
from .load import read_once, read_yaml
from .model import KINDS, MAX_TITLE
from .settings import ChangesSettings

What = Literal["added", "changed", "renamed", "removed"]
WHAT_LABEL = {"added": "新增", "changed": "修改", "renamed": "改名", "removed": "删除"}
DATA = "data"


Entry = tuple[str, str, str, tuple[str, ...]]  # kind, title, fingerprint of its content, aliases


@dataclass(frozen=True)
class Snapshot:
    """One state of the data: id → (kind, title, fingerprint of its content, aliases)."""

    entries: dict[str, Entry]
    unread: frozenset[str] = frozenset()  # kinds with a file that could not be read: which ids it held is unknown


@dataclass(frozen=True)
class Change:
    day: dt.date
    commit: str | None  # None: not committed yet (the working copy)
    what: What
    kind: str
    id: str
    title: str
    old_id: str | None = None  # for a rename


@dataclass(frozen=True)
class Commit:
    sha: str
    when: dt.datetime


@dataclass
class History:
    available: bool
    reason: str = ""  # why there is no history
    changes: list[Change] = field(default_factory=list)  # newest first
    commits: list[Commit] = field(default_factory=list)  # compared commits, newest first
    head: Commit | None = None
    dirty: bool = False  # the working copy's data differs from the last commit
    complete: bool = False  # the window reaches the first commit of data/: every entry has a date
    notes: list[str] = field(default_factory=list)  # old file versions skipped, one located line each

    def last_changed(self) -> dict[str, Change]:
        out: dict[str, Change] = {}
        for c in self.changes:
            if c.what != "removed":
                out.setdefault(c.id, c)
        return out

    def by_day(self) -> list[tuple[dt.date, list[Change]]]:
        days: dict[dt.date, list[Change]] = {}
        for c in self.changes:
            days.setdefault(c.day, []).append(c)
        return sorted(days.items(), reverse=True)

    @property
    def oldest(self) -> dt.date | None:
        return self.commits[-1].when.date() if self.commits else None


# ---------------------------------------------------------------- parsing a state of data/

def entries_of(raw: bytes, kind: str, shown: str, read=read_yaml) -> tuple[dict[str, Entry], list[Problem]]:
    """The entries of one data file's bytes, by id, read by the data loader (kb.load: the same limits
    and located mistakes as the working tree); a file it cannot read gives none and its mistakes.
    ``read``: kb.load.read_once for the working tree, which the loader has read already this build."""
    doc, problems = read(raw, shown)
    if doc is None:
        return {}, problems
    out = {}
    memo: dict[int, str] = {}
    for item in doc.data if isinstance(doc.data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            title = item.get("title")
            title = title if isinstance(title, str) and title else item["id"]
            # a title from before titles had a maximum is cut to it (kb.model)
            title = title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 1] + "…"
            aliases = item.get("aliases")
            aliases = tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else ()
            try:
                fingerprint = _fingerprint(item, memo, set())
            except RecursionError:  # the loader read it, with a little more stack to spare than here
                return {}, [Problem(shown, 1, 1, "列表和映射嵌套太深，读不了")]
            out[item["id"]] = (kind, title, fingerprint, aliases)
    return out, []


def _fingerprint(value: Any, memo: dict[int, str], open_: set[int]) -> str:
    """A digest of a parsed value: equal for equal content, however it is written. Each shared (aliased)
    value is digested once, so nothing is ever written out in full."""
    key = id(value)
    if key in memo:
        return memo[key]
    if key in open_:  # a value that contains itself
        return "cycle"
    if isinstance(value, dict):
        open_.add(key)
        parts = sorted(_fingerprint(k, memo, open_) + _fingerprint(v, memo, open_) for k, v in value.items())
        text = "{" + ",".join(parts)
    elif isinstance(value, (list, tuple)):
        open_.add(key)
        text = "[" + ",".join(_fingerprint(v, memo, open_) for v in value)
    elif isinstance(value, (set, frozenset)):
        open_.add(key)
        text = "(" + ",".join(sorted(_fingerprint(v, memo, open_) for v in value))
    else:
        text = f"{type(value).__name__}:{value!r}"
    open_.discard(key)
    memo[key] = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return memo[key]


def _kind_of(path: str) -> str | None:
    """The kind of a data file, by the loader's rule (kb.load.load_entries): data/<kind>/…/<file>.yaml."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == DATA and parts[1] in KINDS and parts[-1].endswith((".yaml", ".yml")):
        return parts[1]
    return None


def working_snapshot(root: Path) -> Snapshot:
    """The working tree's entries (already read and checked by kb.load before the history is asked for)."""
    entries = {}
    for path in yaml_files(root / DATA, root, root)[0]:  # never a link out of the project (kb.datafiles)
        shown = path.relative_to(root).as_posix()
        kind = _kind_of(shown)
        if kind:
            raw = path.read_bytes()
            # a file the edit did not touch parses as before (kb.carryover: kept between serve rebuilds)
            entries.update(CARRIED.get(("entries_of", kind, shown, raw), lambda: entries_of(raw, kind, shown, read_once))[0])
    return Snapshot(entries)


# ---------------------------------------------------------------- git

# A commit's state of data/ never changes: kept for the process, by project folder. `mkdocs serve` keeps the
# kb modules between rebuilds, so a rebuild reads only the working tree (this took ~0.4 s of each).
_COMMITTED: dict[str, dict[str, Snapshot]] = {}


class _Git:
    def __init__(self, root: Path, store: HistoryStore | None = None):
        self.root = root
        self.store = store  # what earlier builds read (kb.historystore)
        self.env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
        self.prefix = ""  # the project's folder inside the repository ("" at its top, "branches/x/" …)
        self.blobs: dict[str, bytes] = {}
        self.parsed: dict[tuple[str, str], dict | None] = {}  # (kind, blob) → entries (None: unreadable),
        # each file version parsed once
        self.notes: list[str] = []
        self.snapshots: dict[str, Snapshot] = _COMMITTED.setdefault(str(Path(root).resolve()), {})

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        # a list of arguments, never a shell; '--' keeps revisions and paths apart at the call sites
        return subprocess.run(["git", *args], cwd=self.root, env=self.env, input=stdin, capture_output=True,
                              check=True, timeout=60).stdout

    def tree(self, sha: str) -> dict[str, str]:
        """data file path → blob id at commit ``sha``."""
        kept = self.store.tree(sha) if self.store else None
        if kept is not None:
            return kept
        out = {}
        for row in self.run("ls-tree", "-r", "-z", "--full-tree", sha, "--", self.prefix + DATA).split(b"\0"):
            if not row:
                continue
            meta, path = row.split(b"\t", 1)
            rel = path.decode("utf-8", "replace")[len(self.prefix):]
            if meta.split()[1] == b"blob" and _kind_of(rel):
                out[rel] = meta.split()[2].decode()
        if self.store:
            self.store.put_tree(sha, out)
        return out

    def read_blobs(self, shas: set[str]) -> None:
        """Every blob not read yet, in one `git cat-file --batch`."""
        todo = sorted(shas - set(self.blobs))
        if not todo:
            return
        raw = self.run("cat-file", "--batch", stdin="".join(s + "\n" for s in todo).encode())
        pos = 0
        for sha in todo:
            header_end = raw.index(b"\n", pos)
            size = int(raw[pos:header_end].split()[2])
            self.blobs[sha] = raw[header_end + 1: header_end + 1 + size]
            pos = header_end + 1 + size + 1

    def snapshot(self, sha: str) -> Snapshot:
        if sha not in self.snapshots:
            tree = self.tree(sha)
            files = sorted(tree.items())
            for path, blob in files:  # what earlier builds read of these file versions
                kind = _kind_of(path)
                if (kind, blob) not in self.parsed and self.store:
                    found, entries, note = self.store.file(kind, blob)
                    if found:
                        self._parsed(kind, blob, entries, note)
            self.read_blobs({blob for path, blob in files if (_kind_of(path), blob) not in self.parsed})
            entries, unread = {}, set()
            for path, blob in files:
                kind = _kind_of(path)
                if (kind, blob) not in self.parsed:
                    found, problems = entries_of(self.blobs[blob], kind, path)
                    # one note per skipped version: its first mistake
                    note = next((f"{p.path}:{p.line}:{p.column}: 修改历史跳过了提交 {sha[:10]} 中这个文件的版本"
                                 f"（读不了：{p.message}）" for p in problems[:1]), None)
                    self._parsed(kind, blob, None if problems else found, note)
                    if self.store:
                        self.store.put_file(kind, blob, self.parsed[kind, blob], note)
                if self.parsed[kind, blob] is None:
                    unread.add(kind)
                else:
                    entries.update(self.parsed[kind, blob])
            self.snapshots[sha] = Snapshot(entries, frozenset(unread))
        return self.snapshots[sha]

    def _parsed(self, kind: str, blob: str, entries: dict | None, note: str | None) -> None:
        self.parsed[kind, blob] = entries
        if note:
            self.notes.append(note)


def diff(old: Snapshot, new: Snapshot, day: dt.date, commit: str | None) -> list[Change]:
    """What happened to each entry between two states, compared by id. An entry of a kind with a file
    that one side could not read is not said to be added or removed: that side's ids of it are unknown."""
    added = [i for i in new.entries if i not in old.entries and new.entries[i][0] not in old.unread]
    removed = [i for i in old.entries if i not in new.entries and old.entries[i][0] not in new.unread]
    renamed_from = {}
    for i in added:
        for alias in new.entries[i][3]:
            if alias in removed:
                renamed_from[i] = alias
    out = []
    for i in added:
        kind, title = new.entries[i][:2]
        what: What = "renamed" if i in renamed_from else "added"
        out.append(Change(day, commit, what, kind, i, title, renamed_from.get(i)))
    for i in removed:
        if i not in renamed_from.values():
            kind, title = old.entries[i][:2]
            out.append(Change(day, commit, "removed", kind, i, title))
    for i in new.entries:
        if i in old.entries and new.entries[i][2] != old.entries[i][2]:
            kind, title = new.entries[i][:2]
            out.append(Change(day, commit, "changed", kind, i, title))
    order = {"added": 0, "renamed": 1, "changed": 2, "removed": 3}
    return sorted(out, key=lambda c: (order[c.what], c.kind, c.id))


def history(root: Path, settings: ChangesSettings, today: dt.date) -> History:
    """The changes of data/ over the configured window; History(available=False) without git history."""
    if shutil.which("git") is None:
        return History(False, "这台机器上没有 git")
    git = _Git(Path(root), HistoryStore(Path(root) / ".cache"))
    try:
        git.prefix = git.run("rev-parse", "--show-prefix").decode().strip()
        head_line = git.run("log", "-1", "--format=%H%x00%cI").decode()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return History(False, "站点不是从 git 仓库构建的（例如解压的压缩包），没有修改历史")
    if not head_line.strip():
        return History(False, "git 仓库还没有提交")
    args = ["log", f"-n{settings.max_commits}", "--format=%H%x00%cI%x00%P"]
    if settings.since_days:
        args.append(f"--since={settings.since_days} days ago")
    rows = [line.split("\0") for line in git.run(*args, "--", DATA).decode("utf-8", "replace").splitlines() if line]
    commits = [Commit(sha, dt.datetime.fromisoformat(when)) for sha, when, _ in rows]
    if not commits and not git.run("log", "-1", "--format=%H", "--", DATA).strip():
        # e.g. an unpacked archive inside some other repository: that history is not this data's
        return History(False, "data/ 不在所处 git 仓库的历史里（例如解压的压缩包），没有修改历史")
    sha, when = head_line.strip().split("\0")
    out = History(True, head=Commit(sha, dt.datetime.fromisoformat(when)), commits=commits)

    current = working_snapshot(Path(root))
    newest = git.snapshot(sha)
    if current.entries != newest.entries:
        out.dirty = True
        out.changes += diff(newest, current, today, None)
    for commit, row in zip(commits, rows):
        parent = row[2].split()[0] if row[2] else None
        state = git.snapshot(commit.sha)
        before = git.snapshot(parent) if parent else Snapshot({})
        out.changes += diff(before, state, commit.when.date(), commit.sha)
        if parent is None:
            out.complete = True
    out.notes = git.notes
    git.store.save()
    return out
