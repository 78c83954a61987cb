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

# what the events use of the kb package: name -> module
_USED = {
    "DataError": "kb", "load_knowledge": "kb", "export": "kb.export", "plan": "kb.pages",
    "redirects": "kb.pages", "Renderer": "kb.render", "lay_out": "kb.pages",
    "collection_page_max": "kb.pages",
    "write_search_index": "kb.search", "write_triage": "kb.triage", "search_help": "kb.search",
}


# the folder holding this file and the kb package beside it
_HOOKS = str(Path(__file__).resolve().parent)


def _fresh_kb() -> SimpleNamespace:
    """The kb package imported anew, from beside this file.

    `mkdocs serve` keeps this hook module (MkDocs caches hooks) and Python keeps imported modules, so
    without the fresh import an edit under hooks/kb/ would wait for a restart. MkDocs puts the hook's
    folder on sys.path only while it executes this file, so plain `mkdocs build` finds kb here only if we
    put the folder back for the import (first, so a copy of the project never imports another's kb).
    """
    for name in [n for n in sys.modules if n == "kb" or n.startswith("kb.")]:
        del sys.modules[name]
    saved = sys.path.copy()
    sys.path.insert(0, _HOOKS)
    try:
        return SimpleNamespace(**{name: getattr(importlib.import_module(module), name) for name, module in _USED.items()})
    finally:
        sys.path[:] = saved


def on_config(config):
    root = Path(config.config_file_path).parent
    _build.clear()
    code = _fresh_kb()
    try:
        kb = code.load_knowledge(root)
    except code.DataError as exc:
        # the same messages as `make check`; PluginError stops the build before anything is written
        raise PluginError("the knowledge data has mistakes:\n" + exc.report()) from None
    try:
        limit = code.collection_page_max(config.extra)
    except ValueError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    parts = code.lay_out(kb, limit)  # before anything asks where an entry lives
    _build.update(code=code, kb=kb, renderer=code.Renderer(kb), generated=set(), parts=parts)
    # what the search dialog shows when nothing fits (overrides/partials/search.html)
    config.extra["kb_search_help"] = code.search_help(kb)
    return config


@event_priority(50)  # before the search and tags plugins look at the files
def on_files(files: Files, config) -> Files:
    code, renderer = _build["code"], _build["renderer"]
    for spec in code.plan(_build["kb"], _build["parts"]):
        if files.get_file_from_path(spec.src_uri):
            raise PluginError(f"docs/{spec.src_uri} would hide a generated page: remove it (pages are generated from data/)")
        content = renderer.render(spec.template, spec.src_uri, **spec.context)
        files.append(File.generated(config, spec.src_uri, content=content))
        _build["generated"].add(spec.src_uri)
    for path, target in code.redirects(_build["kb"]).items():
        files.append(File.generated(config, path, content=renderer.redirect(path, target)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand-written pages may use the same [[kind:id]] references as the data."""
    if page.file.src_uri in _build["generated"]:
        # Material's search plugin would parse the page for an index that kb.search
        # replaces with one document per entry: skip that thrown-away work (the plugin stays for the UI)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return markdown
    try:
        return _build["renderer"].resolve_inline(markdown, page.file.src_uri)
    except KeyError as exc:
        raise PluginError(f"docs/{page.file.src_uri}: {exc.args[0]}") from None


@event_priority(-100)  # after the search plugin has written its index, which we replace
def on_post_build(config) -> None:
    site = Path(config.site_dir)
    _build["code"].export(_build["kb"], site)
    _build["code"].write_triage(_build["kb"], site)
    _build["code"].write_search_index(_build["kb"], site, _build["generated"])
