"""`python -m kb misses ACCESS_LOG`: the searches without a good match, from a web server's own log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kb.misses import read_log, report

LOG = Path(__file__).resolve().parent / "logs" / "access.log"
HOOKS = Path(__file__).resolve().parent.parent / "hooks"


def test_counts_the_miss_requests_and_nothing_else():
    misses = read_log(LOG)
    # 宽带慢 three times (a site under /kb/ and a 304 too), the redacted query once, a log without referer
    # and agent (common format) once; a page view and a POST are not misses
    assert misses.queries == {"宽带慢": 3, "号码被停 ＊": 1, "携号转网": 1}
    assert misses.lines == 10 and misses.malformed == 3


def test_report_lists_the_most_frequent_first_and_says_what_it_skipped():
    text = report(read_log(LOG), "access.log", top=2)
    lines = text.splitlines()
    assert lines[0] == "access.log：10 行，5 次搜索没有好结果，3 种不同的搜索词"
    assert lines[1].split() == ["3", "宽带慢"]
    assert "另有 1 条" in text and "跳过了 3 行看不懂的记录" in text and "例如第 5、8、10 行" in text


def test_make_misses_passes_the_paths_as_data(tmp_path):
    """LOG and OUT reach the command quoted: whatever they hold is a file name, never a command."""
    planted = tmp_path / "planted"
    for value in (f'x";touch {planted};"', f"x';touch {planted};'", f"$(shell touch {planted})", "--top"):
        result = subprocess.run(["make", "misses", f"LOG={value}", f"OUT={value}"], cwd=HOOKS.parent,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode != 0 and not planted.exists(), (value, result.stdout + result.stderr)
        assert f"{value}：读不了" in result.stderr, result.stderr
    out = tmp_path / "logged queries.yaml"
    result = subprocess.run(["make", "misses", f"LOG={LOG}", f"OUT={out}"], cwd=HOOKS.parent, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and out.is_file(), result.stdout + result.stderr
    # TOP is a count, checked as one: the report it asks for, or a refusal in Chinese
    for top, shown in (("1", 1), (f"1;touch {planted}", None)):
        result = subprocess.run(["make", "misses", f"LOG={LOG}", f"TOP={top}"], cwd=HOOKS.parent, capture_output=True,
                                text=True, timeout=120)
        assert not planted.exists(), result.stdout + result.stderr
        if shown:
            assert result.returncode == 0 and "另有 2 条（make misses TOP=N 显示更多）" in result.stdout, result.stdout
        else:
            assert result.returncode != 0 and "要写一个正整数" in result.stderr, result.stderr


def _kb(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(HOOKS)}
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True, env=env, timeout=60)


def test_command_line_reads_a_log_and_never_shows_a_traceback(tmp_path):
    ok = _kb("misses", str(LOG))
    assert ok.returncode == 0 and "宽带慢" in ok.stdout
    missing = _kb("misses", str(tmp_path / "nope.log"))
    assert missing.returncode == 1 and "读不了" in missing.stderr and "Traceback" not in missing.stderr
    binary = tmp_path / "binary.log"
    binary.write_bytes(bytes(range(256)) * 10)
    garbage = _kb("misses", str(binary))
    assert garbage.returncode == 0 and "看不懂的记录" in garbage.stdout and "Traceback" not in garbage.stderr


OPENED_LOG = LOG.parent / "opened.log"


def test_counts_the_opened_results_by_words_address_and_place():
    from kb.misses import Opened

    log = read_log(OPENED_LOG)
    # the site under /kb/ and a 304 count; a rank that is 0, not a number, over 100 or missing, and a
    # record without its address are not what the site sends; the miss on the same log still counts
    assert log.opened == {
        Opened("老是掉线", "scenarios/network-cutover/", 2): 2,
        Opened("老是掉线", "scenarios/network-cutover/", 3): 1,
        Opened("你别激动", "phrases/#calm-down", 1): 3,
        Opened("停机", "legal/suspension-notice/", 4): 1,
        Opened("扣费[31m", "scenarios/#billing", 2): 1,  # the escape character is gone: it would act in a terminal
        Opened("没搜到", "guide/#search-misses", 2): 1,
    }
    assert log.queries == {"宽带慢": 1} and log.malformed == 0


def test_a_rank_too_long_for_int_is_not_what_the_site_sends(tmp_path):
    """int() refuses more than 4,300 digits: such a record is skipped like a rank over 100, never a traceback."""
    path = tmp_path / "huge.log"
    path.write_text(OPENED_LOG.read_text(encoding="utf-8").splitlines()[0].replace("rank=2", "rank=" + "9" * 5000)
                    + "\n", encoding="utf-8")
    log = read_log(path)
    assert log.opened == {} and log.lines == 1
    run = _kb("misses", str(path))
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


def test_the_entry_named_is_one_plain_line(kb):
    """Titles are printed to a terminal like the queries: cleaned of control and format characters."""
    from dataclasses import replace

    from kb.misses import where_written

    record = kb.of_kind("scenarios")[0]
    shown = where_written(replace(record, entry=record.entry.model_copy(update={"title": "割接\u202e\x1b[31m\n假"})))
    assert shown.endswith("割接[31m假") and shown.isprintable(), shown


def test_report_says_how_often_the_first_result_was_opened_and_names_the_entries_opened_lower():
    names = {"scenarios/network-cutover/": "data/scenarios/network.yaml:86:3: 场景 'network-cutover' 割接"}
    lines = report(read_log(OPENED_LOG), "opened.log", top=3, describe=names.get).splitlines()
    assert lines[3] == "打开了 9 次搜索结果：第一条 3 次（33%），前三条之一 8 次（89%）"
    # one row for the same words and entry at two places, most frequent first; an address without an entry
    # (or without the knowledge base) is shown as it is
    assert lines[5] == "3  老是掉线  → 打开的是第 2、3 条：data/scenarios/network.yaml:86:3: 场景 'network-cutover' 割接"
    assert lines[6] == "1  停机  → 打开的是第 4 条：legal/suspension-notice/"
    assert lines[8] == "…… 另有 1 条（make misses TOP=N 显示更多）" and len(lines) == 9
    assert not any("你别激动" in line for line in lines[4:])  # opened first: nothing to add


def test_a_log_without_opened_results_reports_only_the_misses():
    assert "打开了" not in report(read_log(LOG), "access.log", top=5)


def test_command_line_names_the_entry_and_where_it_is_written(project_root):
    out = _kb("misses", str(OPENED_LOG), "--root", str(project_root))
    assert out.returncode == 0, out.stderr
    row = next(line for line in out.stdout.splitlines() if "老是掉线" in line)
    assert row.split("：", 1)[1].startswith("data/scenarios/") and "场景 'network-cutover'" in row
    assert "投诉分类 'billing'" in out.stdout  # a category is an anchor on the scenarios page


def test_command_line_shows_addresses_when_the_data_has_mistakes(tmp_path):
    out = _kb("misses", str(OPENED_LOG), "--root", str(tmp_path))
    assert out.returncode == 0 and "legal/suspension-notice/" in out.stdout
    assert "make check" in out.stderr and "Traceback" not in out.stderr


def test_opened_results_become_a_query_set_of_the_entries_agents_wanted(kb):
    from kb.misses import entries_by_address, logged_queries

    found = logged_queries(read_log(OPENED_LOG).opened, entries_by_address(kb.records))
    # most used first; an address that is no entry (the guide) is left out; a category is known by its anchor
    assert found == [
        {"kind": "logged", "q": "老是掉线", "expect": ["scenarios:network-cutover"]},
        {"kind": "logged", "q": "你别激动", "expect": ["swaps:calm-down"]},
        {"kind": "logged", "q": "停机", "expect": ["legal:suspension-notice"]},
        {"kind": "logged", "q": "扣费[31m", "expect": ["categories:billing"]},
    ]


def test_command_line_writes_the_query_set_the_search_benchmark_reads(project_root, tmp_path):
    from benchmarks.search import entry_urls, load_queries

    out = tmp_path / "real.yaml"
    run = _kb("misses", str(OPENED_LOG), "--root", str(project_root), "--queries-out", str(out))
    assert run.returncode == 0 and f"已把 4 条搜索写入 {out}" in run.stdout, run.stderr
    queries = load_queries(out)
    assert [q.q for q in queries] == ["老是掉线", "你别激动", "停机", "扣费[31m"]
    assert {q.set for q in queries} == {"logged"} and all(e in entry_urls() for q in queries for e in q.expect)
    # without the knowledge base there are no entries to name: no file, and the exit status says so
    broken = _kb("misses", str(OPENED_LOG), "--root", str(tmp_path), "--queries-out", str(tmp_path / "x.yaml"))
    assert broken.returncode == 1 and not (tmp_path / "x.yaml").exists() and "Traceback" not in broken.stderr


def test_reads_the_records_log_that_deploy_nginx_writes(tmp_path):
    """log_format kb_search (deploy/nginx/kb-http.conf): the time and the request, nothing else."""
    log = tmp_path / "kb-search.log"
    log.write_text('[24/Nov/2026:10:01:02 +0800] "GET /assets/miss.gif?q=%E5%AE%BD%E5%B8%A6%E6%85%A2 HTTP/1.1"\n'
                   '[24/Nov/2026:10:01:09 +0800] "GET /assets/opened.gif?q=%E5%81%9C%E6%9C%BA&rank=2&to=legal%2Fx%2F HTTP/1.1"\n'
                   '[24/Nov/2026:10:01:09 +0800] GET /assets/miss.gif\n', encoding="utf-8")
    from kb.misses import Opened

    misses = read_log(log)
    assert misses.queries == {"宽带慢": 1} and misses.opened == {Opened("停机", "legal/x/", 2): 1}
    assert misses.malformed == 1
