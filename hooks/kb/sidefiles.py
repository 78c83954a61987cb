"""Files published beside the pages: the JSON export and its schema, the review worklist as CSV, and
the identification helper's and the self-check drills' data."""

from __future__ import annotations

from .buildinfo import BuildInfo
from .export import SCHEMA_PATH, exports, schema_text
from .knowledge import KnowledgeBase
from .practice import practice_files
from .review import worklist_csv
from .triage import JSON_NAME, triage_json

REVIEW_CSV = "review/review.csv"


def side_files(kb: KnowledgeBase, info: BuildInfo) -> dict[str, str]:
    """Site path → text of each file."""
    files = exports(kb, info)
    files[SCHEMA_PATH] = schema_text()
    files[REVIEW_CSV] = worklist_csv(info.review, info.address)
    files[JSON_NAME] = triage_json(kb)
    files.update(practice_files(kb))
    return files
