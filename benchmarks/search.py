"""`make bench-search`: quality and latency of the real site search, in headless Chromium.

Builds the site, serves it on 127.0.0.1, and commits every query of tests/search-queries.yaml as an
IME does (one text insertion, then a key release); reads the results as shown; prints top-1, top-3, top-5
and MRR (over the first ten) of each set of queries and of each kind of query, the misses of the fresh
sets with what came instead, and the median and 95th-percentile latency from the key release to the
results drawn.

The ablation table answers what each technique adds: the same build is searched again with one technique
switched off in the manifest the browser receives (the request for search/search_index.json is answered
with a changed copy), so every row is measured on the same data, queries and worker.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from benchmarks.browse import percentile  # noqa: E402
from benchmarks.sizes import gzip_bytes  # noqa: E402
from browser import find_chromium, launch_chromium, open_search, serve, type_like_ime  # noqa: E402
from conftest import build_site  # noqa: E402

DEPTH = 10  # results read per query (MRR counts a right answer down to here)


@dataclass
class Query:
    set: str
    q: str
    kind: str
    expect: list[str]  # "kind:id" of an entry, or a fragment of a result title (group headings)


@dataclass
class Tally:
    ranks: list[int | None] = field(default_factory=list)  # rank of the first right answer, None: not in DEPTH

    def share(self, k: int) -> float:
        return sum(r is not None and r <= k for r in self.ranks) / len(self.ranks)

    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r) / len(self.ranks)

    def interval(self, k: int) -> tuple[float, float]:
        """The 95 % Wilson interval of the top-k share: where the share over all queries like these may lie,
        given how many there are."""
        return wilson(sum(r is not None and r <= k for r in self.ranks), len(self.ranks))

    def spread(self, name: str) -> str:
        parts = [f"top-{k} {self.share(k):>4.0%} ({lo:.0%}–{hi:.0%})" for k in (1, 3) for lo, hi in [self.interval(k)]]
        return f"{name:<30} {len(self.ranks):>4}  " + "  ".join(parts)

    def row(self, name: str) -> str:
        n = len(self.ranks)
        top = [sum(r is not None and r <= k for r in self.ranks) for k in (1, 3, 5)]
        return (f"{name:<30} {n:>4}  {top[0]:>4} {self.share(1):>5.0%}  {top[1]:>4} {self.share(3):>5.0%}"
                f"  {top[2]:>4} {self.share(5):>5.0%}  {self.mrr():.3f}")


HEADER = f"{'':<30} {'n':>4}  {'top-1':>10}  {'top-3':>10}  {'top-5':>10}  MRR"


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's score interval for a share of ``hits`` in ``n`` (good at small n and near 0 or 1, where the
    normal approximation is not)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def load_queries(path: Path) -> list[Query]:
    """The queries with the name of their set (YAML reads an unquoted 12300 as a number: read as text)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = data if isinstance(data, dict) else {"queries": data}
    return [Query(name, str(q["q"]), str(q.get("kind", "-")), [str(e) for e in q["expect"]])
            for name, items in sets.items() for q in items]


def entry_urls() -> dict[str, str]:
    """kind:id → the entry's address relative to the site root."""
    from kb import load_knowledge
    from kb.pages import entry_url

    return {f"{r.kind}:{r.id}": entry_url(r) for r in load_knowledge(ROOT).records}


def rank(results: list[tuple[str, str]], expect: list[str], urls: dict[str, str]) -> int | None:
    """1-based rank of the first result that answers, from (location, title) pairs as shown."""
    wanted = {urls[e] for e in expect if e in urls}
    fragments = [e for e in expect if e not in urls]
    for i, (location, title) in enumerate(results, 1):
        if location in wanted or any(f in title for f in fragments):
            return i
    return None


@contextmanager
def real_site() -> Iterator[Path]:
    """A strict build of the project in a temporary folder; a failed build ends the benchmark with its output."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = build_site(ROOT, site)
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)
        yield site


# ---------------------------------------------------------------- ablations: the index without a technique
def _config(**change) -> Callable[[dict], dict]:
    def changed(manifest: dict) -> dict:
        kb = {**manifest.get("config", {}).get("kb", {}), **change}
        return {**manifest, "config": {**manifest.get("config", {}), "kb": kb}}
    return changed


# what the worker is told by the manifest (search/search_index.json) it receives
ABLATIONS: dict[str, Callable[[dict], dict]] = {
    "- synonyms vocabulary": _config(weights={"syn": 0, "syn_body": 0, "syn_moments": 0, "after": 0}),
    # 什么时候用 (issue 27): the moments of a call and the synonyms only they reach
    "- moments (什么时候用)": _config(weights={"moments": 0, "syn_moments": 0}),
    "- query stripping": _config(strip=False),
    "- fillers kept as weak terms (们这, 不进)": _config(filler=0),
    "- 不X is not X (不客气)": _config(negation=False),
    "- after 但 weighs more (A 但 B)": _config(but=1),
    "- the subject's side (客户打断我 / 我打断客户)": _config(subject=1),
    "- homophones (pinyin)": _config(pinyin=False),
    "- coverage by characters": _config(char_cover=False),
    "- body length normalisation": _config(length_b=0),
    "- body covers at most half": _config(body_cover=1),
    "- pairs one apart (插句话)": _config(skip=0),
    "- a step over, the next one (骂完了)": _config(done=0),
    "- a person described, the type (…的阿姨)": _config(person=0),
    "- companions yield close places (类型 / 招式 / 演练)": _config(companion=0),
    "- coverage to the power 0.75 (squared, as before)": _config(cover_power=2),
    "- a character no pair holds is a word (一边说一边哭)": _config(alone=0),
}

def _answer_with(body: str) -> Callable:
    return lambda route: route.fulfill(body=body, content_type="application/json")


RESULTS_JS = """(items, n) => items.slice(0, n).map(item => {
  const link = item.querySelector('a');
  const title = item.querySelector('.kb-result-title') || item.querySelector('h1, h2');
  const url = new URL(link.href);
  return [url.pathname.slice(__md_scope.pathname.length) + url.hash,
          title ? title.textContent.trim() : ''];
})"""


def run(page, queries: list[Query], urls: dict[str, str], repeat: int) -> tuple[list[int | None], list, list[float]]:
    open_search(page)
    ranks, shown, latencies = [], [], []
    for q in queries:
        results: list = []
        for _ in range(repeat):
            ms = type_like_ime(page, q.q)
            if ms is not None:
                latencies.append(ms)
            results = page.eval_on_selector_all(".md-search-result__item", RESULTS_JS, DEPTH)
        ranks.append(rank(results, q.expect, urls))
        shown.append(results)
    return ranks, shown, latencies


def report(queries: list[Query], ranks: list[int | None]) -> None:
    print(HEADER)
    for name in dict.fromkeys(q.set for q in queries):
        print(Tally([r for q, r in zip(queries, ranks) if q.set == name]).row(f"set {name}"))
    print(Tally(ranks).row("all"))
    # kinds over the fresh sets; over the sets asked for when none is fresh (--sets tuning)
    fresh = [(q, r) for q, r in zip(queries, ranks) if q.set.startswith("fresh")]
    label = "fresh" if fresh else "these"
    for kind in dict.fromkeys(q.kind for q, _ in fresh or zip(queries, ranks)):
        print(Tally([r for q, r in fresh or zip(queries, ranks) if q.kind == kind]).row(f"{label}, kind {kind}"))
    print("\n95 % intervals (Wilson): where the share over all queries like a set's may lie, given its size")
    for name in dict.fromkeys(q.set for q in queries):
        print(Tally([r for q, r in zip(queries, ranks) if q.set == name]).spread(f"set {name}"))
    if fresh:
        print(Tally([r for _, r in fresh]).spread("the fresh sets together"))


def index_size(project: Path, queries: list[Query]) -> int:
    """The sharded search index of the project at ``project`` (e.g. a synthetic one) without a browser or
    a site build: the time to write it, its files, and what a first query downloads at most (gzipped as a
    web server sends it): the manifest, the term shards of the query's characters, bigrams and syllable
    pairs (fillers included, so a little more than the worker fetches) and twenty document shards."""
    import time

    from kb import load_knowledge
    from kb.search import build_index
    from kb.shards import character_sounds, encoded_shards, fnv1a, sound_pairs, tokens

    kb = load_knowledge(project)
    start = time.perf_counter()
    index = build_index(kb, {}, set())
    files = encoded_shards(index)
    seconds = time.perf_counter() - start
    gz = {path: gzip_bytes(body) for path, body in files.items()}
    manifest = json.loads(files["search_index.json"])["config"]["kb"]

    def total(prefix: str) -> str:
        paths = [p for p in files if p.startswith(prefix)]
        return (f"{len(paths)} files, {sum(len(files[p]) for p in paths) / 1e6:.2f} MB raw, "
                f"{sum(gz[p] for p in paths) / 1e6:.2f} MB gzip, largest {max(gz[p] for p in paths) / 1e3:.0f} KB gzip")

    print(f"{project}: {len(kb.records)} entries, {manifest['count']} search documents; documents and shards "
          f"written in {seconds:.1f} s")
    print(f"  manifest      {len(files['search_index.json']) / 1e3:.0f} KB raw, {gz['search_index.json'] / 1e3:.0f} KB gzip")
    print(f"  term shards   {total('terms/')}")
    print(f"  doc shards    {total('docs/')}")
    syllable = character_sounds(manifest.get("pinyin"))
    docs_20 = sum(sorted((gz[p] for p in files if p.startswith("docs/")), reverse=True)[:20])
    first = []
    for q in queries:
        wanted = set(tokens(q.q)) | sound_pairs(q.q, syllable)
        shards_of = {f"terms/{fnv1a(t) % manifest['terms']}.json" for t in wanted}
        first.append(gz["search_index.json"] + sum(gz[p] for p in shards_of) + docs_20)
    print(f"  first query downloads at most (over {len(first)} queries): median "
          f"{statistics.median(first) / 1e3:.0f} KB, max {max(first) / 1e3:.0f} KB gzip")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-size", type=Path, metavar="PROJECT",
                        help="only print the size of PROJECT's search index (e.g. benchmarks.synthetic output)")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search-queries.yaml")
    parser.add_argument("--repeat", type=int, default=3, help="times each query is typed, for latency")
    parser.add_argument("--sets", nargs="*", help="only these sets (default: all)")
    parser.add_argument("--no-ablation", action="store_true", help="skip the ablation table")
    parser.add_argument("--miss-at", type=int, default=3, metavar="K",
                        help="list the queries whose first right answer is not in the first K (default 3)")
    args = parser.parse_args(argv)
    queries = [q for q in load_queries(args.queries) if not args.sets or q.set in args.sets]
    if args.index_size:
        return index_size(args.index_size, queries)
    urls = entry_urls()
    unknown = sorted({e for q in queries for e in q.expect if ":" in e and e not in urls})
    if unknown:
        print(f"{args.queries}: expected entries that do not exist: {', '.join(unknown)}", file=sys.stderr)
        return 1
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with real_site() as site:
        manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        with serve(site) as url, sync_playwright() as p:
            browser = launch_chromium(p, chromium)
            page = browser.new_page(base_url=url, locale="zh-CN")
            page.goto("./")
            ranks, shown, latencies = run(page, queries, urls, args.repeat)
            page.close()
            ablation = {}
            if not args.no_ablation:
                fresh = [q for q in queries if q.set.startswith("fresh")] or queries
                for name, change in ABLATIONS.items():
                    body = json.dumps(change(manifest), ensure_ascii=False)
                    page = browser.new_page(base_url=url, locale="zh-CN")
                    # (the worker reads the manifest itself only when a shard disagrees with it or is gone,
                    # never in a finished build: the ablated one stands)
                    page.route("**/search/search_index.json", _answer_with(body))
                    page.goto("./")
                    ablation[name] = run(page, fresh, urls, 1)[0]
                    page.close()
            browser.close()
    print(f"queries: {len(queries)} from {args.queries} (rank of the first right answer among the first {DEPTH})")
    report(queries, ranks)
    if ablation:
        fresh_ranks = [r for q, r in zip(queries, ranks) if q.set.startswith("fresh")] or ranks
        which = "the fresh sets" if any(q.set.startswith("fresh") for q in queries) else "these queries"
        print(f"\nablation on {which} ({len(fresh_ranks)} queries): the same build, one technique removed")
        print(HEADER)
        print(Tally(fresh_ranks).row("everything"))
        for name, r in ablation.items():
            print(Tally(r).row(name))
    if latencies:
        print(f"\nlatency key release → results drawn: median {statistics.median(latencies):.1f} ms, "
              f"p95 {percentile(latencies, 95):.1f} ms over {len(latencies)} searches")
    for q, r, results in zip(queries, ranks, shown):
        if r is None or r > args.miss_at:
            got = " | ".join(t for _, t in results[:3]) or "nothing"
            where = f"at {r}" if r else "not in the first ten"
            print(f"MISS@{args.miss_at} [{q.set}/{q.kind}] {q.q} ({where}); got: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
