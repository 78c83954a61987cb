"""Bytes on the wire behind nginx (deploy/nginx/), with the build's .gz files (gzip_static) and without:
the first visit (the home page until the network is idle) and the first search after it (until its
results are drawn and the network is idle again), as Chromium counts them (headers and encoded bodies of
every request, the search worker's included).

    .venv/bin/python -m benchmarks.deploy [--site DIR]   (builds the site into a temporary folder without)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "hooks")]

QUERY = "停机短信"


def wire_bytes(browser, url: str) -> dict[str, int]:
    from browser import open_search, type_like_ime
    from nginx import PASSWORD, USER

    context = browser.new_context(base_url=url, locale="zh-CN", http_credentials={"username": USER, "password": PASSWORD})
    done: list = []
    context.on("requestfinished", lambda r: done.append(r))
    page = context.new_page()
    page.goto("./", wait_until="networkidle")
    visit = list(done)
    open_search(page)
    type_like_ime(page, QUERY)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    search = done[len(visit):]

    def total(requests) -> int:
        return sum(max(0, s["responseBodySize"]) + max(0, s["responseHeadersSize"]) for s in (r.sizes() for r in requests))
    figures = {"first_visit": total(visit), "first_search": total(search),
               "visit_requests": len(visit), "search_requests": len(search)}
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from browser import find_chromium, launch_chromium
    from nginx import DEPLOY, PASSWORD, USER, find_nginx, running_nginx

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = args.site
        if site is None:
            site = tmp / "site"
            subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-q", "--site-dir", str(site)],
                           cwd=ROOT, check=True)
        hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=PASSWORD, capture_output=True,
                                text=True, check=True).stdout.strip()
        (tmp / "htpasswd").write_text(f"{USER}:{hashed}\n", encoding="utf-8")
        plain = tmp / "kb-server-plain.conf"
        plain.write_text((DEPLOY / "kb-server.conf").read_text(encoding="utf-8").replace("gzip_static on;", "gzip_static off;"),
                         encoding="utf-8")
        rows = {}
        with sync_playwright() as p:
            browser = launch_chromium(p, find_chromium())
            for name, snippet in (("gzip_static (.gz from the build)", DEPLOY / "kb-server.conf"), ("uncompressed", plain)):
                with running_nginx(find_nginx(), tmp / name.split()[0], {"site": site}, tmp / "htpasswd",
                                   snippet=snippet) as server:
                    rows[name] = wire_bytes(browser, server.url())
            browser.close()
    print(f"{'':34} {'first visit':>22} {'first search':>22}")
    for name, r in rows.items():
        print(f"{name:34} {r['first_visit'] / 1024:9.1f} KB {r['visit_requests']:3} requests "
              f"{r['first_search'] / 1024:9.1f} KB {r['search_requests']:3} requests")


if __name__ == "__main__":
    main()
