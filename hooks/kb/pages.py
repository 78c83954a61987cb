"""Which pages exist, where every entry lives (its address), and the redirects for renamed ids.

Addresses come from ids only: a page kind lives at ``<kind>/<id>/``; every other entry is an
anchor ``#<id>`` on its collection page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase
    from .load import Record

# kinds with one page per entry: folder in the site
PAGE_KINDS = {"types": "types", "scenarios": "scenarios", "legal": "legal"}

# kinds shown as anchored entries on a shared page
COLLECTIONS = {
    "swaps": "phrases/index.md",
    "phrases": "phrases/index.md",
    "principles": "principles/index.md",
    "techniques": "process/index.md",
    "escalation": "escalation/index.md",
    "roles": "roles/index.md",
    "categories": "scenarios/index.md",
    "topics": "topics/index.md",
    "signals": "types/index.md",  # the signal list sits with the types it points to
}


def entry_location(record: "Record") -> tuple[str, str | None]:
    """(source path of the page, anchor or None) for an entry."""
    if record.kind in PAGE_KINDS:
        return f"{PAGE_KINDS[record.kind]}/{record.id}.md", None
    return COLLECTIONS[record.kind], record.id


def page_url(src_uri: str) -> str:
    """The directory URL a page source is served at, relative to the site root (use_directory_urls)."""
    return src_uri.removesuffix("index.md") if src_uri.endswith("index.md") else src_uri.removesuffix(".md") + "/"


def entry_url(record: "Record") -> str:
    """The entry's public address, relative to the site root."""
    src, anchor = entry_location(record)
    return page_url(src) + (f"#{anchor}" if anchor else "")


def relative_url(target: str, from_dir: str) -> str:
    """A site-root-relative directory URL (``types/x/``, ``""`` for home) as a link from the directory
    URL ``from_dir``: for raw HTML, where MkDocs does not rewrite links."""
    return posixpath.relpath(target or ".", from_dir or ".") + "/"


@dataclass
class PageSpec:
    src_uri: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# collection pages: (source path, template); each template gives its page its title
SECTIONS = [
    ("index.md", "home.md.j2"),
    ("types/index.md", "types.md.j2"),
    ("triage/index.md", "triage.md.j2"),
    ("scenarios/index.md", "scenarios.md.j2"),
    ("legal/index.md", "legal_index.md.j2"),
    ("phrases/index.md", "phrases.md.j2"),
    ("process/index.md", "process.md.j2"),
    ("principles/index.md", "principles.md.j2"),
    ("escalation/index.md", "escalation.md.j2"),
    ("roles/index.md", "roles.md.j2"),
    ("topics/index.md", "topics.md.j2"),
    ("sources/index.md", "sources.md.j2"),
    ("authoring/format.md", "format.md.j2"),
]

ENTRY_TEMPLATES = {"types": "type.md.j2", "scenarios": "scenario.md.j2", "legal": "legal.md.j2"}


def plan(kb: "KnowledgeBase") -> list[PageSpec]:
    """Every generated page of the site."""
    pages = [PageSpec(src, tpl) for src, tpl in SECTIONS]
    for kind, template in ENTRY_TEMPLATES.items():
        for record in kb.of_kind(kind):
            src, _ = entry_location(record)
            pages.append(PageSpec(src, template, {"e": record.entry, "record": record}))
    return pages


def redirects(kb: "KnowledgeBase") -> dict[str, str]:
    """Old page address (site-relative file) → new address, for renamed page entries.

    Renamed anchored entries keep their old anchor on the collection page instead (see templates).
    """
    out: dict[str, str] = {}
    for old, record in kb.aliases.items():
        if record.kind in PAGE_KINDS:
            out[f"{PAGE_KINDS[record.kind]}/{old}/index.html"] = entry_url(record)
    return out
