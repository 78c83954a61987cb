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


def test_the_term_shards_patched_where_tokens_changed_equal_fresh_ones(monkeypatch):
    """kb.shards.TermShards makes again only the shards holding a token the postings patch touched; the
    shards are byte for byte those made from scratch, also when their number changes. Every token the
    patch says it left alone has the postings it had."""
    import kb.shards as shards

    monkeypatch.setattr(shards, "TERM_SHARD_BYTES", 2_000)  # dozens of shards from a few hundred tokens
    rng = random.Random(27)
    words = [f"b:{i}" for i in range(400)]

    def document() -> dict[str, int]:
        return {t: rng.randint(1, 15) for t in rng.sample(words, rng.randint(1, 30))}

    packs = [document() for _ in range(300)]
    postings, terms, counts, partly = Postings(), shards.TermShards(), set(), 0
    for step in range(150):
        packs = list(packs)
        for _ in range(rng.choice((1, 2, 5, 40))):
            packs[rng.randrange(len(packs))] = document()
        # the same tokens in another order: the postings stay, the order tokens first occur in may not
        number = rng.randrange(3)  # an early one: the first to hold many of its tokens
        packs[number] = dict(reversed(packs[number].items()))
        before = {t: array("I", a) for t, a in postings.out.items()}
        was = list(terms.shards)
        posted = postings.make(packs, "sounds")
        if postings.touched is not None:
            assert all(posted[t] == a for t, a in before.items() if t in posted and t not in postings.touched), step
            assert all(t in posted for t in before if t not in postings.touched), step
        got = terms.make(posted, postings.touched)
        texts = [shards._token_text(t, a) for t, a in posted.items()]
        want = shards._term_shards(texts, sum(len(text) + 1 for _, text in texts))
        assert got == want, step
        counts.add(len(got))
        partly += len(was) == len(got) and 0 < sum(a is b for a, b in zip(was, terms.shards)) < len(got)
    assert len(counts) > 1 and partly > 20  # the number of shards changed, and many steps kept some
