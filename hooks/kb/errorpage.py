"""While `mkdocs serve` runs, a mistake in the data turns every page into one error page.

MkDocs' own reaction to a failed rebuild is to hold every request until a build succeeds (the preview
"hangs") and, at start, to exit. Instead the build succeeds with a site of one file, ``404.html``, which
the development server answers for every address: the mistakes, where they are, and a script that
waits on the server's livereload address and reloads the page after the next build (the fixed site, or
other mistakes). The server injects its own livereload script into pages, not into the 404 answer.
`mkdocs build` still stops with the same lines and writes nothing.

A fault in the project's own code (not in the data) is shown the same way while serving (``crashed``), so
the preview does not hang on it either; the terminal has the full traceback for whoever maintains it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

ERROR_PAGE = "404.html"  # what the development server answers for an address it has no file for
_LOCATED = re.compile(r"^(?P<where>[^\s:][^:]*:\d+:\d+): (?P<message>.*)$", re.S)
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Line:
    where: str  # path:line:column, or "" for a mistake with no place (mkdocs.yml, a note)
    message: str


def _line(text: str) -> Line:
    m = _LOCATED.match(text)
    return Line(m["where"], m["message"]) if m else Line("", text)


def error_page(heading: str, lines: list[str]) -> str:
    """The page for ``lines`` (one mistake or note a line, the cause first, as ``make check`` prints them)."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    return env.get_template("error_page.html.j2").render(heading=heading, lines=[_line(t) for t in lines])


CRASHED = "宝典自身的程序出错了（不是数据的错）"


def crashed(error: BaseException) -> list[str]:
    """The error page's lines for a fault in our own code while serving: what it was, and where to look."""
    return [f"{type(error).__name__}: {error}",
            "完整的出错信息在运行 make serve（mkdocs serve）的终端里，请发给维护者。"
            "改好后保存任意一个文件，这一页会自己刷新。"]
