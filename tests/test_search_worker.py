"""Query processing of the search worker (docs/assets/javascripts/kb-search-worker.js), run in Node.

The worker is loaded as the browser loads it, with its message interface: SETUP with a small index,
then QUERY; each test reads what RESULT holds. Node stands in for the browser's worker global.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts" / "kb-search-worker.js"
NODE = shutil.which("node") or shutil.which("nodejs")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

HARNESS = """
const fs = require("fs");
const path = require("path");
let handler = null;
let waiting = null;
const fetched = [];
globalThis.addEventListener = (type, fn) => { handler = fn; };
globalThis.postMessage = (message) => { if (message.type === 3) waiting(message); };
// the site's files, as the browser would fetch them: the worker sits in site/assets/javascripts/
const site = process.argv[2];
globalThis.location = { href: "file://" + path.join(site, "assets", "javascripts", "kb-search-worker.js") };
globalThis.fetch = async (url) => {
  const file = decodeURIComponent(new URL(url).pathname);
  fetched.push(path.relative(site, file));
  const body = fs.readFileSync(file, "utf8");
  return { ok: true, status: 200, json: async () => JSON.parse(body) };
};
eval(fs.readFileSync(process.argv[1], "utf8"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  // SETUP with the manifest Material fetched when the page loaded: the site's, or an older one (input.setup)
  const manifest = input.setup || JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
  handler({ data: { type: 0, data: manifest } });
  const answers = [];
  for (const q of input.queries) {
    const result = await new Promise(resolve => { waiting = resolve; handler({ data: { type: 2, data: q } }); });
    answers.push(result.data.items.map(group => group[0]).map(item => ({
      location: item.location, title: item.title, weak: item.title.includes("kb-weak-match") })));
  }
  process.stdout.write(JSON.stringify({ answers, fetched }));
})();
"""


def doc(location: str, title: str, keys: str = "", text: str = "", syn: str = "") -> dict:
    return {"location": location, "title": title, "kind": "类型", "teaser": "", "keys": keys, "text": text,
            "syn": syn}


INDEX = {"config": {"kb": {"strip": True}}, "docs": [
    doc("types/grenade/", "手榴弹型客户", keys="脾气暴躁 一点就炸", text="说话冲，容易发火"),
    doc("legal/#suspension-notice", "停机提醒短信", text="停机前应当提醒客户", syn="欠费停机 被停机"),
    doc("legal/#double-refund", "双倍返还", text="企业承诺，不是法定义务"),
    doc("types/rational/", "理性型客户", text="说话有条理"),
]}


def run_worker(queries, index: dict, tmp: Path, setup: dict | None = None) -> dict:
    """The worker's answers to ``queries`` over ``index`` (documents and config as kb.search.build_index
    returns them), served as shards from a site folder the way kb.shards writes them (``setup``: the
    manifest the page hands the worker, when not the one written)."""
    from kb.shards import write_shards

    site = tmp / "site"
    write_shards(index, site / "search")
    run = subprocess.run([NODE, "-e", HARNESS, str(WORKER), str(site)],
                         input=json.dumps({"queries": list(queries), "setup": setup}),
                         capture_output=True, text=True, timeout=30, check=True)
    return json.loads(run.stdout)


def search(*queries: str, index: dict = INDEX) -> list[list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        return run_worker(queries, index, Path(tmp))["answers"]


def first(results: list[dict]) -> str | None:
    return results[0]["location"] if results else None


def test_question_words_and_fillers_are_not_what_a_query_is_about():
    # without stripping, 怎么办/是不是/客户 weigh as much as the words that matter
    for query in ["客户被停机了怎么办", "是不是要停机提醒", "凭什么停机"]:
        assert first(search(query)[0]) == "legal/#suspension-notice", query


def test_colloquial_question_words_and_habits_of_speech_are_stripped_longest_first():
    # 咋整 (怎么办 in the north), 老是, 可不可以 (not cut as 可不 + 可以): without stripping they leave most
    # of the query unmatched and the right entry reads as a weak match
    off = {**INDEX, "config": {"kb": {"strip": False}}}
    for query in ["老是被停机咋整", "可不可以双倍返还"]:
        stripped, plain = search(query)[0], search(query, index=off)[0]
        assert first(stripped) in ("legal/#suspension-notice", "legal/#double-refund"), query
        assert not stripped[0]["weak"] and plain[0]["weak"], query


def test_a_query_of_fillers_only_is_searched_as_typed():
    assert search("怎么办")[0] == []  # nothing is about 怎么办: no result, not everything


def test_a_filler_stays_as_a_weak_term_with_its_neighbours():
    # 我们 and 了 are fillers, but 是我们这边搞错了 is about our mistake: the pairs a filler makes with itself and
    # its neighbours (我们, 们这, 错了) weigh a little, and put the entry that holds them first; switched off
    # (filler: 0, the bench's ablation), the two entries tie on 搞错 and the first in the index wins
    index = {"config": {"kb": {}}, "docs": [
        doc("swaps/you-got-it-wrong/", "您搞错了"),
        doc("signals/our-fault/", "我方确有差错", keys="我们这边搞错了"),
    ]}
    assert first(search("是我们这边搞错了", index=index)[0]) == "signals/our-fault/"
    off = {**index, "config": {"kb": {"filler": 0}}}
    assert first(search("是我们这边搞错了", index=off)[0]) == "swaps/you-got-it-wrong/"


def test_a_filler_alone_finds_nothing_and_is_not_highlighted():
    # 我们 is weak: an entry that holds only the filler is no result; and 客户, in every title, is not marked
    index = {"config": {"kb": {}}, "docs": [doc("a/", "我们的服务"), doc("types/grenade/", "手榴弹型客户")]}
    assert search("我们的飞机", index=index)[0] == []
    title = search("手榴弹客户", index=index)[0][0]["title"]
    assert "<mark>手榴弹</mark>" in title and "<mark>客户" not in title and "客户</mark>" not in title


def test_stripping_can_be_switched_off_in_the_index_config():
    off = {**INDEX, "config": {"kb": {"strip": False}}}
    stripped, plain = search("手榴弹客户该怎么办是不是")[0], search("手榴弹客户该怎么办是不是", index=off)[0]
    assert first(stripped) == first(plain) == "types/grenade/"
    assert not stripped[0]["weak"] and plain[0]["weak"]  # the fillers outweigh the words that matter


def test_a_not_at_the_front_does_not_find_what_it_negates():
    # 不客气 is rude, not 客客气气: the pairs and characters of X in a 不X at the front of the query (or after a
    # filler: 客户不客气…) count only in an entry that holds 不X too
    index = {"config": {"kb": {}}, "docs": [
        doc("types/expectant/", "为了某种期待", keys="说话客客气气"),
        doc("types/grenade/", "手榴弹型客户", keys="说话不客气 嗓门大"),
    ]}
    rude, polite, customer = search("不客气的", "客客气气", "客户不客气", index=index)
    assert [r["location"] for r in rude] == [r["location"] for r in customer] == ["types/grenade/"]
    assert first(polite) == "types/expectant/"
    off = search("不客气的", index={**index, "config": {"kb": {"negation": False}}})[0]
    assert "types/expectant/" in [r["location"] for r in off]
    # 不 inside a run (听不清, 插不进去) is no negation of what follows: 清 still counts alone
    index = {"config": {"kb": {}}, "docs": [doc("a/", "说话的技巧", keys="讲清楚")]}
    assert first(search("听不清", index=index)[0]) == "a/" and search("不清", index=index)[0] == []


def test_in_a_but_query_what_follows_the_but_weighs_more():
    # 火气很大但说得在理: the caller is upset, but the point is that he is right; 但 itself is no word to find.
    # Switched off (but: 1), the two entries tie and the first in the index comes first
    index = {"config": {"kb": {}}, "docs": [
        doc("signals/angry/", "信号甲", keys="火气很大"),
        doc("signals/angry-but-reasoned/", "信号乙", keys="说得在理"),
    ]}
    for query in ("火气很大但说得在理", "火气很大可是说得在理", "火气很大但是说得在理"):
        assert first(search(query, index=index)[0]) == "signals/angry-but-reasoned/", query
    off = {**index, "config": {"kb": {"but": 1}}}
    assert first(search("火气很大但说得在理", index=off)[0]) == "signals/angry/"
    # 不但 is no turn: nothing after it weighs more
    assert first(search("火气很大不但说得在理", index=index)[0]) == "signals/angry/"


def test_the_subject_of_the_query_leans_toward_its_side():
    # 客户打断我 is what the customer does (a signal), 我打断了客户 what the agent does (a technique); both match
    # 打断 alike, and the side of the query's subject (manifest sides: c, a) weighs more
    index = {"config": {"kb": {"sides": "ac"}}, "docs": [
        doc("techniques/interruption/", "打断法", keys="打断"),
        doc("signals/wont-listen/", "打断坐席", keys="打断"),
    ]}
    customer, agent, speech, caller = search("客户打断我", "我打断了客户", "客户说我打断他", "我打断你们了吗", index=index)
    assert first(customer) == "signals/wont-listen/" and first(agent) == "techniques/interruption/"
    # reported speech quotes the customer, and 我…你们 is the caller's own words: no side, the index's order
    assert first(speech) == first(caller) == "techniques/interruption/"
    off = {**index, "config": {"kb": {"sides": "ac", "subject": 1}}}
    assert first(search("客户打断我", index=off)[0]) == "techniques/interruption/"
    # without sides in the manifest (an index of before), no side
    assert first(search("客户打断我", index={**index, "config": {"kb": {}}})[0]) == "techniques/interruption/"


def test_synonyms_of_an_entry_find_it():
    assert first(search("被停机")[0]) == "legal/#suspension-notice"


def test_a_synonym_weighs_what_the_word_it_stands_for_weighs():
    # two entries reached by 打回去 through the group of 回访: the one named 回访 comes first, the one whose
    # body only mentions it after (syn_body is weighed as body text)
    index = {"config": {"kb": {}}, "docs": [
        {**doc("a/", "客户扬言曝光", text="十天后回访时客户仍不满意"), "syn_body": "打回去 回拨"},
        {**doc("b/", "抽查回访阶段", syn="打回去 回拨"), "syn_body": ""},
    ]}
    assert [r["location"] for r in search("打回去", index=index)[0]] == ["b/", "a/"]


def test_a_moment_of_the_call_weighs_as_a_keyword_and_the_bench_can_take_it_out():
    # 什么时候用: an entry that says it is for this moment comes before one whose body only mentions it; the
    # bench's ablation row (weights moments: 0, syn_moments: 0) leaves the body's mention alone
    index = {"config": {"kb": {}}, "docs": [
        {**doc("a/", "抽查回访阶段", text="回访时电话那头没动静就再打一次"), "moments": "", "syn_moments": ""},
        {**doc("b/", "目的引导法"), "moments": "电话那头没动静", "syn_moments": "鸦雀无声"},
    ]}
    assert [r["location"] for r in search("没动静", index=index)[0]] == ["b/", "a/"]
    assert first(search("鸦雀无声", index=index)[0]) == "b/"
    without = {**index, "config": {"kb": {"weights": {"moments": 0, "syn_moments": 0}}}}
    quiet, synonym = search("没动静", "鸦雀无声", index=without)
    assert [r["location"] for r in quiet] == ["a/"] and synonym == []


def test_without_synonyms_no_homophone_of_a_synonym_finds_an_entry():
    # the bench's ablation takes synonyms out with weights syn: 0; a sound pair of a synonym must not bring
    # the entry back at keys weight
    from kb.pinyin import syllable_table

    config = {"strip": True, "pinyin": syllable_table()}
    with_syn = {**INDEX, "config": {"kb": config}}
    without = {**INDEX, "config": {"kb": {**config, "weights": {"syn": 0, "syn_body": 0}}}}
    assert first(search("千飞", index=with_syn)[0]) == "legal/#suspension-notice"  # 欠费 by sound
    assert search("千飞", index=without)[0] == []


def test_a_weak_best_match_is_marked_and_a_good_one_is_not():
    good, weak = search("手榴弹", "宽带安装要多少钱停机")
    assert good and not good[0]["weak"]
    # only 停机 is found, less than half of the query: marked, and the page shows the no-match help
    assert weak and all(r["weak"] for r in weak)


def test_whole_query_found_as_typed_is_never_weak():
    assert not search("一点就炸")[0][0]["weak"]


def test_a_character_an_ime_picked_by_sound_still_finds_the_entry():
    from kb.pinyin import syllable_table

    index = {**INDEX, "config": {"kb": {"strip": True, "pinyin": syllable_table()}}}
    found = search("手流弹", "双被返还", "停机题型", index=index)
    assert [first(r) for r in found] == ["types/grenade/", "legal/#double-refund", "legal/#suspension-notice"]
    # without the syllables only the characters 手 and 弹 match: at most a weak match
    assert all(r["weak"] for r in search("手流弹")[0])


def test_homophones_do_not_outrank_the_characters_as_written():
    from kb.pinyin import syllable_table

    index = {"config": {"kb": {"pinyin": syllable_table()}}, "docs": [
        doc("a/", "信号差"), doc("b/", "型号"),
    ]}
    assert first(search("型号", index=index)[0]) == "b/"
    assert first(search("信号", index=index)[0]) == "a/"


def test_a_query_fetches_only_its_shards_and_answers_as_from_one(monkeypatch, tmp_path):
    """Cut into many small shards, the index answers exactly as in one piece, and a query fetches the term
    shards of its own tokens and the document shards of its results, each once."""
    from kb import shards

    queries = ["停机提醒", "手榴弹客户该怎么办", "双倍返还", "停机提醒"]
    whole = run_worker(queries, INDEX, tmp_path / "one")
    monkeypatch.setattr(shards, "TERM_SHARD_BYTES", 60)
    monkeypatch.setattr(shards, "DOCS_PER_SHARD", 1)
    cut = run_worker(queries, INDEX, tmp_path / "cut")
    assert cut["answers"] == whole["answers"] and whole["answers"][0]
    terms = [p for p in cut["fetched"] if p.startswith("search/terms/")]
    written = list((tmp_path / "cut" / "site" / "search" / "terms").iterdir())
    assert len(written) > 10 and len(set(terms)) < len(written)
    assert len(terms) == len(set(terms))  # kept: the repeated query fetches nothing again
    assert "search/search_index.json" not in cut["fetched"]  # the manifest it was given holds
    assert sorted(p for p in cut["fetched"] if p.startswith("search/docs/")) == sorted(
        {"search/docs/%d.json" % n for n in range(4) if any(
            r["location"] == INDEX["docs"][n]["location"] for answer in cut["answers"] for r in answer)})


@pytest.mark.parametrize("before, after", [(90, 60), (60, 90)], ids=["more-shards", "fewer-shards"])
def test_a_manifest_older_than_the_shards_is_read_again_and_the_answers_are_the_new_index_s(
        monkeypatch, tmp_path, before, after):
    """A page keeps the manifest it loaded while the index is built again (the site deployed anew; a `mkdocs
    serve` quick rebuild, which writes its index after the page has reloaded, kb.sidefiles). When the new
    index has another number of term shards, a token's shard number from the old manifest is wrong: the
    shard says what it was cut for (or is gone), and the worker reads the manifest again and answers from
    the new index."""
    from kb import shards

    queries = ["手榴弹改过", "停机提醒"]
    monkeypatch.setattr(shards, "TERM_SHARD_BYTES", before)
    old = shards.shard(INDEX)["search_index.json"]
    edited = {**INDEX, "docs": [{**INDEX["docs"][0], "title": "手榴弹型客户（改过）"}, *INDEX["docs"][1:]]}
    monkeypatch.setattr(shards, "TERM_SHARD_BYTES", after)
    new = shards.shard(edited)["search_index.json"]
    assert (new["config"]["kb"]["terms"] > old["config"]["kb"]["terms"]) == (after < before)
    fresh = run_worker(queries, edited, tmp_path / "fresh")
    stale = run_worker(queries, edited, tmp_path / "stale", setup=old)
    assert stale["answers"] == fresh["answers"] and first(fresh["answers"][0]) == "types/grenade/"
    assert stale["fetched"].count("search/search_index.json") == 1  # read again once, then kept


def test_while_the_manifest_says_the_index_is_being_written_each_query_reads_it_again(tmp_path):
    """A quick `mkdocs serve` rebuild marks the manifest before the browser reloads and writes the index
    after (kb.shards.mark_updating, kb.sidefiles): a page that loaded the marked manifest reads it again
    before each query and keeps no shard, until the manifest it reads is no longer marked."""
    from kb import shards

    queries = ["手榴弹改过", "停机提醒", "手榴弹改过"]
    old = shards.shard(INDEX)["search_index.json"]
    old["config"]["kb"][shards.UPDATING] = True
    edited = {**INDEX, "docs": [{**INDEX["docs"][0], "title": "手榴弹型客户（改过）"}, *INDEX["docs"][1:]]}
    fresh = run_worker(queries, edited, tmp_path / "fresh")
    written = run_worker(queries, edited, tmp_path / "written", setup=old)  # the index written meanwhile
    assert written["answers"] == fresh["answers"] and first(fresh["answers"][0]) == "types/grenade/"
    assert written["fetched"].count("search/search_index.json") == 1  # unmarked: read once, then kept
    assert len(set(written["fetched"])) == len(written["fetched"])  # each shard fetched once
    marked = {**edited, "config": {"kb": {**edited["config"]["kb"], shards.UPDATING: True}}}
    writing = run_worker(queries, marked, tmp_path / "writing", setup=old)  # still being written
    assert writing["answers"] == fresh["answers"]
    assert writing["fetched"].count("search/search_index.json") == len(queries)
    term = next(p for p in writing["fetched"] if p.startswith("search/terms/"))
    assert writing["fetched"].count(term) >= 2  # fetched again for the third query: nothing kept


def test_a_match_in_a_long_body_counts_less_than_in_a_short_one():
    # BM25's length normalisation: the long scenario that mentions 回访 once among a thousand characters
    # comes after the short entry whose body says it once; without it (length_b: 0) the two tie and the
    # long one, first in the index, comes first
    long_body = "客户来电说明情况，坐席记录并处理。" * 60 + "最后回访。"
    docs = [doc("long/", "一个很长的案例", text=long_body), doc("short/", "跟进", text="处理完要回访。")]
    on = {"config": {"kb": {}}, "docs": docs}
    off = {"config": {"kb": {"length_b": 0}}, "docs": docs}
    assert [first(search("回访", index=index)[0]) for index in (on, off)] == ["short/", "long/"]


def test_coverage_counts_rare_characters_more_than_common_ones():
    # 骂娘 is in no entry; 骂 (rare) is in the one about 骂人, 开始 (common) in many. Counted by bigrams the
    # query's only covered part is 开始, so the entry about 骂人 is not found; counted by characters, its
    # rare 骂 outweighs the common 开 and 始
    common = [doc(f"c{n}/", f"条目{n}", text="从头开始说明情况") for n in range(6)]
    docs = [*common, doc("scold/", "客户骂人", keys="骂人 大喊大叫")]
    on = {"config": {"kb": {}}, "docs": docs}
    off = {"config": {"kb": {"char_cover": False}}, "docs": docs}
    assert first(search("开始骂娘", index=on)[0]) == "scold/"
    assert "scold/" not in [r["location"] for r in search("开始骂娘", index=off)[0][:3]]


def test_a_long_body_that_mentions_every_word_once_does_not_outrank_the_entry_named_by_one():
    # the long case mentions 回访, 确认 and 结果 once each among a thousand characters; the short entry is
    # named 回访. Coverage from a long body counts less (as its matches do), so the entry named by the
    # query's rarest word comes first; without (length_b: 0) the long case covers more and wins
    long_body = "客户来电说明情况，坐席记录并处理。" * 60 + "事后回访，请客户确认处理结果。"
    docs = [doc("long/", "一个很长的案例", text=long_body), doc("short/", "回访", text="打给客户"),
            *[doc(f"o{n}/", f"其他条目{n}", text="别的内容") for n in range(6)]]
    on = {"config": {"kb": {}}, "docs": docs}
    off = {"config": {"kb": {"length_b": 0}}, "docs": docs}
    assert first(search("回访确认结果", index=on)[0]) == "short/"
    assert first(search("回访确认结果", index=off)[0]) == "long/"


def test_an_entry_named_by_the_query_outranks_one_whose_body_mentions_more_of_it():
    # 问清情况再复述: the technique is named by 复述 (a keyword); a customer type's body says 问清情况 and
    # 复述 in passing, as six other entries say 问清情况. A word found only in a body covers at most half of
    # itself, so the entry about 复述 comes first; without that cap (body_cover: 1) the body that mentions
    # more of the query wins
    docs = [doc("confirm/", "确认反馈", keys="复述 让客户重复"), doc("type/", "某类型客户", text="问清情况，再复述一遍"),
            *[doc(f"o{n}/", f"其他条目{n}", text="问清情况") for n in range(6)]]
    on = {"config": {"kb": {}}, "docs": docs}
    off = {"config": {"kb": {"body_cover": 1}}, "docs": docs}
    assert first(search("问清情况再复述", index=on)[0]) == "confirm/"
    assert first(search("问清情况再复述", index=off)[0]) == "type/"


def test_a_word_split_by_speech_is_found_by_its_characters_one_apart():
    # 插句话 is 插话 with a measure word inside: the pair 插…话 finds the bigram 插话 (weight SKIP); the bench's
    # ablation row (skip: 0) leaves only the characters
    index = {"config": {"kb": {}}, "docs": [
        doc("a/", "打断的技巧", keys="插话"),
        doc("b/", "说话的语气", text="一句一句地说，别插队"),
    ]}
    assert first(search("插句话", index=index)[0]) == "a/"
    # without the pair, the entry whose body holds all three characters apart comes first
    assert first(search("插句话", index={**index, "config": {"kb": {"skip": 0}}})[0]) == "b/"


def test_a_query_that_says_a_step_is_over_finds_the_step_after_it():
    # the step after 平息怨气 holds that step's words in `after`: body text, unless the query says the step
    # is over (骂完了, 消气以后), then they weigh above a title; 没完 does not say so
    index = {"config": {"kb": {}}, "docs": [
        {**doc("calm/", "平息怨气", keys="客户骂人 发火"), "after": ""},
        {**doc("next/", "探讨解决方案", text="提出方案"), "after": "平息怨气 客户骂人 发火"},
    ]}
    over, still, endless, unending, stopped, marked, not_yet, again = search(
        "客户骂完了", "客户骂人", "客户骂个没完", "客户骂不完", "客户终于不骂了", "客户终于不骂了。", "客户还不骂了",
        "客户又不骂了", index=index)
    assert first(over) == "next/" and first(still) == "calm/" and first(endless) == first(unending) == "calm/"
    assert first(stopped) == first(marked) == "next/" and first(not_yet) == first(again) == "calm/"
    # 不X了 is a step over only for what an upset caller stops doing: going back on an agreement, a fault or a
    # lost paper is no step of the call, and they rank as with the rule switched off
    index = {"config": {"kb": {}}, "docs": [
        {**doc("calm/", "平息怨气", keys="客户骂人"), "after": ""},
        {**doc("next/", "探讨解决方案"), "after": "客户 不认 不通 找不到"},
        doc("flip/", "客户反悔", keys="不认 反悔 不通 找不到"),
    ]}
    off = {**index, "config": {"kb": {"done": 0}}}
    queries = ("客户又不认了", "客户不认了", "宽带不通了", "合同我找不到了")
    ranked = [[r["location"] for r in results] for results in search(*queries, index=index)]
    assert ranked == [[r["location"] for r in results] for results in search(*queries, index=off)] and \
        all(r[0] == "flip/" for r in ranked), ranked
    without = search("客户骂完了", index={**index, "config": {"kb": {"done": 0}}})[0]
    assert first(without) == "calm/"


def test_a_query_that_describes_a_person_brings_the_type_up_beside_its_signal():
    # the signal's label says what the caller does and matches best; when the query describes a person
    # (哭哭啼啼的阿姨), the type that shows the signal comes up, and is lifted above what merely mentions it
    index = {"config": {"kb": {"persons": [[1, 0]]}}, "docs": [
        {**doc("signals/#distressed", "着急、带哭腔"), "keys": "哭哭啼啼 哭腔"},
        doc("types/emotional/", "情绪激动型客户", text="情绪上来就哭"),
        doc("scenarios/crying/", "电话里的眼泪", text="客户哭哭啼啼"),
    ]}
    person, moment = search("哭哭啼啼的阿姨", "客户说着说着哭哭啼啼", index=index)
    assert [r["location"] for r in person[:2]].count("types/emotional/") == 1
    assert "types/emotional/" not in [r["location"] for r in moment[:2]]  # reported speech: a moment, not a person
    without = search("哭哭啼啼的阿姨", index={**index, "config": {"kb": {"persons": [[1, 0]], "person": 0}}})[0]
    assert "types/emotional/" not in [r["location"] for r in without[:2]]


def test_a_companion_of_a_result_above_yields_its_place_to_a_close_other_result():
    # 万事通型客户, its 话术招式 and its 案例演练 name one another (manifest companions: [hub, companion, …]) and
    # match the same words: the escalation asked for came fourth. A companion of a result above counts a
    # little less in the first places, so the other result of the same score comes second
    docs = [
        doc("types/know-it-all/", "万事通型客户", keys="电视台"),
        doc("techniques/know-it-all-moves/", "万事通型客户：话术招式", keys="电视台"),
        doc("scenarios/know-it-all-demands/", "案例演练：万事通型客户", keys="电视台"),
        doc("escalation/media-exposure/", "媒体曝光", keys="电视台"),
        doc("legal/other/", "别的", text="电视台"),
    ]
    index = {"config": {"kb": {"companions": [[0, 1, 2]]}}, "docs": docs}
    order = [r["location"] for r in search("电视台", index=index)[0]]
    assert order == [docs[n]["location"] for n in (0, 3, 1, 2, 4)], order
    # switched off (the bench's ablation), or without companions in the manifest (an index of before): by score
    # and then by document number
    as_scored = [d["location"] for d in docs]
    for config in ({"companions": [[0, 1, 2]], "companion": 0}, {}):
        assert [r["location"] for r in search("电视台", index={"config": {"kb": config}, "docs": docs})[0]] == as_scored
    # two companions of a hub that is not above are not each other's: nothing moves
    index = {"config": {"kb": {"companions": [[4, 0, 1]]}}, "docs": docs}
    assert [r["location"] for r in search("电视台", index=index)[0]] == as_scored


def test_a_companion_keeps_its_place_when_the_other_result_is_far_below():
    # only a close score is given up: an entry that merely mentions the words stays where it is
    docs = [
        doc("types/know-it-all/", "万事通型客户", keys="电视台"),
        doc("techniques/know-it-all-moves/", "万事通型客户：话术招式", keys="电视台"),
        doc("escalation/media-exposure/", "媒体曝光", text="客户说要找电视台，还要找报社、上网发帖，把事情闹大"),
    ]
    index = {"config": {"kb": {"companions": [[0, 1]]}}, "docs": docs}
    assert [r["location"] for r in search("电视台", index=index)[0]] == [d["location"] for d in docs]


def test_the_share_covered_does_not_swamp_what_a_document_matches():
    # 刚才那句我没听清: the point is 没听清; an entry that holds the incidental 刚才那句 covers more of the
    # query, but the entry named by 没听清 and its synonyms matches far more of it (squared, the share won)
    others = [doc(f"other/#{n}", f"其他条目{n}", text="客户投诉处理办法") for n in range(8)]
    index = {"config": {"kb": {"strip": True}}, "docs": [
        doc("phrases/#again", "请您再说一遍", keys="没听清", syn="没听清楚 听不清 没听见"),
        doc("process/#confirm", "确认反馈", keys="刚才那句"),
        *others,
    ]}
    assert first(search("刚才那句我没听清", index=index)[0]) == "phrases/#again"
    squared = {**index, "config": {"kb": {"strip": True, "cover_power": 2}}}
    assert first(search("刚才那句我没听清", index=squared)[0]) == "process/#confirm"


def test_a_character_no_pair_holds_stands_as_a_word():
    # 客户说到一半开始哭: no entry holds 始哭, so 哭 is a word of its own (a character of a longer run
    # weighs little, and 开始, 说明 in any entry outweighed it); it weighs as one and is covered whole
    others = [doc(f"other/#{n}", f"其他条目{n}", text="客户投诉处理办法 说明") for n in range(8)]
    index = {"config": {"kb": {"strip": True}}, "docs": [
        doc("signals/#distressed", "着急、带哭腔", keys="哭哭啼啼"),
        doc("process/#accept", "接受投诉", text="开始说明"),
        *others,
    ]}
    assert first(search("客户说到一半开始哭", index=index)[0]) == "signals/#distressed"
    without = {**index, "config": {"kb": {"strip": True, "alone": 0}}}
    assert first(search("客户说到一半开始哭", index=without)[0]) == "process/#accept"
