"""A 复制链接 button beside every entry heading, copying the entry's full address.

Added to each generated page as it is made (kb.generate), so every template's entry headings get it
without each template repeating it, and the table of contents and the heading's own text stay clean.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from .knowledge import KnowledgeBase
from .htmlpage import HEADING
from .load import Record
from .pages import entry_location


def entries_by_page(kb: KnowledgeBase) -> dict[str, list[tuple[str, Record]]]:
    """Page source → (heading id, entry) of every entry on that page."""
    out: dict[str, list[tuple[str, Record]]] = defaultdict(list)
    for r in kb.records:
        src, anchor = entry_location(r)
        out[src].append((anchor or r.id, r))
    return dict(out)


def add_copy_buttons(html: str, entries: list[tuple[str, Record]], button: Callable[[str, Record], str]) -> str:
    """``html`` with ``button(heading id, entry)`` right after each entry's heading."""
    wanted = {anchor: r for anchor, r in entries}

    def insert(m: re.Match) -> str:
        r = wanted.get(m.group(2))
        return m.group(0) + button(m.group(2), r) if r else m.group(0)

    return HEADING.sub(insert, html)
