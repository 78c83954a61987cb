"""What `mkdocs serve` carries from one rebuild to the next.

A rebuild after an edit does the whole build again, though the edit changed a few values: on the real
data most of a rebuild's own work (converting prose, cutting the search index into tokens, encoding
postings) gives what the build before gave. Each result kept here is keyed by everything it is computed
from (the text, not where it came from), so an edited value misses and is computed anew: a rebuild can
never show what the data no longer says. The kb package is imported again when its code changes
(hooks/knowledge_base.py), and this store with it.

Only `mkdocs serve` keeps anything from one build to the next: a one-off build would hold every result to
the end for nothing (at 10,000 entries, memory the build's peak cannot spare). Within one build, a result
asked for twice that the build holds anyway (a data file's parse) is kept until the build ends
(``within_build``), and only while a build runs (not in `python -m kb check`, nor in a test's load).

Two generations, not a size limit (functools.lru_cache counts entries, and the right count grows with
the data): what the current build used and what the build before it used. A result neither asked for is
dropped, so the store holds at most about two builds' worth.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class CarryOver:
    def __init__(self) -> None:
        self.keeping = False
        self.building = False
        self._now: dict[Hashable, object] = {}
        self._before: dict[Hashable, object] = {}

    def start_build(self, keep: bool) -> None:
        """A build begins: what the last one used becomes the older generation (``keep``: serving)."""
        self.keeping, self.building = keep, True
        self._before, self._now = (self._now, {}) if keep else ({}, {})

    def end_build(self) -> None:
        """The build is over: what it kept for itself alone goes (a serving process keeps its results)."""
        self.building = False
        if not self.keeping:
            self._now = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result for ``key``: kept from this build or the one before, else ``make()``."""
        if not self.keeping:
            return make()
        try:
            return self._now[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = self._before.pop(key) if key in self._before else make()
        self._now[key] = value
        return value  # type: ignore[return-value]

    def get_current(self, slot: Hashable, version: Hashable, make: Callable[[], T]) -> T:
        """``get`` for a result that has one place (``slot``) and is made anew when what it is made from
        (``version``) changed: an older version is replaced, not kept beside it, so ``keep_unused`` can
        keep a kind's slots through any number of builds without holding every version ever made."""
        if not self.keeping:
            return make()
        kept = self._now.get(slot)
        if kept is None:
            kept = self._before.pop(slot, None)
        if kept is None or kept[0] != version:  # type: ignore[index]
            kept = (version, make())
        self._now[slot] = kept
        return kept[1]  # type: ignore[index]

    def within_build(self, key: Hashable, make: Callable[[], T]) -> T:
        """``get``, and when not serving the result is still kept to the end of this build: for a result
        asked for twice in one build that the build holds anyway (a data file's parse, which its records
        keep and the change history asks for again)."""
        if self.keeping:
            return self.get(key, make)
        if not self.building:
            return make()
        if key not in self._now:
            self._now[key] = make()
        return self._now[key]  # type: ignore[return-value]

    def keep_unused(self, kinds: tuple[str, ...], stale: Callable[[tuple], bool] = lambda key: False) -> None:
        """Keep the older generation's results of these kinds (the first part of their keys) through the
        next build too, but those ``stale`` says are no longer any page's: for a build that asks for only
        some of them (kb.quickbuild), so that the build after it still finds the rest."""
        for key in [k for k in self._before if isinstance(k, tuple) and k and k[0] in kinds and not stale(k)]:
            self._now.setdefault(key, self._before.pop(key))

    def __len__(self) -> int:
        return len(self._now) + len(self._before)


CARRIED = CarryOver()


def start_build(serving: bool) -> None:
    CARRIED.start_build(serving)


def end_build() -> None:
    CARRIED.end_build()
