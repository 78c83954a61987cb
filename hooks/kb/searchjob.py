"""The search index of a one-off build, made in a second process while the build makes its pages.

At 10,000 entries the search index was a third of a one-off build (a fifth of it making the entries'
documents, the rest counting their tokens into postings and encoding them), all on one core of a machine
with two. The postings need nothing but the documents, and the entries' documents nothing but the
knowledge base, loaded before the pages are made. So right after loading, the build makes the entries'
documents and sends them, pickled a few hundred at a time, to a Python process of its own
(kb.pyprocess), which packs them into postings (kb.shards.Corpus) while the pages are made. At the
build's end it is sent the hand-written pages' sections (which Material's search plugin has just
indexed) and the config, adds them, and writes the shards into the site itself, the same bytes as the
build would have written, and their compressed copies, while the build compresses the rest of the site
(kb.generate.finish_site). The postings never pass back (100 MB at 10,000 entries, which the build
would hold at its peak beside the process's own).

Started, not forked: a forked child shares the build's memory only until either touches it, and both
touch the whole knowledge base (reference counts), so a fork after loading cost another knowledge base
in memory (at 10,000 entries the two processes together were 1.2 GB). The started one holds its
interpreter and the kb package (36 MB) and the postings. The documents go through the pipe from a
thread, whose writes wait outside the interpreter's lock, so the build goes on while the process reads.
If it cannot be started, or fails, or is killed, the index is made and written in the build's own
process, as it was: a fault in our code then shows there, with its traceback (what the process said is
logged for `mkdocs build --verbose`).
"""

from __future__ import annotations

import logging
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import traceback
from contextlib import suppress
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from .knowledge import KnowledgeBase
from .pinyin import syllable_table
from .precompress import precompress
from .pyprocess import python_command
from .search import each_entry_doc
from .shards import Corpus, character_sounds, encoded_files, write_encoded

CHUNK = 200  # documents per pickle: the process starts on the first ones while the rest are made
_DONE = None  # on the queue: nothing more to send
WRITTEN = "written"  # what the process answers when the shards are written

log = logging.getLogger("mkdocs.hooks.knowledge_base")


class EntryIndex:
    """The process packing one build's entry documents, and the thread sending them to it."""

    def __init__(self, process: subprocess.Popen, said):
        self._process = process
        self._said = said  # its standard error, a temporary file
        self._queue: queue.SimpleQueue = queue.SimpleQueue()  # pickled messages, then _DONE
        self._sender = threading.Thread(target=self._send, name="kb-search-send", daemon=True)
        self._sender.start()

    def send(self, message: object) -> None:
        self._queue.put(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

    def _send(self) -> None:
        pipe = self._process.stdin
        try:
            while (data := self._queue.get()) is not _DONE:
                pipe.write(data)
        except OSError:  # the process is gone: written() says so
            pass
        finally:  # whatever ended the sending, the process reads to the end and answers
            with suppress(OSError):
                pipe.close()

    def hand_over(self, pages: list[dict], config: dict, folder: Path, beside: dict[str, bytes]) -> None:
        """Have the process add the hand-written pages' documents, write the manifest, the shards and the
        files ``beside`` them into ``folder`` (kb.shards.write_encoded) and compress them (kb.precompress),
        while the build goes on; ``written`` waits for it."""
        if self._process is not None:
            self.send((pages, config, str(folder), beside))
            self._queue.put(_DONE)

    def written(self) -> bool:
        """Whether the process wrote what it was handed (waiting for it). False: nothing or not all of it
        was written (the caller writes it all). Once."""
        if self._process is None:
            return False
        self._sender.join()
        try:
            answer = pickle.load(self._process.stdout)
        except Exception:  # it died before it was done (or its answer is not one): written here instead
            answer = None
        if answer == WRITTEN:
            log.debug("kb.searchjob: the search index was written by the process beside the build")
        else:
            self._said.seek(0)
            log.debug("kb.searchjob: no index from the process (%r), made here instead. It said: %s",
                      answer, self._said.read().decode(errors="replace")[-2000:] or "nothing")
        self.stop()
        return answer == WRITTEN

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
        process.stdout.close()
        self._said.close()


def start(kb: KnowledgeBase) -> EntryIndex | None:
    """Send ``kb``'s entry documents to a process that packs them, or None where it cannot be started:
    the build then makes them itself."""
    command = python_command("from kb.searchjob import work; work()")
    if command is None:
        return None
    said = tempfile.TemporaryFile()  # a fault there is the build's to show, if it is one (EntryIndex.written)
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=said)
    except OSError:
        said.close()
        return None
    job = EntryIndex(process, said)
    try:
        docs = each_entry_doc(kb)
        while chunk := list(islice(docs, CHUNK)):
            job.send(chunk)
    except BaseException:  # a fault making the documents: the build stops on it, and the process goes
        job.stop()
        raise
    return job


def work(source: BinaryIO | None = None, out: BinaryIO | None = None) -> None:
    """In the process: read the entries' documents a list at a time, then (the pages' documents, the
    config, the folder, the files beside) from ``source`` (stdin); write the shards and their compressed
    copies; answer WRITTEN on ``out`` (stdout), or something else if it failed."""
    source = source or sys.stdin.buffer
    if out is None:  # the answer alone on stdout: anything printed meanwhile goes to stderr
        out, sys.stdout = sys.stdout.buffer, sys.stderr
    try:
        try:
            # the sounds the documents are packed by, the table the build puts in the config it sends at the
            # end (kb.search.index_config, the same cached file). Asked for here, not by the build: when it
            # is not cached yet (a first build) the build does not wait for it, and finds it cached later.
            syllable = character_sounds(syllable_table())
            made = Corpus([], [], {})
            while isinstance(message := pickle.load(source), list):
                made.extend(message, syllable)
            pages, config, folder, beside = message
            made.extend(pages, syllable)
            write_encoded(chain(encoded_files(made, config), beside.items()), Path(folder))
            precompress(Path(folder))
            answer = WRITTEN
        except (EOFError, KeyboardInterrupt):  # the build is gone (Ctrl-C reaches us too): quietly
            raise
        except Exception:  # the build writes it all again itself, where the fault shows
            traceback.print_exc()  # (to a file the build logs for --verbose)
            answer = "failed"
        pickle.dump(answer, out)
        out.flush()
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        sys.exit(1)
