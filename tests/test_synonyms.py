"""The guard on data/synonyms.yaml: a group whose words reach too many entries is a located warning."""

from __future__ import annotations

from pathlib import Path

from kb.load import load_entries
from kb.synonyms import MAX_SHARE, MIN_ENTRIES, synonym_warnings

WARN = Path(__file__).resolve().parent / "warn"


def test_a_group_that_reaches_most_entries_is_reported_where_it_is_written():
    warnings = [str(w) for w in synonym_warnings(WARN / "synonym-group-too-broad", load_entries(WARN / "synonym-group-too-broad")[0])]
    assert warnings == [
        "data/synonyms.yaml:2:3: 警告：同义词组 '问题' 命中 6 个条目中的 6 个（最多 4 个：条目的 15%，至少允许 4 个）："
        "这些词会搜出不相干的条目；用得最多的：'问题' 6、'毛病' 0、'故障' 0"
    ]


def test_the_limit_is_explicit():
    assert MAX_SHARE == 0.15 and MIN_ENTRIES == 5


def test_the_real_vocabulary_stays_within_the_limit(project_root, kb):
    assert synonym_warnings(project_root, kb.records) == []
