"""MkDocs hooks: the only file MkDocs loads. Event wiring only; the work is done in kb/."""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.hooks.knowledge_base")

# What one build needs, made anew in on_config: MkDocs loads this file once per process.
_build: dict = {}
# the kb package as last imported, and the state of its files then (_fresh_kb)
_imported: dict = {}
# the command MkDocs runs (on_startup): `mkdocs serve` keeps results between rebuilds (kb.carryover)
_command: dict = {"serving": False}

# what the events use of the kb package: name -> module
_USED = {
    "BuildStop": "kb.generate", "prepare": "kb.generate", "generated_files": "kb.generate",
    "hand_written": "kb.generate", "write_search": "kb.generate", "finish_site": "kb.generate",
    "use_cache": "kb.templatecache", "show_as_html": "kb.htmlpage", "release": "kb.htmlpage",
    "during_build": "kb.collector", "after_build": "kb.collector", "cancel_idle_collection": "kb.collector",
    "start_build": "kb.carryover", "end_build": "kb.carryover",
    "error_page": "kb.errorpage", "ERROR_PAGE": "kb.errorpage", "CRASHED": "kb.errorpage", "crashed": "kb.errorpage",
    "wait_written": "kb.sidefiles",
    # serve rebuilds: what Material's template put around generated pages, kept from the build before
    "ThemePages": "kb.incremental",
    "NavOnce": "kb.navonce",
    # serve rebuilds after an edit of the data: only the pages that change go through MkDocs
    "SERVED": "kb.quickbuild", "quick_rebuild": "kb.quickbuild",
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
    if "code" in _imported:  # what the old code left for later must not run beside the new build
        _imported["code"].cancel_idle_collection()
        _imported["code"].wait_written()
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


def on_shutdown() -> None:
    """MkDocs removes the served folder next: what a quick rebuild is still writing goes in first."""
    if "code" in _imported:
        _imported["code"].wait_written()


def on_config(config):
    code = _fresh_kb()
    code.wait_written()  # the rebuild before's search index and exports (kb.sidefiles), before anything
    if _command["serving"]:  # what a quick rebuild compares with (kb.quickbuild)
        code.SERVED.begin(config, *_project_and_branch(config))
    start(config)
    return config


def start(config, quick: bool = False) -> None:
    """on_config's work, for a whole build and a quick rebuild (kb.quickbuild): load and check the data.
    ``quick``: a mistake is only marked, for the whole build that follows to show."""
    root, branch = _project_and_branch(config)
    _build.clear()
    _build["quick"] = quick
    code = _fresh_kb()  # (what the rebuild before left for later is written: on_config and kb.quickbuild wait)
    code.start_build(_command["serving"])
    code.during_build(not quick)  # full garbage collections rare until the build is over (kb.collector)
    try:
        _prepare(config, code, root, branch)
    except Exception as exc:
        if quick:
            _build.update(code=code, failed=None)
            return
        if not _command["serving"]:
            _finish(code)  # (on_build_error is not called for a failure in on_config)
        _stop_or_show(config, code, exc)
    except BaseException:
        _finish(code)
        raise


def _stop_or_show(config, code, exc: Exception) -> None:
    """Called while handling ``exc``, a mistake in the data or settings (BuildStop) or a fault in our own
    code: `mkdocs build` stops on it before anything is written; `mkdocs serve` shows it as the error page."""
    if not _command["serving"]:
        if isinstance(exc, code.BuildStop):
            raise PluginError(str(exc)) from None
        raise  # the fault as it is, with its traceback
    if isinstance(exc, code.BuildStop):
        _show_mistakes(config, code, exc)
    else:
        _show_crash(config, code, exc)


def stop() -> None:
    """A quick rebuild (kb.quickbuild) given up for the whole build: as if this one had ended."""
    if "code" in _build:
        _finish(_build["code"])


def _finish(code) -> None:
    """The build is over, made or stopped: what it kept for itself goes, and collections are as usual
    again (a whole build that made the served site: what it holds frozen; a quick rebuild: its garbage
    collected, kb.collector)."""
    if "build" in _build:
        _build["build"].close()
    code.end_build()
    quick = _build.get("quick", False)
    code.after_build(freeze=_build.get("made", False) and not quick, collect=quick)


def _show_mistakes(config, code, stop) -> None:
    """`mkdocs serve`: the build goes on and makes a site of one error page (kb.errorpage), so the
    preview shows the mistakes and recovers by itself instead of holding every request."""
    # printed, not logged: with `strict`, a logged error would fail this build too and the server would hang
    print(str(stop), file=sys.stderr, flush=True)
    _build.update(code=code, failed=code.error_page(stop.heading, stop.lines))
    config.nav = None  # the nav's pages are not built: no "not found" for each
    config.theme.static_templates.discard(code.ERROR_PAGE)  # ours, not the theme's


def _show_crash(config, code, exc: Exception) -> None:
    """`mkdocs serve`: a fault in our own code shows as an error page too, the traceback in the terminal."""
    traceback.print_exc(file=sys.stderr)
    _show_mistakes(config, code, code.BuildStop(code.CRASHED, code.crashed(exc)))


def _prepare(config, code, root: Path, branch: Path | None) -> None:
    build = code.prepare(root, branch, extra=config.extra, site_url=config.site_url,
                         use_directory_urls=config.use_directory_urls,
                         markdown_extensions=config.markdown_extensions, mdx_configs=config.mdx_configs,
                         cache_templates=True, repo_url=config.repo_url, edit_uri=config.edit_uri,
                         index_beside=not _command["serving"])
    for note in build.info.history.notes:  # old data versions /changes/ could not read: told, never fatal
        log.info(note)
    for warning in build.warnings:
        if _command["serving"]:  # said, not logged: with `strict` a logged warning would stop the preview
            print(warning, file=sys.stderr, flush=True)
        else:
            log.warning(warning)  # --strict turns these into a failed build
    _build.update(code=code, build=build, theme_pages=code.ThemePages())


def on_serve(server, config, builder):
    """After an edit of the data alone, only the pages that change are made again (kb.quickbuild);
    after any other change, or when it cannot tell, MkDocs' whole build as always."""
    def rebuild() -> None:
        code = _fresh_kb()
        try:
            if code.quick_rebuild(sys.modules[__name__], _generated, code.hand_written):
                return
        except Exception:  # a fault in our own code: the whole build, which shows it if it is still there
            traceback.print_exc(file=sys.stderr)
        builder()

    server.builder = rebuild
    return server


def on_nav(nav, config, files):
    if "theme_pages" in _build:
        _build["theme_pages"].nav = nav  # kb.incremental
    if _command["serving"]:
        _build["code"].SERVED.nav = nav
    return nav


def on_env(env, config, files):
    """The theme's templates, compiled once and kept between builds; the navigation of pages not in it
    made once per folder (kb.navonce)."""
    _build["code"].use_cache(env)
    env.globals["kb_nav_once"] = _build["code"].NavOnce()
    if "theme_pages" in _build:
        _build["theme_pages"].start(env, config)  # kb.incremental
    if _command["serving"]:
        _build["code"].SERVED.env, _build["code"].SERVED.files = env, files
    return env


def _error_page_alone(config) -> Files:
    return Files([File.generated(config, _build["code"].ERROR_PAGE, content=_build["failed"])])


@event_priority(50)  # before the search and tags plugins look at the files
def on_files(files: Files, config) -> Files:
    """The pages, redirects and side files the data makes (kb.generate, as `python -m kb pages` writes them)."""
    code = _build["code"]
    if "failed" in _build:  # `mkdocs serve` with mistakes: the error page alone
        return _error_page_alone(config)
    try:
        made = _generated(config, lambda src: files.get_file_from_path(src) is not None)
    except Exception as exc:
        _stop_or_show(config, code, exc)
        return _error_page_alone(config)
    if _command["serving"]:
        code.SERVED.record_made(made, files)
    pages = _build["build"].pages
    for path, made_as in made.items():
        if isinstance(made_as, Path):
            files.append(File.generated(config, path, abs_src_path=str(made_as)))
        else:  # pages are reached from their section, not from the nav: no "not in the nav" list of every one
            files.append(File.generated(config, path, content=made_as,
                                        inclusion=InclusionLevel.NOT_IN_NAV if path in pages else InclusionLevel.UNDEFINED))
    return files


def _generated(config, in_docs) -> dict:
    """Every file the data makes (kb.generate), the side files written straight into the site folder,
    which MkDocs emptied before on_files and leaves as it is when a file's source is its destination (a
    quick rebuild writes over the served folder, its search index and exports after its pages:
    kb.sidefiles)."""
    return _build["code"].generated_files(_build["build"], in_docs, side_dir=Path(config.site_dir),
                                          later=_build.get("quick", False))


def on_pre_page(page, config, files):
    if page.file.src_uri in _build["build"].pages:  # written as HTML: no Markdown to convert (kb.htmlpage)
        _build["code"].show_as_html(page)
    return page


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Hand-written pages may use the same [[kind:id]] references as the data."""
    if page.file.src_uri in _build["build"].pages:
        # Material's search plugin would parse the page for an index that kb.search
        # replaces with one document per entry: skip that thrown-away work (the plugin stays for the UI)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        _build["theme_pages"].use(page)  # kb.incremental
        return markdown
    try:
        made = _build["code"].hand_written(_build["build"], page.file.src_uri, markdown)
    except _build["code"].BuildStop as exc:
        raise PluginError(str(exc)) from None
    if _command["serving"]:
        _build["code"].SERVED.record_page(page.file.src_uri, markdown, made)
    return made


@event_priority(-100)  # after every plugin's: the content is final (kb.incremental)
def on_page_content(html: str, page, config, files) -> str:
    return _build["theme_pages"].set_aside(html, page) if "theme_pages" in _build else html


@event_priority(-100)  # after every plugin's: the context is final (kb.incremental)
def on_page_context(context, page, config, nav):
    return _build["theme_pages"].context(context, page) if "theme_pages" in _build else context


@event_priority(-100)  # after every plugin's: the page's output is made, only its writing is left
def on_post_page(output: str, page, config) -> str:
    if "build" in _build and page.file.src_uri in _build["build"].pages:
        _build["code"].release(page)  # kb.htmlpage: a build of 10,000 entries need not hold every page
    return output


@event_priority(-100)  # after the search plugin has written its index, which we replace
def on_post_build(config) -> None:
    code = _build["code"]
    if "failed" not in _build:
        site = Path(config.site_dir)
        if _command["serving"]:  # a quick rebuild finds our index there, not the search plugin's
            code.write_search(_build["build"], site, code.SERVED.search_plugin_index(site / "search"),
                              code.SERVED.shards, later=_build.get("quick", False))
            code.SERVED.finished(config)
            _build["made"] = True  # what a whole build made is frozen at its end (kb.collector)
        else:  # the search index, and for a web server (deploy/nginx/) its policy and compressed copies
            code.finish_site(_build["build"], site)
    _finish(code)


def on_build_error(error) -> None:
    if "code" in _build:
        _finish(_build["code"])
