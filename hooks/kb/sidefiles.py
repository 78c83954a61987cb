"""Files published beside the pages: the JSON export and its schema, the review worklist as CSV, and
the identification helper's and the self-check drills' data; and what a quick `mkdocs serve` rebuild
makes after its pages (its search index and exports)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .buildinfo import BuildInfo
from .carryover import CARRIED
from .export import SCHEMA_PATH, export_parts, schema_text
from .knowledge import KnowledgeBase
from .practice import practice_files
from .replacefile import replace_file
from .review import worklist_csv
from .triage import JSON_NAME, triage_json

log = logging.getLogger("mkdocs.hooks.knowledge_base")

REVIEW_CSV = "review/review.csv"


def side_files(kb: KnowledgeBase, info: BuildInfo) -> Iterator[tuple[str, str | Iterable[str]]]:
    """(site path, text) of each file, made one at a time; an export's text comes in parts, to be written
    part by part (at scale each is tens of MB)."""
    yield from page_data(kb, info)
    yield from export_parts(kb, info)


def page_data(kb: KnowledgeBase, info: BuildInfo) -> Iterator[tuple[str, str]]:
    """The side files other than the exports: the data pages fetch when they load (the identification
    helper's, the drills'), the exports' schema and the review worklist."""
    yield SCHEMA_PATH, schema_text()
    yield REVIEW_CSV, worklist_csv(info.review, info.address)
    yield JSON_NAME, triage_json(kb)
    yield from practice_files(kb).items()


# while serving: each side file's text as last written there (its parts, or a whole text's hash)
_WRITTEN: dict[str, object] = {}
# what a quick rebuild makes and writes once its pages are (write_pending), in order: its search index, then
# its exports (do_later); the thread doing it; whether it failed (the next rebuild is then a whole one)
_PENDING: list[Callable[[], object]] = []
_WRITING: list[threading.Thread] = []
_FAILED: list[bool] = []


def write_side_file(target: Path, text: str | Iterable[str], replace: bool = False) -> Path:
    """Write a side file (its text whole or in parts) at ``target``; returns ``target``.

    While serving, a file whose text is what was last written there is not written again: at 15,000
    entries the exports are ~200 MB. An export's parts are mostly its entries' lines as the build before
    made them (kb.export carries them), so comparing the parts is mostly comparing the same objects; a
    whole text is compared by its hash (16 bytes kept, not the text). A whole build empties the folder
    first, and a file that is not there is written. ``replace``: written beside it and renamed over it in
    one step (the server may be sending it meanwhile).
    """
    if not CARRIED.keeping:
        _write(target, [text] if isinstance(text, str) else text)
        return target
    parts = [text] if isinstance(text, str) else list(text)
    version = text_hash(text) if isinstance(text, str) else parts
    if target.exists() and _WRITTEN.get(str(target)) == version:
        # the same text: kept as made now, so that lines made again alike do not stay twice
        _WRITTEN[str(target)] = version
        return target
    _WRITTEN.pop(str(target), None)  # until it is written
    if replace:
        replace_file(target, lambda scratch: _write(scratch, parts))
    else:
        _write(target, parts)
    _WRITTEN[str(target)] = version
    return target


def write_later(files: Iterable[tuple[str, str | Iterable[str]]], folder: Path) -> None:
    """A quick rebuild's exports (``export_parts``, not made yet), made and written into ``folder`` by
    ``write_pending`` once the pages are written. (No page fetches an export when it loads: a reader
    downloads one from the export page.)"""
    def write() -> None:
        for path, text in files:
            write_side_file(folder / path, text, replace=True)

    do_later(write)


def do_later(job: Callable[[], object], first: bool = False) -> None:
    """Leave ``job`` for ``write_pending`` (``first``: before what was left already): work of a quick
    rebuild that its pages do not need to show the edit (the search index, whose manifest says meanwhile
    that it is being written; the exports), each file it writes replaced in one step."""
    _PENDING.insert(0 if first else len(_PENDING), job)


def write_pending() -> None:
    """Do what a quick rebuild left for later, in a thread: its pages are written, and the browser reloads
    them meanwhile (at 1,600 entries the search index was a quarter of a rebuild after one edit and the
    exports a tenth, kb.json alone 11 MB). What it reads of the build (its knowledge base, kb.carryover's
    results) stays as it is until the next build, which waits for it first (``wait_written``)."""
    pending = _PENDING[:]
    _PENDING.clear()
    if not pending:
        return

    def run() -> None:
        try:
            for job in pending:
                job()
        except Exception:  # noqa: BLE001 - shown by the whole build that follows (or the server stopped)
            log.error("搜索索引或导出文件没有写完：下次重建会完整重建", exc_info=True)
            _WRITTEN.clear()
            _FAILED[:] = [True]

    thread = threading.Thread(target=run, name="kb-side-files", daemon=True)
    thread.start()
    _WRITING[:] = [thread]


def wait_written() -> None:
    """Every build begins here, and the server's end: what the rebuild before left for later is written
    (a whole build empties the folder; a quick one compares with what was written; MkDocs removes the
    served folder once the server stops)."""
    for thread in _WRITING:
        thread.join()
    _WRITING.clear()


def written_well() -> bool:
    """Whether what the last quick rebuild left for later was written (waiting for it); False once, after
    a failure, for the whole build that writes every file (and shows a fault in our code as every build
    does)."""
    wait_written()
    failed = bool(_FAILED)
    _FAILED.clear()
    return not failed


def drop_pending() -> None:
    """A quick rebuild given up: the whole build that follows makes and writes everything."""
    _PENDING.clear()


def text_hash(text: str) -> bytes:
    """A text's digest, to tell whether it changed without keeping it (kb.quickbuild's pages too)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _write(target: Path, parts: Iterable[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as file:
        file.writelines(parts)
