"""Cross-entry rules: unique ids, references, inline references, sources, legal review."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from .carryover import CARRIED
from .errors import Problem
from .load import Record
from .choices import offer
from .model import AUTHORED, LABEL, PLURAL, SIGNAL_KEYS, SINGULAR, Course, LegalNote, Scenario
from .prose import links
from .refs import IMAGE, SAFE_LINK_TARGET, find_inline


SOURCES_FILE = "data/sources.yaml"


def _ids(records: list[Record]) -> tuple[dict[str, Record], dict[str, Record], list[Problem]]:
    by_id: dict[str, Record] = {}
    aliases: dict[str, Record] = {}
    problems: list[Problem] = []
    for rec in records:
        if rec.id in by_id:
            first = by_id[rec.id]
            line, col = first.where("id")
            if rec.local and not first.local:  # shared entries are loaded first
                message = (f"id '{rec.id}' 已经是共享的{first.subject}（{first.doc.path}:{line}:{col}）："
                           "分公司只能新增条目，不能替换共享条目；请换一个 id")
            else:
                message = f"id '{rec.id}' 重复（{first.subject} 已在 {first.doc.path}:{line}:{col} 使用）"
            problems.append(rec.problem(message, "id"))
            continue
        by_id[rec.id] = rec
    for rec in records:
        for i, old in enumerate(rec.entry.aliases):  # type: ignore[attr-defined]
            if old in by_id:
                problems.append(rec.problem(f"旧 id '{old}' 已经是{by_id[old].subject} 的 id", "aliases", i))
            elif old in aliases:
                problems.append(rec.problem(f"旧 id '{old}' 已经是{aliases[old].subject} 的旧 id", "aliases", i))
            else:
                aliases[old] = rec
    return by_id, aliases, problems


@dataclass
class Targets:
    """What references can point to, and what could not be checked because a file could not be read."""

    by_id: dict[str, Record]
    aliases: dict[str, Record]
    unread: dict[str, list[str]]  # kind -> its files that could not be read
    unchecked: Counter[tuple[str, ...]] = field(default_factory=Counter)  # unreadable files -> references

    def why_not(self, target: str, kinds: tuple[str, ...]) -> str | None:
        """Why ``target`` is not an entry of ``kinds``, or None when it is (or when it cannot be known)."""
        expected = "或".join(LABEL[k] for k in kinds) if len(kinds) <= 3 else "条目"  # a course topic takes almost any kind
        found = self.by_id.get(target)
        if found is None:
            if target in self.aliases:
                return f"'{target}' 已改名为 '{self.aliases[target].id}'：请引用新 id"
            unread = tuple(sorted(f for k in kinds for f in self.unread.get(k, ())))
            if unread:  # it may be one of the entries of a file that could not be read: one note for all
                self.unchecked[unread] += 1
                return None
            return f"没有{expected} '{target}'" + offer(kinds, self.by_id.values(), target)
        if found.kind not in kinds:
            return f"'{target}' 是{LABEL[found.kind]}，不是{expected}" + offer(kinds, self.by_id.values(), target)
        return None

    def notes(self) -> list[str]:
        return [f"有 {n} 处引用可能指向 {'、'.join(files)} 里的条目，没有检查：这些文件读不出来"
                for files, n in sorted(self.unchecked.items())]


def _check_prose(rec: Record, loc: tuple, text: str, targets: Targets) -> list[Problem]:
    """Inline references and link targets in one prose value, each located where it is written."""
    problems = []
    for ref in find_inline(text):
        written = f"行内引用 [[{ref.kind}:{ref.id}]]"
        kind = PLURAL.get(ref.kind)
        if kind is None:
            why = f"没有 '{ref.kind}' 这种引用（可选：{', '.join(sorted(SINGULAR.values()))}）"
        else:
            why = targets.why_not(ref.id, (kind,))
        if why:
            problems.append(rec.problem_in(f"{written}：{why}", loc, text, ref.start, ref.end))
    # the links the page would have (kb.prose: inline, reference-style, in list items …), each at the place
    # its address is written (a reference-style link: its definition), else at the value
    after: dict[str, int] = {}  # address → where to look for its next mention
    for target in links(text):
        if SAFE_LINK_TARGET.match(target):
            continue
        at = text.find(target, after.get(target, 0))
        if at < 0 and target in after:
            continue  # one more use of a reference-style link already reported at its definition
        after[target] = at + len(target) if at >= 0 else len(text)
        message = f"正文里不允许链接到 '{target}'（只能用 http(s) 链接或 [[kind:id]]）"
        problems.append(rec.problem_in(message, loc, text, at, at + len(target)) if at >= 0 else rec.problem(message, *loc))
    for m in IMAGE.finditer(text):
        problems.append(rec.problem_in(
            "正文里不允许插图片（网站要离线使用：请改为链接到页面）",
            loc, text, m.start(), m.end()))
    return problems


def _company_keys(rec: Record, note: LegalNote) -> list[Problem]:
    """A branch addresses a company field by its key: two fields of one note may not share it."""
    problems, seen = [], {}
    for i, field in enumerate(note.company):
        if field.key in seen:
            line, col = rec.where("company", seen[field.key], "key")
            problems.append(rec.problem(f"company 的 key '{field.key}' 已被 company[{seen[field.key] + 1}] 使用"
                                        f"（第 {line} 行第 {col} 列）：每一项要有自己的 key", "company", i, "key"))
        else:
            seen[field.key] = i
    return problems


def _roleplay(rec: Record, scenario: Scenario) -> list[Problem]:
    """A drill is played from its cards, and only a drill has cards."""
    if scenario.drill and scenario.roleplay is None:
        return [rec.problem("是培训演练（drill: true），但没有角色扮演卡：加上 roleplay（customer 客户卡、agent 坐席卡），"
                            "内容取自本场景的情景，不要新编", "drill")]
    if scenario.roleplay is not None and not scenario.drill:
        return [rec.problem("有角色扮演卡 roleplay，但不是演练：加上 drill: true，或删掉 roleplay", "roleplay", key=True)]
    return []


def _course_levels(rec: Record, course: Course) -> list[Problem]:
    """A sub-topic sits under the one before it: its level goes one deeper at most."""
    problems = []
    for i, session in enumerate(course.sessions):
        for j, part in enumerate(session.parts):
            previous = 0
            for k, topic in enumerate(part.topics):
                if topic.level > previous + 1:
                    above = f"上一个子题是 {previous} 级" if previous else "它是这一部分的第一个子题"
                    problems.append(rec.problem(
                        f"子题“{topic.title}”是 {topic.level} 级，但{above}：层级只能逐级加深（1 → 2 → 3）",
                        "sessions", i, "parts", j, "topics", k, "level"))
                previous = topic.level
    return problems


def _check_signals(records: list[Record]) -> list[Problem]:
    """Every signal leads somewhere (a type lists it), and each has its own key on /triage/."""
    signals = [r for r in records if r.kind == "signals"]
    types = [r for r in records if r.kind == "types"]
    problems = []
    if len(signals) > len(SIGNAL_KEYS):
        extra = signals[len(SIGNAL_KEYS)]
        problems.append(extra.problem(f"识别信号超过 {len(SIGNAL_KEYS)} 个：识别助手 /triage/ 给每个信号一个按键（1–9、a–z）；"
                                      "请合并意思相同的信号", "id"))
    used = {s.signal for t in types if not t.broken for s in t.entry.signals}  # type: ignore[attr-defined]
    if any(t.broken for t in types) or used - {r.id for r in signals}:
        return problems  # a broken type or a mistyped reference is the cause: report only that
    for r in signals:
        if not r.broken and r.id not in used:
            problems.append(r.problem("没有任何客户类型列出这个信号：把它加到某个类型的 signals 里，或者删掉它", "id"))
    return problems


def check(records: list[Record], source_keys: set[str] | None,
          unread: dict[str, list[str]]) -> tuple[dict[str, Record], dict[str, Record], list[Problem], list[str]]:
    """Apply every rule that needs more than one entry; return the id and alias indexes, the mistakes,
    and notes on what could not be checked.

    Broken records (entries with mistakes of their own) only take part with their id. ``unread`` names,
    per kind, the files that could not be read, and ``source_keys`` is None when the sources file could
    not be read: a reference that may point into such a file is not checked (the unreadable file is the
    one mistake to report), only counted in a note.
    """
    by_id, aliases, problems = _ids(records)
    targets = Targets(by_id, aliases, unread)
    unchecked_sources = 0
    # serving with every file read: an entry as written in the same file, checked against the same ids,
    # aliases and sources, is as free of mistakes as it was (kb.carryover keeps only that it was: its file's
    # text is the same object while the file is unchanged). An entry with a mistake is checked every time:
    # the message offers entries by their titles, and says where the mistake is, which the key does not hold.
    against = _against(targets, source_keys) if CARRIED.keeping and not unread and source_keys is not None else None
    for rec in records:
        if rec.broken:
            continue
        checked: list[tuple[list[Problem], int]] = []  # made while finding out whether the entry is clean

        def clean(rec: Record = rec) -> bool:
            checked.append(_entry_problems(rec, targets, source_keys))
            return not checked[0][0]

        if against is not None and CARRIED.get(("clean", against, rec.kind, rec.doc.path, rec.doc.text, rec.index), clean):
            continue
        found, unchecked = checked[0] if checked else _entry_problems(rec, targets, source_keys)
        problems += found
        unchecked_sources += unchecked
    problems += _check_signals(records)
    notes = targets.notes()
    if unchecked_sources:
        notes.append(f"有 {unchecked_sources} 个出处 key 没有检查：{SOURCES_FILE} 读不出来")
    return by_id, aliases, problems, notes


def _against(targets: Targets, source_keys: set[str]) -> bytes:
    """What decides whether an entry has mistakes, besides the entry: every id with its kind, the old ids,
    the source keys (as one digest: a key holding them all would be hashed again for every entry)."""
    everything = ([(r.id, r.kind) for r in targets.by_id.values()], [(old, r.id) for old, r in targets.aliases.items()],
                  sorted(source_keys))
    return hashlib.blake2b(repr(everything).encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _entry_problems(rec: Record, targets: Targets, source_keys: set[str] | None) -> tuple[list[Problem], int]:
    """One entry's mistakes that need other entries or the sources (its references, inline ones, sources,
    and its own cross-field rules), and how many of its source keys could not be checked."""
    problems: list[Problem] = []
    unchecked_sources = 0
    entry = rec.entry
    for v in rec.values:
        if v.refers_to:
            why = targets.why_not(v.value, v.refers_to)
            if why:
                problems.append(rec.problem(why, *v.loc))
        elif v.format == "prose":
            problems += _check_prose(rec, v.loc, v.value, targets)
    for i, key in enumerate(entry.sources):  # type: ignore[attr-defined]
        if key == AUTHORED:
            continue
        if source_keys is None:
            unchecked_sources += 1
        elif key not in source_keys:
            problems.append(rec.problem(f"没有出处 '{key}'（不是 {SOURCES_FILE} 里的 key）", "sources", i))
    if AUTHORED in entry.sources and not entry.authored_basis:  # type: ignore[attr-defined]
        problems.append(rec.problem("sources 写了 'authored'，但缺少 'authored_basis'：请写明依据什么写的",
                                    "sources", entry.sources.index(AUTHORED)))  # type: ignore[attr-defined]
    if isinstance(entry, LegalNote):
        problems += _company_keys(rec, entry)
    if isinstance(entry, Scenario):
        problems += _roleplay(rec, entry)
    if isinstance(entry, Course):
        problems += _course_levels(rec, entry)
    if isinstance(entry, LegalNote) and entry.review.status == "verified":
        for i, b in enumerate(entry.basis):
            if b.confidence != "high":
                problems.append(rec.problem(
                    f"review.status 是 'verified'，但 basis[{i + 1}] 的 confidence 是 '{b.confidence}'："
                    "请把本条标为 'needs-review'", "review", "status"))
    return problems, unchecked_sources
