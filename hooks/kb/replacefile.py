"""A file replaced in one step: written beside its place and renamed over it, so that a reader (the server
sending it while a `mkdocs serve` rebuild writes it) gets the old file or the new one, whole."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def replace_file(target: Path, write: Callable[[Path], object]) -> None:
    """``write(scratch)`` beside ``target``, then renamed over it; the scratch file never stays."""
    scratch = target.with_name(target.name + ".tmp")
    try:
        write(scratch)
        os.replace(scratch, target)
    except BaseException:
        scratch.unlink(missing_ok=True)  # a fresh build has no such file
        raise
