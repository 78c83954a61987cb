"""The sharded search index (kb.shards): every token's postings in its shard, every document in a
document shard, shard sizes bounded, and the worker's answers the same however the index is cut."""

from __future__ import annotations

import json
import math

import pytest

from kb import shards
from kb.shards import FIELDS, dump, fnv1a, length_class, postings, shard, tokens


def _doc(n: int, title: str, text: str = "", keys: str = "", syn: str = "") -> dict:
    return {"location": f"e/{n}/", "kind": "场景", "title": title, "teaser": f"第{n}条", "keys": keys,
            "text": text, "syn": syn}


def _absolute(gaps: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for i in range(0, len(gaps), 2):
        doc += gaps[i]
        out.append((doc, gaps[i + 1]))
    return out


@pytest.fixture(scope="module")
def built(kb):
    from kb.search import build_index

    index = build_index(kb, {}, set())
    return index, shard(index)


def test_tokens_are_the_workers_bigrams_characters_and_words():
    assert tokens("停机，5G套餐 停机") == {"u:停": 2, "u:机": 2, "b:停机": 2, "u:套": 1, "u:餐": 1, "b:套餐": 1,
                                       "a:5g": 1}


def test_every_tokens_postings_land_in_its_shard_with_its_counts(built):
    index, files = built
    manifest = files["search_index.json"]["config"]["kb"]
    assert manifest["terms"] > 1 and manifest["count"] == len(index["docs"]) and files["search_index.json"]["docs"] == []
    expected = postings(index["docs"], {c: s for s, cs in manifest["pinyin"].items() for c in cs})
    seen = 0
    for n in range(manifest["terms"]):
        assert files[f"terms/{n}.json"].pop("#") == manifest["terms"]  # what the shard was cut for
        for token, gaps in files[f"terms/{n}.json"].items():
            assert fnv1a(token) % manifest["terms"] == n, token
            assert _absolute(gaps) == list(zip(expected[token][::2], expected[token][1::2])), token
            seen += 1
    assert seen == len(expected)
    # the counts are those of each field, four bits each (title, keys, syn, text, syn_body)
    doc = index["docs"][0]
    token = next(iter(tokens(doc["title"])))
    packed = dict(_absolute(files[f"terms/{fnv1a(token) % manifest['terms']}.json"][token]))[0]
    assert [(packed >> (4 * i)) & 15 for i in range(len(FIELDS))] == [min(tokens(doc[f])[token], 15) for f in FIELDS]
    assert packed >> 4 * len(FIELDS) == 0


def test_the_manifest_holds_every_bodys_length_class_and_their_mean(built):
    # the worker's length normalisation: one hex digit per document, in document order
    index, files = built
    manifest = files["search_index.json"]["config"]["kb"]
    bodies = [length_class(d) for d in index["docs"]]
    assert manifest["lengths"] == "".join(format(b, "x") for b in bodies) and len(set(bodies)) > 3
    doc = index["docs"][0]
    assert bodies[0] == round(math.log2(1 + len(doc["text"]) + len(doc["syn_body"])))
    assert manifest["body"] == pytest.approx(sum(2 ** b for b in bodies) / len(bodies), abs=0.1)


def test_document_shards_hold_every_document_in_order(built):
    index, files = built
    per = files["search_index.json"]["config"]["kb"]["per_shard"]
    held = [d for n in range(-(-len(index["docs"]) // per)) for d in files[f"docs/{n}.json"]]
    assert held == [[d["location"], d["kind"], d["title"], d["teaser"]] for d in index["docs"]]


def test_shard_sizes_are_bounded(built):
    """No term shard much above the aim (one very common character may make one bigger), and the manifest
    is small: the browser fetches it before the first result."""
    _, files = built
    sizes = [len(dump(v)) for p, v in files.items() if p.startswith("terms/")]
    assert max(sizes) < 3 * shards.TERM_SHARD_BYTES and sum(sizes) / len(sizes) < 1.5 * shards.TERM_SHARD_BYTES
    assert len(dump(files["search_index.json"])) < 40_000  # mostly the syllable table
    assert max(len(dump(v)) for p, v in files.items() if p.startswith("docs/")) < 40_000


def test_the_build_is_linear_in_the_documents():
    """Twice the documents, about twice the shards: the shard count follows the size of the postings."""
    docs = [_doc(n, f"第{n}号场景标题", text="客户反映" + "信号差网速慢停机欠费"[n % 7:] + str(n)) for n in range(400)]
    small, large = shard({"docs": docs[:200]}), shard({"docs": docs})
    ratio = large["search_index.json"]["config"]["kb"]["terms"] / small["search_index.json"]["config"]["kb"]["terms"]
    assert 1.5 <= ratio <= 2.5


def test_an_earlier_builds_shards_do_not_linger(tmp_path):
    shards.write_shards({"docs": [_doc(n, "停机") for n in range(120)]}, tmp_path)
    before = {p.name for p in (tmp_path / "docs").iterdir()}
    shards.write_shards({"docs": [_doc(0, "停机")]}, tmp_path)
    assert {p.name for p in (tmp_path / "docs").iterdir()} == {"0.json"} != before
    assert json.loads((tmp_path / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"]["count"] == 1


def test_a_quick_rebuild_writes_only_the_shards_whose_bytes_changed(tmp_path):
    """``written`` (kb.quickbuild): a shard the build before wrote with the same bytes is left as it is."""
    written: dict = {}
    docs = [_doc(n, "停机" if n % 2 else "扣费") for n in range(120)]
    shards.write_shards({"docs": docs}, tmp_path, written)
    files = sorted(tmp_path.rglob("*.json"))
    assert set(written) == {str(p.relative_to(tmp_path)) for p in files}
    for p in files:
        p.write_bytes(b"stale")  # what a second write would replace
    docs[5] = _doc(5, "携号转网")
    shards.write_shards({"docs": docs}, tmp_path, written)
    rewritten = {str(p.relative_to(tmp_path)) for p in files if p.read_bytes() != b"stale"}
    assert "docs/0.json" in rewritten and "search_index.json" in rewritten  # the changed document, the version
    untouched = {str(p.relative_to(tmp_path)) for p in files} - rewritten
    assert untouched and all(f.startswith("docs/") for f in untouched)  # the other documents' shards
    fresh = tmp_path / "fresh"
    shards.write_shards({"docs": docs}, fresh)
    assert all((tmp_path / f).read_bytes() == (fresh / f).read_bytes() for f in rewritten)


def test_nothing_keeps_a_text_s_tokens_once_its_document_is_packed():
    """While serving, a document's packed tokens are carried between rebuilds (kb.carryover); a cache of
    tokenised texts beside them (an lru_cache of 2,048 texts) grew a serving process by about 1.7 MB a save
    at ×10, as the long bodies an edit re-counted took the places of short titles."""
    import gc
    import weakref

    counted = tokens("客户说要投诉到工信部，" * 50)
    kept = weakref.ref(counted)
    shards._packed({"text": "客户说要投诉到工信部，" * 50, "title": "投诉到工信部"}, {})
    del counted
    gc.collect()
    assert kept() is None


def test_while_serving_each_file_is_replaced_in_one_step_the_manifest_after_the_shards(tmp_path, monkeypatch):
    """A quick rebuild writes its index while the browser reloads (kb.sidefiles): every file is written
    beside its place and renamed over it, the manifest after every shard it names, and shards of a larger
    index removed only after the manifest that no longer names them; a failure leaves no scratch file."""
    from kb import replacefile

    written: dict = {}
    shards.write_shards({"docs": [_doc(n, "停机" if n % 2 else "扣费") for n in range(120)]}, tmp_path, written)
    order = []

    def replace(target, write):
        order.append((str(target.relative_to(tmp_path)), (tmp_path / "docs" / "2.json").exists()))
        replacefile.replace_file(target, write)

    monkeypatch.setattr(shards, "replace_file", replace)
    shards.write_shards({"docs": [_doc(n, "携号转网") for n in range(60)]}, tmp_path, written)
    assert order[-1] == ("search_index.json", True) and len(order) > 2  # docs/2.json still there meanwhile
    assert not (tmp_path / "docs" / "2.json").exists()
    assert not list(tmp_path.rglob("*.tmp"))

    def half_then_full(scratch):
        scratch.write_bytes(b"{")
        raise OSError(28, "No space left on device")

    before = (tmp_path / "search_index.json").read_bytes()
    with pytest.raises(OSError):
        replacefile.replace_file(tmp_path / "search_index.json", half_then_full)
    assert (tmp_path / "search_index.json").read_bytes() == before and not list(tmp_path.rglob("*.tmp"))


def test_a_manifest_marked_as_being_written_is_always_written_again(tmp_path):
    """kb.shards.mark_updating: the manifest says the index is being written; the next write_shards writes
    it unmarked even when the index is the same (its hash from before no longer stands for the file)."""
    written: dict = {}
    index = {"docs": [_doc(n, "停机") for n in range(10)]}
    shards.write_shards(index, tmp_path, written)
    unmarked = (tmp_path / "search_index.json").read_bytes()
    shards.mark_updating(tmp_path, written)
    assert json.loads((tmp_path / "search_index.json").read_bytes())["config"]["kb"][shards.UPDATING] is True
    shards.write_shards(index, tmp_path, written)
    assert (tmp_path / "search_index.json").read_bytes() == unmarked
