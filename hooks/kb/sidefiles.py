"""Files published beside the pages: the JSON export and its schema, the review worklist as CSV, and
the identification helper's and the self-check drills' data."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from .buildinfo import BuildInfo
from .carryover import CARRIED
from .export import SCHEMA_PATH, export_parts, schema_text
from .knowledge import KnowledgeBase
from .practice import practice_files
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
# a quick rebuild's exports (a generator, not run yet) and their folder, made and written once its pages
# are (write_pending); the thread doing it; whether it failed (the next rebuild is then a whole one)
_PENDING: list[tuple[Iterable[tuple[str, str | Iterable[str]]], Path]] = []
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
        scratch = target.with_name(target.name + ".tmp")
        try:
            _write(scratch, parts)
            os.replace(scratch, target)
        except BaseException:
            scratch.unlink(missing_ok=True)  # a fresh build has no such file
            raise
    else:
        _write(target, parts)
    _WRITTEN[str(target)] = version
    return target


def write_later(files: Iterable[tuple[str, str | Iterable[str]]], folder: Path) -> None:
    """A quick rebuild's exports (``export_parts``, not made yet), made and written into ``folder`` by
    ``write_pending`` once the pages are written. (No page fetches an export when it loads: a reader
    downloads one from the export page.)"""
    _PENDING[:] = [(files, folder)]


def write_pending() -> None:
    """Make and write what a quick rebuild left for later, in a thread: its pages are written, and the
    browser reloads them meanwhile (the exports were a tenth of a rebuild after one edit at 1,600 entries,
    kb.json alone 11 MB). What they read of the build (its knowledge base, kb.carryover's results) stays as
    it is until the next build, which waits for them first (``wait_written``)."""
    pending = _PENDING[:]
    _PENDING.clear()
    if not pending:
        return

    def run() -> None:
        for files, folder in pending:
            try:
                for path, text in files:
                    write_side_file(folder / path, text, replace=True)
            except Exception:  # noqa: BLE001 - shown by the whole build that follows (or the server stopped)
                log.error("导出文件没有写完：下次重建会完整重建", exc_info=True)
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
    """A quick rebuild given up: the whole build that follows writes every file."""
    _PENDING.clear()


def text_hash(text: str) -> bytes:
    """A text's digest, to tell whether it changed without keeping it (kb.quickbuild's pages too)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _write(target: Path, parts: Iterable[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as file:
        file.writelines(parts)
