"""Results kept between builds in the project's .cache/ folder (git-ignored), for work whose result only
changes with a library's version: rebuilding them cost every build and every `mkdocs serve` rebuild."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the project: hooks/kb/ is two levels down
CACHE = ROOT / ".cache"


def json_for_package(name: str, package: str, make: Callable[[], object]) -> object:
    """``make()``, or what it returned before with the same version of ``package`` installed. A cache
    file that cannot be read or written is ignored: the value is made again."""
    path = CACHE / f"{name}-{package}-{version(package)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = make()
    write_json(path, value)
    return value


def write_json(path: Path, value: object) -> None:
    """``value`` as JSON in ``path``, whole or not at all (builds may run side by side); a cache that
    cannot be written is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(f.name, path)
    except OSError:
        pass
