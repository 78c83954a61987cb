"""What a `mkdocs serve` rebuild may take from the build before it: generated pages whose inputs did not
change (kb.carryover keeps results; this module says what each result is computed from).

Two results per generated page are carried, each keyed by a hash of everything it is computed from, so
an edit anything reads makes a new key and the page is made again (each entry's line of the export is
carried by the same key as its page, kb.export):

- the page's HTML from our templates (``entry_page_key``), for an entry's own page (type, scenario,
  legal note) and a part of a split collection page (phrases, process, principles at scale): its inputs
  are its entries, the entries each refers to and those referring to it (the graph, kb.graph), what the
  build knows of each (data as written, review schedule, last change, branch values, where its page is),
  and what every page reads (``pages_signature``: our templates, the settings, the sources, today's
  date, the history's state). These templates show a neighbour's title, kind, sentences and status,
  never its prose, so a neighbour's own references are not inputs. Every other generated page
  (indexes, whole collections, review, changes …) reads whole kinds and is rendered every time; where
  such a page shows each entry as its own page would (a block, kb.render.Renderer.block), that block is
  carried by the same key, or by the entries' own signatures for a list that shows only their titles.
- what Material's page template puts around a generated page's content (``theme_frame_key``): the theme
  renders the same frame for the same title, metadata, address and table of contents under the same
  configuration, navigation and theme files (``theme_signature``), and prints the content into it as it
  is; so while the frame's key is unchanged the page is the frame around its new content, and Material's
  template is not rendered (at 15,000 entries it was a fifth of a rebuild after a title other pages show).

An edited mkdocs.yml, template, theme override, setting or kb code changes a signature every key holds:
everything is made again, as in a full build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .carryover import CARRIED

if TYPE_CHECKING:
    from .buildinfo import BuildInfo
    from .knowledge import KnowledgeBase
    from .load import Record

# an entry's own pages: what they read of other entries is what with_neighbours covers (a scenario's
# role-play cards link its page and convert its prose, as the scenario's page does)
ENTRY_TEMPLATES = frozenset({"type.html.j2", "scenario.html.j2", "legal.html.j2", "roleplay.html.j2"})
# the collection templates, which on a part of a split page (kb.pages.lay_out) show only its entries
PART_TEMPLATES = frozenset({"phrases.html.j2", "process.html.j2", "principles.html.j2"})


def _digest(parts: Iterable[object]) -> str:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        # a text as it is (a page's whole content: its repr() cost more than the hash), anything else as its
        # repr; each part tagged and its length first, so no two lists of parts hash the same bytes
        data = (b"s" if type(p) is str else b"r") + (p if type(p) is str else repr(p)).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree_state(folder: Path) -> list[tuple[str, int, int]]:
    """Every file under ``folder`` with its modification time and size (edits change one of them)."""
    if not folder.is_dir():
        return []
    return sorted((str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in folder.rglob("*") if p.is_file())


def pages_signature(kb: "KnowledgeBase", info: "BuildInfo", templates: Path, permalink: object) -> str:
    """What every generated page may read besides entries: our templates (their text), the settings,
    today's date, the history's state, the source sections, the heading permalinks and the repository
    editor's address (each entry page links its file there)."""
    texts = sorted((str(p.relative_to(templates)), p.read_bytes()) for p in templates.rglob("*") if p.is_file())
    h = info.history
    return _digest([texts, repr(info.settings), info.today, info.site_url, info.edit_base, h.available,
                    h.oldest, h.dirty, getattr(h.head, "sha", None), kb.branch, [repr(s) for s in kb.sources],
                    permalink])


class EntrySignatures:
    """Each entry's signature for one build: its data as written, where it is written (its page names the
    file and line), where its page is, its review schedule,
    last change and branch values. Made on demand, once per entry."""

    def __init__(self, kb: "KnowledgeBase", info: "BuildInfo") -> None:
        self.kb, self.info = kb, info
        self._company: dict[str, list[str]] = {}
        for v in kb.company_values:
            self._company.setdefault(v.legal, []).append(repr(v))
        self._done: dict[str, str] = {}
        self._around: dict[str, str] = {}

    def __call__(self, r: "Record") -> str:
        sig = self._done.get(r.id)
        if sig is None:
            # one repr of one tuple, hashed once (``_digest``'s loop over the parts was most of the signatures'
            # time at 15,000 entries); the entry as written stands as its hash, made once per file read
            written = repr((r.id, r.kind, r.doc.path, r.index, r.where(), r.local, r.page, r.broken,
                            r.doc.entry_digest(r.index), _schedule(self.info.review.get(r.id)),
                            self.info.changed.get(r.id), self._company.get(r.id)))
            sig = hashlib.blake2b(written.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
            self._done[r.id] = sig
        return sig

    def around(self, r: "Record", kb: "KnowledgeBase") -> str:
        """``with_neighbours`` as one key, made once per entry and build (its pages and its line of the
        export are keyed by it)."""
        key = self._around.get(r.id)
        if key is None:
            # joined by a character no id or signature holds (ids are kebab-case, signatures hex) and hashed
            # once, not as the repr of nested tuples (these keys were a tenth of a profiled rebuild after an
            # edit at 15,000 entries)
            joined = "\x1f".join(with_neighbours(r, kb, self)).encode("utf-8", "surrogatepass")
            key = self._around[r.id] = hashlib.blake2b(joined, digest_size=20).hexdigest()
        return key


def _schedule(s) -> tuple | None:
    """A review schedule without its record (the record's data is in the signature already)."""
    if s is None:
        return None
    return tuple(getattr(s, f.name) for f in fields(s) if f.name != "record")


_SIGNATURES: list[EntrySignatures] = []  # the last build's, for its pages and its export


def entry_signatures(kb: "KnowledgeBase", info: "BuildInfo") -> EntrySignatures:
    """The entries' signatures for this build (made on demand, once per entry and build)."""
    if not (_SIGNATURES and _SIGNATURES[0].kb is kb and _SIGNATURES[0].info is info):
        _SIGNATURES[:] = [EntrySignatures(kb, info)]
    return _SIGNATURES[0]


def forget_signatures() -> None:
    """Let go of the last build's signatures (they hold its knowledge base): a build calls this before it
    loads its own, so that a serving process does not hold two knowledge bases while it loads."""
    _SIGNATURES.clear()


def with_neighbours(r: "Record", kb: "KnowledgeBase", sigs: EntrySignatures) -> list[str]:
    """An entry's id and signature, then the ids and signatures of the entries it refers to and of those
    that refer to it, in the order the graph gives (pages and the export show neighbours in that order)."""
    done, by_id = sigs._done, kb.by_id
    parts = [r.id, sigs(r), "->"]
    # ids, not the records kb.links and kb.backlinks make of them: a hub type has hundreds of neighbours
    for i in kb.link_ids(r.id):
        parts += (i, done.get(i) or sigs(by_id[i]))
    parts.append("<-")
    for i in kb.backlink_ids(r.id):
        parts += (i, done.get(i) or sigs(by_id[i]))
    return parts


def entry_page_key(signature: str, spec: Any, kb: "KnowledgeBase", sigs: EntrySignatures) -> str | None:
    """The key of a generated page's HTML, or None for a page this module cannot vouch for: an entry's
    page, or a part of a split collection page (its entries, each as an entry page reads it)."""
    record, part = spec.context.get("record"), spec.context.get("part")
    if spec.template in ENTRY_TEMPLATES and record is not None:
        return _digest([signature, spec.src_uri, spec.template, sigs.around(record, kb)])
    if spec.template in PART_TEMPLATES and part is not None:
        return _digest([signature, spec.src_uri, spec.template, part.title, repr(part.group),
                        [sigs.around(r, kb) for r in part.records]])
    return None


def theme_signature(config: Any, nav: Any) -> str:
    """What Material's page template reads besides the page itself: the configuration as written (every
    mkdocs.yml this build INHERITs) and as changed by hooks (``extra``, ``site_url``), the navigation,
    the theme's own files and overrides, and the versions. Nothing in it comes from the data (the search
    help's links are a file of the search index, kb.search.SEARCH_HELP_FILE)."""
    configs = []
    path = Path(config.config_file_path) if config.config_file_path else None
    while path is not None and path.is_file() and len(configs) < 10:
        text = path.read_text(encoding="utf-8")
        configs.append((str(path), text))
        parent = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                       if line.startswith("INHERIT:")), None)
        path = (path.parent / parent).resolve() if parent else None
    custom = config.theme.custom_dir
    return _digest([
        configs, json.dumps(config.extra, sort_keys=True, default=repr, ensure_ascii=False), config.site_url,
        _nav(nav.items), [str(d) for d in config.theme.dirs], _tree_state(Path(custom)) if custom else None,
        _tree_state(Path(config.docs_dir)), config.extra_css, [str(s) for s in config.extra_javascript],
        [version(p) for p in ("mkdocs", "mkdocs-material", "jinja2")],
    ])


def _nav(items) -> list:
    return [(type(i).__name__, i.title, getattr(i, "url", None), _nav(getattr(i, "children", None) or []))
            for i in items]


# The only places where the theme's templates read a page's content (tests/test_build_caches.py checks the
# theme's and our overrides' templates for others): it is printed as it is, and looked into for an <h1>.
CONTENT_READS = ('{{ page.content }}', '{% if "\\u003ch1" not in page.content %}')


def theme_frame_key(signature: str, page: Any) -> str:
    """The key of what Material's template puts around ``page``'s content, once the content is final
    (on_page_context): everything the template reads of the page but the content itself (CONTENT_READS),
    the table of contents as Markdown made it."""
    return _digest([signature, page.file.src_uri, page.url, page.title, page.meta, _toc(page.toc),
                    "<h1" in (page.content or "")])


def _toc(items) -> list:
    return [(sorted((k, repr(v)) for k, v in vars(i).items() if k != "children"), _toc(i.children)) for i in items]


def frame(output: str, content: str) -> tuple[str, str] | None:
    """(before, after) the content in a page's output, or None when the content is not there exactly once
    (empty, or also elsewhere by chance: the page is then rendered every time)."""
    at = output.find(content) if content else -1
    if at < 0 or output.find(content, at + 1) >= 0:
        return None
    return output[:at], output[at + len(content):]


def page_contents(specs, kb: "KnowledgeBase", info: "BuildInfo", renderer,
                  finish: Callable[[Any, str], str]) -> Iterable[tuple[Any, str]]:
    """(spec, HTML) of every planned page, rendered and then given to ``finish(spec, html)`` (the entry
    headings' buttons, kb.permalink): an entry page whose key is unchanged as the build before made it
    (only while serving: kb.carryover keeps nothing otherwise), every other page made."""
    def make(spec) -> str:
        return finish(spec, renderer.render(spec.template, spec.src_uri, **spec.context))

    if not CARRIED.keeping:
        for spec in specs:
            yield spec, make(spec)
        return
    signature = pages_signature(kb, info, Path(renderer.env.loader.searchpath[0]), renderer.permalink)
    sigs = entry_signatures(kb, info)
    renderer.pages_version = signature
    # a block of a page that lists many entries (Renderer.block) reads what its entries' pages read, or
    # only their own data
    renderer.block_version = lambda records, page_src, label, around: _digest(
        [signature, page_src, label, [sigs.around(r, kb) if around else sigs(r) for r in records]])
    for spec in specs:
        key = entry_page_key(signature, spec, kb, sigs)
        yield spec, make(spec) if key is None else CARRIED.get(("page", key), lambda spec=spec: make(spec))
    # a page carried whole asked for none of its blocks: they stay for the edit that changes it, but not
    # those of a page or an entry that is gone (a block has one slot, kb.carryover.get_current)
    pages = {spec.src_uri for spec in specs}
    CARRIED.keep_unused(("block",), stale=lambda key: key[1] not in pages or (key[3] and key[3] not in kb.by_id))


CARRIED_TEMPLATE = "kb-carried-page.html"  # prints what Material's template gave the page before


class ThemePages:
    """Material's rendering of generated pages, skipped while serving when ``theme_frame_key`` is unchanged.

    MkDocs picks a page's template before the last event that sees the page's final context
    (on_page_context), so a generated page is given ``CARRIED_TEMPLATE`` up front; on_page_context then
    either puts the page's content into the frame kept for the page's key or renders the page's own
    template with the context MkDocs made, and hands the result to that template to print.
    """

    def __init__(self) -> None:
        self.env = None
        self.nav = None
        self.signature: str | None = None
        self.template: dict[str, str] = {}  # src_uri -> the template the page asked for
        self.aside: dict[str, str] = {}  # src_uri -> the page's content, while other plugins look at the page

    def use(self, page) -> None:
        """on_page_markdown of a generated page."""
        if CARRIED.keeping:
            self.template[page.file.src_uri] = page.meta.get("template", "main.html")
            page.meta["template"] = CARRIED_TEMPLATE

    def set_aside(self, html: str, page) -> str:
        """on_page_content, after every other plugin's: a generated page's content is kept here until
        on_page_context, and the page holds none meanwhile. Material's search plugin rewrites every
        page's content in on_page_context (taking out its data-search attributes), which for pages
        whose theme output is carried was a tenth of a rebuild; generated pages have no such attribute
        (a page that has one keeps its content, and the plugin rewrites it as always). Nothing else reads
        or changes a generated page's content in between (Material's tags plugin does, in on_env, for
        its listing pages only, and no generated page is one)."""
        if page.file.src_uri not in self.template or "data-search-" in html:
            return html
        self.aside[page.file.src_uri] = html
        return ""

    def start(self, env, config) -> None:
        """on_env: every page's title is known; the nav was kept by on_nav."""
        from jinja2 import ChoiceLoader, DictLoader

        if not self.template:
            return
        self.env = env
        first = env.loader.loaders[0] if isinstance(env.loader, ChoiceLoader) else None
        # an env kept from the build before (kb.quickbuild) has it already
        if not (isinstance(first, DictLoader) and CARRIED_TEMPLATE in first.mapping):
            env.loader = ChoiceLoader([DictLoader({CARRIED_TEMPLATE: "{{ kb_carried_output }}"}), env.loader])
        self.signature = theme_signature(config, self.nav)

    def context(self, context: dict, page) -> dict:
        """on_page_context, after every other plugin's."""
        if page.file.src_uri in self.aside:
            page.content = self.aside.pop(page.file.src_uri)
        template = self.template.get(page.file.src_uri)
        if template is None or self.env is None:
            return context
        rendered: list[str] = []

        def render() -> tuple[str, str] | None:
            rendered.append(self.env.get_template(template).render(context))
            return frame(rendered[0], page.content)

        # one slot per page (kb.quickbuild keeps the slots of pages a quick rebuild did not make)
        around = CARRIED.get_current(("theme", page.file.src_uri), theme_frame_key(self.signature, page), render)
        if rendered:
            context["kb_carried_output"] = rendered[0]
        elif around is None:
            context["kb_carried_output"] = self.env.get_template(template).render(context)
        else:
            context["kb_carried_output"] = around[0] + page.content + around[1]
        return context
