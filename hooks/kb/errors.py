"""The located error type and its one format: ``path:line:column: kind 'id': message``."""

from __future__ import annotations

from dataclasses import dataclass

# a problem is one line: characters that would break it (a value's newline, tab, …) are shown escaped
_ONE_LINE = {c: ascii(chr(c))[1:-1] for c in [*range(32), 0x7F, 0x85, 0x2028, 0x2029]}


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the data, located like a compiler error."""

    path: str
    line: int
    column: int
    message: str
    subject: str = ""  # "scenario 'x'" or "" when the mistake is not inside an entry

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        line = f"{where}: {self.subject}: {self.message}" if self.subject else f"{where}: {self.message}"
        return line.translate(_ONE_LINE)


class DataError(Exception):
    """Every mistake found in the data, reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} mistake{'s' if n != 1 else ''} in the knowledge data")
        return "\n".join(lines)
