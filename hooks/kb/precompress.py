"""Precompressed copies of the built site's text files, for a web server that serves them as they are
(nginx's gzip_static, Apache's and Caddy's precompressed options; deploy/nginx/): no compression work per
request, and the strongest level once at build time."""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# text that a browser fetches; images (gif, png) are compressed already
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
MIN_SIZE = 256  # a smaller file gains nothing worth a second file and a header


def precompress(site: Path) -> tuple[int, int]:
    """Write ``name.gz`` beside every text file of ``site`` that compresses to less; remove a ``.gz`` left
    from an earlier build whose file is gone or no longer gains. Returns (files written, bytes saved)."""
    texts = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".gz" and not _is_text(path.with_suffix("")):
            path.unlink()
        elif path.suffix in TEXT and path.is_file():
            texts.append(path)
    # zlib lets go of the GIL while it compresses: one thread per core
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        gains = list(pool.map(_compress, texts))
    return sum(1 for g in gains if g), sum(gains)


def _compress(path: Path) -> int:
    """Bytes saved by ``path``'s .gz (0: none written, or an old one removed)."""
    raw = path.read_bytes()
    target = path.with_name(path.name + ".gz")
    packed = gzip.compress(raw, compresslevel=9, mtime=0) if len(raw) >= MIN_SIZE else raw
    if len(packed) >= len(raw):
        target.unlink(missing_ok=True)
        return 0
    target.write_bytes(packed)
    return len(raw) - len(packed)


def _is_text(original: Path) -> bool:
    return original.suffix in TEXT and original.is_file()
