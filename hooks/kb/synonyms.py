"""The vocabulary of data/synonyms.yaml: which groups a text reaches (Expansion), and the guard that
reports a group whose words occur in too many entries.

At build time every entry that uses one word of a group is indexed under all of them (search.py), so a
common word in a group (问题, 客户) would make the group's other words find a large part of the knowledge
base: the search drifts to unrelated entries. The limit is explicit and the same for every size of
knowledge base: more than MAX_SHARE of the entries, and at least MIN_ENTRIES of them. A warning, located like an
error, printed by `make check` only (the build does not run it: `make build` is strict, and a warning would
fail it): not a build failure, because how common a word is
changes as the knowledge base grows, and an author must be able to publish while deciding what to split.
"""

from __future__ import annotations

from collections import Counter
from operator import add
from pathlib import Path

from .errors import Problem
from .load import Pos, Record, load_synonyms
from .model import SynonymGroup

MAX_SHARE = 0.15  # a group may reach at most 15 % of the entries …
MIN_ENTRIES = 5  # … unless it reaches fewer than this (a tiny knowledge base)


def entry_text(r: Record) -> str:
    return " ".join(str(v.value) for v in r.values if v.format in ("text", "prose"))


class Expansion:
    """Which synonym groups a text reaches (one of their words occurs in it), and the other words of
    those groups: what search indexes an entry under (kb.search) and what this guard counts.

    A text is only tried against the words that start with one of its bigrams (or, a word of one
    character, with one of its characters): trying every word of every group on every document was a tenth
    of a rebuild on the real data and a third of `make check` at 10,000 entries, and grows with both. And
    a word is only searched for in the text when the text has each of its bigrams: most words of three
    characters or more that start like one of the text's bigrams are not in it, and searching a long body
    for each took a third of making the search documents (2.9–3.4 s against 2.1 s at 10,000 entries)."""

    def __init__(self, synonyms: list[SynonymGroup]):
        self.groups = [tuple(g.words) for g in synonyms]
        # first bigram -> (word, its group, its other bigrams)
        self.by_start: dict[str, list[tuple[str, int, tuple[str, ...]]]] = {}
        for number, words in enumerate(self.groups):
            for word in words:
                self.by_start.setdefault(word[:2], []).append((word, number, tuple(map(add, word[1:], word[2:]))))
        self.starts = frozenset(self.by_start)

    def reached(self, text: str) -> set[int]:
        """The numbers of the groups one of whose words occurs in ``text``."""
        starts = set(map(add, text, text[1:]))  # the bigrams, joined in C (entries run to thousands of characters)
        starts.update(text)  # words of one character (synonym words are never empty: model.Text)
        return {number for start in starts & self.starts for word, number, rest in self.by_start[start]
                if starts.issuperset(rest) and word in text}

    def __call__(self, text: str) -> list[str]:
        """The words of the groups ``text`` reaches that it does not hold, group by group."""
        out: list[str] = []
        for number in sorted(self.reached(text)):
            out += [w for w in self.groups[number] if w not in text]
        return out


def check_synonyms(groups: list[tuple[SynonymGroup, Pos]], records: list[Record], path: str) -> list[Problem]:
    """One warning per group that reaches too many entries."""
    texts = [entry_text(r) for r in records if not r.broken]
    limit = max(MIN_ENTRIES - 1, int(MAX_SHARE * len(texts)))
    expansion = Expansion([group for group, _ in groups])
    users = Counter(number for t in texts for number in expansion.reached(t))
    problems = []
    for number, (group, (line, column)) in enumerate(groups):
        if users[number] > limit:
            counts = sorted(((sum(w in t for t in texts), w) for w in group.words), reverse=True)
            widest = "、".join(f"'{w}' {n}" for n, w in counts[:3])
            problems.append(Problem(path, line, column, (
                f"警告：同义词组 '{group.words[0]}' 命中 {len(texts)} 个条目中的 {users[number]} 个"
                f"（最多 {limit} 个：条目的 {MAX_SHARE:.0%}，至少允许 {MIN_ENTRIES - 1} 个）："
                f"这些词会搜出不相干的条目；"
                f"用得最多的：{widest}")))
    return problems


def synonym_warnings(root: Path, records: list[Record]) -> list[Problem]:
    """The warnings for the project at ``root``, whose entries (already loaded) are ``records``."""
    groups, _ = load_synonyms(root)
    return check_synonyms(groups, records, "data/synonyms.yaml")
