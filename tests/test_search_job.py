"""The search index made in a second process while a one-off build makes its pages (kb.searchjob): the
same files as the build's own process writes, and nothing left behind when it fails."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest

from kb import searchjob
from kb.pinyin import syllable_table
from kb.search import entry_docs, page_docs, write_search_index
from kb.shards import character_sounds

MATERIAL = {"config": {"lang": ["zh"]},
            "docs": [{"location": "guide/", "title": "使用说明", "text": "<p>怎么投诉：先找<b>客服</b></p>"}]}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def alone(kb, tmp_path_factory) -> dict[str, bytes]:
    """What the build writes in its own process."""
    site = tmp_path_factory.mktemp("alone")
    write_search_index(kb, site, set(), MATERIAL)
    return _files(site / "search")


def test_the_process_writes_what_the_build_would(kb, alone, tmp_path):
    job = searchjob.start(kb)
    assert job is not None
    # the process writes, the build does not: the index it makes alone would be the same files
    written = []
    write_search_index(kb, tmp_path, set(), MATERIAL,
                       beside=lambda *a: written.append(job.write(*a)) or written[-1])
    assert written == [True]
    assert len(alone) > 5 and _files(tmp_path / "search") == alone
    assert job._process is None  # gone once it has written
    assert not job.write([], {}, tmp_path, {})  # once


def test_what_the_process_reads_and_writes(kb, alone, tmp_path):
    """kb.searchjob.work on a stream: the syllable table, the entries' documents a list at a time, then
    the pages' documents, the config, the folder and the files beside."""
    from kb.search import SEARCH_HELP_FILE, index_config, search_help
    from kb.shards import dump

    docs = entry_docs(kb)
    messages = [character_sounds(syllable_table()), docs[:7], docs[7:],
                (page_docs(MATERIAL, set()), index_config(kb, MATERIAL), str(tmp_path),
                 {SEARCH_HELP_FILE: dump(search_help(kb))})]
    out = io.BytesIO()
    searchjob.work(io.BytesIO(b"".join(pickle.dumps(m) for m in messages)), out)
    assert pickle.loads(out.getvalue()) == searchjob.WRITTEN
    assert _files(tmp_path) == alone


def test_a_killed_process_writes_nothing_and_the_build_writes_it_all(kb, alone, tmp_path):
    job = searchjob.start(kb)
    job._process.kill()
    write_search_index(kb, tmp_path, set(), MATERIAL, beside=job.write)
    assert _files(tmp_path / "search") == alone


def test_a_process_that_fails_writes_nothing_and_the_build_writes_it_all(kb, alone, tmp_path):
    """A fault in the process (here: a folder it cannot write) is the build's to make again and show."""
    job = searchjob.start(kb)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be")
    assert not job.write([], {"kb": {}}, blocked / "search", {})
    write_search_index(kb, tmp_path, set(), MATERIAL, beside=searchjob.start(kb).write)
    assert _files(tmp_path / "search") == alone


def test_a_stopped_build_leaves_no_process(kb):
    job = searchjob.start(kb)
    process = job._process
    job.stop()
    assert process.poll() is not None
    job.stop()  # again: nothing


def test_what_a_failed_process_said_is_logged_for_verbose_builds(kb, tmp_path, caplog):
    job = searchjob.start(kb)
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    with caplog.at_level("DEBUG", logger="mkdocs.hooks.knowledge_base"):
        assert not job.write([], {"kb": {}}, blocked / "search", {})
    assert "made here instead" in caplog.text and "NotADirectoryError" in caplog.text
