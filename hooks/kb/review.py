"""Review schedules: when each entry was last reviewed, when it is due again, and which are late.

"Today" is ``Settings.build_date`` (the build date, or ``extra.kb.today`` in mkdocs.yml).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from itertools import groupby
from typing import Literal, NamedTuple

from .branch import BranchValue
from .errors import Problem
from .knowledge import KnowledgeBase
from .load import Record
from .model import ZH
from .settings import ReviewSettings

State = Literal["overdue", "soon", "ok", "unscheduled"]
# why an entry or a branch value is on the worklist (the CSV's 事项; the review page's headings)
REASON_LABEL = {"overdue": "已逾期", "soon": "即将到期", "needs-legal-review": "待法务复核"}


@dataclass(frozen=True)
class Schedule:
    """One entry's review: as written in its data, plus the next date and where that stands today."""

    record: Record
    reviewed_on: dt.date
    owner: str
    due: dt.date | None
    interval_days: int | None  # the interval the due date came from (None for a fixed `due`)
    state: State
    days_left: int | None  # negative when overdue

    @property
    def needs_legal_review(self) -> bool:
        return self.record.kind == "legal" and self.record.entry.review.status != "verified"  # type: ignore[attr-defined]


def schedule(record: Record, settings: ReviewSettings, today: dt.date) -> Schedule | None:
    review = getattr(record.entry, "review", None)
    if review is None:
        return None
    interval = None
    due = review.due
    if due is None:
        interval = review.interval_days or settings.intervals.get(record.kind)
        due = review.reviewed_on + dt.timedelta(days=interval) if interval else None
    days_left = (due - today).days if due else None
    if days_left is None:
        state: State = "unscheduled"
    elif days_left < 0:
        state = "overdue"
    elif days_left <= settings.soon_days:
        state = "soon"
    else:
        state = "ok"
    return Schedule(record, review.reviewed_on, review.owner, due, interval, state, days_left)


@dataclass(frozen=True)
class ValueDue:
    """A branch's 本单位规定 whose review date is past or near (kb.branch.BranchValue)."""

    value: BranchValue
    note: Record  # the legal note the value belongs to
    state: State  # "overdue" or "soon"
    days_left: int


class WorkSection(NamedTuple):
    """One part of the worklist: a section of the review page, rows of the CSV."""

    reason: str  # a REASON_LABEL key
    anchor: str  # the section's anchor on the review page
    label: str  # its heading there
    rows: list[Schedule]


@dataclass
class ReviewBook:
    """Every entry's schedule for one build, and the branch's values due for review."""

    soon_days: int  # "soon" means due within this many days (ReviewSettings.soon_days)
    schedules: dict[str, Schedule]
    values_due: list[ValueDue] = field(default_factory=list)

    @classmethod
    def of(cls, kb: KnowledgeBase, settings: ReviewSettings, today: dt.date) -> "ReviewBook":
        found = {r.id: schedule(r, settings, today) for r in kb.records}
        due = []
        for v in kb.company_values:
            if v.review_due is None:
                continue
            days_left = (v.review_due - today).days
            if days_left <= settings.soon_days:
                due.append(ValueDue(v, kb.get(v.legal), "overdue" if days_left < 0 else "soon", days_left))
        due.sort(key=lambda d: (d.value.review_due, d.value.legal, d.value.key))
        return cls(settings.soon_days, {i: s for i, s in found.items() if s is not None}, due)

    def get(self, entry_id: str) -> Schedule | None:
        return self.schedules.get(entry_id)

    def in_state(self, state: State) -> list[Schedule]:
        return sorted((s for s in self.schedules.values() if s.state == state),
                      key=lambda s: (s.due or dt.date.max, s.record.id))

    def needs_legal_review(self) -> list[Schedule]:
        return sorted((s for s in self.schedules.values() if s.needs_legal_review), key=lambda s: s.record.id)

    def sections(self) -> list[WorkSection]:
        """What a manager acts on, in order: overdue, due soon, and needs-legal-review entries."""
        return [
            WorkSection("overdue", "overdue", REASON_LABEL["overdue"], self.in_state("overdue")),
            WorkSection("soon", "soon", f"{REASON_LABEL['soon']}（{self.soon_days} 天内）", self.in_state("soon")),
            WorkSection("needs-legal-review", "needs-legal", REASON_LABEL["needs-legal-review"], self.needs_legal_review()),
        ]

    def worklist(self) -> list[tuple[str, Schedule]]:
        """The sections' rows as (reason, schedule), for the CSV."""
        return [(section.reason, s) for section in self.sections() for s in section.rows]

    @staticmethod
    def by_owner(schedules: list[Schedule]) -> list[tuple[str, list[Schedule]]]:
        ordered = sorted(schedules, key=lambda s: (s.owner, s.due or dt.date.max, s.record.id))
        return [(owner, list(group)) for owner, group in groupby(ordered, key=lambda s: s.owner)]

    def overdue_legal(self) -> list[Problem]:
        """Each overdue legal note as a located problem (for ``overdue_legal: warn`` / ``error``)."""
        out = []
        for s in self.in_state("overdue"):
            if s.record.kind != "legal":
                continue
            how = f"每 {s.interval_days} 天" if s.interval_days else "固定日期"
            out.append(s.record.problem(
                f"复核已于 {s.due.isoformat()} 逾期（上次复核 {s.reviewed_on.isoformat()}，{s.owner}，{how}）；"
                f"请复核并更新 review.reviewed_on", "review", "reviewed_on"))
        return sorted(out)


# ---------------------------------------------------------------- the spreadsheet

CSV_HEADER = ["事项", "负责人", "条目", "类型", "id", "最后复核", "下次复核", "剩余天数", "地址"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a value starting like a formula gets a leading apostrophe
    (the OWASP advice against CSV injection), so 「=HYPERLINK(…)」 in a title is never run."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def worklist_csv(book: ReviewBook, url_of) -> str:
    """The worklist as CSV text, starting with a BOM: Excel then reads the Chinese as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for reason, s in book.worklist():
        r = s.record
        writer.writerow([cell(v) for v in (
            REASON_LABEL[reason], s.owner, r.entry.title, ZH[r.kind], r.id, s.reviewed_on.isoformat(),
            s.due.isoformat() if s.due else "", "" if s.days_left is None else s.days_left, url_of(r))])
    for d in book.values_due:  # a branch's values: decided by someone, reviewed by the date they carry
        v, note = d.value, d.note
        writer.writerow([cell(x) for x in (
            "本单位规定" + REASON_LABEL[d.state], v.decided_by, f"{note.entry.title}：{v.label}", "本单位规定",
            f"{v.legal}#{v.anchor}", v.effective_on.isoformat(), v.review_due.isoformat(), d.days_left,
            url_of(note) + "#" + v.anchor)])
    return "\ufeff" + out.getvalue()


