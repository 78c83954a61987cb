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


def test_the_guard_counts_what_the_moments_of_a_call_say(tmp_path):
    """什么时候用 lines are indexed with the synonyms they reach, as every other text: a group reached only
    through them drifts the search as much, so the guard counts them too."""
    import shutil

    shutil.copytree(WARN / "synonym-group-too-broad" / "data", tmp_path / "data")
    (tmp_path / "data" / "topics" / "intro.yaml").unlink()
    (tmp_path / "data" / "synonyms.yaml").write_text("- words: [哭起来, 掉眼泪]\n", encoding="utf-8")
    (tmp_path / "data" / "techniques").mkdir()
    (tmp_path / "data" / "techniques" / "calming.yaml").write_text("".join(
        f"- id: step-{n}\n  title: 第{n}招\n  group: 应对技巧\n  order: {n}\n  summary: 一句说明。\n"
        f"  points: [一个要点]\n  moments: [客户讲着讲着哭起来]\n  sources: [s-intro]\n" for n in range(1, 7)),
        encoding="utf-8")
    records, problems, _ = load_entries(tmp_path)
    assert not problems and len(records) == 6
    warnings = [str(w) for w in synonym_warnings(tmp_path, records)]
    assert len(warnings) == 1 and "命中 6 个条目中的 6 个" in warnings[0] and "'哭起来' 6" in warnings[0]
