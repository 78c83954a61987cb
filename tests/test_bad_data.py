"""The bad-data corpus: each tests/bad/<case>/ is a tiny project with a mistake and the exact report.

Like rustc UI tests: `expected.txt` holds the lines the checker must print (the mistakes, files that
could not be read first, then any `note:` on what could not be checked), paths relative to the case folder. To add a case, copy a folder, make one mistake, and write what an author should read.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import build_site, copy_project, expected, run_check
from kb import DataError, load_knowledge

HERE = Path(__file__).resolve().parent
BAD = sorted(p for p in (HERE / "bad").iterdir() if p.is_dir())
GOOD = sorted(p for p in (HERE / "good").iterdir() if p.is_dir())


def test_the_corpus_is_there():
    assert len(BAD) >= 30
    for case in BAD:
        assert (case / "data" / "sources.yaml").is_file(), case.name
        assert expected(case), f"{case.name}: expected.txt is empty (a case that loads belongs in tests/good/)"


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_case_reports_exactly_the_expected_mistakes(case):
    with pytest.raises(DataError) as err:
        load_knowledge(case)
    assert err.value.lines() == expected(case)


@pytest.mark.parametrize("case", GOOD, ids=[p.name for p in GOOD])
def test_good_case_loads(case):
    kb = load_knowledge(case)
    assert kb.records


def test_bom_is_accepted_and_not_part_of_the_text():
    kb = load_knowledge(HERE / "good" / "utf8-bom")
    assert kb.get("intro").entry.title == "引言"


def test_date_like_value_in_a_text_field_stays_text():
    note = load_knowledge(HERE / "good" / "date-like-text").get("double-refund").entry
    assert note.basis[0].version == "2014-03-15"
    assert note.review.reviewed_on.isoformat() == "2024-05-01"


def test_python_tag_is_refused_and_never_run(tmp_path, monkeypatch):
    case = shutil.copytree(HERE / "bad" / "python-tag", tmp_path / "case")
    monkeypatch.chdir(case)
    with pytest.raises(DataError) as err:
        load_knowledge(case)
    assert "不允许使用 YAML 标签 '!!python/object/apply:os.mkdir'" in str(err.value)
    assert not (case / "pwned-dir").exists()
    assert not (HERE / "pwned-dir").exists()


@pytest.mark.parametrize("name", ["yaml-colon-in-value", "not-utf8", "python-tag", "duplicate-yaml-key",
                                  "unknown-kind-folder", "several-mistakes",
                                  "swaps-duplicate-key-one-message", "sources-syntax-error-one-message"])
def test_command_line_prints_the_mistakes_without_a_traceback(name, tmp_path):
    case = HERE / "bad" / name
    result = run_check(case, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    n = len([line for line in expected(case) if not line.startswith("注：")])
    assert lines == [*expected(case), f"数据中共有 {n} 处错误"]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "pwned-dir").exists()


def test_site_build_stops_with_the_same_messages_and_writes_nothing(tmp_path):
    """The MkDocs build validates first: the author reads the lines of `make check`, and no half-built
    site is left behind to be deployed by mistake."""
    case = HERE / "bad" / "several-mistakes"
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(case / "data", project / "data")
    site = tmp_path / "site"
    result = build_site(project, site)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert [line for line in output.splitlines() if line.startswith(("data/", "注："))] == expected(case)
    assert "Traceback" not in output
    assert not site.exists() or not any(site.iterdir()), "the failed build wrote files"


@pytest.mark.parametrize("mistake", ["duplicate key", "syntax error"])
def test_one_unreadable_file_in_the_real_data_is_one_message(mistake, tmp_path):
    """The real swaps are referred to from many pages: a mistake that makes their file unreadable is
    reported once, first, with one note for the references that could not be checked."""
    shutil.copytree(HERE.parent / "data", tmp_path / "data")
    path = tmp_path / "data" / "swaps" / "avoid-sentences.yaml"
    text = path.read_text(encoding="utf-8")
    broken = "\n  avoid: 重复\n  avoid: " if mistake == "duplicate key" else "\n  avoid: [未闭合\n  avoid: "
    path.write_text(text.replace("\n  avoid: ", broken, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_knowledge(tmp_path)
    lines = err.value.lines()
    assert len(err.value.problems) == 1, "\n".join(lines)
    assert lines[0].startswith("data/swaps/avoid-sentences.yaml:")
    assert len(lines) == 2 and re.fullmatch(
        r"注：有 \d+ 处引用可能指向 data/swaps/avoid-sentences\.yaml 里的条目，没有检查：这些文件读不出来", lines[1]), "\n".join(lines)


@pytest.mark.parametrize("name", ["signal-unused", "signal-too-many"])
def test_each_rule_reports_a_mistake_once(name):
    """DataError folds identical lines together: the rules themselves must not run twice (or it is hidden)."""
    from kb.check import check
    from kb.load import load_entries

    records, found, unread = load_entries(HERE / "bad" / name)
    assert not found
    problems = check(records, None, unread)[2]
    assert len(problems) == len(set(problems)) >= 1
