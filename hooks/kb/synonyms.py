"""The guard on data/synonyms.yaml: a group whose words occur in too many entries is reported.

At build time every entry that uses one word of a group is indexed under all of them (search.py), so a
common word in a group (问题, 客户) would make the group's other words find a large part of the knowledge
base: the search drifts to unrelated entries. The limit is explicit and the same for every size of
knowledge base: more than MAX_SHARE of the entries, and at least MIN_ENTRIES of them. A warning, located like an
error, printed by `make check` only (the build does not run it: `make build` is strict, and a warning would
fail it): not a build failure, because how common a word is
changes as the knowledge base grows, and an author must be able to publish while deciding what to split.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem
from .fields import walk
from .load import Pos, Record, load_synonyms
from .model import SynonymGroup

MAX_SHARE = 0.15  # a group may reach at most 15 % of the entries …
MIN_ENTRIES = 5  # … unless it reaches fewer than this (a tiny knowledge base)


def entry_text(r: Record) -> str:
    return " ".join(str(v.value) for v in walk(r.entry) if v.format in ("text", "prose"))


def check_synonyms(groups: list[tuple[SynonymGroup, Pos]], records: list[Record], path: str) -> list[Problem]:
    """One warning per group that reaches too many entries."""
    texts = [entry_text(r) for r in records if not r.broken]
    limit = max(MIN_ENTRIES - 1, int(MAX_SHARE * len(texts)))
    problems = []
    for group, (line, column) in groups:
        # one alternation per group: the regex engine tries every word at once, in C
        anywhere = re.compile("|".join(map(re.escape, group.words)))
        users = [t for t in texts if anywhere.search(t)]
        if len(users) > limit:
            counts = sorted(((sum(w in t for t in texts), w) for w in group.words), reverse=True)
            widest = "、".join(f"'{w}' {n}" for n, w in counts[:3])
            problems.append(Problem(path, line, column, (
                f"warning: synonym group '{group.words[0]}' matches {len(users)} of {len(texts)} entries "
                f"(at most {limit}: {MAX_SHARE:.0%} of the entries, never fewer than {MIN_ENTRIES - 1}): "
                f"its words would find unrelated entries; "
                f"most used: {widest}")))
    return problems


def synonym_warnings(root: Path, records: list[Record]) -> list[Problem]:
    """The warnings for the project at ``root``, whose entries (already loaded) are ``records``."""
    groups, _ = load_synonyms(root)
    return check_synonyms(groups, records, "data/synonyms.yaml")
