"""`mkdocs serve`: seconds from saving a data file to the page showing the change."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shows(url: str, text: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return text in response.read().decode("utf-8")
    except OSError:
        return False


def _wait(url: str, text: str, seconds: float, every: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if _shows(url, text):
            return time.perf_counter() - start
        time.sleep(every)
    return None


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system, with waited-for children such as git) of a process so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def the_edited_type(project: Path) -> tuple[Path, str, str, str]:
    """The file whose first customer type a reload benchmark retitles: (path, its text, the id, the title)."""
    path = project / "data" / "types" / "temperament.yaml"
    text = path.read_text(encoding="utf-8")
    entry_id = text.split("- id:", 1)[1].split("\n", 1)[0].strip()
    title = text.split("  title:", 1)[1].split("\n", 1)[0].strip()
    return path, text, entry_id, title


def retitle(path: Path, text: str, title: str) -> str:
    """Save ``path`` (as ``text`` with its first type titled anew), replaced in one step as editors
    save; the new title. (The title is shown on every page that lists or refers to the type, and in the
    search dialog's help: one of the edits that change most pages.)"""
    changed = f"{title}（改过 bench-{time.time_ns()}）"
    scratch = path.with_suffix(".tmp")
    scratch.write_text(text.replace(f"  title: {title}\n", f"  title: {changed}\n", 1), encoding="utf-8")
    os.replace(scratch, path)
    return changed


def serve_reload_s(project: Path, mkdocs: str, env: dict[str, str], startup_s: float = 900) -> float | None:
    """``serve_reload``'s seconds alone."""
    return serve_reload(project, mkdocs, env, startup_s)[0]


def serve_reload(project: Path, mkdocs: str, env: dict[str, str],
                 startup_s: float = 900) -> tuple[float | None, float | None]:
    """Start `mkdocs serve` on ``project``, change the title of the first customer type in its data file
    (replaced in one step, as editors save), and time until the type's page shows the new title: (wall
    seconds, CPU seconds the server spent meanwhile). On a shared machine the CPU time says what the
    rebuild costs; the wall time adds the watcher's polling (0.5 s) and whatever else runs."""
    path, text, entry_id, title = the_edited_type(project)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/types/{entry_id}/"
    server = subprocess.Popen([mkdocs, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if _wait(url, f'id="{entry_id}"', startup_s, 0.5) is None:
            return None, None
        time.sleep(1)  # let the watcher settle after the first build
        cpu = _cpu_s(server.pid)
        changed = retitle(path, text, title)
        seconds = _wait(url, changed, startup_s, 0.05)
        after = _cpu_s(server.pid)
        return seconds, (None if seconds is None or cpu is None or after is None else after - cpu)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.serve_reload PROJECT``: the reload of ``make bench`` alone, on a project folder
    (a copy from ``python -m benchmarks.synthetic``), without the build and check ``make bench`` runs first."""
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import MKDOCS, user_env  # as benchmarks.build runs it

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    args = parser.parse_args(argv)
    seconds, cpu = serve_reload(args.project.resolve(), MKDOCS, user_env())
    if seconds is None:
        print(f"{args.project}: the page did not show the edit", file=sys.stderr)
        return 1
    print(f"{args.project}: serve reload {seconds:.1f} s, {cpu:.1f} CPU s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
