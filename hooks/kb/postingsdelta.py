"""The search postings of a `mkdocs serve` rebuild, patched from the build before instead of made anew.

``kb.shards.postings`` appends every token of every document to its postings (millions of numbers at
10,000 entries), though after an edit only the documents the edit changed pack differently. When the
documents are as many as before and few of them changed (each document's packed tokens are carried by
kb.carryover: an unchanged one is the very same object), each token of a changed document has its
posting for that document replaced, inserted or removed, and every other token keeps its postings.

The result is what ``kb.shards.postings`` gives, in the same order too (the order the term shards are
written in): a token comes where it first occurs, by its first document and its place among that
document's tokens. An unchanged token keeps its place; a changed one is put back where that says.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from heapq import merge

# more changed documents than this share of them: made anew (patching costs more per document)
MAX_CHANGED_SHARE = 0.05


class Postings:
    """The last serve build's postings, their tokens' first places, and the packed documents they came from."""

    def __init__(self) -> None:
        self.sounds = None
        self.packs: list[dict[str, int]] = []
        self.out: dict[str, array] = {}
        self.first: dict[str, tuple[int, int]] = {}  # token -> (first document, place among its tokens)
        # the tokens whose postings or place the last make changed, gone ones too (None: all were made anew);
        # every other token's postings are the very same as before (kb.shards.TermShards keeps its text)
        self.touched: set[str] | None = None

    def make(self, packs: list[dict[str, int]], sounds: object) -> dict[str, array]:
        """The postings of ``packs`` (each document's packed tokens, in document order)."""
        changed = self._changed(packs, sounds)
        try:
            if changed is None:
                self._make_all(packs)
                self.touched = None
            else:
                self.touched = self._patch(packs, changed)
        except BaseException:
            self.__init__()  # half patched: the next build makes them anew
            raise
        self.sounds, self.packs = sounds, packs
        return self.out

    def _changed(self, packs, sounds) -> list[int] | None:
        if sounds != self.sounds or len(packs) != len(self.packs) or not self.out:
            return None
        changed = [n for n, (new, old) in enumerate(zip(packs, self.packs)) if new is not old]
        return changed if len(changed) <= MAX_CHANGED_SHARE * len(packs) else None

    def _make_all(self, packs) -> None:
        out: dict[str, array] = {}
        first: dict[str, tuple[int, int]] = {}
        for number, packed in enumerate(packs):
            for place, (token, value) in enumerate(packed.items()):
                flat = out.get(token)
                if flat is None:
                    out[token] = array("I", (number, value))
                    first[token] = (number, place)
                else:
                    flat.append(number)
                    flat.append(value)
        self.out, self.first = out, first

    def _patch(self, packs, changed: list[int]) -> set[str]:
        """Patch the postings; the tokens whose postings or place may have changed."""
        out, first = self.out, self.first
        moved: set[str] = set()  # tokens whose first place may have changed
        put: set[str] = set()  # tokens whose postings changed

        def may_move(token: str) -> None:
            # a token first found in an earlier document keeps its place, whatever this one does (most of
            # a changed document's tokens: listing them all was most of the patch)
            was = first.get(token)
            if was is None or was[0] >= number:
                moved.add(token)

        for number in changed:
            old, new = self.packs[number], packs[number]
            for token in old.keys() - new.keys():
                _remove(out, token, number)
                put.add(token)
                may_move(token)
            for token, value in new.items():
                if old.get(token) != value or token not in old:
                    _put(out, token, number, value)
                    put.add(token)
                may_move(token)
        places: dict[int, dict[str, int]] = {}

        def place(token: str) -> tuple[int, int]:
            number = out[token][0]
            if number not in places:
                places[number] = {t: i for i, t in enumerate(packs[number])}
            return number, places[number][token]

        for token in moved:
            if token in out:
                first[token] = place(token)
            else:
                first.pop(token, None)
        kept = (t for t in out if t not in moved)  # already in order
        again = sorted((t for t in moved if t in out), key=first.__getitem__)
        order = list(merge(kept, again, key=first.__getitem__))
        self.out = {t: out[t] for t in order}
        return put | moved


def _find(flat: array, number: int) -> int:
    """The index of ``number``'s posting in ``flat`` ([doc, value, doc, value, …], docs ascending), or of
    where it would go."""
    return 2 * bisect_left(flat[0::2], number)


def _remove(out: dict[str, array], token: str, number: int) -> None:
    flat = out[token]
    i = _find(flat, number)
    del flat[i:i + 2]
    if not flat:
        del out[token]


def _put(out: dict[str, array], token: str, number: int, value: int) -> None:
    flat = out.get(token)
    if flat is None:
        out[token] = array("I", (number, value))
        return
    i = _find(flat, number)
    if i < len(flat) and flat[i] == number:
        flat[i + 1] = value
    else:
        flat[i:i] = array("I", (number, value))
