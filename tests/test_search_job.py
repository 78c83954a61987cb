"""The entries' search postings made in a second process while a one-off build makes its pages
(kb.searchjob): the same as made in the build's own process, and nothing left behind when it fails."""

from __future__ import annotations

import io
import pickle

import pytest

from kb import searchjob
from kb.pinyin import syllable_table
from kb.search import entry_docs, page_docs, write_search_index
from kb.shards import character_sounds, corpus


@pytest.fixture(scope="module")
def expected(kb):
    return corpus(entry_docs(kb), character_sounds(syllable_table()))


def test_the_process_makes_what_the_build_would(kb, expected):
    job = searchjob.start(kb)
    assert job is not None
    made = job.result()
    assert made is not None
    assert made.rows == expected.rows and made.lengths == expected.lengths
    assert list(made.posted) == list(expected.posted)  # the tokens' order is the term shards' order
    assert made.posted == expected.posted
    assert job.result() is None  # once: the process is gone


def test_what_the_process_reads_and_writes(kb, expected):
    """kb.searchjob.work on a stream: the syllable table, documents a chunk at a time, then its Corpus."""
    docs = entry_docs(kb)
    source = io.BytesIO(pickle.dumps(character_sounds(syllable_table())) + pickle.dumps(docs[:7]) + pickle.dumps(docs[7:]))
    out = io.BytesIO()
    searchjob.work(source, out)
    status, made = pickle.loads(out.getvalue())
    assert status == "made" and made.posted == expected.posted and made.rows == expected.rows


def test_a_killed_process_makes_nothing_and_the_build_makes_the_same_index(kb, tmp_path):
    material = {"config": {"lang": ["zh"]}, "docs": [{"location": "guide/", "title": "使用说明", "text": "<p>怎么投诉</p>"}]}
    write_search_index(kb, tmp_path / "alone", set(), material)
    job = searchjob.start(kb)
    job._process.kill()
    assert job.result() is None
    job = searchjob.start(kb)
    write_search_index(kb, tmp_path / "beside", set(), material, entries=job.result())
    alone = {p.relative_to(tmp_path / "alone"): p.read_bytes() for p in (tmp_path / "alone").rglob("*.json")}
    beside = {p.relative_to(tmp_path / "beside"): p.read_bytes() for p in (tmp_path / "beside").rglob("*.json")}
    assert len(alone) > 3 and alone == beside  # the hand-written page's section is in both
    assert any(d["location"] == "guide/" for d in page_docs(material, set()))


def test_a_stopped_build_leaves_no_process(kb):
    job = searchjob.start(kb)
    process = job._process
    job.stop()
    assert process.poll() is not None
    job.stop()  # again: nothing
    assert job.result() is None
