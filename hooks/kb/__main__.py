"""Command line: ``python -m kb check [--branch NAME]`` (what ``make check`` runs) and ``python -m kb schema``."""

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
    parser.add_argument("--branch", metavar="NAME", help="also check the branch in branches/NAME/")
    args = parser.parse_args(argv)
    if args.command == "schema":
        for path in jsonschema.write(args.root):
            print(f"wrote {path.relative_to(args.root)}")
        return 0
    try:
        kb = load_knowledge(args.root, args.root / "branches" / args.branch if args.branch else None)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    stale = jsonschema.stale(args.root)
    if stale:
        print("\n".join(f"{s}: stale, run 'make schema'" for s in stale), file=sys.stderr)
        return 1
    summary = f"ok: {len(kb.records)} entries, {len(kb.graph.references)} references, {len(kb.sources)} source sections"
    if kb.branch:
        local = sum(r.local for r in kb.records)
        summary += f"; branch '{kb.branch}': {len(kb.company_values)} company values, {local} own entries"
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
