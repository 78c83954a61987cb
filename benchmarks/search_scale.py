"""The sharded search at scale in headless Chromium, without building a 10,000-entry site.

Builds the real site (Material's search box, our worker), replaces its search/ folder by the shards of a
bigger project (e.g. `python -m benchmarks.synthetic --factor 65 /tmp/kb-x65`), and types queries into
the real search box: what search/ downloads before the first result (gzipped, as a web server sends it),
the time from the load event to the first results, and key release → results (median, p95). The results
point at pages this site does not have: only speed and size are measured here.

    python -m benchmarks.search_scale /tmp/kb-x65
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from benchmarks.browse import search_figures  # noqa: E402
from benchmarks.search import load_queries, real_site  # noqa: E402
from browser import find_chromium, launch_chromium, serve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="the project whose search index is measured")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search-queries.yaml")
    parser.add_argument("--sets", nargs="*", help="only these sets (default: every fresh_ set)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from kb import load_knowledge
    from kb.search import build_index
    from kb.shards import read_material_index, write_shards

    queries = [q.q for q in load_queries(args.queries)
               if (q.set in args.sets if args.sets else q.set.startswith("fresh_"))]
    with real_site() as site:
        kb = load_knowledge(args.project)
        write_shards(build_index(kb, read_material_index(site / "search"), set()), site / "search")
        with serve(site) as url, sync_playwright() as p:
            browser = launch_chromium(p, find_chromium())
            # the same figures as `make bench` (benchmarks.browse): one definition of each
            figures = search_figures(browser, url, site, queries)
            browser.close()
    print(f"{args.project}: {len(kb.records)} entries; search/ downloaded before the first result "
          f"{figures['search_first_kb_gz']:.0f} KB gzip (query {queries[0]}); search ready "
          f"{figures['search_ready_ms']:.0f} ms after the load event, of which the cold query "
          f"{figures['search_first_query_ms']:.0f} ms (load → results with Playwright's steps: "
          f"{figures['search_load_to_results_ms']:.0f} ms)")
    print(f"key release → results drawn over {len(queries)} queries: median {figures['search_median_ms']:.1f} ms, "
          f"p95 {figures['search_p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
