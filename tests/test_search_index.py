"""The built search index: segmented, one document per entry, in the agents' words."""

from __future__ import annotations

import json

import pytest

from kb.pages import entry_url


@pytest.fixture(scope="module")
def index(site):
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_index_is_segmented_by_jieba(site):
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u200b" in raw or "\u200b" in raw, "no jieba segmentation in the index: is jieba installed?"


def test_one_document_per_entry(index, kb):
    locations = [d["location"] for d in index["docs"]]
    for r in kb.records:
        assert locations.count(entry_url(r)) == 1, f"{r.subject}: not exactly one search document"


def test_generated_pages_are_not_indexed_by_heading(index):
    """Sections like 怎么识别 of a type page are part of the type's document, not results of their own."""
    assert not [d for d in index["docs"] if "#signals" in d["location"] or "#handling" in d["location"]]


def test_swaps_are_found_by_both_sentences(index, kb):
    by_location = {d["location"]: d for d in index["docs"]}
    for r in kb.of_kind("swaps"):
        doc = by_location[entry_url(r)]
        assert r.entry.avoid in doc["keys"] and r.entry.say[0] in doc["keys"]
        assert doc["kind"] == "话术"


def test_synonyms_reach_the_index(index, kb):
    by_location = {d["location"]: d for d in index["docs"]}
    for group in kb.synonyms:
        users = [d for d in index["docs"] if d["kind"] != "页面"
                 and any(w in d["title"] + d["text"] for w in group.words)]
        for doc in users:
            assert all(w in doc["title"] + doc["keys"] + doc["text"] for w in group.words), (doc["location"], group.words)
    assert by_location


def test_result_kinds(index, kb):
    kinds = {d["location"]: d["kind"] for d in index["docs"]}
    expected = {"types": "类型", "scenarios": "场景", "legal": "法律", "phrases": "话术"}
    for r in kb.records:
        if r.kind in expected:
            assert kinds[entry_url(r)] == expected[r.kind]


def test_held_out_queries_stay_out_of_the_data(project_root):
    """The held-out queries measure whether search generalises: none may be written into data/ as it is."""
    import yaml

    queries = yaml.safe_load((project_root / "tests" / "search-queries.yaml").read_text(encoding="utf-8"))
    assert len(queries["shared"]) == 30 and len(queries["held_out"]) >= 10
    data = {p.relative_to(project_root): p.read_text(encoding="utf-8") for p in (project_root / "data").rglob("*.yaml")}
    leaked = [(q["q"], str(path)) for q in queries["held_out"] for path, text in data.items() if str(q["q"]) in text]
    assert not leaked, f"held-out queries written into the data (move them to `own`, add fresh ones): {leaked}"
