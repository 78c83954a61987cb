"""The inline reference syntax in prose: ``[[kind:id]]`` or ``[[kind:id|label]]``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Links written in prose may go to the web or to an anchor; entries link to entries with [[kind:id]].
SAFE_LINK_TARGET = re.compile(r"^(https?://|mailto:|#)")

# an image would load from wherever it points, and the site must never ask an outside host
IMAGE = re.compile(r"!\[")
# code spans: shown as written (Markdown escapes their content itself)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)

INLINE = re.compile(r"\[\[\s*([a-z]+)\s*:\s*([^\]|]+?)\s*(?:\|\s*([^\]]+?)\s*)?\]\]")


@dataclass(frozen=True)
class InlineRef:
    kind: str  # singular, as written
    id: str
    label: str | None
    start: int
    end: int


def find_inline(text: str) -> Iterator[InlineRef]:
    for m in INLINE.finditer(text):
        yield InlineRef(m.group(1), m.group(2), m.group(3), m.start(), m.end())
