"""The search index made in a second process while a one-off build makes its pages (kb.searchjob): the
same files as the build's own process writes, and nothing left behind when it fails."""

from __future__ import annotations

import gzip
import io
import json
import pickle
from pathlib import Path

import pytest

from kb import searchjob
from kb.search import entry_docs, page_docs, search_parts, write_search_index

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
    job.hand_over(*search_parts(kb, tmp_path, set(), MATERIAL))
    assert job.written()
    files = _files(tmp_path / "search")
    assert {p: b for p, b in files.items() if not p.endswith(".gz")} == alone and len(alone) > 5
    # and compressed them (kb.precompress), as the build compresses the rest
    packed = {p.removesuffix(".gz"): gzip.decompress(b) for p, b in files.items() if p.endswith(".gz")}
    assert {p for p in alone if len(alone[p]) > 1000} <= set(packed) and all(alone[p] == b for p, b in packed.items())
    assert job._process is None  # gone once it has written
    assert not job.written()  # once


def test_what_the_process_reads_and_writes(kb, alone, tmp_path):
    """kb.searchjob.work on a stream: the entries' documents a list at a time, then the pages' documents,
    the config, the folder and the files beside."""
    from kb.search import index_config, search_help_file

    docs = entry_docs(kb)
    messages = [docs[:7], docs[7:],
                (page_docs(MATERIAL, set()), index_config(kb, MATERIAL), str(tmp_path),
                 search_help_file(kb))]
    out = io.BytesIO()
    searchjob.work(io.BytesIO(b"".join(pickle.dumps(m) for m in messages)), out)
    assert pickle.loads(out.getvalue()) == searchjob.WRITTEN
    assert {p: b for p, b in _files(tmp_path).items() if not p.endswith(".gz")} == alone


def test_a_killed_process_writes_nothing(kb, tmp_path):
    job = searchjob.start(kb)
    job._process.kill()
    job.hand_over(*search_parts(kb, tmp_path, set(), MATERIAL))
    assert not job.written()
    assert not (tmp_path / "search").exists()


def test_a_process_that_fails_writes_nothing(kb, tmp_path):
    """A fault in the process (here: a folder it cannot write) is the build's to make again and show."""
    job = searchjob.start(kb)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be")
    job.hand_over([], {"kb": {}}, blocked / "search", {})
    assert not job.written()


def test_the_build_writes_and_compresses_the_index_itself_when_the_process_did_not(kb, alone, tmp_path):
    """kb.generate.finish_site, with a process that failed: the same files, compressed too."""
    from kb.generate import SiteBuild, finish_site

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text(json.dumps(MATERIAL), encoding="utf-8")
    (site / "page.html").write_text("<p>页面</p>" * 100, encoding="utf-8")
    build = SiteBuild(kb, None, {}, None, [], entry_index=searchjob.start(kb))
    build.entry_index._process.kill()
    finish_site(build, site)
    files = _files(site / "search")
    assert {p: b for p, b in files.items() if not p.endswith(".gz")} == alone
    assert "search_index.json.gz" in files and (site / "page.html.gz").exists()


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
        job.hand_over([], {"kb": {}}, blocked / "search", {})
        assert not job.written()
    assert "made here instead" in caplog.text and "Traceback" in caplog.text


def test_a_build_has_its_index_written_by_the_process(project_root, tmp_path):
    """The byte-for-byte tests (test_build_caches) would pass with a process that always failed: the build
    writes the same files itself. A one-off build says which wrote them (--verbose)."""
    from conftest import build_site

    result = build_site(project_root, tmp_path / "site", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "written by the process beside the build" in result.stderr + result.stdout
    assert "made here instead" not in result.stderr + result.stdout
