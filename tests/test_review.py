"""Review schedules, the worklist CSV and the settings in mkdocs.yml: without a build."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest

from kb.review import ReviewBook, cell, schedule, worklist_csv
from kb.settings import ReviewSettings, SettingsError, read_settings

TODAY = dt.date(2027, 1, 10)


def record(kind="types", entry_id="x", title="标题", **review):
    """A stand-in for a loaded entry: what schedule() reads of it."""
    entry = SimpleNamespace(id=entry_id, title=title, review=SimpleNamespace(**{"due": None, "interval_days": None, **review}) if review else None)
    rec = SimpleNamespace(kind=kind, id=entry_id, entry=entry)
    rec.problem = lambda message, *loc: f"data/{kind}/f.yaml:3:4: {kind} '{entry_id}': {message} @ {'.'.join(loc)}"
    return rec


def test_the_kind_default_interval_gives_the_next_date():
    s = schedule(record("legal", reviewed_on=dt.date(2026, 7, 1), owner="法务部", status="verified"),
                 ReviewSettings(intervals={"legal": 180}), TODAY)
    assert s.due == dt.date(2026, 12, 28) and s.interval_days == 180
    assert s.state == "overdue" and s.days_left == -13


def test_the_entry_s_own_interval_wins_over_the_kind_default():
    s = schedule(record(reviewed_on=dt.date(2027, 1, 1), owner="培训部", interval_days=30),
                 ReviewSettings(intervals={"types": 365}), TODAY)
    assert s.due == dt.date(2027, 1, 31) and s.state == "soon" and s.days_left == 21


def test_a_fixed_due_date_wins_over_every_interval():
    s = schedule(record(reviewed_on=dt.date(2026, 1, 1), owner="培训部", due=dt.date(2027, 6, 1), interval_days=7),
                 ReviewSettings(intervals={"types": 30}), TODAY)
    assert s.due == dt.date(2027, 6, 1) and s.interval_days is None and s.state == "ok"


def test_no_interval_anywhere_means_no_next_date_and_no_review_means_no_schedule():
    s = schedule(record(reviewed_on=dt.date(2026, 1, 1), owner="培训部"), ReviewSettings(intervals={}), TODAY)
    assert s.due is None and s.state == "unscheduled"
    assert schedule(record(), ReviewSettings(), TODAY) is None


def test_due_today_is_not_overdue_and_soon_days_is_the_edge():
    settings = ReviewSettings(intervals={}, soon_days=30)
    assert schedule(record(reviewed_on=TODAY, owner="a", due=TODAY), settings, TODAY).state == "soon"
    assert schedule(record(reviewed_on=TODAY, owner="a", due=TODAY + dt.timedelta(days=30)), settings, TODAY).state == "soon"
    assert schedule(record(reviewed_on=TODAY, owner="a", due=TODAY + dt.timedelta(days=31)), settings, TODAY).state == "ok"


def book(*records) -> ReviewBook:
    settings = ReviewSettings(intervals={"legal": 100})
    schedules = {r.id: schedule(r, settings, TODAY) for r in records}
    return ReviewBook(settings.soon_days, {i: s for i, s in schedules.items() if s})


def test_worklist_groups_by_owner_and_lists_needs_legal_review():
    b = book(
        record("legal", "a", reviewed_on=dt.date(2026, 1, 1), owner="法务部", status="verified"),
        record("legal", "b", reviewed_on=TODAY, owner="法务部", status="needs-review"),
        record("types", "c", reviewed_on=dt.date(2026, 1, 1), owner="培训部", due=dt.date(2027, 1, 20)),
        record("types", "d", reviewed_on=dt.date(2026, 1, 1), owner="培训部", due=dt.date(2026, 12, 1)),
    )
    assert [s.record.id for s in b.in_state("overdue")] == ["a", "d"]  # oldest due date first (a: 2026-04-11)
    assert [s.record.id for s in b.in_state("soon")] == ["c"]
    assert [s.record.id for s in b.needs_legal_review()] == ["b"]
    assert [(owner, [s.record.id for s in g]) for owner, g in b.by_owner(b.in_state("overdue"))] == [
        ("培训部", ["d"]), ("法务部", ["a"])]
    assert [(why, s.record.id) for why, s in b.worklist()] == [
        ("overdue", "a"), ("overdue", "d"), ("soon", "c"), ("needs-legal-review", "b")]


def test_overdue_legal_notes_are_located_problems_and_other_kinds_are_not():
    b = book(record("legal", "a", reviewed_on=dt.date(2026, 1, 1), owner="法务部", status="verified"),
             record("types", "d", reviewed_on=dt.date(2026, 1, 1), owner="培训部", due=dt.date(2026, 12, 1)))
    problems = b.overdue_legal()
    assert problems == ["data/legal/f.yaml:3:4: legal 'a': 复核已于 2026-04-11 逾期（上次复核 2026-01-01，"
                        "法务部，每 100 天）；请复核并更新 review.reviewed_on @ review.reviewed_on"]


@pytest.mark.parametrize("value, shown", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("变色龙", "变色龙"), ("a=b", "a=b"), (12, "12"), (-3, "'-3"), (None, ""),
])
def test_a_csv_cell_never_starts_like_a_formula(value, shown):
    assert cell(value) == shown


def test_worklist_csv_has_a_bom_a_header_and_one_row_per_item():
    b = book(record("types", "d", title="=cmd|' /C calc'!A0", reviewed_on=dt.date(2026, 1, 1), owner="@培训部",
                    due=dt.date(2026, 12, 1)))
    text = worklist_csv(b, lambda r: f"https://kb.example/types/{r.id}/")
    assert text.startswith("\ufeff事项,负责人,条目")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["已逾期", "'@培训部", "'=cmd|' /C calc'!A0", "客户类型", "d", "2026-01-01", "2026-12-01", "'-40",
                       "https://kb.example/types/d/"]


def test_settings_default_and_every_mistake_named():
    s = read_settings({})
    assert s.review.intervals == {"legal": 180} and s.review.overdue_legal == "ignore" and s.today is None
    assert read_settings({"kb": {"today": dt.date(2030, 1, 1)}}).build_date == dt.date(2030, 1, 1)
    with pytest.raises(SettingsError) as err:
        read_settings({"kb": {"review": {"intervals": {"faq": 10}, "overdue_legal": "loud"}, "chnages": {}}})
    lines = str(err.value).splitlines()
    assert any(line.startswith("mkdocs.yml: extra.kb.review.intervals：") and "没有这种数据：faq" in line for line in lines)
    assert "mkdocs.yml: extra.kb.review.overdue_legal：'loud' 不是可选的值（可选：'ignore'、'warn'、'error'）" in lines
    assert any(line.startswith("mkdocs.yml: extra.kb.chnages：没有字段 'chnages'，是不是 'changes'？") for line in lines)


def test_the_manager_guide_shows_every_setting():
    """docs/manage.md's example of extra.kb names every setting settings.py accepts, nested ones too."""
    import re
    from pathlib import Path

    from kb.settings import Settings

    page = (Path(__file__).resolve().parent.parent / "docs" / "manage.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\nextra:\n  kb:\n(.*?)```", page, re.S).group(1)
    written = set(re.findall(r"^\s*([a-z_]+):", example, re.M))

    def names(model) -> set[str]:
        out = set(model.model_fields)
        for f in model.model_fields.values():
            if isinstance(f.annotation, type) and hasattr(f.annotation, "model_fields"):
                out |= names(f.annotation)
        return out

    assert names(Settings) <= written, f"docs/manage.md does not show {sorted(names(Settings) - written)}"
