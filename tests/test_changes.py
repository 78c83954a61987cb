"""What changed, from git history, compared entry by entry: in small throwaway repositories."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from kb.changes import history
from kb.settings import ChangesSettings

TODAY = dt.date(2030, 1, 1)


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.n = 0
        self.git("init", "-q")

    def git(self, *args: str, date: str = "2026-11-01T10:00:00+00:00") -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True)

    def write(self, path: str, text: str) -> None:
        p = self.root / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def commit(self, day: str, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=f"{day}T10:00:00+00:00")


def entry(entry_id: str, title: str, extra: str = "") -> str:
    return f"- id: {entry_id}\n  title: {title}\n{extra}"


@pytest.fixture
def repo(tmp_path) -> Repo:
    r = Repo(tmp_path)
    r.write("data/types/a.yaml", entry("calm", "冷静型") + entry("angry", "愤怒型"))
    r.write("data/sources.yaml", "- key: s\n")
    r.commit("2026-11-01", "first")
    return r


def changes(repo: Repo, **settings) -> list[tuple[str, str, str]]:
    h = history(repo.root, ChangesSettings(since_days=None, **settings), TODAY)
    assert h.available, h.reason
    return [(c.day.isoformat(), c.what, c.id) for c in h.changes]


def test_first_commit_adds_every_entry(repo):
    assert changes(repo) == [("2026-11-01", "added", "angry"), ("2026-11-01", "added", "calm")]


def test_an_entry_moved_to_another_file_is_no_change_but_an_edit_is(repo):
    repo.write("data/types/a.yaml", entry("calm", "冷静型"))
    repo.write("data/types/b.yaml", entry("angry", "愤怒型"))  # moved, unchanged
    repo.commit("2026-11-05", "split the file")
    repo.write("data/types/b.yaml", entry("angry", "愤怒型", "  order: 2\n"))
    repo.commit("2026-11-09", "edit")
    assert changes(repo)[:1] == [("2026-11-09", "changed", "angry")]
    assert [c for c in changes(repo) if c[0] == "2026-11-05"] == []


def test_rename_with_alias_is_one_rename_and_removal_is_a_removal(repo):
    repo.write("data/types/a.yaml", entry("serene", "冷静型", "  aliases: [calm]\n"))
    repo.commit("2026-11-07")
    h = history(repo.root, ChangesSettings(since_days=None), TODAY)
    rename = h.changes[0]
    assert (rename.what, rename.id, rename.old_id) == ("renamed", "serene", "calm")
    assert [c.what for c in h.changes if c.day == dt.date(2026, 11, 7)] == ["renamed", "removed"]
    assert [c.id for c in h.changes if c.what == "removed"] == ["angry"]


def test_the_working_copy_counts_as_not_committed_yet(repo):
    repo.write("data/types/a.yaml", entry("calm", "冷静型（改）") + entry("angry", "愤怒型"))
    h = history(repo.root, ChangesSettings(since_days=None), TODAY)
    assert h.dirty and (h.changes[0].what, h.changes[0].id, h.changes[0].commit, h.changes[0].day) == ("changed", "calm", None, TODAY)
    assert h.last_changed()["calm"].commit is None


def test_files_outside_the_kind_folders_and_unparsable_versions_are_ignored(repo):
    repo.write("data/sources.yaml", "- key: s2\n")
    repo.write("notes.yaml", entry("calm", "别处"))
    repo.commit("2026-11-08")
    assert changes(repo)[0][0] == "2026-11-01"


def test_the_cost_is_bounded_by_the_number_of_commits(repo):
    for day in range(2, 8):
        repo.write("data/types/a.yaml", entry("calm", f"冷静型{day}") + entry("angry", "愤怒型"))
        repo.commit(f"2026-11-0{day}")
    h = history(repo.root, ChangesSettings(max_commits=3, since_days=None), TODAY)
    assert len(h.commits) == 3 and not h.complete
    assert [c.day.day for c in h.changes] == [7, 6, 5]
    assert h.oldest == dt.date(2026, 11, 5)
    full = history(repo.root, ChangesSettings(since_days=None), TODAY)
    assert full.complete and full.last_changed()["angry"].day == dt.date(2026, 11, 1)


def test_a_project_in_a_subfolder_of_the_repository(tmp_path):
    repo = Repo(tmp_path)
    repo.write("branches/east/data/types/a.yaml", entry("calm", "冷静型"))
    repo.write("data/types/a.yaml", entry("other", "根目录的条目"))
    repo.commit("2026-11-03")
    h = history(tmp_path / "branches" / "east", ChangesSettings(since_days=None), TODAY)
    assert [(c.what, c.id) for c in h.changes] == [("added", "calm")]


def test_no_git_repository_means_no_history_not_an_error(tmp_path):
    (tmp_path / "data" / "types").mkdir(parents=True)
    (tmp_path / "data" / "types" / "a.yaml").write_text(entry("calm", "冷静型"), encoding="utf-8")
    h = history(tmp_path, ChangesSettings(), TODAY)
    assert not h.available and "git" in h.reason and h.changes == []


def test_data_never_committed_in_the_surrounding_repository_is_no_history(tmp_path):
    repo = Repo(tmp_path)
    repo.write("README", "x")
    repo.commit("2026-11-03")
    repo.write("unpacked/data/types/a.yaml", entry("calm", "冷静型"))  # an archive unpacked inside it
    for settings in (ChangesSettings(since_days=None), ChangesSettings(since_days=30)):
        h = history(tmp_path / "unpacked", settings, TODAY)
        assert not h.available and h.changes == []


def test_the_history_reads_data_files_by_the_loaders_rule():
    """data/<kind>/<any folders>/<file>.yaml is an entry file for the loader, so for the history too."""
    from kb.changes import _kind_of

    assert _kind_of("data/types/temperament.yaml") == "types"
    assert _kind_of("data/types/more/extra.yml") == "types"
    assert _kind_of("data/synonyms.yaml") is None and _kind_of("data/nokind/x.yaml") is None
    assert _kind_of("docs/types/x.yaml") is None


def _alias_bomb(levels: int = 6) -> str:
    """Entry 'calm' whose field holds ``9**levels`` copies of a word when every alias is written out."""
    lines = ["- id: calm", "  title: 冷静型", '  b0: &b0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("bad, says", [
    (_alias_bomb(), "别名"),
    (entry("calm", "冷静型", "  aliases: 5\n"), None),  # read as written: no TypeError
    ("- id: calm\n  title: 冷静型\n  deep: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested|嵌套"),
    ("- id: calm\n  title: &t 冷静型\n  x: &r [*r]\n", None),  # a value that contains itself
])
def test_a_bad_commit_then_a_fix_is_read_with_the_loaders_limits(repo, bad, says):
    """An old version of a data file is read like the working tree (kb.load): a version the loader
    refuses is skipped with one located note, never expanded without bound, never a traceback."""
    repo.write("data/types/a.yaml", bad + entry("angry", "愤怒型"))
    repo.commit("2026-11-02", "bad")
    repo.write("data/types/a.yaml", entry("calm", "冷静型") + entry("angry", "愤怒型"))
    repo.commit("2026-11-03", "fixed")
    h = history(repo.root, ChangesSettings(since_days=None), TODAY)
    assert h.available
    if says is None:
        assert h.notes == []
        assert ("2026-11-02", "changed", "calm") in [(c.day.isoformat(), c.what, c.id) for c in h.changes]
        return
    assert len(h.notes) == 1, h.notes
    note = h.notes[0]
    assert re.match(r"data/types/a\.yaml:\d+:\d+: ", note) and re.search(says, note) and h.commits[1].sha[:10] in note, note
    assert len(note) < 300
    # which entries the skipped version held is unknown: none of its kind shows as removed, then added again
    assert [(c.day.isoformat(), c.what, c.id) for c in h.changes] == [("2026-11-01", "added", "angry"),
                                                                      ("2026-11-01", "added", "calm")]


def test_a_later_build_reads_the_history_kept_by_the_one_before_and_finds_the_same(repo, monkeypatch):
    """kb.historystore: the compared commits' trees and parsed file versions are kept in .cache/; a new
    process reads them from there instead of asking git again, with the same changes and notes."""
    import kb.changes as changes_module

    repo.write("data/types/a.yaml", entry("calm", "冷静型") + "- id: [broken\n")  # a version not readable
    repo.commit("2026-11-02")
    repo.write("data/types/a.yaml", entry("calm", "冷静的") + entry("angry", "愤怒型"))
    repo.commit("2026-11-03")
    settings = ChangesSettings(since_days=None)
    first = history(repo.root, settings, TODAY)
    assert first.notes and first.changes
    assert list((repo.root / ".cache").glob("history-*.json"))
    changes_module._COMMITTED.clear()  # what a new process starts with
    asked = []
    run = changes_module._Git.run
    monkeypatch.setattr(changes_module._Git, "run", lambda self, *args, **kw: asked.append(args[0]) or run(self, *args, **kw))
    again = history(repo.root, settings, TODAY)
    assert (again.changes, again.notes, again.dirty) == (first.changes, first.notes, first.dirty)
    assert "ls-tree" not in asked and "cat-file" not in asked, asked
