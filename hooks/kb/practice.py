"""The self-check drills on /practice/: their data, built from the entries and nothing else.

Each drill page's script (docs/assets/practice.js) reads its JSON file from the same site and writes
every value with textContent: prose arrives here already cut into paragraphs and list items of plain
text runs and links to entries, never as HTML.
"""

from __future__ import annotations

import json
import re
import weakref

from .knowledge import KnowledgeBase
from .model import CONFIDENCE, REVIEW_STATUS, TYPE_FAMILIES
from .pages import DRILLS, drill_json, entry_url
from .refs import INLINE

_LIST_ITEM = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+")
_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_WEB_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*\)")


def _runs(text: str, kb: KnowledgeBase) -> list:
    """One paragraph's text as runs: a string, or {"t": label, "u": site-relative URL} for a reference."""
    text = _WEB_LINK.sub(r"\1", " ".join(text.split()))
    runs: list = []
    last = 0
    for m in INLINE.finditer(text):
        if m.start() > last:
            runs.append(_MARKS.sub("", text[last:m.start()]))
        record = kb.by_id.get(m.group(2).strip())
        label = m.group(3) or (record.entry.title if record else m.group(2))
        runs.append({"t": label, "u": entry_url(record)} if record else label)
        last = m.end()
    if last < len(text):
        runs.append(_MARKS.sub("", text[last:]))
    return [r for r in runs if r]


def prose_blocks(value: str, kb: KnowledgeBase) -> list[dict]:
    """Prose as blocks: {"p": runs} for a paragraph, {"li": runs} for a list item."""
    blocks: list[dict] = []
    for para in re.split(r"\n\s*\n", value.strip()):
        lines = para.split("\n")
        if any(_LIST_ITEM.match(line) for line in lines):
            items: list[list[str]] = []
            for line in lines:
                if _LIST_ITEM.match(line) or not items:
                    items.append([_LIST_ITEM.sub("", line)])
                else:
                    items[-1].append(line)
            blocks += [{"li": _runs("".join(i), kb)} for i in items]
        else:
            blocks.append({"p": _runs("".join(line.strip() for line in lines), kb)})
    return blocks


def _swaps(kb: KnowledgeBase) -> dict:
    return {"items": [
        {"id": r.id, "title": r.entry.title, "url": entry_url(r), "avoid": r.entry.avoid, "say": r.entry.say,
         "why": prose_blocks(r.entry.why, kb)}
        for r in kb.of_kind("swaps")]}


def _legal(kb: KnowledgeBase) -> dict:
    return {"items": [
        {"id": r.id, "title": r.entry.title, "url": entry_url(r), "question": r.entry.question,
         "answer": prose_blocks(r.entry.answer, kb),
         "basis": [{"law": b.law, "article": b.article, "wording": b.wording, "nature": b.nature,
                    "confidence": CONFIDENCE[b.confidence]} for b in r.entry.basis],
         "review": None if r.entry.review.status == "verified" else REVIEW_STATUS[r.entry.review.status]}
        for r in kb.of_kind("legal")]}


def _identify(kb: KnowledgeBase) -> dict:
    """One item per customer type (what its signals sound like, in its own wording) and one per scenario
    with a customer's lines and at least one type (what that customer says)."""
    types = kb.of_kind("types")
    signals = {r.id: r for r in kb.of_kind("signals")}
    pointing: dict[str, list[str]] = {}
    for t in types:
        for s in t.entry.signals:
            pointing.setdefault(s.signal, [])
            if t.id not in pointing[s.signal]:
                pointing[s.signal].append(t.id)
    items = []
    for t in types:
        items.append({
            "id": f"type-{t.id}", "from": "type",
            "says": [{"text": s.note or signals[s.signal].entry.title, "signal": s.signal} for s in t.entry.signals],
            "answer": {t.entry.family: [t.id]}})
    for r in kb.of_kind("scenarios"):
        lines = [d.line for d in r.entry.dialogue if d.who == "客户"]
        answer: dict[str, list[str]] = {}
        for type_id in r.entry.types:
            answer.setdefault(kb.by_id[type_id].entry.family, []).append(type_id)
        if lines and answer:
            items.append({"id": f"scenario-{r.id}", "from": "scenario", "title": r.entry.title, "url": entry_url(r),
                          "says": [{"text": line} for line in lines], "answer": answer})
    return {
        "families": {f: [t.id for t in types if t.entry.family == f] for f in TYPE_FAMILIES},
        "types": {t.id: {"title": t.entry.title, "family": t.entry.family, "url": entry_url(t),
                         "signals": list(dict.fromkeys(s.signal for s in t.entry.signals))} for t in types},
        "signals": {i: {"label": signals[i].entry.title, "types": ids} for i, ids in pointing.items()},
        "items": items,
    }


_BUILD = {"swaps": _swaps, "identify": _identify, "legal": _legal}


# the knowledge base the drills were last made for (weakly: not kept into the next build) and them; a build
# asks for each drill's data three times (the practice page's count, its drill page's, the JSON file)
_MADE: list = [None, {}]


def drill_data(kb: KnowledgeBase, drill: str) -> dict:
    if _MADE[0] is None or _MADE[0]() is not kb:
        _MADE[:] = [weakref.ref(kb), {}]
    made = _MADE[1]
    if drill not in made:
        made[drill] = _BUILD[drill](kb)
    return made[drill]


def practice_files(kb: KnowledgeBase) -> dict[str, str]:
    """Site path → JSON text of each drill's data."""
    return {drill_json(d): json.dumps(drill_data(kb, d), ensure_ascii=False, separators=(",", ":")) for d in DRILLS}
