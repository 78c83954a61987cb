"""Precompressed copies of the built site's text files, for a web server that serves them as they are
(nginx's gzip_static, Apache's and Caddy's precompressed options; deploy/nginx/): no compression work per
request."""

from __future__ import annotations

import gzip
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# text that a browser fetches; images (gif, png) are compressed already
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
MIN_SIZE = 256  # a smaller file gains nothing worth a second file and a header
# gzip -6: this site 0.7 % larger than -9 in 2/3 of the time (9.5 MB of text: 2.33 vs 2.31 MB, 1.2 vs 1.7 s
# in one thread); the build of a large knowledge base waits on it
LEVEL = 6
# a file past this is compressed as a stream, a chunk at a time: at 10,000 entries kb.json is ~70 MB and the
# larger kinds' exports tens of MB, and two of them read whole and compressed at once (one per thread) were
# a build's peak memory
LARGE = 8 * 2**20
CHUNK = 2**20


def precompress(site: Path, but: Path | None = None) -> tuple[int, int]:
    """Write ``name.gz`` beside every text file of ``site`` that compresses to less; remove a ``.gz`` left
    from an earlier build whose file is gone or no longer gains. Returns (files written, bytes saved).
    ``but``: a folder left as it is (what another process compresses meanwhile: kb.searchjob)."""
    texts = []
    for path in sorted(site.rglob("*")):
        if but is not None and path.is_relative_to(but):
            continue
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
    target = path.with_name(path.name + ".gz")
    if path.stat().st_size >= LARGE:
        return _compress_stream(path, target)
    raw = path.read_bytes()
    if target.exists() and _holds(target, raw):  # MkDocs' own sitemap.xml.gz, or a --dirty build's
        return len(raw) - target.stat().st_size
    packed = gzip.compress(raw, compresslevel=LEVEL, mtime=0) if len(raw) >= MIN_SIZE else raw
    if len(packed) >= len(raw):
        target.unlink(missing_ok=True)
        return 0
    target.write_bytes(packed)
    return len(raw) - len(packed)


def _compress_stream(path: Path, target: Path) -> int:
    """``_compress`` for a large file: read, compressed and written a chunk at a time (no file name or
    time in the header, as gzip.compress writes it)."""
    with path.open("rb") as source, target.open("wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=LEVEL, mtime=0) as packed:
            shutil.copyfileobj(source, packed, CHUNK)
    saved = path.stat().st_size - target.stat().st_size
    if saved <= 0:
        target.unlink()
        return 0
    return saved


def _holds(packed: Path, raw: bytes) -> bool:
    try:
        return gzip.decompress(packed.read_bytes()) == raw
    except (OSError, EOFError):  # not a gzip file, or a cut one: written anew
        return False


def _is_text(original: Path) -> bool:
    return original.suffix in TEXT and original.is_file()
