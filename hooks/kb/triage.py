"""The 识别助手 (/triage/): its signals in order with their keys, and the JSON its script ranks with.

The ranking itself lives once, in docs/assets/triage.js (the page runs it as the agent ticks); this
module only prepares the data, from data/ and nothing else.
"""

from __future__ import annotations

import json

from .knowledge import KnowledgeBase
from .load import Record
from .model import REVIEW_STATUS, SIGNAL_GROUPS, SIGNAL_KEYS, TYPE_FAMILIES
from .pages import entry_url

SAY_COUNT = 3  # things to say shown per result
JSON_NAME = "triage.json"  # at the site root, beside the pages


def ordered_signals(kb: KnowledgeBase) -> list[tuple[str, Record]]:
    """(key, signal) in the order of the page: by group, then as written in data/signals/."""
    groups = list(SIGNAL_GROUPS)
    signals = sorted(kb.of_kind("signals"), key=lambda r: groups.index(r.entry.group))  # stable: file order kept
    return list(zip(SIGNAL_KEYS, signals))  # the checker refuses more signals than keys


def things_to_say(kb: KnowledgeBase, type_record: Record) -> list[str]:
    """The first sentences to say among the type's phrases, in the order the type lists them: a phrase's
    text, or the first 改说 of a swap."""
    out: list[str] = []
    for ref in type_record.entry.phrases:
        e = kb.by_id[ref].entry
        out.append(e.say[0] if kb.by_id[ref].kind == "swaps" else e.text)
    return list(dict.fromkeys(out))[:SAY_COUNT]


def triage_data(kb: KnowledgeBase) -> dict:
    """Everything the page needs, as plain values; URLs are relative to the site root."""
    signals = ordered_signals(kb)
    used = {r.id for _, r in signals}
    legal = {i for _, r in signals for i in r.entry.legal}
    escalation = {i for _, r in signals for i in r.entry.escalation}
    return {
        "groups": list(SIGNAL_GROUPS),
        "families": list(TYPE_FAMILIES),
        "signals": [
            {"id": r.id, "key": key, "label": r.entry.title, "group": r.entry.group, "weight": r.entry.weight,
             "legal": r.entry.legal, "escalation": r.entry.escalation}
            for key, r in signals
        ],
        "types": [
            {"id": r.id, "title": r.entry.title, "family": r.entry.family, "url": entry_url(r),
             "first_move": r.entry.first_move,
             "signals": [s for s in dict.fromkeys(s.signal for s in r.entry.signals) if s in used],
             "say": things_to_say(kb, r)}
            for f in TYPE_FAMILIES for r in kb.of_kind("types") if r.entry.family == f
        ],
        "legal": {
            r.id: {"title": r.entry.title, "url": entry_url(r),
                   "review": None if r.entry.review.status == "verified" else REVIEW_STATUS[r.entry.review.status]}
            for r in kb.of_kind("legal") if r.id in legal
        },
        "escalation": {
            r.id: {"title": r.entry.title, "level": r.entry.level, "url": entry_url(r)}
            for r in kb.of_kind("escalation") if r.id in escalation
        },
    }


def triage_json(kb: KnowledgeBase) -> str:
    return json.dumps(triage_data(kb), ensure_ascii=False, separators=(",", ":"))
