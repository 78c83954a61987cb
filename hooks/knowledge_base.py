"""MkDocs hooks: the only file MkDocs loads. Event wiring only; the work is done in kb/."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.knowledge_base")

# What one build needs, made anew in on_config: MkDocs loads this file once per process.
_build: dict = {}
# the kb package as last imported, and the state of its files then (_fresh_kb)
_imported: dict = {}
# the command MkDocs runs (on_startup): `mkdocs serve` keeps results between rebuilds (kb.carryover)
_command: dict = {"serving": False}

# what the events use of the kb package: name -> module
_USED = {
    "DataError": "kb", "load_knowledge": "kb", "plan": "kb.pages",
    "redirects": "kb.pages", "directory_urls_problem": "kb.pages", "Renderer": "kb.render", "lay_out": "kb.pages",
    "write_search_index": "kb.search", "search_help": "kb.search",
    "build_info": "kb.buildinfo", "SettingsError": "kb.settings", "side_files": "kb.sidefiles",
    "entries_by_page": "kb.permalink", "add_copy_buttons": "kb.permalink", "use_cache": "kb.templatecache",
    "show_as_html": "kb.htmlpage", "during_build": "kb.collector", "after_build": "kb.collector",
    "start_build": "kb.carryover",
    # serve rebuilds: unchanged generated pages carried from the build before (kb.incremental)
    "page_contents": "kb.incremental", "ThemePages": "kb.incremental",
}


# the folder holding this file and the kb package beside it
_HOOKS = str(Path(__file__).resolve().parent)


def _fresh_kb() -> SimpleNamespace:
    """The kb package, imported anew from beside this file whenever its code changed.

    `mkdocs serve` keeps this hook module (MkDocs caches hooks) and Python keeps imported modules, so
    without a fresh import an edit under hooks/kb/ would wait for a restart; importing it again when
    nothing changed cost each rebuild ~0.3 s (the model's classes are built on import). MkDocs puts the
    hook's folder on sys.path only while it executes this file, so plain `mkdocs build` finds kb here
    only if we put the folder back for the import (first, so a copy of the project never imports
    another's kb).
    """
    code_state = sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in Path(_HOOKS, "kb").rglob("*.py"))
    if _imported.get("state") == code_state:
        return _imported["code"]
    for name in [n for n in sys.modules if n == "kb" or n.startswith("kb.")]:
        del sys.modules[name]
    saved = sys.path.copy()
    sys.path.insert(0, _HOOKS)
    try:
        code = SimpleNamespace(**{name: getattr(importlib.import_module(module), name) for name, module in _USED.items()})
    finally:
        sys.path[:] = saved
    _imported.update(state=code_state, code=code)
    return code


def _project_and_branch(config) -> tuple[Path, Path | None]:
    """The shared project (the folder above hooks/) and the branch folder, when the config is a
    branch's (branches/<name>/mkdocs.yml, which INHERITs the shared one)."""
    root = Path(_HOOKS).parent
    here = Path(config.config_file_path).resolve().parent
    return root, (None if here == root else here)


def on_startup(command: str, dirty: bool) -> None:
    _command["serving"] = command == "serve"


def on_config(config):
    root, branch = _project_and_branch(config)
    _build.clear()
    code = _fresh_kb()
    code.start_build(_command["serving"])
    code.during_build()  # full garbage collections rare until the build is over (kb.collector)
    try:
        _prepare(config, code, root, branch)
    except BaseException:
        # a mistake stops the build here, before MkDocs' build starts: on_build_error is not called
        code.after_build()
        raise
    return config


def _prepare(config, code, root: Path, branch: Path | None) -> None:
    problem = code.directory_urls_problem(config.use_directory_urls)
    if problem:
        raise PluginError(problem)
    try:
        kb = code.load_knowledge(root, branch)
    except code.DataError as exc:
        # the same messages as `make check`; PluginError stops the build before anything is written
        raise PluginError("the knowledge data has mistakes:\n" + exc.report()) from None
    try:
        info = code.build_info(kb, root, config.extra, config.site_url)
    except code.SettingsError as exc:
        raise PluginError(f"mkdocs.yml has mistakes:\n{exc}") from None
    overdue = info.review.overdue_legal()
    if overdue and info.settings.review.overdue_legal == "error":
        raise PluginError("legal notes overdue for review (extra.kb.review.overdue_legal: error):\n"
                          + "\n".join(map(str, overdue)))
    if info.settings.review.overdue_legal == "warn":
        for problem in overdue:
            log.warning(str(problem))  # --strict turns these into a failed build
    parts = code.lay_out(kb, info.settings.collection_page_max)  # before anything asks where an entry lives
    _build.update(code=code, kb=kb, info=info, renderer=code.Renderer(kb, info=info, cache_templates=True,
                                                                        markdown_extensions=config.markdown_extensions,
                                                                        mdx_configs=config.mdx_configs),
                  generated=set(),
                  entries_by_page=code.entries_by_page(kb), parts=parts, theme_pages=code.ThemePages())
    # what the search dialog shows when nothing fits (overrides/partials/search.html)
    config.extra["kb_search_help"] = code.search_help(kb)


def on_nav(nav, config, files):
    _build["theme_pages"].nav = nav  # kb.incremental
    return nav


def on_env(env, config, files):
    """The theme's templates, compiled once and kept between builds."""
    _build["code"].use_cache(env)
    _build["theme_pages"].start(env, config)  # kb.incremental
    return env


@event_priority(50)  # before the search and tags plugins look at the files
def on_files(files: Files, config) -> Files:
    code, renderer = _build["code"], _build["renderer"]
    specs = code.plan(_build["kb"], _build["parts"])
    for spec in specs:
        if files.get_file_from_path(spec.src_uri):
            raise PluginError(f"docs/{spec.src_uri} would hide a generated page: remove it (pages are generated from data/)")
    # while serving, an unchanged entry page is taken from the build before (kb.incremental)
    for spec, content in code.page_contents(specs, _build["kb"], _build["info"], renderer):
        files.append(File.generated(config, spec.src_uri, content=content))
        _build["generated"].add(spec.src_uri)
    for path, target in code.redirects(_build["kb"]).items():
        files.append(File.generated(config, path, content=renderer.redirect(path, target)))
    for path, text in code.side_files(_build["kb"], _build["info"]).items():
        files.append(File.generated(config, path, content=text))
    return files


def on_pre_page(page, config, files):
    if page.file.src_uri in _build["generated"]:  # written as HTML: no Markdown to convert (kb.htmlpage)
        _build["code"].show_as_html(page)
    return page


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand-written pages may use the same [[kind:id]] references as the data."""
    if page.file.src_uri in _build["generated"]:
        # Material's search plugin would parse the page for an index that kb.search
        # replaces with one document per entry: skip that thrown-away work (the plugin stays for the UI)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        _build["theme_pages"].use(page)  # kb.incremental
        return markdown
    try:
        return _build["renderer"].resolve_inline(markdown, page.file.src_uri)
    except KeyError as exc:
        raise PluginError(f"docs/{page.file.src_uri}: {exc.args[0]}") from None


def on_page_content(html: str, page, config, files) -> str:
    """A 复制链接 button beside every entry heading."""
    entries = _build["entries_by_page"].get(page.file.src_uri)
    if not entries:
        return html
    return _build["code"].add_copy_buttons(html, entries, _build["renderer"].copy_link)


@event_priority(-100)  # after every plugin's: the context is final (kb.incremental)
def on_page_context(context, page, config, nav):
    return _build["theme_pages"].context(context, page)


@event_priority(-100)  # after the search plugin has written its index, which we replace
def on_post_build(config) -> None:
    site = Path(config.site_dir)
    _build["code"].write_search_index(_build["kb"], site, _build["generated"])
    _build["code"].after_build()


def on_build_error(error) -> None:
    if "code" in _build:
        _build["code"].after_build()
