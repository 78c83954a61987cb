"""Files published beside the pages: the JSON export and its schema, the review worklist as CSV, and
the identification helper's and the self-check drills' data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .buildinfo import BuildInfo
from .carryover import CARRIED
from .export import SCHEMA_PATH, export_parts, schema_text
from .knowledge import KnowledgeBase
from .practice import practice_files
from .review import worklist_csv
from .triage import JSON_NAME, triage_json

REVIEW_CSV = "review/review.csv"


def side_files(kb: KnowledgeBase, info: BuildInfo) -> Iterator[tuple[str, str | Iterable[str]]]:
    """(site path, text) of each file, made one at a time; an export's text comes in parts, to be written
    part by part (at scale each is tens of MB)."""
    yield from export_parts(kb, info)
    yield SCHEMA_PATH, schema_text()
    yield REVIEW_CSV, worklist_csv(info.review, info.address)
    yield JSON_NAME, triage_json(kb)
    yield from practice_files(kb).items()


def write_side_file(target: Path, text: str | Iterable[str]) -> Path:
    """Write a side file (its text whole or in parts) at ``target``; returns ``target``.

    While serving, a file whose text is what the build before wrote there is not written again: at
    15,000 entries the exports are ~200 MB, and writing them all was a tenth of a rebuild after one edit.
    An export's parts are mostly its entries' lines as the build before made them (kb.export carries
    them), so comparing the parts is mostly comparing the same objects; a whole text is compared by its
    hash (the slot then holds 16 bytes, not the text). A whole build empties the folder first, and a
    file that is not there is written.
    """
    parts = [text] if isinstance(text, str) else text
    if CARRIED.keeping:
        parts = list(parts)
        version = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest() \
            if isinstance(text, str) else parts
        wrote: list[bool] = []
        CARRIED.get_current(("side", str(target)), version, lambda: wrote.append(_write(target, parts)))
        if wrote or target.exists():
            return target
    _write(target, parts)
    return target


def _write(target: Path, parts: Iterable[str]) -> bool:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as file:
        file.writelines(parts)
    return True
