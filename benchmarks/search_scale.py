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
import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from benchmarks.search import load_queries, percentile, real_site  # noqa: E402
from browser import find_chromium, launch_chromium, open_search, serve, type_like_ime  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="the project whose search index is measured")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search-queries.yaml")
    parser.add_argument("--sets", nargs="*", default=["fresh_1", "fresh_2"])
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from kb import load_knowledge
    from kb.search import build_index
    from kb.shards import read_material_index, write_shards

    queries = [q for q in load_queries(args.queries) if q.set in args.sets]
    with real_site() as site:
        kb = load_knowledge(args.project)
        write_shards(build_index(kb, read_material_index(site / "search"), set()), site / "search")
        gz = {str(p.relative_to(site)): len(gzip.compress(p.read_bytes(), 6)) for p in (site / "search").rglob("*.json")}
        with serve(site) as url, sync_playwright() as p:
            browser = launch_chromium(p, find_chromium())
            page = browser.new_page(base_url=url, locale="zh-CN")
            fetched: list[str] = []
            page.on("requestfinished", lambda r: fetched.append(r.url.split("?")[0].removeprefix(url).lstrip("/")))
            page.goto("./")
            loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
            open_search(page)
            type_like_ime(page, queries[0].q)
            ready = page.evaluate("() => window.__kbSearch.drawn") - loaded
            first_query = page.evaluate("() => window.__kbSearch.drawn - window.__kbSearch.start")
            first = sum(gz.get(f, 0) for f in fetched if f.startswith("search/"))
            latencies = [ms for q in queries[1:] if (ms := type_like_ime(page, q.q)) is not None]
            total = sum(gz.get(f, 0) for f in set(fetched) if f.startswith("search/"))
            browser.close()
    print(f"{args.project}: {len(kb.records)} entries; search/ downloaded before the first result "
          f"{first / 1e3:.0f} KB gzip (query {queries[0].q}); load event → first results {ready:.0f} ms, of which "
          f"key release → results {first_query:.0f} ms (the rest is opening the search box and typing)")
    print(f"key release → results drawn over {len(latencies)} queries: median {statistics.median(latencies):.1f} ms, "
          f"p95 {percentile(latencies, 95):.1f} ms; search/ downloaded in all: {total / 1e6:.2f} MB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
