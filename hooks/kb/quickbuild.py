"""`mkdocs serve` after an edit of the data alone: only the pages whose output changes are made again, and
written over the served folder as the build before left it.

MkDocs answers every saved file with its whole build: it empties the served folder, lists the theme's
files, reads every page, gives each its context and template and writes it. At 1,600 entries that loop
was most of a rebuild after one edit. After an edit under a data folder, our own work (loading and
checking every file, our templates, the search index, the exports) runs as in a full build, carried
where its inputs did not change (kb.carryover, kb.incremental); MkDocs' loop runs for the pages whose
source text changed, and no other page is touched.

Why the other pages need nothing: an edit of the data changes a page's output only through

- its source text, which our templates make from the data (compared with the build before's, by hash);
  nothing else that a page's theme reads comes from the data (the search dialog's help links are a file
  of the search index, kb.search.SEARCH_HELP_FILE, written with it);
- what MkDocs and the theme gather across pages: the navigation (sections from mkdocs.yml, never an
  entry), the tags page (the titles and tags of tagged pages: made again, with Material's tags plugin's
  listings, when one changed), the sitemap (every page's address: made again, as the other static
  templates) and the hand-written pages' [[kind:id]] links (compared; a change falls back).

Everything else falls back to MkDocs' whole build, decided before a page is written (a quick rebuild
makes and writes its search index and exports after its pages, kb.sidefiles; the whole build empties the
folder and writes every file again): a change
outside the data folders (mkdocs.yml, docs/, templates, the theme, code) or none that this module sees,
a first build or one that showed the error page, a new day (the sitemap dates every page), a page added
or removed (a new, deleted or renamed entry), a page tagged or untagged (the tags plugin never forgets a
page), a link from a hand-written page to an anchor a changed page no longer has (MkDocs' strict check),
a mistake in the data (the whole build shows it), and whatever this module cannot vouch for: a plugin
or extra template besides Material's search and tags plugins and our hooks, a tags page that is not left
out of search (Material's search plugin does not run
here), an MkDocs other than 1.6 (its page functions are private). tests/test_build_caches.py drives the
rebuild after each kind of edit and compares the served folder with a fresh build, byte for byte.
"""

from __future__ import annotations

import logging
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .carryover import CARRIED
from .htmlpage import anchor_ids
from .sidefiles import drop_pending, text_hash, write_pending, written_well

log = logging.getLogger("mkdocs.hooks.knowledge_base")

TAGS_LISTING = "<!-- material/tags"  # where Material's tags plugin lists the tagged pages
# the plugins this module knows, our hooks by their file's name
PLUGINS = {"material/search", "material/tags", "knowledge_base.py"}
# what Material's template put around each page (kb.incremental.ThemePages), asked for only when a page is
# made: what a quick rebuild does not ask for stays kept for the whole build after it (kb.carryover drops
# what a build did not use)
THEME_RESULTS = ("theme",)
# what a quick rebuild asks for only after its pages (kb.sidefiles.write_pending): the search documents
# and their packed tokens (kb.search, kb.shards), the exports' lines (kb.export)
LATER_RESULTS = ("doc", "packed", "export")


def _tree_state(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file under ``paths`` (files or folders) with its modification time and size; not Python's
    compiled files, which an import writes after the code changed (the change itself is seen)."""
    state: dict[str, tuple[int, int]] = {}

    def note(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:  # removed while listed
            return
        state[path] = (st.st_mtime_ns, st.st_size)

    # os.walk, not Path.rglob: the paths are only compared, and rglob's Path objects were most of the
    # time at 15,000 entries (1.8 of 47 profiled s of a rebuild)
    for top in paths:
        if top.is_file():
            note(str(top))
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in names:
                note(os.path.join(folder, name))
    return state


def _front(text: str) -> str | None:
    """A generated page's front matter (its title and tags: what the tags page lists of it), as written
    (kb's templates write it the same way for the same values), when it has tags."""
    if not text.startswith("---\n"):
        return None
    front = text[4:text.find("\n---", 3)]
    return front if "\ntags:" in "\n" + front else None


@dataclass
class Served:
    """What the last build of `mkdocs serve` left, for the next one (``ready`` once that build ended well)."""

    ready: bool = False
    watched: list[Path] = field(default_factory=list)  # everything `mkdocs serve` rebuilds for
    data: list[Path] = field(default_factory=list)  # the folders of the data: an edit there may be quick
    state: dict[str, tuple[int, int]] = field(default_factory=dict)  # of ``watched``, as the build started
    config: Any = None
    files: Any = None
    nav: Any = None
    env: Any = None
    docs: set[str] = field(default_factory=set)  # files of docs/ (a generated page may not be one)
    made: dict[str, bytes] = field(default_factory=dict)  # generated page or redirect -> hash of its text
    # ... and that text: a page carried from the build before (kb.incremental) is the very same object, whose
    # hash is known (hashing every page's text was 0.5 s of a rebuild at 15,000 entries)
    texts: dict[str, str] = field(default_factory=dict)
    fronts: dict[str, str] = field(default_factory=dict)  # tagged page -> its front matter
    hand_written: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # page -> Markdown given, hash of ours
    listings: set[str] = field(default_factory=set)  # hand-written pages listing the tagged pages (tags.md)
    material_index: dict | None = None  # what Material's search plugin wrote
    day: str = ""  # the build date MkDocs gives every page (the sitemap's lastmod)
    shards: dict[str, bytes] = field(default_factory=dict)  # search/ file -> hash of the bytes written (kb.shards)

    def begin(self, config: Any, root: Path, branch: Path | None) -> None:
        """on_config of a whole build while serving: what the served folder will be made from."""
        from mkdocs.utils import get_build_date

        base = Path(config.config_file_path).resolve().parent
        self.__init__()  # type: ignore[misc]  # emptied in place: the hook holds this object
        self.watched = [Path(config.config_file_path), *(base / w for w in config.watch), Path(config.docs_dir),
                        root / "mkdocs.yml", *([Path(config.theme.custom_dir)] if config.theme.custom_dir else []),
                        root / "hooks"]
        self.data = [root / "data", *([branch / "data"] if branch else [])]
        self.state = _tree_state(self.watched + self.data)
        self.config, self.day = config, get_build_date()

    def finished(self, config: Any) -> None:
        """on_post_build of a build that made the site: the next rebuild may be quick (not when this
        record was begun for another build, as after kb was imported again mid-build)."""
        self.ready = self.config is config

    def record_made(self, made: dict, files: Any) -> None:
        """on_files: the generated files, before they join ``files``."""
        self.docs = {f.src_uri for f in files}
        # the side files (written already, as paths) are left out: a quick rebuild makes its exports after
        # its pages, and which side files there are depends on the code alone
        self.texts = {path: text for path, text in made.items() if isinstance(text, str)}
        self.made = {path: text_hash(text) for path, text in self.texts.items()}
        self.fronts = {path: front for path, text in made.items() if isinstance(text, str) and (front := _front(text))}

    def record_page(self, src_uri: str, given: str, made: str) -> None:
        """on_page_markdown of a hand-written page."""
        self.hand_written[src_uri] = (given, text_hash(made))
        if TAGS_LISTING in given:
            self.listings.add(src_uri)

    def search_plugin_index(self, folder: Path) -> dict:
        """What Material's search plugin wrote in ``folder`` in the last whole build: a quick rebuild finds
        our manifest there instead (it does not run the plugin, and the hand-written pages it indexes
        are as they were)."""
        from .shards import read_material_index

        if self.material_index is None:
            self.material_index = read_material_index(folder)
        return self.material_index

    def changes(self) -> tuple[dict[str, tuple[int, int]], bool]:
        """The watched files now, and whether there are changes since the last build, all inside a data
        folder (none: the server saw a change elsewhere, in a theme folder it watches)."""
        now = _tree_state(self.watched + self.data)
        changed = {p for p in self.state.keys() | now.keys() if self.state.get(p) != now.get(p)}
        inside = [str(d) for d in self.data]
        return now, bool(changed) and all(any(p.startswith(d + "/") for d in inside) for p in changed)


SERVED = Served()


def _mkdocs_build():
    """MkDocs' page functions this module calls (private: as MkDocs 1.6 has them), or None."""
    import mkdocs
    import mkdocs.commands.build as build

    names = ("_populate_page", "_build_page", "_build_theme_template")
    known = mkdocs.__version__.startswith("1.6.")
    return build if known and all(hasattr(build, n) for n in names) else None


class Fallback(Exception):
    """This edit needs MkDocs' whole build (why, for the debug log)."""


def quick_rebuild(hook: Any, generated: Callable[[Any, Callable[[str], bool]], dict],
                  hand_written: Callable[[Any, str, str], str]) -> bool:
    """Bring the served folder up to date after an edit; False when the edit needs the whole build
    (which writes every file again: known before a page is written). ``hook``: the MkDocs hooks module (``start`` for on_config's work, ``stop``
    when it is abandoned, its events and ``_build``); ``generated(config, in_docs)``: on_files'
    generated files, as a dict; ``hand_written``: kb.generate's."""
    from mkdocs.utils import get_build_date

    served = SERVED
    build_module = _mkdocs_build()
    if not written_well():  # what the rebuild before left for later failed: the whole build writes it
        return False
    if not served.ready or build_module is None or not _known(served.config) or get_build_date() != served.day:
        return False
    now, only_data = served.changes()
    if not only_data:
        return False
    served.ready = False  # until this build has written everything
    served.state = now
    try:
        plan = _plan(served, hook, generated, hand_written)
        _write(served, hook, build_module, plan)
    except Fallback as why:  # the whole build writes every file again
        log.debug("mkdocs serve: the whole build (%s)", why)
        _give_up(hook)
        return False
    except BaseException:
        _give_up(hook)
        raise
    # what Material's template put around the other pages as the last whole build made it, for the next
    # whole build (one slot a page: a page made again has replaced its own)
    CARRIED.keep_unused(THEME_RESULTS)
    served.ready = True
    write_pending()  # the search index and the exports, while the browser reloads
    return True


def _give_up(hook: Any) -> None:
    """The whole build follows: the frames of Material's template this rebuild did not ask for stay kept
    for it (it then asks for what is current, and the build after it lets go of the rest)."""
    # the search documents, their tokens and the exports' lines were not asked for (they are made after the
    # pages): kept for the whole build too
    CARRIED.keep_unused(THEME_RESULTS + LATER_RESULTS)
    drop_pending()
    hook.stop()


def _known(config: Any) -> bool:
    """Whether the site is made only by what this module knows (see the module's docstring)."""
    return ({posixpath.basename(name) if name.endswith(".py") else name for name in config.plugins} == PLUGINS
            and len(config.plugins) == len(PLUGINS) and not config.extra_templates)


@dataclass
class _Plan:
    made: dict
    hashes: dict
    pages: list[str]  # generated pages whose text changed
    others: list[str]  # other generated files whose text changed (redirects)
    retag: bool  # a tagged page's title or tags changed: the tags page is made again


def _plan(served: Served, hook: Any, generated, hand_written) -> _Plan:
    """Our part of the build (loading to every generated file), and what it changed; Fallback when the
    change reaches further than the pages whose text changed."""
    config = served.config
    hook.start(config, quick=True)
    if "failed" in hook._build:  # a mistake: the whole build shows the error page
        raise Fallback("mistakes")
    build = hook._build["build"]
    try:
        made = generated(config, lambda src: src in served.docs)
    except Exception as exc:  # a mistake found while making the pages: the whole build shows it
        raise Fallback(f"generated files: {exc}") from None
    # the pages and redirects: the side files are written already (as paths), the exports after the pages
    made = {path: text for path, text in made.items() if isinstance(text, str)}
    if made.keys() != served.made.keys():
        raise Fallback("files added or removed")
    hashes = {path: served.made[path] if text is served.texts.get(path) else text_hash(text)
              for path, text in made.items()}
    changed = [path for path, h in hashes.items() if h != served.made[path]]
    pages = [path for path in changed if path in build.pages]
    retag = False
    for path in pages:
        front = _front(made[path])
        if (front is None) != (path not in served.fronts):  # Material's tags plugin never forgets a page
            raise Fallback(f"{path}: tagged or untagged")
        retag = retag or front != served.fronts.get(path)
    if retag and not all((_page(served, src).meta.get("search") or {}).get("exclude") for src in served.listings):
        raise Fallback("a tags page in search")  # Material's search plugin would index it anew
    _anchors_kept(served, {path: made[path] for path in pages})
    for src_uri, (given, was) in served.hand_written.items():
        try:
            now = hand_written(build, src_uri, given)
        except Exception as exc:  # a reference that no longer resolves: the whole build says so
            raise Fallback(f"{src_uri}: {exc}") from None
        if text_hash(now) != was:
            raise Fallback(f"{src_uri}: a link's text")
    return _Plan(made, hashes, pages, [p for p in changed if p not in build.pages], retag)


def _page(served: Served, src_uri: str):
    return served.files.get_file_from_path(src_uri).page


def _anchors_kept(served: Served, texts: dict[str, str]) -> None:
    """Fallback when a hand-written page links an anchor that a changed page no longer has: MkDocs'
    check after the pages (validation.links.anchors, which `strict` makes fatal) is the whole build's."""
    for src_uri in served.hand_written:
        for to_file, links in (_page(served, src_uri).links_to_anchors or {}).items():
            text = texts.get(to_file.src_uri)
            if text is not None and not set(links) <= anchor_ids(text):
                raise Fallback(f"{src_uri}: a link to an anchor of {to_file.src_uri}")


def _write(served: Served, hook: Any, build_module: Any, plan: _Plan) -> None:
    """The changed pages through MkDocs' own page functions (every plugin's page events), the rest as it
    is, the static templates; the search index left for after the pages (on_post_build, kb.sidefiles)."""
    from mkdocs.structure.pages import Page

    config, files, nav, env = served.config, served.files, served.nav, served.env
    site = Path(config.site_dir)
    in_nav = {id(p) for p in nav.pages}
    pages = []
    for path in plan.pages:
        file = files.get_file_from_path(path)
        file.content_string = plan.made[path]
        page = file.page
        if page is None or id(page) not in in_nav:
            page = Page(None, file, config)  # as MkDocs makes a page that is not in the navigation
        else:  # the navigation's own page object, its title from mkdocs.yml
            page.markdown = page.content = None
        build_module._populate_page(page, config, files)
        pages.append(page)
    hook.on_nav(nav, config, files)
    if plan.retag:  # the tags page lists the pages anew: every plugin's on_env, as in a whole build
        tags = _tags_plugin(config)
        tags.listings = type(tags.listings)(tags.config, tags.listings.depth)  # its listings only
        for src_uri in sorted(served.listings):
            page = files.get_file_from_path(src_uri).page
            page.markdown = page.content = None
            build_module._populate_page(page, config, files)
            pages.append(page)
        config.plugins.on_env(env, config=config, files=files)
    else:
        hook.on_env(env, config, files)
    doc_files = files.documentation_pages()
    for page in pages:
        build_module._build_page(page, config, doc_files, nav, env)
    for path in plan.others:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(plan.made[path], encoding="utf-8")
    for template in config.theme.static_templates:
        build_module._build_theme_template(template, env, files, config, nav)
    hook.on_post_build(config)
    served.made, served.texts = plan.hashes, plan.made
    served.fronts.update({p: _front(plan.made[p]) for p in plan.pages if p in served.fronts})


def _tags_plugin(config):
    """Material's tags plugin, whose listings the tags page shows (a RuntimeError when it is not there)."""
    for name in ("material/tags", "tags"):
        if name in config.plugins:
            return config.plugins[name]
    raise RuntimeError("没有 Material 的 tags 插件")
