"""Serving the built site on 127.0.0.1 and driving it in Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import time
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


def launch_chromium(playwright, path: str):
    """Debian's Chromium, headless, with the flags above."""
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, served: list[str] | None = None, **kwargs) -> None:
        self.served = served  # set before the base class handles the request in its __init__
        super().__init__(*args, **kwargs)

    def log_request(self, code="-", size="-") -> None:  # what the server's access log would hold
        if self.served is not None:
            self.served.append(self.path)

    def log_message(self, *args) -> None:  # keep test output readable
        pass


@contextmanager
def http_server(handler):
    """A real HTTP server with ``handler`` on 127.0.0.1 and a free port, in a thread; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(site: Path, served: list[str] | None = None):
    """A real HTTP server for ``site`` on 127.0.0.1 and a free port; yields its base URL. ``served`` receives
    the path of every request answered, as a web server's access log would."""
    with http_server(functools.partial(_QuietHandler, directory=str(site), served=served)) as port:
        yield f"http://127.0.0.1:{port}/"


def second_result(page):
    """The link of the second search result (once there are two) and its address relative to the site root."""
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length >= 2")
    link = page.locator(".md-search-result__item").nth(1).locator("a.md-search-result__link").first
    address = link.evaluate("a => { const u = new URL(a.href); "
                            "return u.pathname.slice(new URL(__md_scope, location.href).pathname.length) + u.hash; }")
    return link, address


@dataclass
class Traffic:
    """Everything a page did on the network and in its console, for the journey checks."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # requests cancelled (net::ERR_ABORTED): address, when it began, when it was cancelled (time.monotonic)
    aborted: list[tuple[str, float, float]] = field(default_factory=list)
    moves: list[float] = field(default_factory=list)  # when the tab went on to another page
    address: str = ""

    def watch(self, page) -> None:
        started: dict[object, float] = {}
        page.on("framenavigated", lambda f: f == page.main_frame and self._moved(f.url))
        page.on("request", lambda r: (self.requests.append(r.url), started.__setitem__(r, time.monotonic())))
        page.on("requestfailed", lambda r: self._failed(r, started.get(r, time.monotonic())))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.url} (HTTP {r.status})"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def _moved(self, url: str) -> None:
        # a page of its own, loaded or drawn by the theme's instant navigation; not a move to an anchor
        # (navigation.tracking rewrites the fragment while the page scrolls)
        address = url.split("#")[0]
        if address != self.address:
            self.address = address
            self.moves.append(time.monotonic())

    def _failed(self, request, began: float) -> None:
        if request.failure == "net::ERR_ABORTED":
            self.aborted.append((request.url, began, time.monotonic()))
        else:
            self.errors.append(f"{request.url} ({request.failure})")

    # the browser reports the move and the requests it cancelled in either order, close together
    MOVE_CANCELS_WITHIN_S = 2.0

    @property
    def failed(self) -> list[str]:
        """Requests that failed. A request the browser cancelled because the tab went on to another page
        (the favicon of a page left at once, the keepalive record of an opened search result, which
        reaches the server all the same: test_browser_search checks the server's side) is not a failure:
        the tab moved after it began and about when it was cancelled. Any other cancelled request is."""
        return self.errors + [f"{url} (net::ERR_ABORTED)" for url, began, cancelled in self.aborted
                              if not any(began < moved <= cancelled + self.MOVE_CANCELS_WITHIN_S
                                         for moved in self.moves)]

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
    _search_ready(page)


def open_search_by_tap(page) -> None:
    """Open the search dialog on a phone: tap the magnifier in the header, and wait for the index."""
    page.locator("label.md-header__button[for=__search]").tap()
    _search_ready(page)
    # on a small screen the dialog slides in and Material's overlay grows from the magnifier (for a moment
    # wider than the screen): wait until everything is in place
    settle(page)


def settle(page) -> None:
    """Wait until no animation runs (dialogs slid in, results faded in): what a person sees at rest."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def _search_ready(page) -> None:
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


# ---------------------------------------------------------------- other devices, accessibility, layout

def _longest_scenario(kb) -> str:
    """The scenario with the longest dialogue."""
    return "scenarios/%s/" % max(kb.of_kind("scenarios"), key=lambda r: len(r.entry.dialogue)).id


def _widest_legal_note(kb) -> str:
    """A legal note waiting for review (it shows the warning) with the most tables (the widest on a phone)."""
    def weight(r):
        return r.entry.review.status == "needs-review", len(r.entry.basis) + bool(r.entry.company)
    return "legal/%s/" % max(kb.of_kind("legal"), key=weight).id


# One page of every kind the site has: its address, or how to pick it from the knowledge base. The
# accessibility tests (both colour schemes, desk and phone) and the phone-width test run on each: a new
# page kind is added here, and nowhere else.
PAGE_KINDS = {
    "home": "./",
    "types": "types/",
    "type": "types/chameleon/",
    "scenarios": "scenarios/",
    "scenario": _longest_scenario,
    "legal-index": "legal/",
    "legal": _widest_legal_note,
    "phrases": "phrases/",
    "process": "process/",
    "principles": "principles/",
    "escalation": "escalation/",
    "roles": "roles/",
    "topics": "topics/",
    "sources": "sources/",
    "tags": "tags/",
    "guide": "guide/",
    "authoring": "authoring/",
    "format": "authoring/format/",
    "legal-sources": "authoring/legal-sources/",
    "training": "training/",
    "roleplay": lambda kb: "training/roleplay/%s/" % next(r for r in kb.of_kind("scenarios") if r.entry.drill).id,
    "practice": "practice/",
    "drill": "practice/identify/",  # the drill with choices (radio groups) as well as text
}
REPRESENTATIVE_PAGES = list(PAGE_KINDS)


def representative_page(kb, which: str) -> str:
    """The address (relative to the site root) of the page of kind ``which`` in PAGE_KINDS."""
    where = PAGE_KINDS[which]
    return where if isinstance(where, str) else where(kb)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@contextmanager
def checked_page(browser, base_url: str, traffic: Traffic, **context_options):
    """Like the ``page`` fixture, on another device or colour scheme: a fresh page whose requests and
    console are recorded, and checked once the test is done (nothing outside, nothing failed, no error)."""
    options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **context_options}
    context = browser.new_context(base_url=base_url, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    traffic.watch(page)
    try:
        yield page
    finally:
        context.close()
    assert not traffic.outside(), f"requests to outside hosts: {traffic.outside()}"
    assert not traffic.failed, f"failed requests: {traffic.failed}"
    assert not traffic.console_errors, f"console errors: {traffic.console_errors}"


# axe-core from npm, exactly the version package-lock.json pins (`npm ci`, run by `make test`)
PROJECT = Path(__file__).resolve().parent.parent
AXE_SCRIPT = PROJECT / "node_modules" / "axe-core" / "axe.min.js"


def pinned_axe_version() -> str:
    """The axe-core version package-lock.json pins."""
    lock = json.loads((PROJECT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` in {PROJECT} (`make test` does)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def inject_axe(page) -> str:
    """Put axe-core into the page as it is now (once per document); return the version it reports."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate("() => window.axe.version")


SCHEMES = {"light": "default", "dark": "slate"}  # browser colour scheme -> Material palette scheme


def open_in(page, path: str, scheme: str) -> None:
    """Open ``path`` in the colour scheme ``scheme`` and wait until Material shows that palette."""
    from playwright.sync_api import expect

    page.emulate_media(color_scheme=scheme)
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    drill_loaded(page)


def drill_loaded(page) -> None:
    """On a drill page, wait until its script has drawn the first question (a page is judged as it is read)."""
    page.wait_for_function("() => !document.querySelector('.kb-drill') || "
                           "!document.querySelector('.kb-drill__card').hidden")


def axe_violations(page, impacts=("serious", "critical"), context=None) -> list[dict]:
    """The axe-core violations (every rule, none disabled) of the page as it is now, of the given impacts.

    ``context`` limits the check to part of the page, as axe.run takes it (a selector, or
    ``{"include": [...], "exclude": [...]}``); None checks the whole document.
    """
    # colours are judged at rest: let sliding dialogs and fading results finish first
    settle(page)
    inject_axe(page)
    results = page.evaluate(
        "([context, options]) => window.axe.run(context ?? document, options)",
        [context, {"resultTypes": ["violations"]}],
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


def axe_report(violations: list[dict]) -> str:
    """One line per violation and up to five offending elements each, with axe's explanation."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            why = "; ".join(c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", []))
            lines.append(f"    {' '.join(node['target'])}: {why}")
    return "\n".join(lines)


def sideways_overflow(page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when nothing is wider than the screen)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


# Contrast of each element's text against the first opaque background behind it (WCAG formula);
# the element's own opacity (e.g. a faded note) is blended in.
_CONTRAST_OF = """
(els) => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => {
    const c = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const bg = rgba(getComputedStyle(e).backgroundColor);
      if (bg[3] >= 1) return bg;
    }
    return [255, 255, 255, 1];
  };
  return els.map(el => {
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = rgba(style.color);
    const alpha = fg[3] * Number(style.opacity);
    const seen = [0, 1, 2].map(i => fg[i] * alpha + bg[i] * (1 - alpha));
    const [hi, lo] = [lum(seen), lum(bg)].sort((a, b) => b - a);
    return { text: el.textContent.trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05), background: lum(bg) };
  });
}
"""
_CONTRAST = _CONTRAST_OF

# The elements under ``root`` that show text of their own (a text node that is not blank), as laid out now:
# what a person can read, whatever markup the theme or the worker draws it with
_SHOWN_TEXT = """
(root) => Array.from(root.querySelectorAll("*")).filter(el => {
  const style = getComputedStyle(el);
  if (style.visibility !== "visible" || el.getClientRects().length === 0) return false;
  for (let e = el; e && e !== root.parentElement; e = e.parentElement)
    if (Number(getComputedStyle(e).opacity) === 0) return false;
  return Array.from(el.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
})
"""


def text_contrast(page, selector: str) -> list[dict]:
    """For every element matching ``selector``: its text, contrast ratio, and background luminance."""
    return page.eval_on_selector_all(selector, _CONTRAST)


def shown_text_contrast(page, root: str) -> list[dict]:
    """``text_contrast`` of every element under ``root`` that shows text of its own (see _SHOWN_TEXT)."""
    return page.evaluate(f"(root) => ({_CONTRAST_OF})(({_SHOWN_TEXT})(document.querySelector(root)))", root)
