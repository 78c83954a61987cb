"""References both ways, on the small valid project in tests/good/graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import load_knowledge

GRAPH = Path(__file__).resolve().parent / "good" / "graph"


@pytest.fixture(scope="module")
def small_kb():
    return load_knowledge(GRAPH)


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_backlinks_from_list_fields(small_kb):
    # backlinks come in the order of the knowledge base: kinds as in model.KINDS (types before scenarios)
    assert ids(small_kb.backlinks("billing")) == ["double-charge"]  # a single-id field (category)
    assert ids(small_kb.backlinks("understand-anger")) == ["emotional", "double-charge"]


def test_backlinks_from_inline_references_in_prose(small_kb):
    assert ids(small_kb.backlinks("double-refund")) == ["double-charge"]  # [[legal:double-refund]] in situation
    assert ids(small_kb.backlinks("double-charge")) == ["intro"]  # [[scenario:double-charge]] in body


def test_backlinks_mix_both_and_name_each_entry_once(small_kb):
    # rational: inline in the phrase's `when`; inline *and* in `types` of the scenario (listed once)
    assert ids(small_kb.backlinks("rational")) == ["understand-anger", "double-charge"]
    # emotional: `types` of the phrase and the scenario, and [[type:emotional|…]] in the topic
    assert ids(small_kb.backlinks("emotional")) == ["understand-anger", "double-charge", "intro"]


def test_refers_to_keeps_the_order_written(small_kb):
    # fields in model order: category, situation (two inline references), types, phrases
    assert small_kb.graph.refers_to("double-charge") == [
        "billing", "double-refund", "rational", "emotional", "understand-anger"]
    assert ids(small_kb.links("intro")) == ["double-charge", "emotional"]


def test_references_say_where_and_how_they_were_written(small_kb):
    refs = {(r.source, r.target, r.field, r.inline) for r in small_kb.graph.references}
    assert ("double-charge", "rational", "situation", True) in refs
    assert ("double-charge", "rational", "types", False) in refs
    assert ("intro", "emotional", "body", True) in refs


def test_unmentioned_and_unmentioning_entries(small_kb):
    assert small_kb.backlinks("intro") == []
    assert small_kb.graph.refers_to("billing") == []


def test_kind_source_and_backlink_questions_do_not_scan_every_entry(kb):
    """Templates ask these on every page: answered from indexes, so the build stays linear."""
    from dataclasses import replace

    class NoScan(list):
        def __iter__(self):
            raise AssertionError("scanned every entry")

    indexed = replace(kb)  # indexes built from the records as loaded
    indexed.records = NoScan(kb.records)
    assert [r.id for r in indexed.of_kind("types")] == [r.id for r in kb.records if r.kind == "types"]
    key = kb.records[0].entry.sources[0]
    assert [r.id for r in indexed.from_source(key)] == [r.id for r in kb.records if key in r.entry.sources]
    assert indexed.backlinks("grenade") == kb.backlinks("grenade")
    indexed.of_kind("types").clear()  # a caller's list is its own
    assert indexed.of_kind("types")


def test_backlinks_are_deduplicated_in_the_order_written():
    from kb.graph import Graph, Reference

    refs = [Reference("a", "f", "hub", False), Reference("b", "f", "hub", True), Reference("a", "g", "hub", True),
            Reference("hub", "f", "hub", True), Reference("a", "f", "b", False)]
    graph = Graph(refs)
    assert graph.referred_by("hub") == ["a", "b"]
    assert graph.refers_to("a") == ["hub", "b"]
    assert graph.refers_to("hub") == ["hub"]
