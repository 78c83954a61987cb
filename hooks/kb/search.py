"""The search index: one document per entry, in the agents' own words.

Material's search indexes pages by heading, groups results by page and weighs titles ×1000, so an
anchored entry on a shared page comes up as the page and colloquial queries miss. We keep Material's
search box and result list but write the index ourselves (one document per entry, with its kind, its
keywords and the synonyms of the words it uses) and answer queries in our own worker
(docs/assets/javascripts/kb-search-worker.js), which matches character bigrams. kb.shards cuts the
documents into a term index and document shards the worker fetches per query.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .carryover import CARRIED
from .pinyin import syllable_table
from .knowledge import KnowledgeBase
from .load import Record
from .model import PHRASE_CATEGORIES, PRINCIPLE_GROUPS, TECHNIQUE_GROUPS
from .pages import COLLECTIONS, FRONT_LIST_MAX, entry_url
from .refs import INLINE
from .shards import dump, read_material_index, write_shards
from .synonyms import Expansion

# what a result says it is (the 话术 / 场景 / 类型 / 法律, and the rest)
RESULT_KIND = {
    "swaps": "话术", "phrases": "话术", "scenarios": "场景", "types": "类型", "legal": "法律",
    "techniques": "技巧", "principles": "原则", "escalation": "升级", "roles": "岗位",
    "categories": "分类", "topics": "专题", "signals": "信号", "course": "课程",
}
_MARKDOWN = re.compile(r"[*_`#>]+")


@dataclass
class SearchDoc:
    location: str
    title: str
    kind: str  # label shown in the result
    teaser: str  # the line shown under the title
    keys: str  # keywords, tags, the sentences themselves: weighed above the body
    text: str  # everything else
    syn: str = ""  # words of data/synonyms.yaml groups whose word is in the title or keys (kept apart to ablate)
    syn_body: str = ""  # … groups whose word only the body text mentions: weighed like body text
    # 什么时候用: the moments of a call the entry is for, in the agents' words, and the words of the groups
    # they reach (apart from syn, so the bench can take the field out whole: weights moments, syn_moments 0)
    moments: str = ""
    syn_moments: str = ""
    # what ends the step of the call before this one (its name, keywords and their synonyms): body text, and
    # weighed above a title when the query says that step is over (骂完了, 消气以后, 接下来): the worker's DONE
    after: str = ""


def entry_titles(kb: KnowledgeBase) -> dict[str, str]:
    """id → title of every entry and of every former id: a reference in a result reads as the referenced
    entry's title, never as its id."""
    return {**{i: r.entry.title for i, r in kb.aliases.items()}, **{i: r.entry.title for i, r in kb.by_id.items()}}


def _plain(value: str, titles: dict[str, str]) -> str:
    """Prose as plain text: references become their labels or the referenced titles, Markdown marks go."""
    value = INLINE.sub(lambda m: m.group(3) or titles.get(m.group(2), ""), value)
    return " ".join(_MARKDOWN.sub("", value).split())


def plain_text(material_html: str) -> str:
    """A Material index title or text as plain text: no tags, no entities, no segmentation marks."""
    return html.unescape(re.sub(r"<[^>]*>", "", material_html or "")).replace("\u200b", "")


def _key_values(r: Record, signal_titles: dict[str, str]) -> list[str]:
    e = r.entry
    keys = [*e.keywords, *e.tags]
    if r.kind == "swaps":
        keys += [e.avoid, *e.say]
    elif r.kind == "phrases":
        keys += [e.text, e.category]
    elif r.kind == "types":
        keys += dict.fromkeys(signal_titles.get(s.signal, s.signal) for s in e.signals)
    elif r.kind == "legal":
        keys.append(e.question)
    elif r.kind == "escalation":
        keys.append(e.channel)
    return keys


def _teaser(r: Record, titles: dict[str, str]) -> str:
    e = r.entry
    if r.kind == "swaps":
        return f"别说「{e.avoid}」→ 改说：{e.say[0]}"
    if r.kind == "phrases":
        return f"{e.category}：{e.text}"
    if r.kind == "types":
        return f"第一步：{e.first_move}"
    if r.kind == "legal":
        return _plain(e.answer, titles)
    if r.kind == "scenarios":
        return _plain(e.situation, titles)
    for name in ("summary", "body"):
        if getattr(e, name, None):
            return _plain(getattr(e, name), titles)
    return ""


# The groups of techniques that are the steps of a call, in order: an agent asks for a step by where it
# is in the call (挂电话前, 一开始) as often as by its name, so the first and the last step of each are also
# named by their position.
PROCESS_GROUPS = ("五步法", "四个阶段")
POSITION_WORDS = {"first": "开头 一开始 刚开始 最开始 开始时",
                  "last": "最后 结尾 最后一步 结束时 末尾"}


class Steps:
    """The steps of each process of the call (PROCESS_GROUPS) in order, gathered once per index: asking
    every step's process for its first, last and previous step grew as steps times techniques."""

    def __init__(self, kb: KnowledgeBase):
        self.by_group: dict[str, list[Record]] = {}
        for t in kb.of_kind("techniques"):
            if t.entry.group in PROCESS_GROUPS:
                self.by_group.setdefault(t.entry.group, []).append(t)
        for steps in self.by_group.values():
            steps.sort(key=lambda t: t.entry.order)  # stable: equal orders keep the data's order
        self.orders = {group: [t.entry.order for t in steps] for group, steps in self.by_group.items()}

    def position_words(self, r: Record) -> str:
        """Where a step of a process is in the call (POSITION_WORDS), for the first and the last step."""
        orders = self.orders.get(r.entry.group) if r.kind == "techniques" else None
        if not orders:
            return ""
        if r.entry.order == orders[0]:
            return POSITION_WORDS["first"]
        return POSITION_WORDS["last"] if r.entry.order == orders[-1] else ""

    def previous(self, r: Record) -> Record | None:
        """The step before ``r`` in its process of the call (the first of equal ones), if ``r`` is a step
        and not the first."""
        orders = self.orders.get(r.entry.group) if r.kind == "techniques" else None
        if not orders:
            return None
        before = bisect_left(orders, r.entry.order)
        return self.by_group[r.entry.group][bisect_left(orders, orders[before - 1])] if before else None


def signal_notes(kb: KnowledgeBase, titles: dict[str, str]) -> dict[str, list[str]]:
    """signal id → the notes the customer types give it (what the caller says or does when it shows:
    “我回去想了想，还是觉得不行。” for 反复改口), in the data's order, as plain text."""
    notes: dict[str, list[str]] = {}
    for t in kb.of_kind("types"):
        for s in t.entry.signals:
            if s.note:
                notes.setdefault(s.signal, []).append(_plain(s.note, titles))
    return notes


def entry_doc(r: Record, expand: Expansion, titles: dict[str, str],
              signal_titles: dict[str, str], steps: Steps, notes: dict[str, list[str]] | None = None) -> SearchDoc:
    """One entry's document; ``expand`` finds its words' synonyms, ``titles`` (id → title) resolve
    references, ``signal_titles`` (signal id → label) let a type be found by its signals' labels, ``steps``
    a step of the call by its position and by the step before it, ``notes`` (signal_notes) a signal by
    what the caller says or does when it shows."""
    keys = _key_values(r, signal_titles)
    key_set = set(keys)
    body = [_plain(v.value, titles) if v.format == "prose" else str(v.value)
            for v in r.values
            if v.format in ("text", "prose") and v.loc[0] not in ("title", "sources", "authored_basis", "moments")
            and str(v.value) not in key_set]
    # A signal is the moment an agent describes (他一接通就嚷), but the words of that moment were only in
    # the notes of the types that show it: the type came first for them, the signal after every type
    # and case that shares them. They are the signal's body text too.
    if r.kind == "signals" and notes:
        body += [n for n in notes.get(r.id, []) if n not in body]
    moments = list(getattr(r.entry, "moments", None) or [])
    title = r.entry.title
    # A synonym weighs what the word it stands for weighs: an entry named 回访 is found by 打回去 as if
    # named so, one that mentions 回访 once in its body as if its body said it (not as a keyword: that
    # made a passing mention outrank the entry about it).
    named = " ".join([title, *keys])
    # A type's signals' labels are its keys, but the words their groups add are second hand: weighed as
    # keys they made every type that shows 录音、记工号 outrank the signal itself for 他问我要工号 (and the
    # moment an agent describes is what the signal names). They weigh as the type's body text.
    labels = {signal_titles.get(s.signal, s.signal) for s in r.entry.signals} if r.kind == "types" else set()
    syn = expand(" ".join([title, *(k for k in keys if k not in labels)]))
    syn += steps.position_words(r).split()
    in_syn = set(syn)  # (a body reaches hundreds of words: looked up in a list, 0.4 s of 6 at 10,000 entries)
    syn_body = [w for w in expand(" ".join([*labels, *body])) if w not in in_syn and w not in named]
    said = " ".join(moments)
    syn_moments = [w for w in dict.fromkeys(expand(said)) if w not in in_syn and w not in named]
    before = steps.previous(r)
    after: list[str] = []
    if before is not None:
        # what comes after the previous step: 客户消气了 → also the step after 平息怨气
        ended = [re.sub(r"^第.步：", "", before.entry.title), *before.entry.keywords]
        in_body = set(syn_body)
        after = [w for w in dict.fromkeys([*ended, *expand(" ".join(ended))])
                 if w not in in_syn and w not in named and w not in in_body]
    return SearchDoc(
        location=entry_url(r), title=title, kind=RESULT_KIND[r.kind], teaser=_teaser(r, titles)[:120],
        keys=" ".join(keys), text=" ".join(body), syn=" ".join(syn), syn_body=" ".join(syn_body),
        moments=said, syn_moments=" ".join(syn_moments), after=" ".join(after),
    )


# groups that have their own heading on a collection page: (kind, field, {group: anchor})
GROUPS = [
    ("phrases", "category", PHRASE_CATEGORIES),
    ("techniques", "group", TECHNIQUE_GROUPS),
    ("principles", "group", PRINCIPLE_GROUPS),
]


def group_docs(kb: KnowledgeBase, expand: Expansion) -> list[SearchDoc]:
    """One document per group heading (感同身受型, 五步法 …): agents search for the group's name too."""
    docs = []
    for kind, field, groups in GROUPS:
        page = COLLECTIONS[kind].removesuffix("index.md")
        for name, anchor in groups.items():
            members = [r for r in kb.of_kind(kind) if getattr(r.entry, field) == name]
            if not members:
                continue
            titles = [r.entry.title for r in members]
            # the group is named by its name; its members' titles are its text, and so are the synonyms of
            # those titles: as keys, the vocabulary of every step made 五步法 outrank the step a moment of
            # the call is about
            syn = expand(name)
            docs.append(SearchDoc(
                location=f"{page}#{anchor}", title=name, kind=RESULT_KIND[kind], teaser="、".join(titles)[:120],
                keys=name, text=" ".join(titles), syn=" ".join(syn),
                syn_body=" ".join(w for w in expand(" ".join(titles)) if w not in syn),
            ))
    return docs


def _sources_of(location: str) -> set[str]:
    """The page sources a Material index location may come from (use_directory_urls)."""
    path = location.split("#")[0].strip("/")
    return {"index.md"} if not path else {f"{path}.md", f"{path}/index.md"}


def _doc_inputs(r: Record, kb: KnowledgeBase, titles: dict[str, str], steps: Steps,
                notes: dict[str, list[str]]) -> tuple:
    """What ``entry_doc`` reads of the knowledge base for ``r``: the entry as written and where its page
    is, the titles of the entries it refers to (references, inline ones too: the graph has them all, and
    a type's signals), its place among the steps of its process, and a signal's notes from the types."""
    before = steps.previous(r)
    return (r.id, r.kind, r.page, r.doc.entry_repr(r.index),
            tuple((t, titles.get(t)) for t in kb.graph.refers_to(r.id)), steps.position_words(r),
            None if before is None else (before.entry.title, tuple(before.entry.keywords)),
            tuple(notes.get(r.id, ())) if r.kind == "signals" else ())


def build_index(kb: KnowledgeBase, material_index: dict, generated: set[str]) -> dict:
    """Our documents and config: one document per entry and group heading, Material's sections of the
    hand-written pages (as plain text), Material's config with ours under ``kb``; kb.shards cuts them."""
    return {"config": index_config(kb, material_index),
            "docs": entry_docs(kb) + page_docs(material_index, generated)}


def entry_docs(kb: KnowledgeBase) -> list[dict]:
    """The documents the data makes: one per entry (kb.records' order), then one per group heading."""
    return list(each_entry_doc(kb))


def each_entry_doc(kb: KnowledgeBase) -> Iterator[dict]:
    """``entry_docs`` one at a time: they read the knowledge base alone (laid out: each entry's address is
    its page's, kb.pages.lay_out), and a one-off build sends them to be packed while it makes its pages
    (kb.searchjob)."""
    titles = entry_titles(kb)
    signal_titles = {r.id: r.entry.title for r in kb.of_kind("signals")}
    expand = Expansion(kb.synonyms)
    steps = Steps(kb)
    notes = signal_notes(kb, titles)
    if CARRIED.keeping:  # serving: an entry whose inputs are unchanged keeps its document (kb.carryover)
        synonyms = hash(tuple(map(repr, kb.synonyms)))
        for r in kb.records:
            yield CARRIED.get(("doc", synonyms, *_doc_inputs(r, kb, titles, steps, notes)),
                              lambda r=r: asdict(entry_doc(r, expand, titles, signal_titles, steps, notes)))
    else:
        for r in kb.records:
            yield asdict(entry_doc(r, expand, titles, signal_titles, steps, notes))
    yield from map(asdict, group_docs(kb, expand))


def page_docs(material_index: dict, generated: set[str]) -> list[dict]:
    """The hand-written pages' sections, which Material's search plugin indexed (``material_index``: what
    it wrote; ``generated``: the source paths of the pages the data makes, whose sections it left out)."""
    docs = []
    for doc in material_index.get("docs", []):
        if _sources_of(doc["location"]) & generated:
            continue
        # hand-written pages keep Material's sections, as plain text (Material's are HTML)
        docs.append({"location": doc["location"], "title": plain_text(doc.get("title", "")), "kind": "页面",
                     "teaser": "", "keys": "", "text": plain_text(doc.get("text", "")), "syn": "", "syn_body": "",
                     "moments": "", "syn_moments": "", "after": ""})
    return docs


def index_config(kb: KnowledgeBase, material_index: dict) -> dict:
    """Material's search config with ours under ``kb``, which the worker reads."""
    # strip: the worker drops question words and fillers from a query; pinyin: the syllables it matches
    # homophones by (the bench switches either off to ablate); persons: the customer types, each with the
    # signals it shows ([type, signal, …] as document numbers), for queries that describe a person; sides:
    # whose behaviour each entry is about, for queries whose subject is the customer or the agent; companions:
    # each type and case with the entries it and they name each other, which share the first places less
    options = {"strip": True, "pinyin": syllable_table(), "persons": persons(kb), "sides": sides(kb),
               "companions": companions(kb)}
    return {**material_index.get("config", {}), "kb": options}


# what the customer does (the types of customer and the signals that show them) and what the agent does
# (techniques, phrases, the swaps of what to say)
SIDE = {"types": "c", "signals": "c", "techniques": "a", "phrases": "a", "swaps": "a"}


def sides(kb: KnowledgeBase) -> str:
    """One letter per record's document, in build_index's order: ``c`` an entry about what the customer does,
    ``a`` about what the agent does, ``-`` neither. A query whose subject is the customer (客户打断我) or the
    agent (我打断了客户) leans toward the entries of that side; documents past the string are neither."""
    return "".join(SIDE.get(r.kind, "-") for r in kb.records)


# the entries that gather others: a customer type lists its signals, techniques, phrases and swaps, a case
# names the laws and techniques it uses
HUBS = ("types", "scenarios")


def companions(kb: KnowledgeBase) -> list[list[int]]:
    """Each customer type and case with its companions, the entries it names that name it back, as document
    numbers ([hub, companion, …], build_index's order; hubs without any left out): 万事通型客户, its 话术招式 and
    its 案例演练 name one another and match the same words, and came up as the first three where the entry
    a query asked for came fourth. The worker lets a companion of a result above yield its place to the next
    other result whose score is close. Two techniques or two laws that name each other are peers, often
    both an answer, and are not companions."""
    number = {r.id: n for n, r in enumerate(kb.records)}
    out = []
    for r in kb.records:
        if r.kind not in HUBS:
            continue
        naming = set(kb.graph.referred_by(r.id))  # once per hub: a member's own links are never walked
        back = [number[t] for t in kb.graph.refers_to(r.id) if t in naming and t in number]
        if back:
            out.append([number[r.id], *back])
    return out


def persons(kb: KnowledgeBase) -> list[list[int]]:
    """Each customer type with the signals it shows, as the numbers of their documents (build_index puts
    one document per record first, in kb.records' order): a query that describes a person (哭哭啼啼的阿姨,
    爱较真的老师) names what the caller does, which a signal's label says best, but the agent acts on the
    type, and the worker lifts the type beside the signal."""
    number = {(r.kind, r.id): n for n, r in enumerate(kb.records)}
    out = []
    for r in kb.of_kind("types"):
        signals = [number[("signals", s)] for s in dict.fromkeys(s.signal for s in getattr(r.entry, "signals", None) or [])
                   if ("signals", s) in number]
        if signals:
            out.append([number[("types", r.id)], *signals])
    return out


def search_parts(kb: KnowledgeBase, site_dir: Path, generated: set[str],
                 material: dict | None = None) -> tuple[list[dict], dict, Path, dict[str, bytes]]:
    """What the search index needs besides the entries' documents (kb.searchjob has those): the
    hand-written pages' documents, the config, the folder and the files beside the shards (``material``:
    what Material's search plugin wrote in the folder, when it was read already)."""
    folder = site_dir / "search"
    material = read_material_index(folder) if material is None else material
    return page_docs(material, generated), index_config(kb, material), folder, search_help_file(kb)


def write_search_index(kb: KnowledgeBase, site_dir: Path, generated: set[str], material: dict | None = None,
                       written: dict[str, bytes] | None = None) -> Path:
    """Replace Material's search/search_index.json by our manifest and write the shards beside it, and
    the search help's links (``material``: as search_parts; ``written``: see write_shards)."""
    folder = site_dir / "search"
    material = read_material_index(folder) if material is None else material
    return write_shards(build_index(kb, material, generated), folder, written, search_help_file(kb))


def search_help_file(kb: KnowledgeBase) -> dict[str, bytes]:
    """The search help's links as the file written beside the shards (SEARCH_HELP_FILE)."""
    return {SEARCH_HELP_FILE: dump(search_help(kb))}


# The no-match view's links, fetched by assets/kb.js when the view first shows. In one file rather than in
# every page: a type's or category's new title then changes this file alone, not every page of the site.
SEARCH_HELP_FILE = "help.json"
SEARCH_HELP_MAX = FRONT_LIST_MAX  # links per group: the view is for a glance, so it must not grow with the data


def search_help(kb: KnowledgeBase) -> list[dict]:
    """What the search dialog offers when nothing fits: the customer types and the complaint categories,
    as (title, site-root-relative address), which assets/kb.js shows (from search/SEARCH_HELP_FILE). Past
    SEARCH_HELP_MAX a group ends with a link to the page listing them all (``more``)."""
    groups = []
    for kind, label, index, every in (("types", "按客户类型找", "types/", "全部 {n} 种客户类型"),
                                      ("categories", "按投诉分类找", "scenarios/", "全部 {n} 个投诉分类")):
        records = kb.of_kind(kind)
        if not records:
            continue
        groups.append({
            "label": label,
            "links": [{"title": r.entry.title, "path": entry_url(r)} for r in records[:SEARCH_HELP_MAX]],
            "more": {"title": every.format(n=len(records)), "path": index} if len(records) > SEARCH_HELP_MAX else None,
        })
    return groups