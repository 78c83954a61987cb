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
    assert lines[0] == "access.log: 10 lines, 5 search misses, 3 different queries"
    assert lines[1].split() == ["3", "宽带慢"]
    assert "1 more" in text and "skipped 3 malformed lines" in text and "line 5, 8, 10" in text


def _kb(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(HOOKS)}
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True, env=env, timeout=60)


def test_command_line_reads_a_log_and_never_shows_a_traceback(tmp_path):
    ok = _kb("misses", str(LOG))
    assert ok.returncode == 0 and "宽带慢" in ok.stdout
    missing = _kb("misses", str(tmp_path / "nope.log"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
    binary = tmp_path / "binary.log"
    binary.write_bytes(bytes(range(256)) * 10)
    garbage = _kb("misses", str(binary))
    assert garbage.returncode == 0 and "malformed" in garbage.stdout and "Traceback" not in garbage.stderr
