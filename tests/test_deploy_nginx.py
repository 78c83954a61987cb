"""The deployment (deploy/nginx/) on Debian's nginx, started by the test from a temporary prefix: staff only,
the security headers, precompressed files and cache lives, bad requests, and the search records landing in
their own log where `python -m kb misses` reads them. `make deploy-test` runs this file; `make test` too."""

from __future__ import annotations

import gzip
import http.client
import re
import time
from urllib.parse import urlsplit

import pytest

from nginx import LOGIN, PASSWORD, SSO_COOKIE, USER, basic

pytestmark = pytest.mark.deploy

def fetch(base: str, target: str, headers: dict | None = None, conn=None) -> tuple[int, dict, bytes]:
    """GET ``target`` exactly as written (no client-side clean-up of the path)."""
    url = urlsplit(base)
    own = conn is None
    conn = conn or http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", target, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        if own:
            conn.close()


SITE_MARKS = ("投诉处理宝典", "md-header", "search_index", "kb-")


# ---------------------------------------------------------------- staff only

def test_nothing_of_the_site_without_a_login(nginx_server, site):
    """Every file of the build, and paths that do not exist, on each server: refused without a login or with
    a wrong one, and the refusal holds nothing of the site."""
    everything = sorted("/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert len(everything) > 100 and "/review/review.csv" in everything and "/search/search_index.json" in everything
    targets = everything + ["/", "/types/", "/no-such-page/", "/assets/", "/assets/miss.gif?q=x"]
    for name, refusals in (("site", [{}, basic(USER, "wrong"), basic("nobody", PASSWORD)]),
                           ("branch", [{}, basic(USER, "wrong")]),
                           ("site-sso", [{}, {"Cookie": "other=1"}, LOGIN])):
        url = urlsplit(nginx_server.url(name))
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        for headers in refusals:
            for target in targets:
                status, _, body = fetch(nginx_server.url(name), target, {**headers, "Accept-Encoding": "gzip"}, conn)
                assert status == 401, (name, target, headers, status)
                assert not any(mark.encode() in body for mark in SITE_MARKS), (name, target, body[:200])
        conn.close()


def test_with_a_login_the_site_is_there(nginx_server, site):
    home = (site / "index.html").read_bytes()
    assert fetch(nginx_server.url("site"), "/", LOGIN)[::2] == (200, home)
    assert fetch(nginx_server.url("branch"), "/", LOGIN)[::2] == (200, home)
    # single sign-on: the stand-in service sees the session cookie through auth_request
    status, _, body = fetch(nginx_server.url("site-sso"), "/review/review.csv", {"Cookie": f"{SSO_COOKIE}=s3ss10n"})
    assert status == 200 and body == (site / "review/review.csv").read_bytes()


# ---------------------------------------------------------------- headers, compression, cache

def test_security_headers_on_pages_data_and_errors(nginx_server, site):
    policy = re.search(r'"([^"]+)"', (site / ".kb-csp.conf").read_text(encoding="utf-8")).group(1)
    for target, status in (("/", 200), ("/search/search_index.json", 200), ("/no-such-page/", 404)):
        got, headers, _ = fetch(nginx_server.url("site"), target, LOGIN)
        assert got == status
        assert headers["content-security-policy"] == policy, target
        assert headers["referrer-policy"] == "no-referrer" and headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in re.search(r"script-src([^;]*)", policy).group(1)
    assert fetch(nginx_server.url("site"), "/", {})[1]["referrer-policy"] == "no-referrer"  # on the 401 too
    assert fetch(nginx_server.url("site"), "/", LOGIN)[1]["server"] == "nginx"  # no version told


def test_precompressed_files_are_sent_to_browsers_that_accept_them(nginx_server, site):
    for target, file in (("/", "index.html"), ("/search/search_index.json", "search/search_index.json")):
        status, headers, body = fetch(nginx_server.url("site"), target, {**LOGIN, "Accept-Encoding": "gzip, deflate, br"})
        assert status == 200 and headers.get("content-encoding") == "gzip" and "Accept-Encoding" in headers["vary"]
        assert body == (site / (file + ".gz")).read_bytes() and gzip.decompress(body) == (site / file).read_bytes()
        plain = fetch(nginx_server.url("site"), target, LOGIN)
        assert "content-encoding" not in plain[1] and plain[2] == (site / file).read_bytes()


def test_fingerprinted_assets_are_kept_a_year_and_the_rest_revalidated(nginx_server, site):
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js")).relative_to(site).as_posix()
    _, headers, _ = fetch(nginx_server.url("site"), "/" + bundle, LOGIN)
    assert headers["cache-control"] == "private, max-age=31536000, immutable"
    for target in ("/", "/types/", "/search/search_index.json", "/assets/kb.js", "/triage.json", "/review/review.csv"):
        status, headers, _ = fetch(nginx_server.url("site"), target, LOGIN)
        assert status == 200 and headers["cache-control"] == "private, no-cache", target
        again = fetch(nginx_server.url("site"), target, {**LOGIN, "If-None-Match": headers["etag"]})
        assert again[0] == 304 and again[2] == b"", target


# ---------------------------------------------------------------- bad requests

def test_no_listing_no_dotfiles_no_climbing_and_the_sites_own_404(nginx_server, site):
    own_404 = (site / "404.html").read_bytes()
    status, _, body = fetch(nginx_server.url("site"), "/no-such-page/", LOGIN)
    assert status == 404 and body == own_404
    status, _, body = fetch(nginx_server.url("site"), "/assets/", LOGIN)  # a folder without index.html
    assert status == 403 and b"Index of" not in body and b"kb.js" not in body
    for dotfile in ("/.kb-csp.conf", "/assets/.kb-csp.conf", "/.git/config", "/%2ekb-csp.conf"):
        status, _, body = fetch(nginx_server.url("site"), dotfile, LOGIN)
        assert status == 404 and b"add_header" not in body, dotfile
    for climb in ("/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd"):
        status, _, body = fetch(nginx_server.url("site"), climb, LOGIN)
        assert status == 400 and b"root:" not in body, climb


# ---------------------------------------------------------------- the records' log

def _logged(log, before: str, last: str, seconds: float = 10) -> list[str]:
    """The lines ``log`` has gained since it held ``before``, once one holds ``last`` (the request made last:
    nginx logs a request after answering it, so a test can read the file before the line is in it)."""
    deadline = time.monotonic() + seconds
    while True:
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        lines = text[len(before):].splitlines()
        if any(last in line for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_only_answered_records_without_long_digit_runs_reach_the_records_log(nginx_server):
    """A record refused for want of a login, or holding 6+ digits (a hand-made request: the site redacts
    them before sending), is not written; an answered one is, time and request only; pages never are."""
    log = nginx_server.log("site-search.log")
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    base = nginx_server.url("site")
    assert fetch(base, "/assets/miss.gif?q=%E5%AE%BD%E5%B8%A6refused", {})[0] == 401
    assert fetch(base, "/assets/miss.gif?q=13912345678", LOGIN)[0] == 200
    assert fetch(base, "/assets/opened.gif?q=x&rank=1&to=a%2F&id=110105194912310020", LOGIN)[0] == 200
    assert fetch(base, "/types/?q=written", LOGIN)[0] == 200
    assert fetch(base, "/assets/miss.gif?q=%E5%AE%BD%E5%B8%A6%E6%85%A2", LOGIN)[0] == 200
    # nginx writes a request's log line after its response is sent: read once the last one is there
    new = _logged(log, before, "%E5%AE%BD%E5%B8%A6%E6%85%A2")
    assert len(new) == 1 and re.fullmatch(r'\[[^\]]+\] "GET /assets/miss\.gif\?q=%E5%AE%BD%E5%B8%A6%E6%85%A2 HTTP/1\.1"', new[0]), new
    pages = "\n".join(_logged(nginx_server.log("site-access.log"), "", "/types/?q=written"))
    assert "/types/?q=written" in pages and "miss.gif" not in pages and "opened.gif" not in pages
