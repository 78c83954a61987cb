"""A Python process of the build's own, running code of the kb package beside it (kb.searchjob, kb.pinyin).

It runs the interpreter running the build (``sys.executable``) with the build's environment, but not
its command-line flags: started with ``-I`` or ``-s``, a build would still start these without, and
they could find other packages; a process that fails is made up for in the build (each caller's
docstring says how). It imports kb from the hooks folder beside this file, put first on its path, never
from elsewhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent  # the folder holding the kb package


def python_command(code: str) -> list[str] | None:
    """The command running ``code`` (Python statements that may import kb), or None where this
    interpreter cannot be started again (embedded: no ``sys.executable``)."""
    if not sys.executable:
        return None
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, sys.argv.pop(1)); {code}", str(HOOKS)]
