"""A synthetic knowledge base N times the size of the real one, for `make bench` and the scale tests.

Every kind grows in the proportions of the real data (techniques, phrases, legal notes, scenarios, …).
Each new entry takes a real entry of its kind as its shape (the same fields, list lengths, categories
and groups, the legal bases unchanged: legal wording is never made up, only repeated) and gets:

- a new ASCII id made of words of the real ids, and sometimes a former id (``aliases``);
- a title joining a clause of a real title with a keyword of the same kind, so titles differ;
- text recombined from the clauses of the real texts of its kind: about half of the plain clauses of
  every value are swapped for other real clauses, so the words, lengths and punctuation stay those of
  real entries while no two entries read the same;
- list references and inline ``[[kind:id]]`` references to real and generated entries, a third of
  them to the real ones (hubs with many backlinks, as a real knowledge base has).

The result validates (`python -m kb check`). Deterministic for a given factor.

    python -m benchmarks.synthetic --factor 10 /tmp/kb-x10   # a copy of the project, ten times the data
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT / "hooks", ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from kb.fields import walk  # noqa: E402
from kb.model import KINDS, PLURAL, SINGULAR  # noqa: E402
from kb.refs import INLINE  # noqa: E402

ENTRIES_PER_FILE = 25  # about the size of a topic file an editor keeps open
SHARE_TO_REAL = 1 / 3  # references that go to the real entries (the well-known hubs)
ALIAS_RATE = 0.02  # generated entries that were renamed once
FILE_PREFIX = "synthetic-"

# fields copied exactly: provenance and legal facts are never recombined
KEEP = {"id", "aliases", "sources", "authored_basis", "basis", "review", "company"}
# a clause may be swapped only when it holds no markup (emphasis, links, references, list syntax)
_CLAUSE = re.compile(r"[^，。；！？、：\n]*[，。；！？、：]|[^，。；！？、：\n]+|\n")
_MARKUP = re.compile(r"[*\[\]`()#|<>{}_~\\]|^\s*([-+]|\d+[.)])\s")


def _clauses(text: str) -> list[str]:
    return _CLAUSE.findall(text)


def _plain(clause: str) -> bool:
    return len(clause.strip()) >= 2 and clause != "\n" and not _MARKUP.search(clause)


class Corpus:
    """What the real data of one kind says: clauses, list items, titles, keywords, tags, id words."""

    def __init__(self, kind: str, raws: list[dict[str, Any]]):
        self.kind = kind
        self.clauses: list[str] = []
        self.items: dict[str, list[str]] = defaultdict(list)  # top-level field -> list items written
        self.title_heads: list[str] = []
        self.keywords: list[str] = []
        self.tags: list[str] = []
        self.id_words: list[str] = []
        model = KINDS[kind]
        for raw in raws:
            entry = model.model_validate(raw)
            self.id_words += entry.id.split("-")
            self.title_heads += [c.rstrip("，。；！？、：") for c in _clauses(entry.title) if _plain(c)]
            self.keywords += entry.keywords
            self.tags += entry.tags
            for v in walk(entry):
                if v.loc[0] in KEEP or v.refers_to or not isinstance(v.value, str) or v.format is None:
                    continue
                self.clauses += [c for c in _clauses(v.value) if _plain(c)]
                if isinstance(v.loc[-1], int) and len(v.loc) == 2:
                    self.items[v.loc[0]].append(v.value)
        self.title_heads = [t for t in self.title_heads if len(t) >= 2] or [raws[0]["title"]]
        self.keywords = self.keywords or self.title_heads


# kinds that do not grow with the knowledge base: the signals are one vocabulary, each with its own key on
# /triage/ (the checker refuses more signals than keys)
FIXED_KINDS = {"signals"}


class Generator:
    def __init__(self, real: dict[str, list[dict[str, Any]]], factor: int, seed: int = 0):
        self.rng = random.Random(f"{seed}-{factor}")
        self.real = real
        self.factor = factor
        self.corpus = {kind: Corpus(kind, raws) for kind, raws in real.items() if raws}
        self.taken: set[str] = {r["id"] for raws in real.values() for r in raws}
        self.taken |= {a for raws in real.values() for r in raws for a in r.get("aliases", [])}
        self.new_ids: dict[str, list[str]] = {k: [self._new_id(k) for _ in range(0 if k in FIXED_KINDS else len(v) * (factor - 1))]
                                              for k, v in real.items()}
        self.real_ids = {k: [r["id"] for r in v] for k, v in real.items()}

    # -- ids and references ---------------------------------------------------------------------

    def _new_id(self, kind: str) -> str:
        words = self.corpus[kind].id_words
        while True:
            candidate = f"{self.rng.choice(words)}-{self.rng.choice(words)}-{self.rng.randrange(36 ** 3):x}"
            if candidate not in self.taken and len(candidate) <= 64:
                self.taken.add(candidate)
                return candidate

    def target(self, kinds: tuple[str, ...]) -> str:
        """An id of one of ``kinds``: a third of the time a real entry, else any entry."""
        kinds = tuple(k for k in kinds if self.real_ids.get(k))
        sizes = [len(self.real_ids[k]) for k in kinds]
        kind = self.rng.choices(kinds, weights=sizes)[0]
        if self.rng.random() < SHARE_TO_REAL or not self.new_ids[kind]:
            return self.rng.choice(self.real_ids[kind])
        return self.rng.choice(self.real_ids[kind] + self.new_ids[kind])

    def _inline(self, m: re.Match) -> str:
        kind = PLURAL.get(m.group(1))
        if kind not in self.real_ids:
            return m.group(0)
        label = f"|{m.group(3)}" if m.group(3) else ""
        return f"[[{m.group(1)}:{self.target((kind,))}{label}]]"

    # -- text -----------------------------------------------------------------------------------

    def text(self, kind: str, value: str) -> str:
        """``value`` with its references retargeted and about half of its plain clauses swapped."""
        value = INLINE.sub(self._inline, value)
        pool = self.corpus[kind].clauses
        out = []
        for clause in _clauses(value):
            if _plain(clause) and self.rng.random() < 0.5:
                new = self.rng.choice(pool)
                out.append(new.rstrip("，。；！？、：") + (clause[-1] if clause[-1] in "，。；！？、：" else ""))
            else:
                out.append(clause)
        return "".join(out).strip() or value

    def title(self, kind: str) -> str:
        c = self.corpus[kind]
        return f"{self.rng.choice(c.title_heads)}：{self.rng.choice(c.keywords)}"

    # -- entries --------------------------------------------------------------------------------

    def entry(self, kind: str, template: dict[str, Any], new_id: str) -> dict[str, Any]:
        raw = copy.deepcopy(template)
        raw["id"] = new_id
        raw["title"] = self.title(kind)
        raw.pop("aliases", None)
        if self.rng.random() < ALIAS_RATE:
            raw["aliases"] = [self._new_id(kind)]
        c = self.corpus[kind]
        if raw.get("keywords"):
            raw["keywords"] = sorted(set(self.rng.sample(c.keywords, min(len(raw["keywords"]), len(c.keywords)))))
        if raw.get("tags"):
            raw["tags"] = sorted(set(self.rng.choice(c.tags) for _ in raw["tags"]))
        entry = KINDS[kind].model_validate(template)
        for v in walk(entry):
            if v.loc[0] in KEEP or v.loc[0] in ("title", "keywords", "tags"):
                continue
            if v.refers_to:
                new = self.target(v.refers_to)
            elif v.format and isinstance(v.value, str):
                items = c.items.get(v.loc[0])
                if v.loc[0] == "moments" and items:
                    # a moment is a short line of its own (model.Moment): drawn whole, as keywords are, never
                    # recombined from clauses (that made lines longer than a moment may be)
                    new = self.rng.choice(items)
                elif len(v.loc) == 2 and items and self.rng.random() < 0.5:
                    new = self.text(kind, self.rng.choice(items))
                else:
                    new = self.text(kind, v.value)
            else:
                continue
            _set(raw, v.loc, new)
        for name, value in raw.items():  # a list may have drawn the same id twice
            if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
                raw[name] = list(dict.fromkeys(value))
        return raw

    def entries(self, kind: str) -> list[dict[str, Any]]:
        templates = self.real[kind]
        return [self.entry(kind, templates[i % len(templates)], new_id)
                for i, new_id in enumerate(self.new_ids[kind])]


def _set(raw: Any, loc: tuple[Any, ...], value: Any) -> None:
    for part in loc[:-1]:
        raw = raw[part]
    raw[loc[-1]] = value


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style (``|``) for text with line breaks, as authors write prose."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def read_real(data: Path) -> dict[str, list[dict[str, Any]]]:
    real: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        real[kind] = []
        for path in sorted((data / kind).glob("*.yaml")):
            if not path.name.startswith(FILE_PREFIX):
                real[kind] += yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader) or []
    return real


def generate(project: Path, factor: int, seed: int = 0) -> int:
    """Grow the knowledge base in ``project/data`` to ``factor`` times its size; return its entry count.

    ``project`` is a scratch copy (tests/conftest.py ``copy_project``); the real files stay as they
    are and the new entries go to ``data/<kind>/synthetic-NNN.yaml``.
    """
    data = Path(project) / "data"
    real = read_real(data)
    total = sum(len(v) for v in real.values())
    if factor <= 1:
        return total
    gen = Generator(real, factor, seed)
    for kind in KINDS:
        new = gen.entries(kind)
        for n, start in enumerate(range(0, len(new), ENTRIES_PER_FILE)):
            chunk = new[start:start + ENTRIES_PER_FILE]
            header = (f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"
                      f"# synthetic {SINGULAR[kind]} entries for benchmarks (benchmarks/synthetic.py), ×{factor}\n")
            body = yaml.dump(chunk, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
            (data / kind / f"{FILE_PREFIX}{n + 1:03d}.yaml").write_text(header + body, encoding="utf-8")
        total += len(new)
    return total


def main(argv: list[str] | None = None) -> int:
    from conftest import copy_project

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10, help="times the real data (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("target", type=Path, help="an empty or new folder for the copy of the project")
    args = parser.parse_args(argv)
    if args.target.exists() and any(args.target.iterdir()):
        parser.error(f"{args.target} is not empty")
    args.target.mkdir(parents=True, exist_ok=True)
    project = copy_project(args.target)
    n = generate(project, args.factor, args.seed)
    print(f"{project}: {n} entries (×{args.factor}); check with: PYTHONPATH=hooks python -m kb check --root {project}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
