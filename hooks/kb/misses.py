"""What agents could not find: the search misses in a web server's access log.

With `extra: kb: search_miss_log: true` the site requests ``assets/miss.gif?q=…`` when a search ends
without a good match (docs/assets/kb.js). ``python -m kb misses ACCESS_LOG`` reads an nginx or Apache
"combined" (or "common") log and prints those queries, most frequent first: the list of what to write next.
Lines that are not in the log format are skipped and counted, never a traceback.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# host ident user [time] "METHOD target PROTOCOL" status size ["referer" "agent"]
LINE = re.compile(r'^\S+ \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+)(?: [^"]*)?" (?P<status>\d{3}) (?:\d+|-)(?: .*)?$')
PIXEL = "miss.gif"


@dataclass
class Misses:
    queries: Counter = field(default_factory=Counter)
    lines: int = 0
    malformed: int = 0
    malformed_examples: list[int] = field(default_factory=list)  # line numbers of the first few

    def add(self, number: int, line: str) -> None:
        self.lines += 1
        m = LINE.match(line.rstrip("\r\n"))
        if not m:
            self.malformed += 1
            if len(self.malformed_examples) < 5:
                self.malformed_examples.append(number)
            return
        parts = urlsplit(m.group("target"))
        if m.group("method") != "GET" or not parts.path.endswith("/" + PIXEL) and parts.path != PIXEL:
            return
        for q in parse_qs(parts.query).get("q", []):
            q = " ".join(q.split())
            if q:
                self.queries[q] += 1


def read_log(path: Path) -> Misses:
    misses = Misses()
    # errors="replace": a log may hold bytes of any encoding; a broken line is then malformed, not a crash
    with path.open(encoding="utf-8", errors="replace") as log:
        for number, line in enumerate(log, 1):
            if line.strip():
                misses.add(number, line)
    return misses


def report(misses: Misses, path: str, top: int) -> str:
    total = sum(misses.queries.values())
    lines = [f"{path}: {misses.lines} lines, {total} search misses, {len(misses.queries)} different queries"]
    width = max((len(str(n)) for n in misses.queries.values()), default=1)
    lines += [f"{n:>{width}}  {q}" for q, n in misses.queries.most_common(top)]
    if len(misses.queries) > top:
        lines.append(f"… {len(misses.queries) - top} more (--top N to see them)")
    if misses.malformed:
        where = ", ".join(str(n) for n in misses.malformed_examples)
        lines.append(f"skipped {misses.malformed} malformed line{'s' if misses.malformed != 1 else ''} "
                     f"(not an nginx/Apache combined log line), e.g. line {where}")
    return "\n".join(lines)
