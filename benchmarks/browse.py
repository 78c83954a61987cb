"""The site in headless Chromium, as an agent meets it: the first page load, the search getting ready,
and the time from each key release to the results drawn."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.sizes import Request, gzip_kb, is_search_data

# set when the search worker first answers READY (SETUP done, the manifest read): before any page script
_READY_PROBE = """
(() => {
  const Native = window.Worker;
  window.__kbReady = null;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (window.__kbReady === null && event.data && event.data.type === 1) window.__kbReady = performance.now();
      });
    }
  };
})();
"""

# set when the page's search list first gets results, and at the first key release (same clock as
# performance.now())
_FIRST_DRAWN = """
() => {
  const list = document.querySelector(".md-search-result__list");
  window.__kbFirst = null;
  window.__kbKeyUp = null;
  document.addEventListener("keyup", () => { if (window.__kbKeyUp === null) window.__kbKeyUp = performance.now(); },
                            { capture: true });
  new MutationObserver(() => {
    if (window.__kbFirst === null && list.children.length)
      requestAnimationFrame(() => { if (window.__kbFirst === null) window.__kbFirst = performance.now(); });
  }).observe(list, { childList: true });
}
"""
_LOAD_END = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


@dataclass
class NetLog:
    """Every request of one browser context, timed on one clock."""

    start: float = field(default_factory=time.perf_counter)
    requests: list[Request] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)

    def watch(self, context, page) -> None:
        context.on("request", self._add)
        page.on("worker", lambda w: self.workers.append(w.url))

    def _add(self, request) -> None:
        try:
            from_worker = request.frame is None
        except Exception:  # Playwright raises for requests that have no frame (made by a worker)
            from_worker = True
        ms = (time.perf_counter() - self.start) * 1000
        self.requests.append(Request(request.url, request.resource_type, ms, from_worker))

    def now(self) -> float:
        return (time.perf_counter() - self.start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def first_load_kb_gz(browser, url: str, site: Path) -> float:
    """Compressed KB of everything the home page loads until the network is idle, search data apart."""
    context = browser.new_context(base_url=url, locale="zh-CN")
    page = context.new_page()
    log = NetLog()
    log.watch(context, page)
    page.goto("./", wait_until="networkidle")
    context.close()
    return gzip_kb([r.url for r in log.requests if not is_search_data(r, log.workers)], site)


def search_figures(browser, url: str, site: Path, queries: list[str]) -> dict[str, float | None]:
    """Search as an agent uses it right after opening the site.

    - search_ready_ms: how long after the page's load event an agent who types at once sees results:
      the wait for the search worker to be ready (from the load event to its READY, 0 when it was ready
      by then) plus the first query, cold (key release → results drawn). Playwright's own steps between
      the load event and the key release (pressing "/", waiting for the focus: ~250 ms) are not
      search's and are left out; search_load_to_results_ms keeps them, for comparison;
    - search_first_query_ms: that first, cold query alone;
    - search_first_kb_gz: compressed KB of the search data requested before those results were drawn;
    - search_median_ms / search_p95_ms: key release → results drawn, over ``queries`` once ready.
    """
    from browser import open_search, type_like_ime  # tests/ is on sys.path (benchmarks.build, search_scale)

    context = browser.new_context(base_url=url, locale="zh-CN")
    context.add_init_script(_READY_PROBE)
    page = context.new_page()
    log = NetLog()
    log.watch(context, page)
    page.goto("./", wait_until="load")
    page.keyboard.press("/")
    page.wait_for_selector("[data-md-component=search-query]:focus")
    page.evaluate(_FIRST_DRAWN)
    page.keyboard.insert_text(queries[0])
    page.keyboard.up("Shift")  # Material searches on key release
    page.wait_for_function("() => window.__kbFirst !== null", timeout=120_000, polling=50)
    drawn_at = log.now()
    load_end = page.evaluate(_LOAD_END)
    drawn, key_up, ready = page.evaluate("() => [window.__kbFirst, window.__kbKeyUp, window.__kbReady]")
    first_query_ms = drawn - key_up
    ready_ms = max(0.0, ready - load_end) + first_query_ms
    first = [r.url for r in log.requests if r.ms <= drawn_at and is_search_data(r, log.workers)]
    page.keyboard.press("Escape")
    open_search(page)
    latencies = [ms for ms in (type_like_ime(page, q) for q in queries) if ms is not None]
    context.close()
    return {
        "search_first_kb_gz": gzip_kb(first, site),
        "search_ready_ms": ready_ms,
        "search_first_query_ms": first_query_ms,
        "search_load_to_results_ms": drawn - load_end,
        "search_median_ms": statistics.median(latencies) if latencies else None,
        "search_p95_ms": percentile(latencies, 95) if latencies else None,
    }
