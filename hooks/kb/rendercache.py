"""Markdown → HTML of pages whose Markdown did not change, kept between the rebuilds of one `mkdocs serve`.

Every saved data file rebuilds the whole site, and converting every page's Markdown was most of that
time; an edit changes the Markdown of a few pages only. MkDocs offers `--dirty` for hand-written pages
(by file time), which cannot see that a generated page changed, so the hook wraps each page's
``render``: the same page with the same Markdown, in the same site (the same files, Markdown extensions
and link settings), gets the result of the last conversion. A page whose conversion logged anything
(a broken link, say) is converted again every time, so its message is never lost. `mkdocs build`
never uses this: each build is a new process.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any


@dataclass
class _Converted:
    content: str
    toc: Any
    title: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # keyed by the linked file's src_uri


class _Messages(logging.Handler):
    """Counts what MkDocs and Markdown log while one page is converted."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _site_signature(config, files) -> str:
    """What a page's conversion depends on besides its own Markdown."""
    parts = [repr(config["markdown_extensions"]), repr(config["mdx_configs"]),
             repr(config["use_directory_urls"]), repr(config["validation"])]
    parts += sorted(f.src_uri for f in files)
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


class RenderCache:
    """One per `mkdocs serve`; ``begin`` at each build, ``wrap`` each page before it is rendered,
    ``end`` after the build."""

    def __init__(self) -> None:
        self._converted: dict[tuple[str, str], _Converted] = {}
        self._site = ""
        self._used: set[tuple[str, str]] = set()
        self.hits = 0  # pages of the current build whose conversion was reused
        self.pages = 0  # pages of the current build

    def begin(self, config, files) -> None:
        site = _site_signature(config, files)
        if site != self._site:
            self._converted.clear()
            self._site = site
        self._used = set()
        self.hits = self.pages = 0

    def end(self) -> None:
        """Forget the pages this build did not have (or had with other Markdown)."""
        self._converted = {k: v for k, v in self._converted.items() if k in self._used}

    def wrap(self, page) -> None:
        convert = page.render  # MkDocs' Page.render, bound to this page

        def render(config, files) -> None:
            key = (page.file.src_uri, page.markdown)
            self._used.add(key)
            self.pages += 1
            done = self._converted.get(key)
            if done is not None:
                self.hits += 1
                page.content, page.toc, page._title_from_render = done.content, done.toc, done.title
                page.present_anchor_ids = set(done.present_anchor_ids or ())
                if done.links_to_anchors is not None:
                    page.links_to_anchors = {files.get_file_from_path(src): dict(links)
                                             for src, links in done.links_to_anchors.items()}
                return
            messages = _Messages()
            loggers = [logging.getLogger("mkdocs"), logging.getLogger("MARKDOWN")]
            for logger in loggers:
                logger.addHandler(messages)
            try:
                convert(config, files)
            finally:
                for logger in loggers:
                    logger.removeHandler(messages)
            if messages.count == 0:
                links = page.links_to_anchors
                self._converted[key] = _Converted(
                    page.content, page.toc, page._title_from_render, set(page.present_anchor_ids or ()),
                    None if links is None else {f.src_uri: dict(v) for f, v in links.items()})

        page.render = render
