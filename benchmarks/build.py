"""`make bench`: how long a strict build takes and how big the site is, for the real data and for a
synthetic knowledge base of N times as many entries (benchmarks/synthetic.py)."""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import MKDOCS, copy_project, user_env  # noqa: E402

from benchmarks.synthetic import generate  # noqa: E402

def measure(project: Path) -> tuple[float, float, int, int]:
    """(seconds, peak MB of the build process, files, bytes of site/)."""
    site = project / "site"
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, env=user_env(),
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    files = [p for p in site.rglob("*") if p.is_file()]
    return seconds, peak, len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="*", default=[1, 10])
    args = parser.parse_args(argv)
    print(f"{'entries':>8} {'build s':>8} {'peak MB':>8} {'files':>6} {'site MB':>8} {'index KB':>9}")
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp))
            generate(project, factor)
            seconds, peak, files, size = measure(project)
            entries = sum(len(yaml.safe_load(p.read_text(encoding="utf-8")) or [])
                          for p in (project / "data").glob("*/*.yaml"))
            index = (project / "site" / "search" / "search_index.json").stat().st_size / 1024
            print(f"{entries:>8} {seconds:>8.1f} {peak:>8.0f} {files:>6} {size / 2**20:>8.1f} {index:>9.0f}")
            shutil.rmtree(project / "site", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
