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
    yield from export_parts(kb, info)
    yield SCHEMA_PATH, schema_text()
    yield REVIEW_CSV, worklist_csv(info.review, info.address)
    yield JSON_NAME, triage_json(kb)
    yield from practice_files(kb).items()


# while serving: each side file's text as last written there (its parts, or a whole text's hash)
_WRITTEN: dict[str, object] = {}
# a quick rebuild's side files (a generator, not run yet) and their folder, made and written once its pages
# are (write_pending); the thread doing it
_PENDING: list[tuple[Iterable[tuple[str, str | Iterable[str]]], Path]] = []
_WRITING: list[threading.Thread] = []


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
    version = _hash(text) if isinstance(text, str) else parts
    if _WRITTEN.get(str(target)) == version and target.exists():
        return target
    _WRITTEN.pop(str(target), None)  # until it is written
    if replace:
        scratch = target.with_name(target.name + ".tmp")
        _write(scratch, parts)
        os.replace(scratch, target)
    else:
        _write(target, parts)
    _WRITTEN[str(target)] = version
    return target


def write_later(files: Iterable[tuple[str, str | Iterable[str]]], folder: Path) -> None:
    """A quick rebuild's side files (``side_files``, not made yet), made and written into ``folder`` by
    ``write_pending`` once the pages are written."""
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
            except Exception:  # noqa: BLE001 - the served folder gone (the server stopping), a full disk, a fault
                log.error("导出文件没有写完（下次重建会重写）", exc_info=True)
                _WRITTEN.clear()  # the next build writes every one

    thread = threading.Thread(target=run, name="kb-side-files", daemon=True)
    thread.start()
    _WRITING[:] = [thread]


def wait_written() -> None:
    """Every build begins here: what the rebuild before left for later is written (a whole build empties
    the folder; a quick one compares with what was written)."""
    for thread in _WRITING:
        thread.join()
    _WRITING.clear()


def drop_pending() -> None:
    """A quick rebuild given up: the whole build that follows writes every file."""
    _PENDING.clear()


def _hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _write(target: Path, parts: Iterable[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as file:
        file.writelines(parts)
