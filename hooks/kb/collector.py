"""Python's cycle collector while a build runs.

A build only adds objects (millions at 10,000 entries: the knowledge base, the pages, the search
postings), and each full collection walks every one of them: timed with ``gc.callbacks`` on a
10,110-entry build, collections took 11.8 s, 8.2 s of it in 42 full ones. With full collections rare
they took 2.7 s and the peak memory stayed the same; young objects are still collected as usual.
(Switching the collector off saved as much but raised the peak by 150 MB: the cycles left by rendering
pages were never freed. ``gc.freeze()`` after loading changed nothing: it shrinks the count that paces
full collections.)

`mkdocs serve` holds what a whole build made (its pages' output, kb.carryover's results: gigabytes at
10,000 entries) through the quick rebuilds after it (kb.quickbuild), and each full collection in a quick
rebuild walked all of it again. After a whole build that made the site, its garbage is collected and
what remains is frozen (``gc.freeze``: left out of every collection), so a quick rebuild's collections
walk only what quick rebuilds made. What was frozen and later became garbage in a cycle waits for the next
whole build, which unfreezes everything first: at most one whole build's worth.

A quick rebuild's garbage is collected in full (what is not frozen) once the server is idle. Python paces
full collections by the long-lived objects counted at the last one, which after the freeze are the
millions frozen: none ran, and each quick rebuild's knowledge base (its graph, records and renderer hold
cycles) stayed, about 7 MB more resident memory per save at 1,600 entries, without end. The collection
walks only what quick rebuilds made, but that took 0.04–0.16 s of each save at that size; run
``IDLE_S`` after the rebuild, it is done while the author looks at the page. A save before then makes
the next rebuild collect first, so saves in a row never pile up garbage.
"""

from __future__ import annotations

import gc
import threading

USUAL = gc.get_threshold()  # as this process started; kb is imported again only between builds
FULL_COLLECTION_THRESHOLD = 1000  # middle-generation collections before a full one (usually 10)
IDLE_S = 1.0  # after a quick rebuild: the browser has reloaded the page by then

# the collection a quick rebuild left for when the server is idle, and whether it has begun
_pending: list[tuple[threading.Timer, threading.Event]] = []


def during_build(whole: bool = True) -> None:
    """A build begins (``whole``: not a quick rebuild, which keeps what is frozen frozen)."""
    owed = cancel_idle_collection()
    if whole:
        gc.unfreeze()  # (its end collects everything, the last quick rebuild's garbage too)
    elif owed:
        gc.collect()  # the last rebuild's garbage: saves in a row must not pile it up
    young, middle, _ = USUAL
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)


def after_build(freeze: bool = False, collect: bool = False) -> None:
    """A build is over (``freeze``: a whole build while serving that made the site; ``collect``: a quick
    rebuild, whose garbage the usual pacing would never reach)."""
    gc.set_threshold(*USUAL)
    if freeze:
        gc.collect()  # its own garbage first: frozen, it would stay
        gc.freeze()
    elif collect:
        begun = threading.Event()

        def collect_when_idle() -> None:
            begun.set()
            gc.collect()

        timer = threading.Timer(IDLE_S, collect_when_idle)
        timer.daemon = True  # a server stopped meanwhile does not wait for it
        _pending.append((timer, begun))
        timer.start()


def cancel_idle_collection() -> bool:
    """Call off the collection left for when the server is idle; whether one was still to run. One that
    has begun is waited for: a build does not start (nor thaw what is frozen) beside it. (The hook calls
    it too before it imports kb anew, whose collector would not know this one's timer.)"""
    owed = False
    while _pending:
        timer, begun = _pending.pop()
        timer.cancel()
        timer.join()
        owed = owed or not begun.is_set()
    return owed
