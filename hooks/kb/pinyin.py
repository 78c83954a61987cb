"""The sound of Chinese characters, for the search worker's homophone matching.

An IME offers characters by sound, and an agent typing fast picks 型号 for 信号 or 回仿 for 回访. The
worker (kb-search-worker.js) matches a query's syllable pairs against those of titles, keywords and
synonyms when its characters do not match. It needs the syllable of every common character: the 6,763
characters of GB 2312 (what IMEs offer first), grouped by toneless syllable, from pypinyin's data at
build time (~17 KB compressed in the index; nothing is downloaded). A character with several readings
gets its most common one.
"""

from __future__ import annotations

from functools import lru_cache


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
    """toneless syllable → the characters read that way ({"liu": "刘流留六…", …})."""
    from pypinyin import lazy_pinyin

    chars = _gb2312()
    table: dict[str, str] = {}
    for char, syllable in zip(chars, lazy_pinyin(chars)):
        table[syllable] = table.get(syllable, "") + char
    return table
