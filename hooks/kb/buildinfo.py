"""What one build knows beyond the data: its settings, today's date, the review schedules, the history of
data/ and the published address. Made once in on_config and handed to the pages and the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from .changes import History, history
from .knowledge import KnowledgeBase
from .load import Record
from .pages import entry_url
from .review import ReviewBook
from .settings import Settings, SettingsError, read_settings


@dataclass
class BuildInfo:
    settings: Settings
    today: dt.date
    review: ReviewBook
    history: History
    site_url: str = ""  # mkdocs.yml site_url, "" when not set
    edit_base: str = ""  # the repository's editor for the project root (edit_base()), "" when not set

    def __post_init__(self) -> None:
        self.changed = self.history.last_changed()  # id → its latest change

    def address(self, record: Record) -> str:
        """The entry's full published URL with site_url set; else its site-relative URL."""
        url = entry_url(record)
        return self.site_url.rstrip("/") + "/" + url if self.site_url else url

    def data_version(self) -> dict:
        h = self.history
        if not h.available or h.head is None:
            return {"commit": None, "committed_at": None, "uncommitted_changes": None, "note": h.reason}
        return {"commit": h.head.sha, "committed_at": h.head.when.isoformat(),
                "uncommitted_changes": h.dirty, "note": None}


def edit_base(repo_url: str | None, edit_uri: str | None) -> str:
    """The repository editor's address of the project root, from mkdocs.yml's ``repo_url`` and ``edit_uri``
    (which points at docs/: data/ sits beside it), or "" without them (or with a query-style edit_uri)."""
    if not repo_url or not edit_uri or "?" in edit_uri or "#" in edit_uri:
        return ""
    docs = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
    return urljoin(docs, "../")


def build_info(kb: KnowledgeBase, root: Path, extra: dict | None = None, site_url: str | None = "",
               repo_url: str | None = None, edit_uri: str | None = None) -> BuildInfo:
    """Everything above for the project at ``root``; SettingsError names every mistake in extra.kb."""
    settings = read_settings(extra)
    unknown = [i for i in settings.call_card.swaps if i not in kb.by_id or kb.by_id[i].kind != "swaps"]
    if unknown:
        raise SettingsError("\n".join(f"mkdocs.yml: extra.kb.call_card.swaps：没有话术替换 '{i}'" for i in unknown))
    today = settings.build_date
    return BuildInfo(settings, today, ReviewBook.of(kb, settings.review, today),
                     history(root, settings.changes, today), site_url or "", edit_base(repo_url, edit_uri))
