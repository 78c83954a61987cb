"""Training: the course outline on /training/, the role-play cards and the data of the self-check drills,
all made from data/ (browser behaviour: test_browser_training.py)."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from conftest import ROOT
from kb import load_knowledge
from kb.pages import DRILLS, drill_json, entry_url, roleplay_src, roleplays
from kb.practice import drill_data
from kb.training import topic_tree

_TAG = re.compile(r"<[^>]+>")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def card(page: str, role: str) -> str:
    m = re.search(rf'<section class="kb-card kb-card--{role}".*?</section>', page, re.S)
    assert m, f"no {role} card"
    return text_of(m.group(0))


def squeeze(s: str) -> str:
    return "".join(s.split())


def test_every_swap_type_and_legal_note_is_a_drill(kb):
    swaps, identify, legal = (drill_data(kb, d) for d in ("swaps", "identify", "legal"))
    assert [i["id"] for i in swaps["items"]] == [r.id for r in kb.of_kind("swaps")]
    assert [i["id"] for i in legal["items"]] == [r.id for r in kb.of_kind("legal")]
    by_type = [i for i in identify["items"] if i["from"] == "type"]
    assert [i["id"] for i in by_type] == [f"type-{r.id}" for r in kb.of_kind("types")]
    for item, r in zip(by_type, kb.of_kind("types")):
        assert item["answer"] == {r.entry.family: [r.id]}
        assert len(item["says"]) == len(r.entry.signals)
    scenes = {i["id"]: i for i in identify["items"] if i["from"] == "scenario"}
    for r in kb.of_kind("scenarios"):
        lines = [d.line for d in r.entry.dialogue if d.who == "客户"]
        if lines and r.entry.types:
            assert [s["text"] for s in scenes[f"scenario-{r.id}"]["says"]] == lines
            assert sorted(t for ts in scenes[f"scenario-{r.id}"]["answer"].values() for t in ts) == sorted(r.entry.types)


def test_a_new_entry_becomes_a_new_drill(tmp_path):
    """No code knows the entries: a swap, a type and a legal note added to the data are new questions."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    with open(tmp_path / "data" / "swaps" / "avoid-sentences.yaml", "a", encoding="utf-8") as f:
        f.write("""
- id: drill-fixture-swap
  title: 别说“这不归我管”
  avoid: 这不归我管
  say: [这件事我来帮您联系负责的同事。]
  why: 推出去的话让客户觉得被踢皮球，见 [[type:grenade]]。
  sources: [s000-swaps]
""")
    with open(tmp_path / "data" / "types" / "fixture.yaml", "w", encoding="utf-8") as f:
        f.write("""
- id: drill-fixture-type
  title: 沉默型客户
  family: 性格类型
  order: 99
  summary: 话很少。
  first_move: 多问开放式问题。
  signals: [{signal: asks-why, note: 只问一句“为什么”就不说话了}]
  handling: [耐心地问]
  donts: [催客户]
  sources: [s003-type-chameleon]
""")
    legal = (tmp_path / "data" / "legal" / "appeals.yaml").read_text(encoding="utf-8")
    first = legal.index("- id: ")
    second = legal.index("\n- id: ", first + 1) if "\n- id: " in legal[first + 1:] else len(legal)
    copy = legal[first:second].replace(legal[first + 6:legal.index("\n", first)], "drill-fixture-note", 1)
    copy = re.sub(r"\n  aliases: \[[^\]]*\]", "", copy)
    copy = re.sub(r"\n  question: .*", "\n  question: 夹具里新加的问题？", copy, count=1)
    (tmp_path / "data" / "legal" / "fixture.yaml").write_text(copy, encoding="utf-8")

    kb = load_knowledge(tmp_path)
    swaps, identify, legal_ = (drill_data(kb, d) for d in ("swaps", "identify", "legal"))
    swap = next(i for i in swaps["items"] if i["id"] == "drill-fixture-swap")
    assert swap["avoid"] == "这不归我管" and swap["say"] == ["这件事我来帮您联系负责的同事。"]
    assert swap["why"][0]["p"][1] == {"t": "手榴弹型客户", "u": "types/grenade/"}
    assert len(swaps["items"]) == len(drill_data(load_knowledge(ROOT), "swaps")["items"]) + 1
    item = next(i for i in identify["items"] if i["id"] == "type-drill-fixture-type")
    assert item["says"] == [{"text": "只问一句“为什么”就不说话了", "signal": "asks-why"}]
    assert "drill-fixture-type" in identify["families"]["性格类型"]
    assert "drill-fixture-type" in identify["signals"]["asks-why"]["types"]
    assert any(i["id"] == "drill-fixture-note" and i["question"] == "夹具里新加的问题？" for i in legal_["items"])


def test_drill_data_files_are_published(site, kb):
    for drill in DRILLS:
        published = json.loads((site / drill_json(drill)).read_text(encoding="utf-8"))
        assert published["items"] == drill_data(kb, drill)["items"]
        page = (site / "practice" / drill / "index.html").read_text(encoding="utf-8")
        assert f'data-kb-drill="{drill}"' in page and "practice.js" in page
        # the page carries no data and no inline script: a Content-Security-Policy without 'unsafe-inline' holds
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", page.split('<div class="kb-drill"')[1].split("</article>")[0])


def test_the_course_page_lists_every_sub_topic_with_its_entries(site, kb):
    page = (site / "training" / "index.html").read_text(encoding="utf-8")
    text = text_of(page)
    courses = kb.of_kind("course")
    assert courses
    for r in courses:
        for s in r.entry.sessions:
            assert f"{'一二三四五六七八九十'[s.day - 1]}天 {s.time}" in text
            for part in s.parts:
                assert f"{part.number}、{part.title}" in text
                for t in part.topics:
                    assert t.title in text, t.title
                    for i in t.entries:
                        assert f'href="../{entry_url(kb.by_id[i])}"' in page, i
    leaves_without_entries = sum(
        1 for r in courses for s in r.entry.sessions for p in s.parts
        for node in _nodes(topic_tree(p.topics)) if not node.topic.entries and not node.children)
    assert leaves_without_entries >= 1  # the real course has sub-topics no entry teaches yet (课程回顾 …)
    assert text.count("暂无条目") == leaves_without_entries + 1  # and the lead says what the mark means
    for r in roleplays(kb):
        assert f'href="roleplay/{r.id}/"' in page


def _nodes(nodes):
    for n in nodes:
        yield n
        yield from _nodes(n.children)


def test_every_drill_has_cards_and_the_customer_card_gives_nothing_away(site, kb):
    drills = [r for r in kb.of_kind("scenarios") if r.entry.drill]
    assert drills and roleplays(kb) == drills
    for r in drills:
        e = r.entry
        page = (site / roleplay_src(r).removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        customer, agent, observer = card(page, "customer"), card(page, "agent"), card(page, "observer")
        assert all(squeeze(x) in squeeze(customer) for x in e.roleplay.customer)
        assert all(squeeze(x) in squeeze(agent) for x in e.roleplay.agent)
        secret = [*e.measures, *e.pitfalls, *e.roleplay.agent, *(d.line for d in e.dialogue if d.who == "坐席"),
                  *(d.note for d in e.dialogue if d.note)]
        leaked = [x for x in secret if squeeze(x) in squeeze(customer)]
        assert not leaked, f"{r.id}: the customer's card shows {leaked}"
        assert "点评" not in customer and "措施" not in customer
        assert all(squeeze(x) in squeeze(observer) for x in [*e.measures, *e.pitfalls])
        if e.lesson:
            assert "点评要点" in observer


def test_topic_tree_nests_by_level():
    from kb.model import CourseTopic

    topics = [CourseTopic(title=t, level=level) for t, level in
              [("a", 1), ("a1", 2), ("a1x", 3), ("a2", 2), ("b", 1), ("c", 1), ("c1", 2)]]
    tree = topic_tree(topics)
    shape = [(n.topic.title, [(c.topic.title, [g.topic.title for g in c.children]) for c in n.children]) for n in tree]
    assert shape == [("a", [("a1", ["a1x"]), ("a2", [])]), ("b", []), ("c", [("c1", [])])]


@pytest.mark.parametrize("drill", sorted(DRILLS))
def test_drill_prose_is_text_and_entry_links_only(kb, drill):
    """Prose reaches the drills as plain runs and site-relative links to entries: no markup, no outside link."""
    def runs(value):
        if isinstance(value, dict):
            if "t" in value and "u" in value:
                yield value
            for v in value.values():
                yield from runs(v)
        elif isinstance(value, list):
            for v in value:
                yield from runs(v)
        elif isinstance(value, str):
            yield value

    for run in runs(drill_data(kb, drill)):
        if isinstance(run, dict):
            assert re.fullmatch(r"[a-z0-9/#-]+", run["u"]), run
        else:
            assert "[[" not in run and "**" not in run, run
