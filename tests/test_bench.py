"""The pieces of `make bench` that need no build: what counts as search data, gzip sizing, the table."""

from __future__ import annotations

import gzip
import dataclasses
import json
import re

from benchmarks.build import COLUMNS, Row, table
from benchmarks.sizes import Request, gzip_kb, is_search_data, site_file, tree_size


def test_search_data_is_what_scripts_and_workers_fetch_but_not_the_page_or_sitemap():
    worker = "http://127.0.0.1:1/assets/javascripts/kb-search-worker.js"
    assert is_search_data(Request("http://127.0.0.1:1/search/search_index.json", "xhr", 0))
    assert is_search_data(Request("http://127.0.0.1:1/search/shard-3.json", "fetch", 0))
    assert is_search_data(Request("http://127.0.0.1:1/search/terms.bin", "other", 0, from_worker=True))
    assert is_search_data(Request(worker, "script", 0), [worker])
    assert not is_search_data(Request("http://127.0.0.1:1/sitemap.xml", "xhr", 0))
    assert not is_search_data(Request("http://127.0.0.1:1/assets/kb.js", "script", 0), [worker])
    assert not is_search_data(Request("http://127.0.0.1:1/", "document", 0))


def test_urls_map_to_the_files_of_the_site(tmp_path):
    (tmp_path / "types" / "x").mkdir(parents=True)
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "types" / "x" / "index.html").write_text("x")
    assert site_file("http://127.0.0.1:8/", tmp_path) == (tmp_path / "index.html").resolve()
    assert site_file("http://127.0.0.1:8/types/x/?q=1#a", tmp_path) == (tmp_path / "types/x/index.html").resolve()
    assert site_file("http://127.0.0.1:8/missing.js", tmp_path) is None
    assert site_file("http://127.0.0.1:8/../../etc/passwd", tmp_path) is None


def test_gzip_kb_counts_each_file_once_compressed(tmp_path):
    body = ("退费" * 5000).encode()
    (tmp_path / "a.json").write_bytes(body)
    expected = len(gzip.compress(body, compresslevel=6)) / 1024
    urls = ["http://h/a.json", "http://h/a.json?again", "http://h/gone.json"]
    assert abs(gzip_kb(urls, tmp_path) - expected) < 0.05
    assert gzip_kb(urls, tmp_path) < len(body) / 1024 / 10
    assert tree_size(tmp_path) == (1, len(body))


def test_rows_become_one_table_and_json_with_every_key():
    rows = [Row(1, 155, check_s=2.04, build_s=3.1, peak_mb=130, site_mb=6.04, files=117, search_ready_ms=420.4),
            Row(100, 15500, build_s=62.0)]
    lines = table(rows).splitlines()
    assert len(lines) == 4 and all(line.count("|") == len(COLUMNS) + 1 for line in lines)
    assert "| 155 | 2.0 | 3.1 | — | 20.0 | 130 | 6.0 | 117 | — | — | 420 |" in lines[2]
    assert lines[3].startswith("| 15,500 | — | 62.0 | — | 4.0 |")
    data = json.loads(json.dumps([r.as_json() for r in rows]))
    for key in ("entries", "build_s", "check_s", "peak_mb", "site_mb", "files", "search_first_kb_gz",
                "search_ready_ms", "search_median_ms", "search_p95_ms", "first_load_kb_gz", "serve_reload_s",
                "serve_reload_cpu_s"):
        assert key in data[0]
    assert set(data[0]) == {f.name for f in dataclasses.fields(Row)} | {"build_ms_per_entry"}
    assert data[1]["build_ms_per_entry"] == 4.0


def test_the_phases_of_a_build_are_timed(project_root):
    """`python -m benchmarks.phases` builds the project once and names where its time went."""
    import subprocess
    import sys

    from conftest import user_env

    env = {**user_env(), "PYTHONPATH": str(project_root)}
    run = subprocess.run([sys.executable, "-m", "benchmarks.phases", str(project_root)], cwd=project_root,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{project_root}: build ")
    named = {line.split(" s  ", 1)[1] for line in lines[1:]}
    assert {"event config", "event files", "event post_build", "Markdown conversions",
            "Material's page template (_build_page)"} <= named


def test_saves_in_a_row_show_the_memory_after_each(tmp_path):
    """`python -m benchmarks.phases --rebuild --saves N`: N edits rebuilt in a row as `mkdocs serve` does, each
    with its seconds and the resident memory after it, and the growth per save; the data file put back."""
    import subprocess
    import sys

    from conftest import ROOT, copy_project, user_env

    project = copy_project(tmp_path)
    edited = project / "data" / "types" / "temperament.yaml"
    before = edited.read_bytes()
    env = {**user_env(), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "benchmarks.phases", "--rebuild", "--saves", "3", str(project)],
                         cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert f"{project}: quick rebuild after an edit " in run.stdout, run.stdout
    saves = next(line for line in run.stdout.splitlines() if line.startswith("saves in a row"))
    assert len(re.findall(r"\d+\.\d\d s \d+", saves)) == 3, saves
    assert re.search(r"resident memory \d+ -> \d+ MB: [+-]\d+\.\d MB per save", run.stdout), run.stdout
    assert edited.read_bytes() == before


def test_search_benchmark_gives_the_wilson_interval_of_a_share():
    from benchmarks.search import Tally, wilson

    assert [round(x, 3) for x in wilson(50, 100)] == [0.404, 0.596]
    assert [round(x, 3) for x in wilson(0, 10)] == [0.0, 0.278]  # never below 0, not a zero-width interval
    assert wilson(10, 10)[1] == 1.0 and wilson(0, 0) == (0.0, 1.0)
    tally = Tally([1, 2, None, 4])  # first once, in the first three twice
    assert tally.interval(1) == wilson(1, 4) and tally.interval(3) == wilson(2, 4)
    assert tally.spread("set x").split() == ["set", "x", "4", "top-1", "25%", "(5%–70%)", "top-3", "50%", "(15%–85%)"]
