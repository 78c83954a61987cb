"""`make bench-search`: recall@5 and latency of the real site search, in headless Chromium.

Builds the site, serves it on 127.0.0.1, and commits every query of tests/search-queries.yaml as an
IME does (one text insertion, then a key release); reads the first five results as shown; prints
recall@5 of each set of queries (shared, own, held out) and of all, the misses with what came instead,
and the median and 95th-percentile latency from the key release to the results drawn.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import find_chromium, launch_chromium, open_search, result_titles, serve, type_like_ime  # noqa: E402
from conftest import build_site  # noqa: E402


def hit(titles: list[str], expect: list[str]) -> bool:
    return any(e in t for t in titles for e in expect)


def load_queries(path: Path) -> list[dict]:
    """The queries with the name of their set: a mapping of sets, or a plain list (one set, "queries")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = data if isinstance(data, dict) else {"queries": data}
    # as text: YAML reads an unquoted 12300 as a number
    return [{"set": name, "q": str(q["q"]), "expect": [str(e) for e in q["expect"]]}
            for name, items in sets.items() for q in items]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search-queries.yaml")
    parser.add_argument("--repeat", type=int, default=3, help="times each query is typed, for latency")
    args = parser.parse_args(argv)
    queries = load_queries(args.queries)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = build_site(ROOT, site)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        with serve(site) as url, sync_playwright() as p:
            browser = launch_chromium(p, chromium)
            page = browser.new_page(base_url=url, locale="zh-CN")
            page.goto("./")
            open_search(page)
            latencies: list[float] = []
            misses = []
            found: dict[str, int] = {}
            for q in queries:
                titles: list[str] = []
                for _ in range(args.repeat):
                    ms = type_like_ime(page, q["q"])
                    if ms is not None:
                        latencies.append(ms)
                    titles = result_titles(page)
                found.setdefault(q["set"], 0)
                if hit(titles, q["expect"]):
                    found[q["set"]] += 1
                else:
                    misses.append((q, titles))
            browser.close()
    print(f"queries: {len(queries)} from {args.queries}")
    for name, n in found.items():
        total = sum(q["set"] == name for q in queries)
        print(f"recall@5 {name}: {n}/{total} ({n / total:.0%})")
    if len(found) > 1:
        print(f"recall@5 all: {sum(found.values())}/{len(queries)} ({sum(found.values()) / len(queries):.0%})")
    if latencies:
        print(f"latency key release → results drawn: median {statistics.median(latencies):.1f} ms, "
              f"p95 {percentile(latencies, 95):.1f} ms over {len(latencies)} searches")
    for q, titles in misses:
        print(f"MISS [{q['set']}] {q['q']} (expected a title with {' / '.join(q['expect'])}); got: {' | '.join(titles) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
