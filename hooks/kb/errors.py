"""The located error type and its one format: ``path:line:column: 场景 'id'：说明``.

Messages are Simplified Chinese, for the knowledge team; ids, field names and paths stay as written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# a problem is one line: characters that would break it (a value's newline, tab, …) are shown escaped
_ONE_LINE = {c: ascii(chr(c))[1:-1] for c in [*range(32), 0x7F, 0x85, 0x2028, 0x2029]}


def one_line(text: str) -> str:
    """``text`` with its line breaks and control characters shown escaped, the rest as it is."""
    return text.translate(_ONE_LINE)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the data, located like a compiler error."""

    path: str
    line: int
    column: int
    message: str
    subject: str = ""  # "场景 'x'" or "" when the mistake is not inside an entry
    # the whole file could not be read: a cause, so it is reported before the mistakes found elsewhere
    unreadable: bool = field(default=False, compare=False)
    # a reference that is missing or not an id: the kinds it may name and what was written, so that the
    # allowed ids can be offered once every entry is known (kb.choices)
    refers_to: tuple[str, ...] = field(default=(), compare=False)
    written: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        line = f"{where}: {self.subject}：{self.message}" if self.subject else f"{where}: {self.message}"
        return one_line(line)


class DataError(Exception):
    """Every mistake found in the data, reported at once: files that could not be read first, then the
    other mistakes in file order, then notes on what could not be checked because of them."""

    def __init__(self, problems: list[Problem], notes: Iterable[str] = ()):
        self.problems = sorted(set(problems), key=lambda p: (not p.unreadable, p))
        self.notes = list(notes)
        super().__init__(self.report())

    def lines(self) -> list[str]:
        """The mistakes, one a line, and the notes (``注：...``)."""
        return [str(p) for p in self.problems] + [f"注：{n}" for n in self.notes]

    def report(self) -> str:
        return "\n".join([*self.lines(), f"数据中共有 {len(self.problems)} 处错误"])
