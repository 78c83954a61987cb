"""Reading the built site's HTML: ids, links and asset URLs of each page, an entry's part of its page
(stdlib parser only)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kb.pages import entry_url

ASSET_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"), ("iframe", "src"),
               ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # <a href>
    assets: list[str] = field(default_factory=list)  # URLs the browser fetches by itself
    event_handlers: list[str] = field(default_factory=list)  # on*= attributes


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.page.ids.add(value)
            if name.startswith("on"):
                self.page.event_handlers.append(f"<{tag} {name}={value!r}>")
            if value is None:
                continue
            if tag == "a" and name == "href":
                self.page.links.append(value)
            elif (tag, name) in ASSET_ATTRS:
                if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
                    continue
                self.page.assets.append(value)


@cache
def parse(path: Path) -> Page:
    p = _Parser()
    p.feed(path.read_text(encoding="utf-8"))
    return p.page


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment a relative link of ``page`` points at; None for outside links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    base = "" if parts.path.startswith("/") else page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
    path = site / target
    if href.split("#")[0].endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def section(html: str, anchor: str) -> str:
    """The HTML of the entry headed by ``id=anchor``, up to the next heading of the same or higher level."""
    m = re.search(rf'<h([1-6])[^>]*\bid="{re.escape(anchor)}"', html)
    if not m:
        raise AssertionError(f"no heading with id {anchor!r}")
    level = int(m.group(1))
    nxt = re.compile(rf"<h[1-{level}][\s>]")
    end = nxt.search(html, m.end())
    return html[m.start(): end.start() if end else len(html)]


def article(html: str) -> str:
    i, j = html.find("<article"), html.find("</article>")
    return html[i:j]


def entry_html(site: Path, record) -> str:
    """The HTML of one entry: its page's article, or its section on a shared page."""
    path, _, anchor = entry_url(record).partition("#")
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return section(html, anchor) if anchor else article(html)
