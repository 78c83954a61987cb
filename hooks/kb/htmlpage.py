"""Generated pages written as HTML, shown by MkDocs without a Markdown conversion.

Converting Markdown was half of every build (Python-Markdown reads ~0.6 MB/s; a site of 10,000 entries
has ~35 MB), and almost all of that Markdown was the page structure our templates write around the
data: headings, lists, tables, links. The templates write that structure as HTML directly (the data's
prose still goes through Markdown, one value at a time, in ``kb.render``), and ``show_as_html`` makes
a generated page's ``render`` take the HTML as it is, filling in what MkDocs and the
theme read from a conversion: the table of contents, the title, the anchors other pages may link to.

Headings must be written as ``heading`` in ``_macros.html.j2`` writes them (the shape the ``toc``
extension gives Markdown headings): ``<hN id="…">…<a class="headerlink" …>…</a></hN>``.
"""

from __future__ import annotations

import re
from html import unescape

from mkdocs.structure.toc import get_toc

# a heading with its id first, as the toc extension and our templates write them: level, id, inner HTML
HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')


def toc_tokens(html: str) -> list[dict]:
    """The headings of ``html`` nested by level, as the ``toc`` Markdown extension gives them to MkDocs
    (``name``: the heading's text, HTML-escaped as it is in the page)."""
    root: list[dict] = []
    stack: list[dict] = []
    for m in HEADING.finditer(html):
        level, anchor = int(m.group(1)), m.group(2)
        inner = _PERMALINK.sub("", m.group(3))
        token = {"level": level, "id": anchor, "name": _TAG.sub("", inner).strip(), "html": inner, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def page_title(html: str) -> str | None:
    """The text of the first ``<h1>``, as MkDocs takes a page's title from its conversion."""
    for m in HEADING.finditer(html):
        if m.group(1) == "1":
            return unescape(_TAG.sub("", _PERMALINK.sub("", m.group(3)))).strip()
    return None


def anchor_ids(html: str) -> set[str]:
    return set(_ID.findall(html))


def show_as_html(page) -> None:
    """Make ``page.render`` take the page's source (front matter already removed) as its HTML."""

    def render(config, files) -> None:
        html = page.markdown or ""
        page.content = html
        page.toc = get_toc(toc_tokens(html))
        page._title_from_render = page_title(html)
        page.present_anchor_ids = anchor_ids(html)
        # links here are made from validated references (kb.check), not from text MkDocs should check
        page.links_to_anchors = {}

    page.render = render


def release(page) -> None:
    """A generated page once its output is made: let go of its HTML (the page's and its file's copy).

    MkDocs keeps every page to the end of the build, and with it every page's source and content: at
    10,000 entries that was most of the memory the search index then had to be made beside (the peak).
    Nothing reads them again: MkDocs checks anchors from ``present_anchor_ids``, the search index is made
    from the data, and what reads the finished pages reads them from disk. The title is kept as it is
    (MkDocs gives None for a page without source: a nav item without a title of its own, a later page's
    previous/next link, would show that)."""
    page.title = page.title
    page.markdown = page.content = None
    page.file.content_string = ""
