"""The Jinja environment that turns entries into pages, and the escaping it relies on.

Templates write HTML, which MkDocs shows as it is (kb.htmlpage); each prose value is converted on its
own. Hand-written pages stay Markdown: their ``[[kind:id]]``
references become Markdown links (``resolve_inline``).

Every data value reaches a page through one of two filters:
- ``text``: plain text, HTML-escaped, so the value shows exactly as written.
- ``prose``: a little Markdown (bold, italics, lists, safe links) plus ``[[kind:id]]`` references.
  ``<`` is escaped (no raw HTML, no autolinks, no snippet includes), ``{``/``}`` too (no attribute
  lists), and links to anything but the web or the site are shown as text.
Autoescape is on, so a value that misses both filters is still HTML-escaped.
"""

from __future__ import annotations

import json
import posixpath
import re
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .knowledge import KnowledgeBase
from .load import Record
from .callcard import call_card_swaps
from .carryover import CARRIED
from .changes import WHAT_LABEL
from .formatdoc import describe, describe_company
from .model import (
    CONFIDENCE, PHRASE_CATEGORIES, PLURAL, PRINCIPLE_GROUPS, REVIEW_STATUS, SIGNAL_GROUPS, SINGULAR, TECHNIQUE_GROUPS,
    TYPE_FAMILIES, ZH,
)
from .pages import DRILLS, FRONT_LIST_MAX, drill_json, entry_location, page_url, relative_url, relpath, roleplay_src, roleplays
from .practice import drill_data
from .training import day_name, topic_tree
from .templatecache import use_cache
from .triage import JSON_NAME, ordered_signals
from .prose import Converter, markdown_of
from .refs import INLINE

if TYPE_CHECKING:
    from .buildinfo import BuildInfo

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# characters Markdown, attr_list, tables, tildes, emphasis and emoji shortcodes act on
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~^=:$"}
# one table for both, so each character is replaced once (str.translate: one pass, in C)
_TEXT_TABLE = str.maketrans({**{c: str(escape(c)) for c in "&<>\"'"}, **_MD_SPECIAL})
_LIST_START = re.compile(r"^(\s*)([-+*]|\d+[.)])")
_CODE_OR_INLINE = re.compile(r"(?P<code>(`+).*?\2)|" + INLINE.pattern, re.S)


def yaml_str(value: object) -> Markup:
    """A front-matter value: HTML-escaped (themes print titles unescaped), quoted as YAML."""
    return Markup(json.dumps(str(escape(str(value))), ensure_ascii=False))


def md_text(value: object) -> Markup:
    """Plain text inside Markdown (a link's label in prose, a reference in a hand-written page): shown
    literally, on one line. Each character is replaced once
    (escaping HTML first and Markdown after would turn the '#' of '&#39;' into a reference too)."""
    s = str(value).translate(_TEXT_TABLE)
    s = " ".join(s.split())  # a plain value never breaks a list item or a table row
    s = _LIST_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), s)
    return Markup(s)


class Renderer:
    """Renders the page templates for one build."""

    def __init__(self, kb: KnowledgeBase, templates: Path = TEMPLATES, info: "BuildInfo | None" = None,
                 cache_templates: bool = False, markdown_extensions: list | tuple = (),
                 mdx_configs: dict | None = None):
        """``markdown_extensions`` and ``mdx_configs``: the site's (MkDocs config), for what the ``toc``
        extension puts in a heading (its permalink), which the templates' headings carry too."""
        self.kb = kb
        self.info = info
        self._prose = Converter()
        self._converted: dict[tuple[str, bool], str] = {}  # this build's conversions (prose_html)
        toc = (mdx_configs or {}).get("toc", {}) if "toc" in markdown_extensions else {}
        permalink = toc.get("permalink")
        self.permalink = None if permalink in (None, False) else {
            "text": "¶" if permalink is True else str(permalink), "title": toc.get("permalink_title", "Permanent link")}
        # while serving (kb.incremental.page_contents): (records, page, label, with their neighbours) -> the
        # version of a block of a page made from those entries; None: every block is rendered
        self.block_version: "Callable[[list[Record], str, str, bool], str] | None" = None
        # while serving: what every page reads besides entries (kb.incremental.pages_signature), which with
        # its own inputs keys a small part the build before made (copy_link); None: made every time
        self.pages_version: str | None = None
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        if cache_templates:  # compiled templates kept between builds (kb.templatecache)
            use_cache(self.env)
        sources = {s.key: s.section for s in kb.sources}
        self.env.filters.update(text=escape, yaml_str=yaml_str,
                                get_record=lambda i: kb.by_id[i], records_of=kb.of_kind,
                                # on a part of a split collection page: only the part's entries
                                in_part=lambda records, only: records if only is None else [r for r in records if r.id in only])
        self.env.globals.update(
            kb=kb, ZH=ZH, SINGULAR=SINGULAR, PHRASE_CATEGORIES=PHRASE_CATEGORIES,
            TECHNIQUE_GROUPS=TECHNIQUE_GROUPS, PRINCIPLE_GROUPS=PRINCIPLE_GROUPS, SIGNAL_GROUPS=SIGNAL_GROUPS,
            TYPE_FAMILIES=TYPE_FAMILIES, CONFIDENCE=CONFIDENCE, REVIEW_STATUS=REVIEW_STATUS,
            source_title=lambda key: sources.get(key, key), docs=describe(), company_doc=describe_company(),
            triage_signals=lambda: ordered_signals(kb), TRIAGE_JSON=JSON_NAME,
            info=info,  # review schedules, history, today (None: pages show neither)
            WHAT_LABEL=WHAT_LABEL, call_card_swaps=call_card_swaps(kb, info.settings.call_card) if info else [],
            part=None, only=None,  # a whole collection page unless the page plan says otherwise
            permalink=self.permalink, FRONT_LIST_MAX=FRONT_LIST_MAX,
            topic_tree=topic_tree, day_name=day_name, roleplays=lambda: roleplays(kb), roleplay_src=roleplay_src,
            DRILLS=DRILLS, drill_json=drill_json, drill_count=lambda d: len(drill_data(kb, d)["items"]),
        )

    # -- links -----------------------------------------------------------------------------------

    @staticmethod
    def href(record: Record, page_src: str) -> str:
        """The entry's page file (and anchor) from the Markdown page ``page_src``: MkDocs turns links to
        .md files into addresses and checks them."""
        src, anchor = entry_location(record)
        if src == page_src and anchor:
            return f"#{anchor}"
        path = relpath(src, posixpath.dirname(page_src) or ".")
        return f"{path}#{anchor}" if anchor else path

    def html_href(self, record: Record, page_src: str) -> str:
        """The entry's address from ``page_src`` as it is served (generated pages are HTML: MkDocs rewrites
        links to .md files only in Markdown)."""
        src, anchor = entry_location(record)
        if src == page_src and anchor:
            return f"#{anchor}"
        return self.html_page_href(src, anchor, page_src)

    def link(self, record: Record, page_src: str, label: str | None = None) -> Markup:
        """A Markdown link to the entry, for hand-written pages."""
        return Markup(f"[{md_text(label or record.entry.title)}]({self.href(record, page_src)})")

    def html_link(self, record: Record, page_src: str, label: str | None = None) -> Markup:
        return Markup(f'<a href="{escape(self.html_href(record, page_src))}">{escape(label or record.entry.title)}</a>')

    # -- prose -----------------------------------------------------------------------------------

    def prose_html(self, value: str, page_src: str, inline: bool = False) -> Markup:
        """Prose as HTML: references resolved to served addresses, then converted by Markdown. ``inline``:
        for prose inside a sentence or a list item, the text of one paragraph (line breaks are spaces,
        and no block can open inside the paragraph it goes in)."""
        markdown_text = self.prose_markdown(value, page_src)
        # the conversion is the costly part, and the same text converts the same way: a value shown on
        # several pages as deep as each other links the same addresses (a third of the conversions of a
        # build; kb.carryover keeps them between `mkdocs serve` rebuilds too)
        key = (markdown_text, inline)
        html = self._converted.get(key)
        if html is None:
            html = self._converted[key] = CARRIED.get(("prose", *key), lambda: self._prose.convert(markdown_text, inline))
        return Markup(html)

    def forget_conversions(self) -> None:
        """Let go of this build's prose conversions (once every page is made)."""
        self._converted.clear()

    def prose_after(self, label: str, value: str, page_src: str) -> Markup:
        """``label`` in bold, then the prose in the same paragraph (as ``**label**prose`` in Markdown)."""
        html = str(self.prose_html(value, page_src))
        strong = f"<strong>{escape(label)}</strong>"
        return Markup(f"<p>{strong}{html[3:]}" if html.startswith("<p>") else f"<p>{strong}</p>\n{html}")

    def prose_markdown(self, value: str, page_src: str) -> str:
        """Prose as safe Markdown (kb.prose), references linking to the addresses pages are served at (this
        Markdown is converted here, not by MkDocs, which would rewrite links to .md files)."""

        def resolve(m: re.Match) -> str:
            # the reference was read from the escaped text: its label is unescaped once, md_text escapes it
            kind, entry_id, label = PLURAL.get(m.group(1)), m.group(2).strip(), m.group(3)
            record = self.kb.by_id.get(entry_id)
            if record is None or record.kind != kind:  # the checker already refused this
                return str(md_text(unescape(m.group(0))))
            return f"[{md_text(unescape(label) if label else record.entry.title)}]({self.html_href(record, page_src)})"

        return markdown_of(value, resolve)

    def resolve_inline(self, markdown: str, page_src: str) -> str:
        """Resolve [[kind:id]] in a hand-written page; an unknown reference raises KeyError."""

        def resolve(m: re.Match) -> str:
            if m.group("code"):  # examples in code spans and fences stay as written
                return m.group(0)
            kind, entry_id = PLURAL.get(m.group(3)), m.group(4).strip()
            record = self.kb.by_id.get(entry_id)
            if record is None or record.kind != kind:
                line = markdown.count("\n", 0, m.start()) + 1
                raise KeyError(f"line {line}: inline reference {m.group(0)} does not resolve")
            return str(self.link(record, page_src, m.group(5)))

        return _CODE_OR_INLINE.sub(resolve, markdown)

    # -- pages -----------------------------------------------------------------------------------

    def render(self, template: str, page_src: str, **context) -> str:
        env_globals = dict(
            page_src=page_src,
            link=lambda r, label=None: self.html_link(r, page_src, label),
            href=lambda r: self.html_href(r, page_src),
            prose=lambda v: self.prose_html(v, page_src),
            prose_inline=lambda v: self.prose_html(v, page_src, inline=True),
            prose_after=lambda label, v: self.prose_after(label, v, page_src),
            page_href=lambda src, anchor=None: self.html_page_href(src, anchor, page_src),
            entry_block=lambda r, label, caller: self.block([r], label, page_src, caller, around=True),
            entries_block=lambda records, label, caller: self.block(records, label, page_src, caller, around=False),
        )
        return self.env.get_template(template).render(**env_globals, **context)

    def block(self, records: list[Record], label: str, page_src: str, caller: Callable[[], str], around: bool) -> Markup:
        """A part of a page that lists many entries, made from these entries alone, while serving the one
        the build before made when its version is unchanged: after an edit, such a page lists the other
        entries without rendering them again.

        - ``{% call entry_block(r, "label") %}…{% endcall %}``: one entry as its own page shows it, with
          what it reads of the entries it refers to and that refer to it (its neighbourhood,
          kb.incremental.with_neighbours);
        - ``{% call entries_block(records, "label") %}…{% endcall %}``: entries shown by their own data
          alone (a list of links: title, kind, address), nothing of their neighbours.

        ``label`` tells the blocks of one page apart. Whatever else the body reads must be in every
        page's signature (settings, sources, templates, today: kb.incremental.pages_signature)."""
        if self.block_version is None:
            return caller()
        version = self.block_version(records, page_src, label, around)
        slot = ("block", page_src, label, records[0].id if around else "")
        return Markup(CARRIED.get_current(slot, version, lambda: str(caller())))

    @staticmethod
    def html_page_href(target_src: str, anchor: str | None, page_src: str) -> str:
        """A page's address as it is served, from ``page_src``; another file (``triage.json``) as it is."""
        if target_src.endswith(".md"):
            path = relative_url(page_url(target_src), page_url(page_src))
        else:
            path = relpath(target_src, page_url(page_src) or ".")
        return f"{path}#{anchor}" if anchor else path

    def copy_link(self, anchor: str, record: Record) -> str:
        """The 复制链接 button for an entry heading (see permalink.py)."""
        _, on_page = entry_location(record)
        url = self.info.address(record) if self.info and self.info.site_url else ""
        values = {"href": f"#{anchor}" if on_page else "./", "url": url, "title": record.entry.title}

        def make() -> str:
            return self.env.get_template("copy_link.html.j2").render(**values)

        if self.pages_version is None:
            return make()
        # one template render per heading was a twentieth of a rebuild after an edit at 15,000 entries
        return CARRIED.get(("copy_link", self.pages_version, *values.values()), make)

    def redirect(self, old_path: str, target_url: str) -> str:
        """The page left at a renamed entry's old address (``types/old-id/index.html``), sending the
        reader to ``target_url`` (site-relative, like ``types/new-id/``) with the #anchor kept."""
        return self.env.get_template("redirect.html.j2").render(
            target=relative_url(target_url, posixpath.dirname(old_path) + "/"))
