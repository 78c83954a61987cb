"""MkDocs hooks: the only file MkDocs loads. Event wiring only; the work is done in kb/."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from kb import DataError, load_knowledge
from kb.export import export
from kb.pages import plan, redirects
from kb.redirect import redirect_page
from kb.render import Renderer
from kb.search import write_search_index

log = logging.getLogger("mkdocs.hooks.knowledge_base")

# Hooks are not reloaded by `mkdocs serve`: everything lives here and is rebuilt in on_config.
_build: dict = {}


def on_config(config):
    root = Path(config.config_file_path).parent
    _build.clear()
    try:
        kb = load_knowledge(root)
    except DataError as exc:
        # the same messages as `make check`; PluginError stops the build before anything is written
        raise PluginError("the knowledge data has mistakes:\n" + exc.report()) from None
    _build.update(kb=kb, renderer=Renderer(kb), generated=set())
    return config


@event_priority(50)  # before the search and tags plugins look at the files
def on_files(files: Files, config) -> Files:
    renderer: Renderer = _build["renderer"]
    for spec in plan(_build["kb"]):
        if files.get_file_from_path(spec.src_uri):
            raise PluginError(f"docs/{spec.src_uri} would hide a generated page: remove it (pages are generated from data/)")
        content = renderer.render(spec.template, spec.src_uri, **spec.context)
        files.append(File.generated(config, spec.src_uri, content=content))
        _build["generated"].add(spec.src_uri)
    for path, target in redirects(_build["kb"]).items():
        files.append(File.generated(config, path, content=redirect_page(path, target)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand-written pages may use the same [[kind:id]] references as the data."""
    if page.file.src_uri in _build["generated"]:
        return markdown
    try:
        return _build["renderer"].resolve_inline(markdown, page.file.src_uri)
    except KeyError as exc:
        raise PluginError(f"docs/{page.file.src_uri}: {exc.args[0]}") from None


@event_priority(-100)  # after the search plugin has written its index, which we replace
def on_post_build(config) -> None:
    site = Path(config.site_dir)
    export(_build["kb"], site)
    write_search_index(_build["kb"], site, _build["generated"])
