"""The search index: one document per entry, in the agents' own words.

Material's search indexes pages by heading, groups results by page and weighs titles ×1000, so an
anchored entry on a shared page comes up as the page and colloquial queries miss. We keep Material's
search box and result list but write the index ourselves (one document per entry, with its kind, its
keywords and the synonyms of the words it uses) and answer queries in our own worker
(docs/assets/javascripts/kb-search-worker.js), which matches character bigrams and jieba words.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import jieba

from .fields import walk
from .knowledge import KnowledgeBase
from .load import Record
from .model import PHRASE_CATEGORIES, PRINCIPLE_GROUPS, TECHNIQUE_GROUPS, SynonymGroup
from .pages import COLLECTIONS, entry_url
from .refs import INLINE

jieba.setLogLevel(60)  # jieba prints its dictionary loading on stderr otherwise

# what a result says it is (the 话术 / 场景 / 类型 / 法律, and the rest)
RESULT_KIND = {
    "swaps": "话术", "phrases": "话术", "scenarios": "场景", "types": "类型", "legal": "法律",
    "techniques": "技巧", "principles": "原则", "escalation": "升级", "roles": "岗位",
    "categories": "分类", "topics": "专题", "signals": "信号",
}
ZWSP = "\u200b"  # Material's separator for segmented Chinese; the worker splits on it too
_HAN = re.compile(r"[\u3400-\u9fff]+")
_MARKDOWN = re.compile(r"[*_`#>]+")


@dataclass
class SearchDoc:
    location: str
    title: str
    kind: str  # label shown in the result
    teaser: str  # the line shown under the title
    keys: str  # keywords, tags, the sentences themselves, synonyms: weighed above the body
    text: str  # everything else
    words: str  # jieba words of all of the above, joined by ZWSP


def _plain(value: str) -> str:
    """Prose as plain text: references become their labels, Markdown marks go."""
    value = INLINE.sub(lambda m: m.group(3) or m.group(2), value)
    return " ".join(_MARKDOWN.sub("", value).split())


def _key_values(r: Record, signal_titles: dict[str, str]) -> list[str]:
    e = r.entry
    keys = [*e.keywords, *e.tags]
    if r.kind == "swaps":
        keys += [e.avoid, *e.say]
    elif r.kind == "phrases":
        keys += [e.text, e.category]
    elif r.kind == "types":
        keys += dict.fromkeys(signal_titles.get(s.signal, s.signal) for s in e.signals)
        keys += [s.note for s in e.signals if s.note]

    elif r.kind == "legal":
        keys.append(e.question)
    elif r.kind == "escalation":
        keys.append(e.channel)
    return keys


def _teaser(r: Record) -> str:
    e = r.entry
    if r.kind == "swaps":
        return f"别说「{e.avoid}」→ 改说：{e.say[0]}"
    if r.kind == "phrases":
        return f"{e.category}：{e.text}"
    if r.kind == "types":
        return f"第一步：{e.first_move}"
    if r.kind == "legal":
        return _plain(e.answer)
    if r.kind == "scenarios":
        return _plain(e.situation)
    for name in ("summary", "body"):
        if getattr(e, name, None):
            return _plain(getattr(e, name))
    return ""


def _expand(text: str, synonyms: list[SynonymGroup]) -> list[str]:
    """The other words of every synonym group one of whose words occurs in ``text``."""
    out: list[str] = []
    for group in synonyms:
        if any(w in text for w in group.words):
            out += [w for w in group.words if w not in text]
    return out


def segment(text: str) -> str:
    """jieba words of the Chinese runs, joined by ZWSP (what Material does to its index)."""
    words = []
    for run in _HAN.findall(text):
        words += [w for w in jieba.cut_for_search(run) if len(w) >= 2]
    return ZWSP.join(dict.fromkeys(words))


def entry_doc(r: Record, synonyms: list[SynonymGroup], signal_titles: dict[str, str] | None = None) -> SearchDoc:
    """One entry's document; ``signal_titles`` (signal id → label) lets a type be found by its signals' labels."""
    keys = _key_values(r, signal_titles or {})
    key_set = set(keys)
    body = [_plain(v.value) if v.format == "prose" else str(v.value)
            for v in walk(r.entry)
            if v.format in ("text", "prose") and v.loc[0] not in ("title", "sources", "authored_basis")
            and str(v.value) not in key_set]
    title = r.entry.title
    everything = " ".join([title, *keys, *body])
    keys += _expand(everything, synonyms)
    return SearchDoc(
        location=entry_url(r), title=title, kind=RESULT_KIND[r.kind], teaser=_teaser(r)[:120],
        keys=" ".join(keys), text=" ".join(body), words=segment(" ".join([title, *keys, *body])),
    )


# groups that have their own heading on a collection page: (kind, field, {group: anchor})
GROUPS = [
    ("phrases", "category", PHRASE_CATEGORIES),
    ("techniques", "group", TECHNIQUE_GROUPS),
    ("principles", "group", PRINCIPLE_GROUPS),
]


def group_docs(kb: KnowledgeBase, synonyms: list[SynonymGroup]) -> list[SearchDoc]:
    """One document per group heading (感同身受型, 五步法 …): agents search for the group's name too."""
    docs = []
    for kind, field, groups in GROUPS:
        page = COLLECTIONS[kind].removesuffix("index.md")
        for name, anchor in groups.items():
            members = [r for r in kb.of_kind(kind) if getattr(r.entry, field) == name]
            if not members:
                continue
            titles = [r.entry.title for r in members]
            keys = [name, *_expand(" ".join([name, *titles]), synonyms)]
            docs.append(SearchDoc(
                location=f"{page}#{anchor}", title=name, kind=RESULT_KIND[kind], teaser="、".join(titles)[:120],
                keys=" ".join(keys), text=" ".join(titles), words=segment(" ".join([name, *titles])),
            ))
    return docs


def _sources_of(location: str) -> set[str]:
    """The page sources a Material index location may come from (use_directory_urls)."""
    path = location.split("#")[0].strip("/")
    return {"index.md"} if not path else {f"{path}.md", f"{path}/index.md"}


def build_index(kb: KnowledgeBase, material_index: dict, generated: set[str]) -> dict:
    """Material's index with the generated pages' sections replaced by one document per entry."""
    signal_titles = {r.id: r.entry.title for r in kb.of_kind("signals")}
    docs = [asdict(entry_doc(r, kb.synonyms, signal_titles)) for r in kb.records]
    docs += [asdict(d) for d in group_docs(kb, kb.synonyms)]
    for doc in material_index.get("docs", []):
        if _sources_of(doc["location"]) & generated:
            continue
        # hand-written pages keep Material's sections (title and text are HTML-escaped there)
        docs.append({**doc, "kind": "页面", "teaser": "", "keys": "", "html": True,
                     "words": segment(doc.get("title", "") + " " + doc.get("text", ""))})
    return {"config": material_index.get("config", {}), "docs": docs}


def write_search_index(kb: KnowledgeBase, site_dir: Path, generated: set[str]) -> Path:
    path = site_dir / "search" / "search_index.json"
    material = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    index = build_index(kb, material, generated)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
