"""Precompressed copies of the built site's text files, for a web server that serves them as they are
(nginx's gzip_static, Apache's and Caddy's precompressed options; deploy/nginx/): no compression work per
request, and the strongest level once at build time."""

from __future__ import annotations

import gzip
from pathlib import Path

# text that a browser fetches; images (gif, png) are compressed already
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
MIN_SIZE = 256  # a smaller file gains nothing worth a second file and a header


def precompress(site: Path) -> tuple[int, int]:
    """Write ``name.gz`` beside every text file of ``site`` that compresses to less; remove a ``.gz`` left
    from an earlier build whose file is gone or no longer gains. Returns (files written, bytes saved)."""
    written = saved = 0
    for path in sorted(site.rglob("*")):
        if path.suffix == ".gz" and not _gains(path.with_suffix("")):
            path.unlink()
        if path.suffix not in TEXT or not path.is_file():
            continue
        raw = path.read_bytes()
        target = path.with_name(path.name + ".gz")
        packed = gzip.compress(raw, compresslevel=9, mtime=0) if len(raw) >= MIN_SIZE else raw
        if len(packed) >= len(raw):
            target.unlink(missing_ok=True)
            continue
        target.write_bytes(packed)
        written += 1
        saved += len(raw) - len(packed)
    return written, saved


def _gains(original: Path) -> bool:
    return original.suffix in TEXT and original.is_file()
