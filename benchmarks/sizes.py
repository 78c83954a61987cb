"""What the browser downloads, as a gzip-enabled web server would send it.

The site is served uncompressed on 127.0.0.1 for the measurement; each requested URL is mapped back to
its file in ``site/`` and gzipped (level 6, nginx's and Apache's usual setting) to count what an agent's
PC would really receive over the intranet.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Material's instant navigation fetches the sitemap on every first load: it is page load, not search
PAGE_DATA = ("sitemap.xml",)


@dataclass(frozen=True)
class Request:
    """One request from Playwright's network log."""

    url: str
    resource_type: str  # Playwright's: document, stylesheet, script, xhr, fetch, image, font, other …
    ms: float  # when it was made, on the measuring clock
    from_worker: bool = False  # made by a web worker (no frame)


def is_search_data(req: Request, worker_urls: Iterable[str] = ()) -> bool:
    """Whether a request serves search: a worker's script, anything a worker fetches, or data the page
    fetches from script (xhr/fetch) other than the sitemap. Generic on purpose: whether the index is one
    file or many shards, the same rule counts all of it."""
    if req.from_worker or req.url in set(worker_urls):
        return True
    path = urlsplit(req.url).path
    return req.resource_type in ("xhr", "fetch") and not path.endswith(PAGE_DATA)


def site_file(url: str, site: Path) -> Path | None:
    """The file of ``site`` that a URL of the served site stands for (``/x/`` → ``x/index.html``)."""
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    candidate = (site / path).resolve()
    if site.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def gzip_bytes(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def gzip_kb(urls: Iterable[str], site: Path) -> float:
    """KB (1024 bytes) of the gzipped files behind ``urls``, each counted once."""
    files = {f for f in (site_file(u, site) for u in urls) if f is not None}
    return sum(gzip_bytes(f.read_bytes()) for f in files) / 1024


def tree_size(site: Path) -> tuple[int, int]:
    """(number of files, bytes) of a built site."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
