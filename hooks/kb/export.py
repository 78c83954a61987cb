"""The knowledge as JSON beside the pages (kb.json), for other tools."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .knowledge import KnowledgeBase
from .pages import entry_url


def as_json(kb: KnowledgeBase) -> dict:
    return {
        "branch": kb.branch,  # None for the shared knowledge base
        "entries": [
            {
                "kind": r.kind,
                "url": entry_url(r),
                "refers_to": kb.graph.refers_to(r.id),
                "referred_by": kb.graph.referred_by(r.id),
                "local": r.local,  # a branch's own entry
                **r.entry.model_dump(mode="json", by_alias=True),
            }
            for r in kb.records
        ],
        "aliases": {old: r.id for old, r in kb.aliases.items()},
        "sources": [s.model_dump(mode="json", by_alias=True) for s in kb.sources],
        # the branch's 本单位规定 (legal + key address a note's company field); dates as YYYY-MM-DD
        "company_values": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dataclasses.asdict(cv).items()}
            for cv in kb.company_values
        ],
    }


def export(kb: KnowledgeBase, site_dir: Path) -> Path:
    path = site_dir / "kb.json"
    path.write_text(json.dumps(as_json(kb), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
