"""Everything the data makes for a site, in one place for both ways of building it: the MkDocs hooks
(hooks/knowledge_base.py) and ``python -m kb pages OUT`` (kb.pagesdir), which writes the same files to a
folder an engine without hooks can build. Neither has a way of making a page of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .buildinfo import BuildInfo, build_info
from .errors import DataError
from .knowledge import KnowledgeBase, load_knowledge
from .incremental import forget_signatures, page_contents
from .pages import Part, directory_urls_problem, lay_out, plan, redirects
from .permalink import add_copy_buttons, entries_by_page
from .render import Renderer
from .csp import write_policy
from .precompress import precompress
from .search import search_parts, write_search_index
from .searchjob import EntryIndex, start as start_entry_index
from .shards import mark_updating
from .skeleton import placeholders
from .settings import SettingsError
from .export import export_parts
from .sidefiles import do_later, page_data, side_files, write_later, write_side_file


class BuildStop(Exception):
    """Why the site cannot be built: a heading and the lines an author reads (the same as `make check`'s)."""

    def __init__(self, heading: str, lines: list[str]):
        super().__init__(heading + "：\n" + "\n".join(lines))
        self.heading, self.lines = heading, lines


@dataclass
class SiteBuild:
    """What one build needs, made once per build."""

    kb: KnowledgeBase
    info: BuildInfo
    parts: dict[str, list[Part]]
    renderer: Renderer
    warnings: list[str]  # located warnings to show (a strict build fails on them)
    pages: set[str] = field(default_factory=set)  # source paths of the generated pages, once generated_files ran
    entry_index: EntryIndex | None = None  # the entries' search index, made beside the pages (kb.searchjob)

    def close(self) -> None:
        """The build is over, made or stopped: nothing it started goes on."""
        if self.entry_index is not None:
            self.entry_index.stop()


def prepare(root: Path, branch: Path | None, *, extra: dict, site_url: str | None, use_directory_urls: bool,
            markdown_extensions: list, mdx_configs: dict, cache_templates: bool = False,
            repo_url: str | None = None, edit_uri: str | None = None,
            kb: KnowledgeBase | None = None, index_beside: bool = False) -> SiteBuild:
    """Load and check the data (``root``, and ``branch`` for a branch's site; ``kb``: loaded already)
    with the site's settings (mkdocs.yml ``extra``, ``site_url``, …); raise BuildStop naming every
    mistake. ``index_beside`` (a one-off build): the entries' search index is begun in a second process,
    to be made while the pages are (kb.searchjob)."""
    problem = directory_urls_problem(use_directory_urls)
    if problem:
        raise BuildStop("mkdocs.yml 有错误", [problem])
    forget_signatures()
    if kb is None:
        try:
            kb = load_knowledge(root, branch)
        except DataError as exc:
            # the same messages as `make check`
            raise BuildStop(f"数据中有 {len(exc.problems)} 处错误，网站没有生成", exc.lines()) from None
    try:
        info = build_info(kb, root, extra, site_url, repo_url, edit_uri)
    except SettingsError as exc:
        raise BuildStop("mkdocs.yml 有错误", str(exc).splitlines()) from None
    overdue = info.review.overdue_legal()
    if overdue and info.settings.review.overdue_legal == "error":
        raise BuildStop("法律说明复核逾期（extra.kb.review.overdue_legal: error）", [str(p) for p in overdue])
    warnings = [str(p) for p in overdue] if info.settings.review.overdue_legal == "warn" else []
    warnings += placeholders(kb)  # a skeleton from `make new` not filled in yet: a strict build stops
    parts = lay_out(kb, info.settings.collection_page_max)  # before anything asks where an entry lives
    renderer = Renderer(kb, info=info, cache_templates=cache_templates,
                        markdown_extensions=markdown_extensions, mdx_configs=mdx_configs)
    # (after lay_out: each search document holds its entry's address)
    return SiteBuild(kb, info, parts, renderer, warnings, entry_index=start_entry_index(kb) if index_beside else None)


def generated_files(build: SiteBuild, written: Callable[[str], bool],
                    side_dir: Path | None = None, later: bool = False) -> dict[str, str | Path]:
    """Source path → text of every file the data makes: the pages (HTML with front matter, each entry
    heading with its 复制链接 button), the redirects of renamed ids and the side files. ``written(path)``:
    whether the docs folder has that file, which would hide a generated page (BuildStop). ``side_dir``:
    each side file is written there as soon as it is made and given as its path (the exports are
    ~200 MB of text at 10,000 entries, which a build then need not hold); ``later`` (a quick `mkdocs
    serve` rebuild): the exports are made and written after the pages (kb.sidefiles.write_pending), and
    left out of what this returns."""
    entries = entries_by_page(build.kb)
    out: dict[str, str | Path] = {}
    specs = plan(build.kb, build.parts)
    hidden = [f"docs/{spec.src_uri}：请删除（这个页面由 data/ 生成）" for spec in specs if written(spec.src_uri)]
    if hidden:
        raise BuildStop("docs/ 里的文件挡住了生成的页面", hidden)
    def with_buttons(spec, text: str) -> str:
        on_page = entries.get(spec.src_uri)
        return add_copy_buttons(text, on_page, build.renderer.copy_link) if on_page else text

    # while serving, an unchanged entry page is the one the build before made (kb.incremental)
    for spec, text in page_contents(specs, build.kb, build.info, build.renderer, with_buttons):
        out[spec.src_uri] = text
        build.pages.add(spec.src_uri)
    build.renderer.forget_conversions()  # every page is made: the search index is made beside less
    for path, target in redirects(build.kb).items():
        out[path] = build.renderer.redirect(path, target)
    if later and side_dir is not None:  # the exports made and written after the pages (kb.sidefiles)
        write_later(export_parts(build.kb, build.info), side_dir)
        files = page_data(build.kb, build.info)
    else:
        files = side_files(build.kb, build.info)
    for path, text in files:
        if side_dir is None:
            out[path] = text if isinstance(text, str) else "".join(text)
            continue
        out[path] = write_side_file(side_dir / path, text)
    return out


def hand_written(build: SiteBuild, src_uri: str, markdown: str) -> str:
    """A hand-written page's Markdown with its [[kind:id]] references made links, as the data's are."""
    try:
        return build.renderer.resolve_inline(markdown, src_uri)
    except KeyError as exc:
        raise BuildStop("手写页面的引用有错误", [f"docs/{src_uri}: {exc.args[0]}"]) from None


def write_search(build: SiteBuild, site_dir: Path, material: dict | None = None,
                 written: dict[str, bytes] | None = None, later: bool = False) -> None:
    """The search index in ``site_dir``/search: one document per entry and group heading, and the
    hand-written pages' sections that Material's search plugin wrote there, if it did (``material``:
    what it wrote, read already; ``written``: kb.shards.write_shards). ``later``: a quick `mkdocs serve`
    rebuild's, made and written after its pages, before its exports (kb.sidefiles.write_pending)."""
    def write() -> None:
        write_search_index(build.kb, site_dir, build.pages, material, written)

    if later and written is not None:
        mark_updating(site_dir / "search", written)  # the page reloads before the index is written
        do_later(write, first=True)
    else:
        write()


def finish_site(build: SiteBuild, site_dir: Path) -> None:
    """A one-off build's last steps: the search index, and for a web server the content security policy
    and the compressed copies (deploy/nginx/). kb.searchjob's process writes and compresses the index
    while this one writes the policy and compresses the rest; if it did not, the index is written and
    compressed here after them."""
    search = site_dir / "search"
    job = build.entry_index
    if job is not None:
        job.hand_over(*search_parts(build.kb, site_dir, build.pages))
    write_policy(site_dir)  # reads the finished pages (not the search index): after everything else writing them
    precompress(site_dir, but=search)
    if job is None or not job.written():
        write_search_index(build.kb, site_dir, build.pages)
        precompress(search)
