"""The search index in shards, so that a browser downloads only what a query needs (Pagefind's idea).

At 10,000 entries the whole index is tens of megabytes; an agent's browser cannot fetch that before the
first result. So the index is cut in three:

- ``search/search_index.json``: the manifest, which Material fetches and hands to our worker on SETUP:
  Material's config, ours (kb: the number of documents and of shards, the syllable table, a version),
  and no documents.
- ``search/terms/<n>.json``: token → postings (and ``"#"``: the number of term shards, see ``_joined``).
  A token is what the worker matches (``b:`` a bigram of
  Chinese characters, ``u:`` one character, ``a:`` a Latin word or number, ``p:`` the syllables of two
  neighbouring characters, whose value is a bit per field of SOUND_FIELDS that holds them); it lives in shard ``fnv1a(token) % terms``. Its postings are a flat list
  ``[doc gap, counts, doc gap, counts, …]``: document numbers as gaps from the previous one, and the
  token's count in title, keys, syn, text, syn_body, moments, syn_moments and after packed in four bits each (capped at 15, where
  the worker's saturation is flat anyway). A token's document frequency is its number of postings.
  The manifest holds the length class of every document's body (``lengths``, one hex digit each, see
  ``length_class``; in the postings it made the term shards a quarter larger) and their mean (``body``):
  the worker weighs a match in a long body less, as BM25 does.
- ``search/docs/<n>.json``: what a result shows, ``[location, kind, title, teaser]`` of documents
  ``n * per_shard …``, fetched for the results only.

The worker (docs/assets/javascripts/kb-search-worker.js) tokenizes a query the same way, fetches the
shards of its tokens, scores, and fetches the document shards of the best results. Tokenizing here and
there must agree: ``tokens`` below mirrors the worker's ``tokenize``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from operator import sub
from pathlib import Path

from .carryover import CARRIED
from .postingsdelta import Postings
from .replacefile import replace_file

# the order of the four-bit counts, lowest first (eight fields: 32 bits, the postings' unsigned ints; the
# worker reads each with >> and & 15)
FIELDS = ("title", "keys", "syn", "text", "syn_body", "moments", "syn_moments", "after")
SOUND_FIELDS = ("title", "keys", "syn", "moments")  # matched by sound too (homophones an IME picks)
CAP = 15
TERM_SHARD_BYTES = 48_000  # aim per term shard: a query of a few characters fetches ~10 of them
SHARD_COUNT = "#"  # in each term shard: how many there are (the manifest's ``terms``), see _joined
UPDATING = "updating"  # in the manifest's kb part while a quick `mkdocs serve` rebuild writes the index
DOCS_PER_SHARD = 50  # a document shard is ~15 KB raw; twenty results touch at most twenty of them
_HAN = re.compile(r"[\u3400-\u9fff]+")
_ASCII = re.compile(r"[a-z0-9]+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


# Not cached: a document's packed tokens are carried between serve rebuilds (``postings``), and a one-off
# build asks for the same text again in one call of twenty. An lru_cache here (2,048 texts) kept growing a
# serving process by about 1.7 MB a save at ×10: it counts texts, not their size, and the long bodies an
# edit re-counts took the places of short titles.
def tokens(text: str) -> Counter:
    """Characters and bigrams of the Chinese runs, Latin words and numbers, with their counts."""
    text = normalize(text)
    found: list[str] = []
    for run in _HAN.findall(text):  # one list counted once: Counter() counts a list in C
        found += ["u:" + c for c in run]
        found += ["b:" + run[i:i + 2] for i in range(len(run) - 1)]
    found += ["a:" + w for w in _ASCII.findall(text)]
    return Counter(found)


def sound_pairs(text: str, syllable: dict[str, str]) -> set[str]:
    """``p:`` + the toneless syllables of every two neighbouring characters both of which have one."""
    pairs = set()
    for run in _HAN.findall(normalize(text)):
        for a, b in zip(run, run[1:]):
            if a in syllable and b in syllable:
                pairs.add(f"p:{syllable[a]} {syllable[b]}")
    return pairs


def fnv1a(token: str) -> int:
    """32-bit FNV-1a over the UTF-16 code units (the worker's Math.imul version gives the same)."""
    h = 0x811C9DC5
    for unit in memoryview(token.encode("utf-16-le")).cast("H"):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h


def length_class(doc: dict) -> int:
    """The length of a document's body (text, syn_body and after, in characters) as a four-bit class, about its
    log2 (one hex digit in the manifest): the worker weighs a match in a long body less (BM25's length
    normalisation) and reads the length back as 2 ** class."""
    body = sum(len(doc.get(name) or "") for name in ("text", "syn_body", "after"))
    return min(CAP, round(math.log2(1 + body)))


def postings(docs: list[dict], syllable: dict[str, str]) -> dict[str, array]:
    """token → [doc, packed counts, …] (absolute document numbers, ascending), as unsigned 32-bit
    numbers: at 10,000 entries there are 16 million, which as Python ints in lists took ~500 MB."""
    # the syllable table comes with the code (kb is imported anew when it changes); its hash stands for it
    # in the keys (the table itself, 6,000 pairs, would be compared on every hit)
    sounds = hash(frozenset(syllable.items())) if CARRIED.keeping else None
    if sounds is not None:
        # the same document packs the same way (kb.carryover: kept between `mkdocs serve` rebuilds), and
        # the postings are patched where documents changed (kb.postingsdelta)
        # (a document packs by its FIELDS alone; SOUND_FIELDS are among them)
        packs = [CARRIED.get(("packed", sounds, *(doc.get(name) for name in FIELDS)), lambda doc=doc: _packed(doc, syllable))
                 for doc in docs]
        return _LAST.make(packs, sounds)  # read only: the next serve build patches them (TermShards reads them)
    out: dict[str, array] = {}
    _post(out, 0, docs, syllable)
    return out


def _post(out: dict[str, array], first: int, docs: list[dict], syllable: dict[str, str]) -> None:
    """Append the postings of ``docs``, numbered from ``first``, to ``out``."""
    for number, doc in enumerate(docs, first):
        packed = _packed(doc, syllable)
        for token, value in packed.items():
            flat = out.get(token)
            if flat is None:
                out[token] = array("I", (number, value))
            else:
                flat.append(number)
                flat.append(value)


_LAST = Postings()  # the last serve build's postings (a module of the kb package: new when its code changes)


def _packed(doc: dict, syllable: dict[str, str]) -> dict[str, int]:
    """One document's tokens, each with its counts per field packed in one number (four bits a field),
    and its sound pairs, each with one bit per field that holds it."""
    # the text has most of the tokens: start from it in one comprehension, then add the other fields
    text_shift = 4 * FIELDS.index("text")
    packed = {t: (c if c < CAP else CAP) << text_shift for t, c in tokens(doc.get("text") or "").items()}
    for position, name in enumerate(FIELDS):
        if name == "text" or not doc.get(name):
            continue
        for token, count in tokens(doc[name]).items():
            packed[token] = packed.get(token, 0) | ((count if count < CAP else CAP) << 4 * position)
    for bit, name in enumerate(SOUND_FIELDS):  # a sound pair's value: which fields hold it, one bit each
        for pair in sorted(sound_pairs(doc.get(name, ""), syllable)):  # sorted: the same bytes every build
            packed[pair] = packed.get(pair, 0) | (1 << bit)
    return packed


def _postings_json(flat: array) -> str:
    """A token's postings as written: document numbers as gaps from the previous one (in C: map)."""
    gaps = flat.tolist()
    gaps[2::2] = map(sub, flat[2::2], flat[0:-2:2])
    return _JSON.encode(gaps)


def shard(index: dict) -> dict[str, object]:
    """The manifest and every shard of ``index`` (build_index's config and documents), by path under
    search/, read back from the JSON written."""
    return {path: json.loads(data) for path, data in encoded_shards(index).items()}


def character_sounds(table: dict[str, str] | None) -> dict[str, str]:
    """Character → syllable, from the config's syllable table (syllable → its characters)."""
    return {c: sound for sound, chars in (table or {}).items() for c in chars}


@dataclass
class Corpus:
    """What the shards are cut from: each document's row of what a result shows and its body's length
    class (in document order), and every token's postings."""

    rows: list[list[str]]  # [location, kind, title, teaser]
    lengths: list[int]  # length_class
    posted: dict[str, array]  # postings

    def extend(self, docs: list[dict], syllable: dict[str, str]) -> None:
        """Add ``docs`` after the documents in already (a one-off build's: nothing is carried)."""
        first = len(self.rows)
        self.rows += map(_row, docs)
        self.lengths += map(length_class, docs)
        _post(self.posted, first, docs, syllable)


def _row(doc: dict) -> list[str]:
    return [doc["location"], doc.get("kind", "页面"), doc.get("title", ""), doc.get("teaser", "")]


def encoded_shards(index: dict) -> dict[str, bytes]:
    """``shard``'s files as JSON bytes."""
    return dict(_encoded_index(index))


def _encoded_index(index: dict) -> Iterator[tuple[str, bytes]]:
    """``encoded_files`` of build_index's documents and config (their sounds: its syllable table)."""
    config, docs = index.get("config", {}), index["docs"]
    made = Corpus([_row(d) for d in docs], [length_class(d) for d in docs],
                  postings(docs, character_sounds(config.get("kb", {}).get("pinyin"))))
    return encoded_files(made, config)


def encoded_files(made: Corpus, config: dict) -> Iterator[tuple[str, bytes]]:
    """The manifest (``config``, ours under ``kb`` with the figures of ``made`` added) and the shards of
    ``made``, as (path under search/, JSON bytes), one at a time, the manifest last: a one-off build
    writes each as it comes (write_encoded), holding one. Each token's postings are encoded once (at
    10,000 entries they are 16 million numbers): their size chooses the number of term shards, and a
    shard is its tokens' encoded postings joined as one JSON object. The manifest's version hashes the
    shards in their paths' order, the order they come in. A one-off build's ``made`` is used up: its
    postings are let go as they are encoded."""
    posted = made.posted
    if CARRIED.keeping:  # serving: the shards no changed token is in are the ones made before
        made_terms = _TERMS.make(posted, _LAST.touched)
        count = len(made_terms)
        terms = ((n, made_terms[n]) for n in _in_path_order(count))
    else:
        # Each token's `"key":[…]` is made once, and what it was made from is let go at once: at 10,000
        # entries the postings, their texts and the shards' texts are each about 80 MB, and holding two
        # of them at a time made the search index the build's peak.
        texts: list[tuple[int, str]] = []  # (shard hash, text) in the tokens' order
        size = 0  # the characters of the term shards, separators included
        for token in list(posted):
            made_text = _token_text(token, posted.pop(token))
            size += len(made_text[1]) + 1
            texts.append(made_text)
        count = _term_shard_count(size)
        terms = _each_term_shard(texts, count)
    version = hashlib.sha1()
    rows = made.rows
    for n in _in_path_order(max(1, math.ceil(len(rows) / DOCS_PER_SHARD))):  # "docs/" before "terms/"
        path, data = f"docs/{n}.json", dump(rows[n * DOCS_PER_SHARD:(n + 1) * DOCS_PER_SHARD])
        version.update(path.encode() + data)
        yield path, data
    for n, data in terms:
        path = f"terms/{n}.json"
        version.update(path.encode() + data)
        yield path, data
    # each body's length class, and the mean length the worker normalises by (as 2 ** class, as it reads them)
    lengths = made.lengths
    body = statistics.fmean(2 ** c for c in lengths) if lengths else 1
    manifest_kb = {**config.get("kb", {}), "count": len(rows), "terms": count, "per_shard": DOCS_PER_SHARD,
                   "body": round(body, 1), "lengths": "".join(f"{c:x}" for c in lengths),
                   "version": version.hexdigest()[:12]}
    yield "search_index.json", dump({"config": {**config, "kb": manifest_kb}, "docs": []})


def _in_path_order(count: int) -> list[int]:
    """Shard numbers 0 … count - 1 in the order of their file names (0, 1, 10, 100, 11, …)."""
    return sorted(range(count), key=lambda n: f"{n}.json")


def _token_text(token: str, flat) -> tuple[int, str]:
    """(shard hash, ``"token":[postings]``) of one token."""
    return fnv1a(token), f"{_JSON.encode(token)}:{_postings_json(flat)}"


def _term_shard_count(size: int) -> int:
    """How many term shards tokens' texts of ``size`` characters (separators included) are cut into."""
    return max(1, math.ceil(size / TERM_SHARD_BYTES))


def _term_shards(texts: list[tuple[int, str]], size: int) -> list[bytes]:
    """The term shards of the tokens' texts (in the tokens' order; ``size``: their characters with a
    separator each), in number order (see _each_term_shard)."""
    count = _term_shard_count(size)
    shards = dict(_each_term_shard(texts, count))
    return [shards[n] for n in range(count)]


def _each_term_shard(texts: list[tuple[int, str]], count: int) -> Iterator[tuple[int, bytes]]:
    """(number, bytes) of the ``count`` term shards of the tokens' texts, in the order of their file
    names, emptying ``texts`` as they go in: each text is then held by its shard's list alone, and that
    is let go once the shard is made (a one-off build's peak, see encoded_files)."""
    by_shard: list[list[str]] = [[] for _ in range(count)]
    for number, text in texts:
        by_shard[number % count].append(text)
    texts.clear()
    for n in _in_path_order(count):
        data = _joined(by_shard[n], count)
        by_shard[n] = []
        yield n, data


def _joined(parts: list[str], count: int) -> bytes:
    """A term shard: its tokens' texts, and ``"#"``, the number of term shards it was cut for (no token is
    ``#``). A page whose manifest is older than the shards (kept open while the site was deployed again)
    then sees when its tokens' shard numbers are wrong, and the worker reads the manifest again. (What
    else an older manifest gets wrong, the documents' lengths and kinds, only weighs results; a page that
    `mkdocs serve` reloads before its index is written gets a manifest that says so, ``mark_updating``.)"""
    return ("{" + ",".join([f'"{SHARD_COUNT}":{count}', *parts]) + "}").encode("utf-8")


class TermShards:
    """The last serve build's term shards and each token's text in them. After an edit, the postings
    patch (kb.postingsdelta) says which tokens changed; every other token's text is the same, and so is
    every shard that holds none of the changed ones, while the number of shards stays."""

    def __init__(self) -> None:
        self.texts: dict[str, tuple[int, str]] = {}  # token -> _token_text
        self.size = 0  # as encoded_files counts it
        self.shards: list[bytes] = []

    def make(self, posted: dict[str, array], touched: set[str] | None) -> list[bytes]:
        """The term shards of ``posted`` (in its order), ``touched``: the tokens whose postings or place
        changed since the last call (None: all of them)."""
        try:
            if touched is None or not self.shards:
                self.texts = {token: _token_text(token, flat) for token, flat in posted.items()}
                self.size = sum(len(text) + 1 for _, text in self.texts.values())
                self.shards = _term_shards([self.texts[t] for t in posted], self.size)
            else:
                self._patch(posted, touched)
        except BaseException:
            self.__init__()  # half made: the next build makes them anew
            raise
        return list(self.shards)

    def _patch(self, posted: dict[str, array], touched: set[str]) -> None:
        texts, hashes = self.texts, []
        for token in touched:
            old = texts.pop(token, None)
            if old is not None:
                self.size -= len(old[1]) + 1
                hashes.append(old[0])
            flat = posted.get(token)
            if flat is not None:
                new = texts[token] = _token_text(token, flat)
                self.size += len(new[1]) + 1
                hashes.append(new[0])
        count = max(1, math.ceil(self.size / TERM_SHARD_BYTES))
        if count != len(self.shards):  # every token in another shard
            self.shards = _term_shards([texts[t] for t in posted], self.size)
            return
        again: dict[int, list[str]] = {h % count: [] for h in hashes}
        for token in posted:  # the shards' tokens in the postings' order
            number, text = texts[token]
            parts = again.get(number % count)
            if parts is not None:
                parts.append(text)
        for n, parts in again.items():
            self.shards[n] = _joined(parts, count)


_TERMS = TermShards()  # the last serve build's (a module of the kb package: new when its code changes)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump(value: object) -> bytes:
    return _JSON.encode(value).encode("utf-8")


def read_material_index(folder: Path) -> dict:
    """What Material's search plugin wrote (its config and the hand-written pages' sections), if anything."""
    path = folder / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def mark_updating(folder: Path, written: dict[str, bytes]) -> None:
    """Mark the manifest in ``folder`` as being written again, before a quick `mkdocs serve` rebuild returns
    and the browser reloads its pages, the index to follow (kb.sidefiles): the worker then reads the
    manifest again before each query, keeping no shard, until ``write_shards`` has written it unmarked
    (``written``: as write_shards keeps it; the manifest is always written again after this)."""
    path = folder / "search_index.json"
    index = json.loads(path.read_bytes())
    index["config"]["kb"][UPDATING] = True
    replace_file(path, lambda scratch: scratch.write_bytes(dump(index)))
    written.pop("search_index.json", None)


def write_shards(index: dict, folder: Path, written: dict[str, bytes] | None = None,
                 beside: dict[str, bytes] | None = None) -> Path:
    """Write the manifest and the shards under ``folder`` (site/search), and the files ``beside`` them
    (path under the folder -> bytes); returns the manifest's path. ``written``: a hash of each file as the
    build before wrote it in this folder (`mkdocs serve`), updated here: a file whose bytes are the same is
    not written again (an edit changes a few of the hundreds of shards), and each is replaced in one step,
    the shards before the manifest (a quick rebuild writes them while the browser reloads, kb.sidefiles)."""
    return write_encoded(chain(_encoded_index(index), (beside or {}).items()), folder, written)


def write_encoded(files: Iterable[tuple[str, bytes]], folder: Path, written: dict[str, bytes] | None = None) -> Path:
    """``write_shards`` of files encoded already: (path, bytes) as encoded_files gives them, the manifest
    after the shards, and what goes beside them; each is written as it comes."""
    for part in ("terms", "docs"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    now: dict[str, bytes] = {}
    encoded: set[str] = set()
    for path, data in files:
        encoded.add(path)
        if written is None:  # a one-off build: nothing is hashed, nobody reads meanwhile
            (folder / path).write_bytes(data)
            continue
        now[path] = hashlib.blake2b(data, digest_size=16).digest()
        if written.get(path) != now[path] or not (folder / path).exists():
            replace_file(folder / path, lambda scratch, data=data: scratch.write_bytes(data))
    for part in ("terms", "docs"):  # shards of an earlier build (mkdocs serve) must not linger
        for old in (folder / part).glob("*.json"):
            if f"{part}/{old.name}" not in encoded:
                old.unlink()
    if written is not None:
        written.clear()
        written.update(now)
    return folder / "search_index.json"

