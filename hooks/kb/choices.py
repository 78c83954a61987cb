"""What an author may write where a reference is missing or wrong: the allowed ids, each with its title.

The knowledge team thinks in titles (理性型客户), the data wants ids (rational): a message that lists the
ids beside their titles, and recognises a title written where an id belongs, saves a search of data/.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

from .errors import Problem
from .load import Record
from .model import LABEL

ALL_UP_TO = 12  # up to this many choices, all are listed
CLOSEST = 6  # past that, only the ones closest to what was written (or the first ones)


def _candidates(records: Iterable[Record], kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, title) of every entry of ``kinds``, in the order the data lists them."""
    return [(r.id, getattr(r.entry, "title", "") or "") for r in records if r.kind in kinds]


def _closeness(written: str, choice: tuple[str, str]) -> float:
    return max(difflib.SequenceMatcher(None, written, part).ratio() for part in choice)


def offer(kinds: tuple[str, ...], records: Iterable[Record], written: str | None = None) -> str:
    """``（可选：rational 理性型客户、emotional 情绪型客户）``; when there are many, the closest to
    ``written`` (or the first ones) and how many there are."""
    found = _candidates(records, kinds)
    if not found:
        return f"（还没有任何{'或'.join(LABEL[k] for k in kinds)}）"
    shown = found
    if len(found) > ALL_UP_TO:
        if written:
            shown = sorted(found, key=lambda c: -_closeness(written, c))[:CLOSEST]
        else:
            shown = found[:CLOSEST]
    listed = "、".join(f"{i} {t}".strip() for i, t in shown)
    more = "" if len(shown) == len(found) else f" …共 {len(found)} 个，见 data/{'、data/'.join(kinds)}/"
    return f"（可选：{listed}{more}）"


def title_match(written: str, kinds: tuple[str, ...], records: Iterable[Record]) -> Record | None:
    """The entry of ``kinds`` whose title is ``written`` (spaces aside), if there is one."""
    want = "".join(written.split())
    return next((r for r in records if r.kind in kinds and "".join(str(getattr(r.entry, "title", "")).split()) == want),
                None)


def title_hint(written: str, rec: Record) -> str:
    return f"'{written}' 是{LABEL[rec.kind]} {rec.id} 的标题：这里要写 id：{rec.id}"


def with_choices(problem: Problem, records: list[Record]) -> Problem:
    """A reference problem found while reading one file (a missing field, a value that is not an id),
    completed with what may be written there once every entry is known."""
    if not problem.refers_to:
        return problem
    if problem.written:
        rec = title_match(problem.written, problem.refers_to, records)
        if rec is not None:
            where = problem.message.split("：", 1)[0] + "：" if problem.message.startswith("字段 ") else ""
            return replace(problem, message=where + title_hint(problem.written, rec))
    return replace(problem, message=problem.message + offer(problem.refers_to, records, problem.written))
