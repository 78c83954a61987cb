"""The sharded search at scale in headless Chromium, without building a 10,000-entry site.

Builds the real site (Material's search box, our worker), replaces its search/ folder by the shards of a
bigger project (e.g. `python -m benchmarks.synthetic --factor 65 /tmp/kb-x65`), and types queries into
the real search box: what search/ downloads before the first result (gzipped, as a web server sends it),
the time from the load event to the first results, and key release → results (median, p95). The results
point at pages this site does not have: only speed and size are measured here.

    python -m benchmarks.search_scale /tmp/kb-x65
    python -m benchmarks.search_scale            # a ×65 copy (10,110 entries) made for the run and removed

`make bench-search` runs it after the quality figures, so one command prints both (the search issue's
targets at 10,000 entries: ≤ 1.5 MB before the first result, ready ≤ 1 s, median ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from benchmarks.browse import search_figures  # noqa: E402
from benchmarks.search import load_queries, real_site  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402
from browser import find_chromium, launch_chromium, serve  # noqa: E402
from conftest import copy_project  # noqa: E402

TARGET_FACTOR = 65  # ×65 of the real data: 10,110 entries, the size of the targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, nargs="?",
                        help="the project whose search index is measured (default: a synthetic copy, --factor)")
    parser.add_argument("--factor", type=int, default=TARGET_FACTOR,
                        help=f"without a project: times the real data (default {TARGET_FACTOR})")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search-queries.yaml")
    parser.add_argument("--sets", nargs="*", help="only these sets (default: every fresh_ set)")
    args = parser.parse_args(argv)
    queries = [q.q for q in load_queries(args.queries)
               if (q.set in args.sets if args.sets else q.set.startswith("fresh_"))]
    if args.project is not None:
        return measure(args.project, queries)
    with tempfile.TemporaryDirectory(prefix=f"kb-search-x{args.factor}-") as tmp:
        project = copy_project(Path(tmp))
        print(f"a synthetic copy ×{args.factor}: {generate(project, args.factor)} entries", flush=True)
        return measure(project, queries)


def measure(project: Path, queries: list[str]) -> int:
    """Type ``queries`` into the real site's search box, searching ``project``'s shards; print the figures."""
    from playwright.sync_api import sync_playwright

    from kb import load_knowledge
    from kb.search import build_index
    from kb.shards import read_material_index, write_shards

    with real_site() as site:
        kb = load_knowledge(project)
        write_shards(build_index(kb, read_material_index(site / "search"), set()), site / "search")
        with serve(site) as url, sync_playwright() as p:
            browser = launch_chromium(p, find_chromium())
            # the same figures as `make bench` (benchmarks.browse): one definition of each
            figures = search_figures(browser, url, site, queries)
            browser.close()
    print(f"{project}: {len(kb.records)} entries; search/ downloaded before the first result "
          f"{figures['search_first_kb_gz']:.0f} KB gzip (query {queries[0]}); search ready "
          f"{figures['search_ready_ms']:.0f} ms after the load event, of which the cold query "
          f"{figures['search_first_query_ms']:.0f} ms (load → results with Playwright's steps: "
          f"{figures['search_load_to_results_ms']:.0f} ms)")
    print(f"key release → results drawn over {len(queries)} queries: median {figures['search_median_ms']:.1f} ms, "
          f"p95 {figures['search_p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
