"""Command line: ``python -m kb check`` (what ``make check`` runs) and ``python -m kb schema``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import jsonschema
from .errors import DataError
from .knowledge import load_knowledge


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb", description="The complaint-handling knowledge base.")
    parser.add_argument("command", choices=["check", "schema"],
                        help="check: validate data/ and print every mistake; schema: regenerate schema/*.json")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder holding data/ (default: here)")
    args = parser.parse_args(argv)
    if args.command == "schema":
        for path in jsonschema.write(args.root):
            print(f"wrote {path.relative_to(args.root)}")
        return 0
    try:
        kb = load_knowledge(args.root)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    stale = jsonschema.stale(args.root)
    if stale:
        print("\n".join(f"{s}: stale, run 'make schema'" for s in stale), file=sys.stderr)
        return 1
    print(f"ok: {len(kb.records)} entries, {len(kb.graph.references)} references, {len(kb.sources)} source sections")
    return 0


if __name__ == "__main__":
    sys.exit(main())
