"""Serving the built site on 127.0.0.1 and driving it in Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

# Flags from this workplace's notes: without the background-networking ones Chromium tries to reach
# Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def find_chromium() -> str | None:
    """Debian's Chromium (never a Playwright browser download, which cannot work here)."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@contextmanager
def serve(site: Path):
    """A real HTTP server for ``site`` on 127.0.0.1 and a free port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Traffic:
    """Everything a page did on the network and in its console, for the journey checks."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"]


# ---------------------------------------------------------------- search, as an agent uses it

_LATENCY_PROBE = """
() => {
  const input = document.querySelector("[data-md-component=search-query]");
  const list = document.querySelector(".md-search-result__list");
  window.__kbSearch = { start: null, drawn: null };
  input.addEventListener("keyup", () => {
    window.__kbSearch.start = performance.now();
    window.__kbSearch.drawn = null;
  }, { capture: true });
  new MutationObserver(() => {
    const probe = window.__kbSearch;
    if (probe.start !== null && probe.drawn === null && list.children.length)
      requestAnimationFrame(() => { probe.drawn = performance.now(); });
  }).observe(list, { childList: true });
}
"""


def open_search(page) -> None:
    """Open the search dialog with the keyboard, as an agent does, and wait for the index."""
    page.keyboard.press("/")
    page.wait_for_selector("[data-md-component=search-query]:focus")
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('正在初始化')")
    page.evaluate(_LATENCY_PROBE)


def type_like_ime(page, text: str) -> float | None:
    """Commit ``text`` as an IME does (one insertion, then a key release); return ms until results drawn."""
    page.fill("[data-md-component=search-query]", "")
    page.keyboard.insert_text(text)
    page.keyboard.up("Shift")  # the key release after the IME commit: Material searches on keyup
    try:
        page.wait_for_function("() => window.__kbSearch.drawn !== null", timeout=5000)
    except Exception:  # no result drawn: the query found nothing
        return None
    return page.evaluate("() => window.__kbSearch.drawn - window.__kbSearch.start")


def result_titles(page, n: int = 5) -> list[str]:
    """The titles of the first ``n`` results as shown (without the kind label and teaser)."""
    return page.eval_on_selector_all(
        ".md-search-result__item",
        """(items, n) => items.slice(0, n).map(item => {
             const title = item.querySelector('.kb-result-title') || item.querySelector('h1, h2');
             return title ? title.textContent.trim() : '';
           })""",
        n,
    )
