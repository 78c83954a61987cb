"""Files published beside the pages: the JSON export and its schema, the review worklist as CSV, and
the identification helper's and the self-check drills' data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .buildinfo import BuildInfo
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
