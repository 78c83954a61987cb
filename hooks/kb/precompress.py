"""Precompressed copies of the built site's text files, for a web server that serves them as they are
(nginx's gzip_static, Apache's and Caddy's precompressed options; deploy/nginx/): no compression work per
request."""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# text that a browser fetches; images (gif, png) are compressed already
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
MIN_SIZE = 256  # a smaller file gains nothing worth a second file and a header
# gzip -6: this site 0.7 % larger than -9 in 2/3 of the time (9.5 MB of text: 2.33 vs 2.31 MB, 1.2 vs 1.7 s
# in one thread); the build of a large knowledge base waits on it
LEVEL = 6


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
    if target.exists() and _holds(target, raw):  # MkDocs' own sitemap.xml.gz, or a --dirty build's
        return len(raw) - target.stat().st_size
    packed = gzip.compress(raw, compresslevel=LEVEL, mtime=0) if len(raw) >= MIN_SIZE else raw
    if len(packed) >= len(raw):
        target.unlink(missing_ok=True)
        return 0
    target.write_bytes(packed)
    return len(raw) - len(packed)


def _holds(packed: Path, raw: bytes) -> bool:
    try:
        return gzip.decompress(packed.read_bytes()) == raw
    except (OSError, EOFError):  # not a gzip file, or a cut one: written anew
        return False


def _is_text(original: Path) -> bool:
    return original.suffix in TEXT and original.is_file()
