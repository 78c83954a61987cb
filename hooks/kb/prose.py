"""Prose (a little Markdown) to HTML: the one conversion pages use, and the links it makes.

The checker asks ``links`` which addresses a value's HTML would link to (every href and src the
Markdown converter writes, reference-style links and links inside list items included) and holds each to
the rule for links in prose; the renderer converts with ``convert``, which also unlinks any address
that could run script or leave the site's pages, should one get past the checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser

import markdown
from markdown.treeprocessors import Treeprocessor

from .refs import CODE_SPAN, IMAGE, INLINE, SAFE_LINK_TARGET

CJK = "\u3000-\u9fff\uff00-\uffef"  # Chinese characters and punctuation, full-width forms (a character class's range)
_CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
# Python-Markdown's block processors that prose has no use for, and the blocks an inline value must not open
_NOT_IN_PROSE = {"hashheader", "setextheader", "hr", "quote"}
_BLOCKS = {"indent", "code", "olist", "ulist", "reference"}
_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!</?p>).)*)</p>\Z", re.S)
# what a browser ignores in an address (WHATWG URL: leading controls and spaces, tabs and newlines anywhere)
_IGNORED = re.compile(r"^[\x00-\x20]+|[\t\n\r]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def markdown_of(value: str, resolve: Callable[[re.Match], str]) -> str:
    """Prose as safe Markdown: ``<``, ``&`` and braces escaped (no raw HTML, autolinks or attribute lists),
    images kept as text, and each ``[[kind:id]]`` replaced by ``resolve`` (a Markdown link)."""
    # a line break inside a Chinese sentence is not a space (HTML would show one)
    s = _CJK_BREAK.sub("", str(value))
    # code spans stay as written: Markdown escapes their content, escaping it here would show "&lt;"
    parts, last = [], 0
    for m in CODE_SPAN.finditer(s):
        parts += [_text(s[last:m.start()], resolve), m.group(0)]
        last = m.end()
    parts.append(_text(s[last:], resolve))
    return "".join(parts)


def _text(s: str, resolve: Callable[[re.Match], str]) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
    s = IMAGE.sub("&#33;[", s)  # the checker refuses images; never load one
    return INLINE.sub(resolve, s)


def is_harmless(address: str) -> bool:
    """An address a prose link may have on a page: one the checker allows, or one on the site (what a
    ``[[kind:id]]`` reference becomes: relative, no scheme, no other host)."""
    if SAFE_LINK_TARGET.match(address):
        return True
    seen = _IGNORED.sub("", unescape(address))
    return not _SCHEME.match(seen) and not seen.startswith(("//", "\\", "/\\"))


class _Unlink(Treeprocessor):
    """An element whose href or src could run script or leave the site loses it (a link becomes text)."""

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                if el.get(attr) is not None and not is_harmless(el.get(attr)):
                    del el.attrib[attr]
                    if el.tag == "a":
                        el.tag = "span"


def _markdown_without(block_processors: set[str], unlink: bool = True) -> markdown.Markdown:
    md = markdown.Markdown()
    for name in block_processors:
        md.parser.blockprocessors.deregister(name)
    if unlink:  # after the inline patterns (priority 20) have made the links
        md.treeprocessors.register(_Unlink(md), "kb-unlink", 0)
    return md


class Converter:
    """Prose Markdown to HTML, with the blocks prose may have. ``unlink``: make links to addresses that are
    not harmless text (pages); without it, the HTML is what the Markdown says (for the checker)."""

    def __init__(self, unlink: bool = True) -> None:
        # Prose is the Markdown the format reference promises (emphasis, lists, code, links), no more: the
        # site's extensions (admonitions, tables, …) are for hand-written pages, and cost prose 2.5× the time;
        # a heading in prose would have no id and break the page's heading order.
        self._block = _markdown_without(_NOT_IN_PROSE, unlink)
        # prose inside a sentence or a list item: one paragraph, whatever the value starts with
        self._inline = _markdown_without(_NOT_IN_PROSE | _BLOCKS, unlink)

    def convert(self, markdown_text: str, inline: bool) -> str:
        if not inline:
            return self._block.reset().convert(markdown_text)
        html = self._inline.reset().convert(markdown_text.replace("\n", " "))
        m = _ONE_PARAGRAPH.match(html)
        return m.group(1) if m else html


_CHECKING: list[Converter] = []  # made when first asked for: most runs check, few values have links


def links(value: str) -> list[str]:
    """Every address a prose value's HTML links to (href and src), in order, whether the value is shown
    as a block or inside a sentence. A ``[[kind:id]]`` reference stands for a link to the page (``#``)."""
    # every Markdown link comes from "](" (inline) or a "]:" definition (reference-style; "<" is escaped, so
    # no autolink): the other values, most of them, have no link and need no conversion
    if "](" not in value and "]:" not in value:
        return []
    if not _CHECKING:
        _CHECKING.append(Converter(unlink=False))
    converter = _CHECKING[0]
    text = markdown_of(value, lambda m: "[ref](#)")
    found = _addresses(converter.convert(text, inline=False))
    return found + [a for a in _addresses(converter.convert(text, inline=True)) if a not in found]


def _addresses(html: str) -> list[str]:
    """Every href and src in ``html``, as a browser reads them (character references decoded)."""
    out: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.extend(v for k, v in attrs if k in ("href", "src") and v is not None)

    parser = Parser()
    parser.feed(html)
    parser.close()
    return out
