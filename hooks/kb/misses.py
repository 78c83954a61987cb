"""What agents could not find, and what they found lower than first: the search records in a web server's
access log.

With `extra: kb: search_miss_log: true` the site requests ``assets/miss.gif?q=…`` when a search ends
without a good match; with `search_open_log: true` it requests ``assets/opened.gif?q=…&rank=N&to=PATH``
when an agent opens a search result (docs/assets/kb.js). ``python -m kb misses ACCESS_LOG`` reads an nginx
or Apache "combined" (or "common") log, or the records' own log that deploy/nginx/ writes (time and request
only, log_format kb_search), and prints the misses, most frequent first, then how often the
result opened was the first one and which entries agents opened lower down for which words: the list of
what to write next, from the words agents really type; ``--queries-out FILE`` writes those searches as a
query set for the search benchmark. Lines that are not in the log format are skipped and counted, never a
traceback.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# host ident user [time] "METHOD target PROTOCOL" status size ["referer" "agent"]
LINE = re.compile(r'^\S+ \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+)(?: [^"]*)?" (?P<status>\d{3}) (?:\d+|-)(?: .*)?$')
# [time] "METHOD target PROTOCOL": deploy/nginx/kb-http.conf's kb_search format (only answered records)
RECORD_LINE = re.compile(r'^\[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+)(?: [^"]*)?"$')
PIXEL = "miss.gif"
OPENED = "opened.gif"
MAX_RANK = 100  # the worker draws its 20 best (SHOWN): a rank far beyond is not from the site


@dataclass(frozen=True)
class Opened:
    query: str
    to: str  # the result's address relative to the site root, as entry_url() gives it
    rank: int  # its place in the result list, from 1


@dataclass
class Misses:
    queries: Counter = field(default_factory=Counter)
    opened: Counter = field(default_factory=Counter)  # Opened → how many times
    lines: int = 0
    malformed: int = 0
    malformed_examples: list[int] = field(default_factory=list)  # line numbers of the first few

    def add(self, number: int, line: str) -> None:
        self.lines += 1
        line = line.rstrip("\r\n")
        m = LINE.match(line) or RECORD_LINE.match(line)
        if not m:
            self.malformed += 1
            if len(self.malformed_examples) < 5:
                self.malformed_examples.append(number)
            return
        parts = urlsplit(m.group("target"))
        if m.group("method") != "GET":
            return
        if _is(parts.path, PIXEL):
            for q in parse_qs(parts.query).get("q", []):
                q = _text(q)
                if q:
                    self.queries[q] += 1
        elif _is(parts.path, OPENED):
            opened = _opened(parse_qs(parts.query))
            if opened:
                self.opened[opened] += 1


def _is(path: str, pixel: str) -> bool:
    """The site's pixel, wherever the site is served (/assets/… or /kb/assets/…)."""
    return path.endswith("/" + pixel) or path == pixel


def _text(value: str) -> str:
    """One line of plain text: the report goes to a terminal, where a control character (an escape
    sequence in a crafted request) must not act."""
    return " ".join("".join(ch for ch in value if not unicodedata.category(ch).startswith("C")).split())


def _opened(params: dict[str, list[str]]) -> Opened | None:
    """The record of an opened result, or None when a parameter is missing or not what the site sends."""
    query, to, rank = (_text(params.get(name, [""])[0]) for name in ("q", "to", "rank"))
    # a rank longer than MAX_RANK is written is too large before int() is asked (which refuses 4,300+ digits)
    if not query or not to or not rank.isascii() or not rank.isdigit() or len(rank) > len(str(MAX_RANK)) \
            or not 1 <= int(rank) <= MAX_RANK:
        return None
    return Opened(query, to, int(rank))


def read_log(path: Path) -> Misses:
    misses = Misses()
    # errors="replace": a log may hold bytes of any encoding; a broken line is then malformed, not a crash
    with path.open(encoding="utf-8", errors="replace") as log:
        for number, line in enumerate(log, 1):
            if line.strip():
                misses.add(number, line)
    return misses


def report(misses: Misses, path: str, top: int, describe: Callable[[str], str | None] = lambda to: None) -> str:
    """The misses, then the opened results; ``describe`` names the entry at an address (kind, title, file)
    when the knowledge base is at hand."""
    total = sum(misses.queries.values())
    lines = [f"{path}：{misses.lines} 行，{total} 次搜索没有好结果，{len(misses.queries)} 种不同的搜索词"]
    lines += _counted(misses.queries.most_common(top), str)
    if len(misses.queries) > top:
        lines.append(_more(len(misses.queries) - top))
    if misses.opened:
        lines += ["", *_opened_report(misses.opened, top, describe)]
    if misses.malformed:
        where = "、".join(str(n) for n in misses.malformed_examples)
        lines.append(f"跳过了 {misses.malformed} 行看不懂的记录（不是 nginx/Apache 的 combined 或 common 格式，"
                     f"也不是 kb_search 格式），例如第 {where} 行")
    return "\n".join(lines)


def _opened_report(opened: Counter, top: int, describe: Callable[[str], str | None]) -> list[str]:
    total = sum(opened.values())
    first = sum(n for o, n in opened.items() if o.rank == 1)
    three = sum(n for o, n in opened.items() if o.rank <= 3)
    lines = [f"打开了 {total} 次搜索结果：第一条 {first} 次（{first / total:.0%}），"
             f"前三条之一 {three} 次（{three / total:.0%}）"]
    # the same words and entry at several ranks (the data changed between searches) are one row
    lower: Counter = Counter()
    ranks: dict[tuple[str, str], set[int]] = {}
    for o, n in opened.items():
        if o.rank > 1:
            lower[o.query, o.to] += n
            ranks.setdefault((o.query, o.to), set()).add(o.rank)
    if not lower:
        return lines
    lines.append("打开的不是第一条结果（这些词若确实说的是那个条目，可以写进它的关键词或同义词）：")

    def row(key: tuple[str, str]) -> str:
        query, to = key
        places = "、".join(str(r) for r in sorted(ranks[key]))
        return f"{query}  → 打开的是第 {places} 条：{describe(to) or to}"
    lines += _counted(lower.most_common(top), row)
    if len(lower) > top:
        lines.append(_more(len(lower) - top))
    return lines


def _more(n: int) -> str:
    return f"…… 另有 {n} 条（make misses TOP=N 显示更多）"


def _counted(items: list, show: Callable) -> list[str]:
    width = max((len(str(n)) for _, n in items), default=1)
    return [f"{n:>{width}}  {show(key)}" for key, n in items]


def entries_by_address(records) -> dict:
    """Address (as the site records it, relative to its root) → the entry's record."""
    from .pages import entry_url

    return {entry_url(r): r for r in records}


def where_written(record) -> str:
    """Where the entry is written and what it is called (``data/…yaml:12:3: 场景 'x' 标题``), so the
    knowledge team goes straight to the entry the words belong to."""
    line, col = record.where()
    # cleaned like the queries: a title (or a file name) may hold a character that acts in a terminal
    return _text(f"{record.doc.path}:{line}:{col}: {record.subject} {record.entry.title}")


def logged_queries(opened: Counter, entries: dict) -> list[dict]:
    """The opened results as a query set for ``python -m benchmarks.search --queries``: each query once, the
    entries agents opened for it as its answers (most opened first); an address that is no entry (a guide
    page) is left out. Ranking measured on what agents wanted, in their words: evaluate on a later log than
    the one whose words went into the data."""
    answers: dict[str, Counter] = {}
    for o, n in opened.items():
        if o.to in entries:
            r = entries[o.to]
            answers.setdefault(o.query, Counter())[f"{r.kind}:{r.id}"] += n
    by_use = sorted(answers.items(), key=lambda item: -sum(item[1].values()))
    return [{"kind": "logged", "q": q, "expect": [e for e, _ in found.most_common()]} for q, found in by_use]


def query_set_yaml(queries: list[dict], source: str) -> str:
    """The set in the shape of tests/search-queries.yaml: a set name, one flow mapping per query."""
    import yaml

    def one(query: dict) -> str:
        return yaml.safe_dump(query, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6).strip()
    return "".join([f"# Searches whose result agents opened, from {source} (python -m kb misses --queries-out)\n",
                    "logged:\n", *(f"  - {one(q)}\n" for q in queries)])
