"""kb.postingsdelta: postings patched from the last serve build are those made anew, in the same order."""

from __future__ import annotations

import random
from array import array

from kb.postingsdelta import Postings


def _fresh(packs: list[dict[str, int]]) -> dict[str, array]:
    """What kb.shards.postings makes of the packed documents (every token where it first occurs)."""
    out: dict[str, array] = {}
    for number, packed in enumerate(packs):
        for token, value in packed.items():
            out.setdefault(token, array("I")).extend((number, value))
    return out


def test_patched_postings_equal_fresh_ones_token_for_token_and_in_order():
    rng = random.Random(26)
    words = [f"b:{i}" for i in range(400)]

    def document() -> dict[str, int]:
        return {t: rng.randint(1, 15) for t in rng.sample(words, rng.randint(1, 30))}

    packs = [document() for _ in range(300)]
    postings, patched = Postings(), 0
    for step in range(200):
        packs = list(packs)
        for _ in range(rng.choice((1, 2, 5, 40))):  # 40 changed documents: made anew, not patched
            packs[rng.randrange(len(packs))] = document()
        before = postings.out
        got = postings.make(packs, "sounds")
        patched += got is not before and all(got.get(t) is a for t, a in before.items() if t in got)
        want = _fresh(packs)
        assert list(got) == list(want), step
        assert all(got[t] == want[t] for t in want), step
    assert patched > 50  # most steps patched the postings they had
