"""`make bench`: how the site scales, from the real data (×1) to a synthetic knowledge base ×10 and ×100.

At each size, in a scratch copy of the project grown by benchmarks/synthetic.py:
- check_s: `make check` (python -m kb check); build_s, build_cpu_s and peak_mb: `mkdocs build --strict`,
  its wall and CPU time (user + system, its own process's and the one packing the search postings,
  kb.searchjob) and peak memory (the highest of: its process's peak RSS, and the resident memory of
  both processes together, sampled every 0.1 s); ms/entry: build_s per entry;
- site_mb, files: the built site;
- first_load_kb_gz: what the home page loads (gzipped, as a web server sends it), search data apart;
- search_first_kb_gz, search_ready_ms: search data downloaded before the first results of a query typed
  right at page load, and how long after the load event those results show (the wait for the search
  worker plus that cold query; see benchmarks.browse.search_figures);
- search_median_ms, search_p95_ms: key release → results drawn in Chromium (tests/search-queries.yaml);
- serve_reload_s, serve_reload_cpu_s: `mkdocs serve`, from saving a data file to the page showing the
  change, and the server's CPU time meanwhile (every factor).
Prints one table and writes .bench/latest.json. The machine's other load inflates every figure.

    python -m benchmarks.build                   # ×1, ×10, ×100
    python -m benchmarks.build --factors 1 10    # a subset
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import MKDOCS, copy_project, user_env  # noqa: E402

from benchmarks.sizes import tree_size  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402

OUT = ROOT / ".bench" / "latest.json"
SERVE_FACTORS = (1, 10, 100)  # serving ×100 means minutes of first build for one figure (issue 26 asks for it)


@dataclass
class Row:
    """One size's figures; None where it was not measured."""

    factor: int
    entries: int
    check_s: float | None = None
    build_s: float | None = None
    build_cpu_s: float | None = None
    peak_mb: float | None = None
    site_mb: float | None = None
    files: int | None = None
    first_load_kb_gz: float | None = None
    search_first_kb_gz: float | None = None
    search_ready_ms: float | None = None
    search_first_query_ms: float | None = None  # the first, cold query alone (benchmarks.browse)
    search_load_to_results_ms: float | None = None  # load event → first results, Playwright's steps included
    search_median_ms: float | None = None
    search_p95_ms: float | None = None
    serve_reload_s: float | None = None
    serve_reload_cpu_s: float | None = None  # the server's CPU time during that reload (less load-sensitive)

    @property
    def build_ms_per_entry(self) -> float | None:
        return None if self.build_s is None else 1000 * self.build_s / self.entries

    def as_json(self) -> dict:
        return {**asdict(self), "build_ms_per_entry": self.build_ms_per_entry}


# (heading, attribute, format)
COLUMNS = [
    ("entries", "entries", "{:,}"), ("check s", "check_s", "{:.1f}"), ("build s", "build_s", "{:.1f}"),
    ("build CPU s", "build_cpu_s", "{:.1f}"),
    ("ms/entry", "build_ms_per_entry", "{:.1f}"), ("peak MB", "peak_mb", "{:.0f}"),
    ("site MB", "site_mb", "{:.1f}"), ("files", "files", "{:,}"),
    ("1st load KB gz", "first_load_kb_gz", "{:.0f}"), ("search 1st KB gz", "search_first_kb_gz", "{:.0f}"),
    ("search ready ms", "search_ready_ms", "{:.0f}"), ("1st query ms", "search_first_query_ms", "{:.0f}"),
    ("search median ms", "search_median_ms", "{:.0f}"),
    ("search p95 ms", "search_p95_ms", "{:.0f}"), ("serve reload s", "serve_reload_s", "{:.1f}"),
    ("serve reload CPU s", "serve_reload_cpu_s", "{:.1f}"),
]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal, pasteable into the README)."""
    def cell(row: Row, attr: str, fmt: str) -> str:
        value = getattr(row, attr)
        return "—" if value is None else fmt.format(value)

    lines = ["| " + " | ".join(h for h, _, _ in COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r, a, f) for _, a, f in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak memory MB) of one command, which must succeed. CPU time and the peak
    RSS of one process come from the command's own usage (os.wait4: it and the children it waited for,
    not every child this process ever had), so CPU time is what the command needed whatever else the
    machine ran meanwhile. A build runs two processes at once (kb.searchjob), whose resident memory
    together is sampled while it runs; the peak is the higher of the two figures."""
    start = time.perf_counter()
    together = 0
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            together = max(together, tree_resident_kb(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{out.read().decode(errors='replace')[-5000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, max(usage.ru_maxrss, together) / 1024


def tree_resident_kb(pid: int) -> int:
    """The resident memory (KB) of ``pid`` and its descendants now (Linux's /proc; 0 elsewhere). Pages
    the processes share count once per process: an upper bound."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            total = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                total += sum(tree_resident_kb(int(child)) for child in children.read().split())
    except OSError:  # gone meanwhile, or no /proc
        pass
    return total


def queries() -> list[str]:
    from benchmarks.search import load_queries

    return [q.q for q in load_queries(ROOT / "tests" / "search-queries.yaml")]


def measure(factor: int, tmp: Path, browser=None, serve: bool = True) -> Row:
    project = copy_project(tmp)
    row = Row(factor, generate(project, factor))
    env = user_env()
    row.check_s, _, _ = timed([sys.executable, "-m", "kb", "check"], project, {**env, "PYTHONPATH": "hooks"})
    site = tmp / "site"
    row.build_s, row.build_cpu_s, row.peak_mb = timed([MKDOCS, "build", "--strict", "--site-dir", str(site)], project, env)
    row.files, size = tree_size(site)
    row.site_mb = size / 2**20
    if browser is not None:
        from benchmarks.browse import first_load_kb_gz, search_figures
        from browser import serve as http

        with http(site) as url:
            try:
                row.first_load_kb_gz = first_load_kb_gz(browser, url, site)
                for key, value in search_figures(browser, url, site, queries()).items():
                    setattr(row, key, value)
            except Exception as exc:  # noqa: BLE001 - a figure missing (e.g. search timed out) keeps the row
                print(f"×{factor}: browser figures incomplete: {exc.__class__.__name__}: {str(exc)[:300]}", file=sys.stderr)
    if serve and factor in SERVE_FACTORS:
        from benchmarks.serve_reload import serve_reload

        row.serve_reload_s, row.serve_reload_cpu_s = serve_reload(project, MKDOCS, env)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100],
                        help="sizes as multiples of the real data (default: 1 10 100)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--no-serve", action="store_true", help="skip mkdocs serve")
    args = parser.parse_args(argv)
    from browser import find_chromium, launch_chromium

    chromium = None if args.no_browser else find_chromium()
    if not args.no_browser and chromium is None:
        print("no Chromium found (apt-get install chromium): browser figures skipped", file=sys.stderr)
    rows: list[Row] = []
    with _browser(chromium, launch_chromium) as browser:
        for factor in args.factors:
            with tempfile.TemporaryDirectory(prefix=f"kb-bench-x{factor}-") as tmp:
                rows.append(measure(factor, Path(tmp), browser, serve=not args.no_serve))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps([r.as_json() for r in rows], indent=2) + "\n", encoding="utf-8")
    print()
    print(table(rows))
    print(f"\nwrote {OUT.relative_to(ROOT)}; {os.cpu_count()} cores, shared: other load inflates these figures")
    return 0


class _browser:
    """Chromium for the whole run (or None), closed at the end."""

    def __init__(self, path: str | None, launch):
        self.path, self.launch, self.pw = path, launch, None

    def __enter__(self):
        if self.path is None:
            return None
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.launch(self.pw, self.path)
        return self.browser

    def __exit__(self, *exc) -> None:
        if self.pw is not None:
            self.browser.close()
            self.pw.stop()


if __name__ == "__main__":
    sys.exit(main())
