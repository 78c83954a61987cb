"""The knowledge base's own settings in mkdocs.yml (``extra: kb: …``), validated like the data.

Every setting has a default, so plain ``mkdocs build`` works without any of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .load import explain
from .model import KINDS
from .pages import COLLECTION_PAGE_MAX


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewSettings(_Strict):
    intervals: dict[str, int] = Field(
        default_factory=lambda: {"legal": 180},
        description="default review interval in days per kind (data folder name); an entry's own `interval_days` or `due` wins")
    soon_days: int = Field(default=30, ge=1, description="an entry due within this many days is listed as 即将到期")
    overdue_legal: Literal["ignore", "warn", "error"] = Field(
        default="ignore",
        description="overdue legal notes: ignore (listed on /review/ only), warn (a located warning: `--strict` fails), "
                    "error (the build stops with every overdue note, located)")

    @field_validator("intervals")
    @classmethod
    def _known_kinds(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise ValueError(f"没有这种数据：{', '.join(unknown)}（可选：{', '.join(KINDS)}）")
        bad = sorted(k for k, v in value.items() if not isinstance(v, int) or v < 1)
        if bad:
            raise ValueError(f"{', '.join(bad)} 的间隔必须是整数天，至少 1")
        return value


class ChangesSettings(_Strict):
    max_commits: int = Field(default=100, ge=1, description="how many of the latest commits touching data/ are compared")
    since_days: int | None = Field(default=365, ge=1, description="and only commits of the last N days (null: no limit)")


class CallCardSettings(_Strict):
    swaps: list[str] = Field(default_factory=list, description="ids of the swaps on the call card, in order; empty: the most-cited ones")
    max_swaps: int = Field(default=8, ge=1, le=12, description="how many swaps when `swaps` is empty")


class Settings(_Strict):
    today: dt.date | None = Field(default=None, description="the date reviews are judged on; empty: the build date")
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    changes: ChangesSettings = Field(default_factory=ChangesSettings)
    call_card: CallCardSettings = Field(default_factory=CallCardSettings)
    collection_page_max: int = Field(
        default=COLLECTION_PAGE_MAX, ge=1, strict=True,
        description="a collection page (话术, 处理流程, 处理原则) with more entries than this is split, one page per group")
    search_miss_log: bool = Field(
        default=False, description="a search without a good match requests assets/miss.gif?q=… from this site "
                                   "(digit runs redacted in the browser), so it lands in the web server's access log")
    search_open_log: bool = Field(
        default=False, description="opening a search result requests assets/opened.gif?q=…&rank=…&to=… from this "
                                   "site (the query as for misses, the result's place and address), so `make misses` "
                                   "can say how often the first result was the one opened, and which entries were "
                                   "opened lower down for which words")

    @property
    def build_date(self) -> dt.date:
        return self.today or dt.date.today()


class SettingsError(Exception):
    """Mistakes in ``extra.kb``, one line each, located by their key path."""


def read_settings(extra: dict | None) -> Settings:
    """``config.extra`` of mkdocs.yml → Settings; raise SettingsError naming every mistake."""
    raw = (extra or {}).get("kb") or {}
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():  # the same sentences as for the data
            where = ".".join(["extra", "kb", *map(str, err["loc"])])
            if err["type"] == "value_error":
                message = str(err["ctx"]["error"])
            elif err["type"] == "extra_forbidden":  # names the valid fields beside it
                message = explain(err, Settings)
            else:
                message = explain({**err, "loc": ()}, Settings)
            lines.append(f"mkdocs.yml: {where}：{message}")
        raise SettingsError("\n".join(lines)) from None
