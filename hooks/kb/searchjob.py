"""The postings of the entries' search documents, made in a second process while a one-off build makes
its pages.

At 10,000 entries the search index was a third of a one-off build (a fifth making the entries' documents,
the rest counting their tokens into postings and encoding them), all on one core of a machine with two.
The postings need nothing but the documents, and the entries' documents need nothing but the knowledge
base, loaded before the pages are made. So right after loading, the build makes the entries' documents
and sends them, pickled a few hundred at a time, to a Python process of its own (``python -I -c``, the
hooks folder on its path), which packs them into postings (kb.shards.Corpus) while the pages are made; at
the build's end the hand-written pages' sections are added and the shards written as before, the same
bytes.

Started, not forked: a forked child shares the build's memory only until either touches it, and both
touch the whole knowledge base (reference counts), so a fork after loading cost another knowledge base
in memory (at 10,000 entries the two processes together were 1.2 GB). The started one holds the
postings alone. The documents go through a pipe from a thread, whose writes wait outside the
interpreter's lock, so the build goes on while the process reads. If it cannot be started, or fails, or
is killed, the index is made in the build's own process, as it was: a fault in our code shows there.
"""

from __future__ import annotations

import pickle
import queue
import subprocess
import sys
import threading
from contextlib import suppress
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from .knowledge import KnowledgeBase
from .pinyin import syllable_table
from .search import each_entry_doc
from .shards import Corpus, character_sounds

HOOKS = Path(__file__).resolve().parent.parent  # what the process puts first on its path, to import kb
CHUNK = 200  # documents per pickle: the process starts on the first ones while the rest are made
_DONE = None  # on the queue: every document is sent


class EntryIndex:
    """The process packing one build's entry documents, and the thread sending them to it."""

    def __init__(self, process: subprocess.Popen):
        self._process = process
        self._queue: queue.SimpleQueue = queue.SimpleQueue()  # pickled documents, then _DONE
        self._sender = threading.Thread(target=self._send, name="kb-search-documents", daemon=True)
        self._sender.start()

    def send(self, data: bytes | None) -> None:
        self._queue.put(data)

    def _send(self) -> None:
        pipe = self._process.stdin
        try:
            while (data := self._queue.get()) is not _DONE:
                pipe.write(data)
            pipe.close()
        except OSError:  # the process is gone: result() makes nothing of it
            pass

    def result(self) -> Corpus | None:
        """What the process made (waiting for it), or None if it made nothing: the caller makes it. Once."""
        if self._process is None:
            return None
        self._sender.join()
        try:
            status, made = pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):  # it died before it was done
            status, made = None, None
        self.stop()
        return made if status == "made" else None

    def stop(self) -> None:
        """The build is over, made or failed: the process goes. Safe to call again."""
        if self._process is None:
            return
        process, self._process = self._process, None
        if process.poll() is None:
            process.kill()
        self._queue.put(_DONE)  # a sender still waiting ends (its writes fail on the killed process)
        self._sender.join()
        process.wait()
        with suppress(OSError):  # what the sender could not write
            process.stdin.close()
        process.stdout.close()


def start(kb: KnowledgeBase) -> EntryIndex | None:
    """Send ``kb``'s entry documents to a process that packs them, or None where it cannot be started:
    the build then makes them itself."""
    if not sys.executable:
        return None
    try:
        process = subprocess.Popen([sys.executable, "-I", "-c", _WORK, str(HOOKS)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    except OSError:
        return None
    job = EntryIndex(process)
    try:
        job.send(pickle.dumps(character_sounds(syllable_table()), pickle.HIGHEST_PROTOCOL))
        docs = each_entry_doc(kb)
        while chunk := list(islice(docs, CHUNK)):
            job.send(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
        job.send(_DONE)
    except BaseException:  # a fault making the documents: the build stops on it, and the process goes
        job.stop()
        raise
    return job


# what the process runs: it finds kb where this file is (argv[1]), never elsewhere on the path
_WORK = "import sys; sys.path.insert(0, sys.argv[1]); from kb.searchjob import work; work()"


def work(source: BinaryIO | None = None, out: BinaryIO | None = None) -> None:
    """In the process: read the syllable table and the documents from ``source`` (stdin) until it ends,
    write their Corpus to ``out`` (stdout), as ("made", corpus)."""
    source = source or sys.stdin.buffer
    out = out or sys.stdout.buffer
    try:
        syllable = pickle.load(source)
        made = Corpus([], [], {})
        while True:
            try:
                docs = pickle.load(source)
            except EOFError:
                break
            made.extend(docs, syllable)
        pickle.dump(("made", made), out, pickle.HIGHEST_PROTOCOL)
        out.flush()
    except (BrokenPipeError, KeyboardInterrupt):  # the build is gone (Ctrl-C reaches us too): quietly
        sys.exit(1)
