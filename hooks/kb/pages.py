"""Which pages exist, where every entry lives (its address), and the redirects for renamed ids.

Addresses come from ids only: a page kind lives at ``<kind>/<id>/``; every other entry is an
anchor ``#<id>`` on its collection page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import PHRASE_CATEGORIES, PRINCIPLE_GROUPS, TECHNIQUE_GROUPS

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
    "course": "training/index.md",
}


def entry_location(record: "Record") -> tuple[str, str | None]:
    """(source path of the page, anchor or None) for an entry."""
    if record.kind in PAGE_KINDS:
        return f"{PAGE_KINDS[record.kind]}/{record.id}.md", None
    return record.page or COLLECTIONS[record.kind], record.id


def directory_urls_problem(use_directory_urls: bool) -> str | None:
    """Why the site cannot be built without directory addresses, or None: generated pages are HTML and
    link to each page's folder (types/x/), the address ``page_url`` gives."""
    if use_directory_urls:
        return None
    return ("不支持 use_directory_urls: false：生成的页面链接到每页的文件夹地址（types/x/），"
            "这也是 MkDocs 默认的网址形式")


def page_url(src_uri: str) -> str:
    """The directory URL a page source is served at, relative to the site root (use_directory_urls)."""
    return src_uri.removesuffix("index.md") if src_uri.endswith("index.md") else src_uri.removesuffix(".md") + "/"


def entry_url(record: "Record") -> str:
    """The entry's public address, relative to the site root."""
    src, anchor = entry_location(record)
    return page_url(src) + (f"#{anchor}" if anchor else "")


def relpath(target: str, start: str) -> str:
    """posixpath.relpath for the paths the pages link between: relative to the site root, without ``..``
    or ``.`` parts (``"."`` is the root). posixpath.relpath makes both absolute against the working folder
    and normalises them, which at 10,000 entries (230,000 links) was a sixth of rendering the pages; each
    page links from its own folder, so remembering the answers did not help there."""
    to = target.split("/") if target != "." else []
    at = start.split("/") if start != "." else []
    if to and not to[-1]:
        to.pop()
    if at and not at[-1]:
        at.pop()
    same = 0
    for a, b in zip(to, at):
        if a != b:
            break
        same += 1
    return "/".join([".."] * (len(at) - same) + to[same:]) or "."


def relative_url(target: str, from_dir: str) -> str:
    """A site-root-relative directory URL (``types/x/``, ``""`` for home) as a link from the directory
    URL ``from_dir``: for raw HTML, where MkDocs does not rewrite links."""
    return relpath(target or ".", from_dir or ".") + "/"


@dataclass
class PageSpec:
    src_uri: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# collection pages: (source path, template); each template gives its page its title
SECTIONS = [
    ("index.md", "home.html.j2"),
    ("types/index.md", "types.html.j2"),
    ("triage/index.md", "triage.html.j2"),
    ("scenarios/index.md", "scenarios.html.j2"),
    ("legal/index.md", "legal_index.html.j2"),
    ("phrases/index.md", "phrases.html.j2"),
    ("process/index.md", "process.html.j2"),
    ("principles/index.md", "principles.html.j2"),
    ("escalation/index.md", "escalation.html.j2"),
    ("roles/index.md", "roles.html.j2"),
    ("topics/index.md", "topics.html.j2"),
    ("sources/index.md", "sources.html.j2"),
    ("authoring/format.md", "format.html.j2"),
    ("review/index.md", "review.html.j2"),
    ("changes/index.md", "changes.html.j2"),
    ("call-card/index.md", "call_card.html.j2"),
    ("training/index.md", "training.html.j2"),
    ("practice/index.md", "practice.html.j2"),
]

ENTRY_TEMPLATES = {"types": "type.html.j2", "scenarios": "scenario.html.j2", "legal": "legal.html.j2"}


# ---------------------------------------------------------------- collections that grow

# the home page, the call card and the search dialog's no-match view show at most this many types,
# swaps or categories, then link to all of them: what every agent sees first must not grow with the data
# (650 type cards at 10,000 entries)
FRONT_LIST_MAX = 24

# a collection page with more entries than this is split into one page per group (configurable in
# mkdocs.yml: extra: kb: collection_page_max)
COLLECTION_PAGE_MAX = 150


@dataclass(frozen=True)
class Group:
    """A group of a collection page, with the anchor it has always had there (/phrases/#empathy)."""

    kind: str
    anchor: str
    title: str
    value: str | None = None  # entries whose grouping field has this value; None: every entry of the kind
    section: tuple[str, str] | None = None  # (heading, anchor) the group sits under on the page


GROUP_FIELD = {"phrases": "category", "techniques": "group", "principles": "group"}

# collection pages that split when they grow: title, heading anchor, groups in page order
SPLITTABLE = {
    "phrases/index.md": ("话术", "phrases", [Group("swaps", "swaps", "话术替换：别说 → 改说")] + [
        Group("phrases", anchor, category, category, ("推荐话术", "recommended"))
        for category, anchor in PHRASE_CATEGORIES.items()]),
    "process/index.md": ("处理流程与技巧", "process", [
        Group("techniques", anchor, group, group) for group, anchor in TECHNIQUE_GROUPS.items()]),
    "principles/index.md": ("处理原则", "principles", [
        Group("principles", anchor, group, group) for group, anchor in PRINCIPLE_GROUPS.items()]),
}


@dataclass
class Part:
    """One page of a split collection: a group, or a share of a group too big for one page."""

    src_uri: str
    title: str
    group: Group
    records: list["Record"]


def lay_out(kb: "KnowledgeBase", max_entries: int = COLLECTION_PAGE_MAX) -> dict[str, list[Part]]:
    """Split every collection page holding more than ``max_entries`` entries into its groups, each at
    ``<collection>/<group anchor>/`` (a group still too big: by the first character of the ids,
    ``<collection>/<group anchor>-<c>/``); set each moved entry's ``page``. Returns the parts by page."""
    out: dict[str, list[Part]] = {}
    for src, (_, _, groups) in SPLITTABLE.items():
        members: dict[Group, list[Record]] = {g: [] for g in groups}
        for g in groups:
            if g.value is None:
                members[g] = kb.of_kind(g.kind)
            else:
                members[g] = kb.grouped(g.kind, GROUP_FIELD[g.kind]).get(g.value, [])
        if sum(len(m) for m in members.values()) <= max_entries:
            continue
        folder = src.removesuffix("index.md")
        parts: list[Part] = []
        for g, records in members.items():
            if len(records) <= max_entries:
                chunks = [(g.anchor, g.title, records)] if records else []
            else:
                initials: dict[str, list[Record]] = {}
                for r in records:
                    initials.setdefault(r.id[0], []).append(r)
                chunks = [(f"{g.anchor}-{c}", f"{g.title}（{c.upper()}）", initials[c]) for c in sorted(initials)]
            for anchor, title, records_ in chunks:
                part = Part(f"{folder}{anchor}/index.md", title, g, records_)
                for r in records_:
                    r.page = part.src_uri
                parts.append(part)
        out[src] = parts
    return out


def moved_anchors(src: str, parts: list[Part]) -> dict[str, str]:
    """Every anchor the whole collection page had → the part page holding it now, as a URL relative
    to the collection page: entries, their former ids, and groups (their first part)."""
    here = page_url(src)
    moved: dict[str, str] = {}
    for part in parts:
        url = relative_url(page_url(part.src_uri), here)
        moved.setdefault(part.group.anchor, url)
        for r in part.records:
            moved[r.id] = url
            for old in r.entry.aliases:  # type: ignore[attr-defined]
                moved[old] = url
    return moved


def moved_json(moved: dict[str, str]) -> str:
    """The anchor map as JSON, the text of a hidden element: ``<``, ``>`` and ``&`` are escaped, so no
    id can turn into markup, and ``JSON.parse`` of the element's textContent reads it back."""
    return json.dumps(moved, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plan(kb: "KnowledgeBase", parts: dict[str, list[Part]] | None = None) -> list[PageSpec]:
    """Every generated page of the site; ``parts`` from ``lay_out`` (none: nothing is split)."""
    parts = parts or {}
    pages = []
    for src, tpl in SECTIONS:
        if src not in parts:
            pages.append(PageSpec(src, tpl))
            continue
        title, anchor, groups = SPLITTABLE[src]
        by_group = [(g, [p for p in parts[src] if p.group == g]) for g in groups]
        pages.append(PageSpec(src, "collection_index.html.j2", {
            "title": title, "anchor": anchor, "groups": [(g, ps) for g, ps in by_group if ps],
            "moved": moved_json(moved_anchors(src, parts[src]))}))
        for part in parts[src]:
            pages.append(PageSpec(part.src_uri, tpl, {
                "part": part, "only": {r.id for r in part.records}}))
    for kind, template in ENTRY_TEMPLATES.items():
        for record in kb.of_kind(kind):
            src, _ = entry_location(record)
            pages.append(PageSpec(src, template, {"e": record.entry, "record": record}))
    for record in roleplays(kb):
        pages.append(PageSpec(roleplay_src(record), "roleplay.html.j2", {"e": record.entry, "record": record}))
    for drill in DRILLS:
        pages.append(PageSpec(f"practice/{drill}/index.md", "drill.html.j2", {"drill": drill, **DRILLS[drill]}))
    return pages


# ---------------------------------------------------------------- training

# the self-check drills on /practice/<drill>/: title, what the trainee does, and the data file the page's
# script reads (kb.practice writes it)
DRILLS = {
    "swaps": {"title": "改说练习", "lead": "先看一句“别说”的话，自己写出怎么改说，再看宝典里的改说和为什么。"},
    "identify": {"title": "识别练习", "lead": "看客户怎么说、怎么做，判断他的性格类型和投诉性质，再看哪些信号指向哪里。"},
    "legal": {"title": "法律练习", "lead": "看一个法律与赔偿问题，先用自己的话回答，再看简短答案和依据。"},
}


def drill_json(drill: str) -> str:
    """The site path of a drill's data file."""
    return f"practice/{drill}.json"


def roleplays(kb: "KnowledgeBase") -> list["Record"]:
    """The scenarios that are played from cards (the checker requires cards of every drill)."""
    return [r for r in kb.of_kind("scenarios") if r.entry.roleplay is not None]


def roleplay_src(record: "Record") -> str:
    """A drill's role-play cards: one page per drill, one card per printed sheet."""
    return f"training/roleplay/{record.id}.md"


def redirects(kb: "KnowledgeBase") -> dict[str, str]:
    """Old page address (site-relative file) → new address, for renamed page entries.

    Renamed anchored entries keep their old anchor on the collection page instead (see templates).
    """
    out: dict[str, str] = {}
    for old, record in kb.aliases.items():
        if record.kind in PAGE_KINDS:
            out[f"{PAGE_KINDS[record.kind]}/{old}/index.html"] = entry_url(record)
    return out
