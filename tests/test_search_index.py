"""The built search index: one document per entry, in the agents' words, in shards."""

from __future__ import annotations

import json

import pytest

from kb.pages import entry_url


@pytest.fixture(scope="module")
def index(kb):
    """The documents the shards are cut from (titles, keys, text: what the term index is made of)."""
    from kb.search import build_index

    return build_index(kb, {}, set())


@pytest.fixture(scope="module")
def shown(site):
    """What the built site's document shards hold: [location, kind, title, teaser] per document."""
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for n in range(-(-manifest["config"]["kb"]["count"] // manifest["config"]["kb"]["per_shard"]))
            for d in json.loads((site / "search" / "docs" / f"{n}.json").read_text(encoding="utf-8"))]
    assert len(docs) == manifest["config"]["kb"]["count"]
    return docs


def test_the_site_indexes_entries_and_hand_written_pages(shown, kb):
    locations = [d[0] for d in shown]
    for r in kb.records:
        assert locations.count(entry_url(r)) == 1, f"{r.subject}: not exactly one search document"
    pages = [d for d in shown if d[1] == "页面"]
    assert pages and all("<" not in d[2] and "\u200b" not in d[2] for d in pages)  # plain text, not Material's HTML


def test_generated_pages_are_not_indexed_by_heading(shown):
    """Sections like 怎么识别 of a type page are part of the type's document, not results of their own."""
    assert not [d for d in shown if "#signals" in d[0] or "#handling" in d[0]]


def test_swaps_are_found_by_both_sentences(index, kb):
    by_location = {d["location"]: d for d in index["docs"]}
    for r in kb.of_kind("swaps"):
        doc = by_location[entry_url(r)]
        assert r.entry.avoid in doc["keys"] and r.entry.say[0] in doc["keys"]
        assert doc["kind"] == "话术"


def test_a_type_is_named_by_its_signals_labels_and_described_by_their_notes(index, kb):
    """The labels (语速快, 录音、记工号) are what a type is known by: keys. The notes are example sentences
    of a call (“挂机后又来电推翻”): body text, weighed as such; as keys their every word made the types
    outrank the entry a query is about (a moment of the call, a technique)."""
    by_location = {d["location"]: d for d in index["docs"]}
    signals = {r.id: r.entry.title for r in kb.of_kind("signals")}
    notes = 0
    for r in kb.of_kind("types"):
        doc = by_location[entry_url(r)]
        for s in r.entry.signals:
            assert signals[s.signal] in doc["keys"]
            if s.note:
                assert s.note in doc["text"] and s.note not in doc["keys"], (r.id, s.note)
                notes += 1
    assert notes > 10


def test_a_signal_is_described_by_the_notes_its_types_give_it(index, kb):
    """What the caller says or does when a signal shows (the types' notes, “我回去想了想，还是觉得不行”) is
    the moment an agent describes: body text of the signal too, not of the types alone."""
    by_location = {d["location"]: d for d in index["docs"]}
    notes = 0
    for r in kb.of_kind("types"):
        for s in r.entry.signals:
            if s.note:
                assert s.note in by_location[entry_url(kb.by_id[s.signal])]["text"], (r.id, s.signal, s.note)
                notes += 1
    assert notes > 10


def test_a_signals_document_is_made_again_when_a_type_changes_its_note(kb):
    """Serving keeps an entry's document while its inputs are unchanged (kb.carryover): a signal's notes
    come from the types, so they are among the signal's inputs."""
    from kb.search import Steps, _doc_inputs, entry_titles, signal_notes

    titles, steps = entry_titles(kb), Steps(kb)
    notes = signal_notes(kb, titles)
    signal = next(r for r in kb.of_kind("signals") if notes.get(r.id))
    edited = {**notes, signal.id: [*notes[signal.id][:-1], notes[signal.id][-1] + "（改过）"]}
    assert _doc_inputs(signal, kb, titles, steps, edited) != _doc_inputs(signal, kb, titles, steps, notes)


def test_a_signal_is_matched_by_its_label_as_a_title(index, kb):
    """A signal names the moment a query describes (他一接通就嚷): its label is its title, weighed as one
    (it is a key of the types that show it, which come up beside it when a query describes a person)."""
    docs = [d for d in index["docs"] if d["kind"] == "信号"]
    assert len(docs) == len(kb.of_kind("signals"))
    assert {d["title"] for d in docs} == {r.entry.title for r in kb.of_kind("signals")}


def test_every_customer_type_comes_with_its_signals_for_a_person_described(index, kb):
    """The worker lifts a type beside its signals when a query describes a person: the manifest names
    each type's document and its signals' documents, in the order build_index writes them."""
    docs = index["docs"]
    groups = index["config"]["kb"]["persons"]
    assert len(groups) == len(kb.of_kind("types"))
    signals = {entry_url(r): r.entry.title for r in kb.of_kind("signals")}
    for type_doc, *shown in groups:
        assert docs[type_doc]["kind"] == "类型" and shown
        for n in shown:
            assert docs[n]["location"] in signals and docs[n]["title"] in docs[type_doc]["keys"]


def test_every_entry_says_whose_behaviour_it_is_about(index, kb):
    """The worker leans toward the side of a query's subject (客户打断我 / 我打断了客户): the manifest has one
    letter per record's document, c for the customer's types and signals, a for the agent's techniques,
    phrases and swaps, - for the rest; the documents after the records (groups, pages) are past its end."""
    docs, sides = index["docs"], index["config"]["kb"]["sides"]
    assert len(sides) == len(kb.records) < len(docs)
    kinds = {"c": {"类型", "信号"}, "a": {"技巧", "话术"}}
    for n, side in enumerate(sides):
        assert docs[n]["kind"] in kinds[side] if side != "-" else not any(docs[n]["kind"] in k for k in kinds.values())


def test_every_type_and_case_comes_with_the_entries_it_and_they_name_each_other(index, kb):
    """The worker lets a companion of a result above yield a close place: the manifest names each customer
    type and case (hub) with the entries it names that name it back, by document number in build_index's
    order; a hub named back by none of the entries it names has no group."""
    number = {r.id: n for n, r in enumerate(kb.records)}
    groups = index["config"]["kb"]["companions"]
    hubs = {g[0]: g[1:] for g in groups}
    assert len(hubs) == len(groups) and all(kb.records[h].kind in ("types", "scenarios") for h in hubs)
    for hub, members in hubs.items():
        r = kb.records[hub]
        assert members and len(set(members)) == len(members) and hub not in members
        for n in members:
            other = kb.records[n].id
            assert other in kb.graph.refers_to(r.id) and r.id in kb.graph.refers_to(other), (r.id, other)
    # 万事通型客户 and its 案例演练 each with its 话术招式, which names both
    assert number["know-it-all-moves"] in hubs[number["know-it-all"]]
    assert number["know-it-all-moves"] in hubs[number["know-it-all-demands"]]


def test_the_first_and_last_steps_of_the_call_are_named_by_their_position(index, kb):
    """挂电话前 / 最后 / 一开始: an agent asks for a step by where it is in the call."""
    from kb.search import POSITION_WORDS, PROCESS_GROUPS

    by_location = {d["location"]: d for d in index["docs"]}
    for group in PROCESS_GROUPS:
        steps = sorted((r for r in kb.of_kind("techniques") if r.entry.group == group), key=lambda r: r.entry.order)
        assert len(steps) >= 3, group
        syn = [by_location[entry_url(r)]["syn"].split() for r in steps]
        assert set(POSITION_WORDS["first"].split()) <= set(syn[0]), steps[0].id
        assert set(POSITION_WORDS["last"].split()) <= set(syn[-1]), steps[-1].id
        assert not any({"一开始", "结尾"} & set(s) for s in syn[1:-1]), group
    other = [d for d in index["docs"] if d["kind"] != "技巧" and "结尾" in d["syn"].split()]
    assert not other


def test_a_step_of_the_call_is_found_by_what_ends_the_step_before_it(index, kb):
    """客户消气了 (the end of 平息怨气) → also the step after it (its after field: body text, unless the query
    says the step is over): the step named so comes first."""
    import re

    by_location = {d["location"]: d for d in index["docs"]}
    steps = sorted((r for r in kb.of_kind("techniques") if r.entry.group == "五步法"), key=lambda r: r.entry.order)
    for before, step in zip(steps, steps[1:]):
        previous = re.sub(r"^第.步：", "", before.entry.title)
        doc = by_location[entry_url(step)]
        assert previous in doc["after"] and previous not in doc["keys"] + doc["syn"] + doc["syn_body"], step.id
    assert re.sub(r"^第.步：", "", steps[-1].entry.title) not in by_location[entry_url(steps[0])]["after"]


def test_a_group_heading_is_named_by_its_name_and_only_mentions_its_members_synonyms(kb):
    """五步法 is named by the synonyms of 五步法; those of its steps' titles are its text, as the titles are:
    as keys, every step's vocabulary made the heading outrank the step a moment of the call is about."""
    from kb.model import SynonymGroup
    from kb.search import group_docs
    from kb.synonyms import Expansion

    step = next(r for r in kb.of_kind("techniques") if r.entry.group == "五步法")
    synonyms = [SynonymGroup(words=["五步法", "五个步骤"]), SynonymGroup(words=[step.entry.title, "某个说法"])]
    heading = next(d for d in group_docs(kb, Expansion(synonyms)) if d.title == "五步法")
    assert heading.syn.split() == ["五个步骤"]
    assert "某个说法" in heading.syn_body.split() and step.entry.title in heading.text


def test_the_moments_of_a_call_are_searched_as_a_field_of_their_own(kb):
    """什么时候用: the moments an entry is for are their own field (moments), with the words of the synonym
    groups only they reach beside them (syn_moments), and not again as body text, so the bench can take the
    field out whole (weights moments: 0, syn_moments: 0)."""
    from dataclasses import replace

    from kb.model import SynonymGroup
    from kb.search import Steps, entry_doc, entry_titles
    from kb.synonyms import Expansion

    r = kb.of_kind("techniques")[0]
    r = replace(r, entry=r.entry.model_copy(update={"moments": ["甲乙丙丁来了", "戊己庚辛走了"]}))
    expand = Expansion([SynonymGroup(words=["丙丁", "壬癸"]), SynonymGroup(words=[r.entry.title, "子丑"])])
    doc = entry_doc(r, expand, entry_titles(kb), {}, Steps(kb))
    assert doc.moments == "甲乙丙丁来了 戊己庚辛走了"
    assert doc.syn_moments.split() == ["壬癸"]  # 子丑 is reached by the title: it is in syn, once
    assert "子丑" in doc.syn.split() and "壬癸" not in doc.syn
    assert "甲乙" not in doc.text + doc.keys + doc.syn + doc.syn_body


def test_a_type_weighs_its_signals_vocabulary_as_body_text(kb):
    """A signal's label is a key of the types that show it, but the synonyms it reaches are the signal's
    own keys and only the type's body text: the signal, not every type that shows it, is named by them."""
    from kb.model import SynonymGroup
    from kb.search import Steps, entry_doc, entry_titles
    from kb.synonyms import Expansion

    signal_titles = {r.id: r.entry.title for r in kb.of_kind("signals")}
    r = next(t for t in kb.of_kind("types") if t.entry.signals)
    signal = kb.by_id[r.entry.signals[0].signal]
    label = signal.entry.title
    expand = Expansion([SynonymGroup(words=[label, "子丑寅卯"]), SynonymGroup(words=[r.entry.title, "辰巳午未"])])
    doc = entry_doc(r, expand, entry_titles(kb), signal_titles, Steps(kb))
    assert label in doc.keys
    assert "子丑寅卯" in doc.syn_body.split() and "子丑寅卯" not in doc.syn.split()
    assert "辰巳午未" in doc.syn.split()  # the type's own title reaches its group as a key
    shown = entry_doc(signal, expand, entry_titles(kb), signal_titles, Steps(kb))
    assert "子丑寅卯" in shown.syn.split()


def test_every_technique_phrase_and_swap_is_found_by_its_moments(index, kb):
    by_location = {d["location"]: d for d in index["docs"]}
    for kind in ("techniques", "phrases", "swaps"):
        for r in kb.of_kind(kind):
            doc = by_location[entry_url(r)]
            assert r.entry.moments and doc["moments"].split() == r.entry.moments, r.subject


def test_synonyms_reach_the_index(index, kb):
    by_location = {d["location"]: d for d in index["docs"]}
    for group in kb.synonyms:
        users = [d for d in index["docs"] if d["kind"] != "页面"
                 and any(w in d["title"] + " " + d["text"] + " " + d["moments"] for w in group.words)]
        for doc in users:
            # fields joined by a space: a word that spans two fields (a title ending in 客户, a text starting
            # with 第一句) is in neither
            fields = " ".join(doc[f] for f in ("title", "keys", "syn", "text", "syn_body", "moments", "syn_moments"))
            assert all(w in fields for w in group.words), (doc["location"], group.words)
    assert by_location


def test_expansion_reaches_every_group_a_word_of_which_the_text_holds(index, kb):
    """kb.synonyms.Expansion tries a text only against words starting with one of its bigrams: it must
    find what trying every word of every group finds, in the same order."""
    from kb.synonyms import Expansion

    def every_group(text: str) -> list[str]:
        out = []
        for group in kb.synonyms:
            if any(w in text for w in group.words):
                out += [w for w in group.words if w not in text]
        return out

    expand = Expansion(kb.synonyms)
    texts = [d["title"] + " " + d["keys"] + " " + d["text"] for d in index["docs"]]
    assert sum(1 for t in texts if expand(t)) > len(texts) / 2
    assert [expand(t) for t in texts] == [every_group(t) for t in texts]


def test_result_kinds(index, kb):
    kinds = {d["location"]: d["kind"] for d in index["docs"]}
    expected = {"types": "类型", "scenarios": "场景", "legal": "法律", "phrases": "话术"}
    for r in kb.records:
        if r.kind in expected:
            assert kinds[entry_url(r)] == expected[r.kind]


def test_held_out_queries_stay_out_of_the_data(project_root, kb):
    """The held-out and fresh queries measure whether search generalises: none may be written into data/
    (keywords, synonyms, anything) as it is typed."""
    import yaml

    queries = yaml.safe_load((project_root / "tests" / "search-queries.yaml").read_text(encoding="utf-8"))
    assert len(queries["shared"]) == 30 and len(queries["held_out"]) >= 10 and len(queries["fresh_1"]) >= 120
    guarded = [str(q["q"]) for name, items in queries.items() if name == "held_out" or name.startswith("fresh") for q in items]
    data = {p.relative_to(project_root): p.read_text(encoding="utf-8") for p in (project_root / "data").rglob("*.yaml")}
    # a query of 2-3 characters is an ordinary word the entries use (停机, 合同): it must not be a keyword or
    # a synonym word as it stands; a longer one must not appear anywhere
    words = {w: "data/synonyms.yaml" for g in kb.synonyms for w in g.words}
    words.update({k: r.doc.path for r in kb.records for k in r.entry.keywords})
    # keywords that were in the data before fresh_1 was written (commit 8eaf1b9), not copied from it
    before = {"赔钱", "道歉", "承诺", "老客户", "安抚", "倾听", "结束语", "打不出去"}
    # … and before fresh_6 was written (commit b2f0f7b; `git grep` at b2f0f7b~1 finds each in data/): a
    # blind set may use a word the data already had
    before |= {"稍等", "收尾", "息怒", "变卦", "首问", "套近乎", "写字据", "客户要求处分员工"}
    # … and before fresh_7 was written (the data at commit bacede0, which its writer did not read)
    before |= {"骂人", "哭了", "曝光", "掉线", "找领导", "工信部", "没信号", "反悔", "消协"}
    # … and before fresh_8 was written (the data at commit da8dcee, which its writer did not read)
    before |= {"多扣钱", "回访", "认错", "两个客户互相投诉", "漫天要价", "偷开业务"}
    # … and before fresh_9 was written (the data at commit 3458f14, which its writer did not read)
    before |= {"报工号", "误工费", "消气", "合约机", "基站", "起诉"}
    # … and before fresh_10 was written (the data at commit a156c3d, which its writer did not read)
    before |= {"立字据", "方言", "欠费停机"}
    # … and before fresh_11 was written (the data at commit a94a40a, which its writer did not read)
    before |= {"乱收费", "串线", "被停机", "打官司", "态度差", "假一赔十", "包月扣费", "合同丢了"}
    # … and before fresh_12 was written (the data at commit b048f17, the same as at a94a40a, which its writer did not read)
    before |= {"乱扣费", "老用户", "记工号", "客户东一句西一句"}
    # … and before fresh_13 was written (the data at commit 2c8185d, which its writer did not read)
    before |= {"停我机", "登报道歉"}
    leaked = [(q, words[q]) for q in guarded if len(q) <= 3 and q in words and q not in before]
    leaked += [(q, str(path)) for q in guarded if len(q) > 3 and q not in before
               for path, text in data.items() if q in text]
    assert not leaked, f"held-out/fresh queries written into the data (move them to `own`, add fresh ones): {leaked}"


def test_no_search_document_shows_an_id(index, shown, kb):
    """What a result shows (title, teaser, from the document shards) and the text it is found by read as
    text: a reference is the referenced entry's title, never its id or the [[kind:id]] it was written as."""
    import re

    ids = sorted({*kb.by_id, *kb.aliases}, key=len, reverse=True)
    an_id = re.compile(r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9-])")
    values = [(d["location"], d[f]) for d in index["docs"] if d.get("kind") != "页面" for f in ("title", "teaser", "text")]
    values += [(d[0], v) for d in shown if d[1] != "页面" for v in d[2:]]
    assert not [(loc, v) for loc, v in values if "[[" in v], "a [[kind:id]] reference in a search document"
    leaks = [(loc, m.group(1)) for loc, v in values for m in an_id.finditer(v)]
    assert not leaks, f"{len(leaks)} ids shown in search documents, e.g. {leaks[:5]}"


def test_a_reference_reads_as_the_referenced_title(kb):
    from kb.search import _plain, entry_titles

    titles = entry_titles(kb)
    some = kb.records[0]
    assert _plain(f"另见 [[{some.kind[:-1]}:{some.id}]]。", titles) == f"另见 {some.entry.title}。"
    assert _plain(f"[[{some.kind[:-1]}:{some.id}|这一条]]", titles) == "这一条"


def test_the_no_match_view_does_not_grow_with_the_data(kb, monkeypatch):
    """Every page carries the view: past SEARCH_HELP_MAX a group links to the page that lists them all."""
    import kb.search as search

    groups = search.search_help(kb)
    assert [g["label"] for g in groups] == ["按客户类型找", "按投诉分类找"]
    assert all(g["more"] is None and len(g["links"]) == len(kb.of_kind(k)) for g, k in zip(groups, ("types", "categories")))
    monkeypatch.setattr(search, "SEARCH_HELP_MAX", 3)
    types = search.search_help(kb)[0]
    assert [link["path"] for link in types["links"]] == [entry_url(r) for r in kb.of_kind("types")[:3]]
    assert types["more"] == {"title": f"全部 {len(kb.of_kind('types'))} 种客户类型", "path": "types/"}
