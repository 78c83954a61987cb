"""The sound of Chinese characters, for the search worker's homophone matching.

An IME offers characters by sound, and an agent typing fast picks 型号 for 信号 or 回仿 for 回访. The
worker (kb-search-worker.js) matches a query's syllable pairs against those of titles, keywords and
synonyms when its characters do not match. It needs the syllable of every common character: the 6,763
characters of GB 2312 (what IMEs offer first), grouped by toneless syllable, from pypinyin's data at
build time (~17 KB compressed in the index; nothing is downloaded). A character with several readings
gets its most common one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from .diskcache import json_for_package

HOOKS = Path(__file__).resolve().parent.parent  # where the process making the table imports kb from


def _gb2312() -> list[str]:
    chars = []
    for high in range(0xB0, 0xF8):  # the two levels of hanzi
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # unassigned code points at the end of a row
    return chars


@lru_cache(maxsize=1)
def syllable_table() -> dict[str, str]:
    """toneless syllable → the characters read that way ({"liu": "刘流留六…", …}); made once per
    version of pypinyin (importing it and reading 6,763 characters took ~1 s of each build)."""
    return json_for_package("syllables", "pypinyin", _make_table)


def _make_table() -> dict[str, str]:
    """``table_here()``, made in a Python process of its own: pypinyin's dictionaries, once imported,
    stayed in the build to its end, ~150 MB of a 10,000-entry build's peak memory (the table itself is
    small). The build's first after an install or an upgrade of pypinyin pays the process's start."""
    made = subprocess.run([sys.executable, "-c", _MAKE, str(HOOKS)], capture_output=True)
    if made.returncode != 0:
        raise RuntimeError(f"the syllable table could not be made:\n{made.stderr.decode(errors='replace')}")
    return json.loads(made.stdout)


# what that process runs: it finds kb where this file is (argv[1]), never elsewhere on the path
_MAKE = ("import json, sys; sys.path.insert(0, sys.argv[1]); from kb.pinyin import table_here; "
         "json.dump(table_here(), sys.stdout)")


def table_here() -> dict[str, str]:
    """The syllable table, made in this process (importing pypinyin)."""
    from pypinyin import lazy_pinyin

    chars = _gb2312()
    table: dict[str, str] = {}
    for char, syllable in zip(chars, lazy_pinyin(chars)):
        table[syllable] = table.get(syllable, "") + char
    return table
