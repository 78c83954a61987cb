"""Which swaps go on the one-page call card."""

from __future__ import annotations

from .knowledge import KnowledgeBase
from .load import Record
from .settings import CallCardSettings


def call_card_swaps(kb: KnowledgeBase, settings: CallCardSettings) -> list[Record]:
    """The swaps named in ``extra.kb.call_card.swaps``; without a list, the ones most entries refer to
    (the types, scenarios and techniques that cite a swap are what make it matter), ties in data order."""
    if settings.swaps:
        return [kb.by_id[i] for i in settings.swaps]
    swaps = kb.of_kind("swaps")
    ranked = sorted(range(len(swaps)), key=lambda n: (-len(kb.graph.referred_by(swaps[n].id)), n))
    return [swaps[n] for n in ranked[: settings.max_swaps]]
