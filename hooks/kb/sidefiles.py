"""Files published beside the pages: the JSON export and its schema, and the review worklist as CSV."""

from __future__ import annotations

from .buildinfo import BuildInfo
from .export import SCHEMA_PATH, exports, schema_text
from .knowledge import KnowledgeBase
from .review import worklist_csv

REVIEW_CSV = "review/review.csv"


def side_files(kb: KnowledgeBase, info: BuildInfo) -> dict[str, str]:
    """Site path → text of each file."""
    files = exports(kb, info)
    files[SCHEMA_PATH] = schema_text()
    files[REVIEW_CSV] = worklist_csv(info.review, info.address)
    return files
