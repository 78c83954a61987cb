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
from functools import lru_cache

from .diskcache import json_for_package
from .pyprocess import python_command


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
    """``table_here()``, made in a Python process of its own (kb.pyprocess): pypinyin's dictionaries, once
    imported, stayed in the build to its end, ~60 MB of a 10,000-entry build's peak memory (the table
    itself is small). The first build after an install or an upgrade of pypinyin pays the process's start.
    Where the process cannot be started or fails, the table is made here, where a fault shows."""
    command = python_command("import json; from kb.pinyin import table_here; json.dump(table_here(), sys.stdout)")
    try:
        made = subprocess.run(command, capture_output=True) if command else None
    except OSError:
        made = None
    if made is None or made.returncode != 0:
        return table_here()
    return json.loads(made.stdout)


def table_here() -> dict[str, str]:
    """The syllable table, made in this process (importing pypinyin)."""
    from pypinyin import lazy_pinyin

    chars = _gb2312()
    table: dict[str, str] = {}
    for char, syllable in zip(chars, lazy_pinyin(chars)):
        table[syllable] = table.get(syllable, "") + char
    return table
