"""Where one build's time goes: each MkDocs event, Material's page template, Markdown and the collector.

Runs `mkdocs build` in this process in a project folder (the current one, or a synthetic copy from
`python -m benchmarks.synthetic`) and prints the seconds spent in each MkDocs event, in Material's page
template (``_build_page``), in Markdown conversions (prose values and hand-written pages; counted inside
the events that run them) and in the cycle collector (``gc.callbacks``); then the build's CPU time, and
the highest resident memory seen (sampled every 0.1 s) while each part ran and after the last. Wall
times: run it on an idle machine.

    cd /tmp/kb-x10 && PYTHONPATH=/path/to/this/project python -m benchmarks.phases

``--rebuild``: what a `mkdocs serve` rebuild spends instead. The project is built once as `mkdocs serve`
builds it (untimed), the first customer type is retitled as ``benchmarks.serve_reload`` retitles it, and
the rebuild after that edit is the one measured, made as the server makes it: by the builder the
plugins' on_serve leave it (kb.quickbuild's, which falls back to the whole build); the output says
which it was, and a quick one's two parts (MkDocs' events and page template are counted inside them).
The file is put back afterwards. ``--profile FILE``: the measured build under cProfile as well (its
times are then the profiler's, slower), for ``python -m pstats FILE`` (``sort cumulative``, ``stats kb/``).
``--peak-stack``: where the build's highest memory was reached: the kernel's high-water mark (``VmHWM``,
which no sample misses) is read every 10 ms, and each time it rose the main thread's innermost frames in
our hooks and MkDocs are noted; the last rises are printed (a spike shorter than 0.1 s escapes the parts'
peaks above but not this).
``--saves N`` (with ``--rebuild``): after the measured rebuild, N − 1 more edits and rebuilds, each
printed with its seconds and the resident memory after it: what an author's saves cost a serving
process over time (memory that grows with every save shows here).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from benchmarks.serve_reload import retitle, the_edited_type


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path.cwd())
    parser.add_argument("--rebuild", action="store_true", help="measure a `mkdocs serve` rebuild after an edit")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also profile the measured build (cProfile) into FILE, for python -m pstats")
    parser.add_argument("--saves", type=int, default=1, metavar="N",
                        help="with --rebuild: N edits and rebuilds in a row, each with the resident memory after it")
    parser.add_argument("--peak-stack", action="store_true",
                        help="also print where the memory's high-water mark rose last (the stack at each rise)")
    args = parser.parse_args(argv)

    import markdown
    import mkdocs.commands.build as build_module
    import mkdocs.plugins
    from mkdocs.config import load_config

    spent: Counter = Counter()

    now = ["loading the configuration"]  # the part running, for the memory samples
    peak: Counter = Counter()  # part → the highest resident MB seen while it ran

    def sample() -> None:
        while True:
            part = now[-1]
            peak[part] = max(peak[part], _resident_mb())
            time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()
    rises: list[tuple[int, str]] = []  # (high-water MB, the main thread's frames) at each rise
    if args.peak_stack:
        threading.Thread(target=_watch_high_water, args=(rises,), daemon=True).start()

    def timed(name: str, function):
        def run(*a, **k):
            start = time.perf_counter()
            now.append(name)
            try:
                return function(*a, **k)
            finally:
                now.pop()
                spent[name] += time.perf_counter() - start
        return run

    run_event = mkdocs.plugins.PluginCollection.run_event
    mkdocs.plugins.PluginCollection.run_event = lambda self, name, *a, **k: timed(f"event {name}", run_event)(self, name, *a, **k)
    build_module._build_page = timed("Material's page template (_build_page)", build_module._build_page)
    markdown.Markdown.convert = timed("Markdown conversions", markdown.Markdown.convert)
    started: list[float] = []
    gc.callbacks.append(lambda phase, info: started.append(time.perf_counter()) if phase == "start"
                        else spent.update({"cycle collector": time.perf_counter() - started.pop()}))

    serve_url = "http://127.0.0.1:8000/" if args.rebuild else None
    edit = None
    with tempfile.TemporaryDirectory() as site:
        def load():
            config = load_config(str(args.project / "mkdocs.yml"), site_dir=site)
            if serve_url:
                config.site_url = serve_url  # as `mkdocs serve` sets it
            return config

        whole = []

        def builder(config=None) -> None:  # `mkdocs serve`'s own: a whole build with a fresh config
            whole.append(1)
            build_module.build(config or load(), serve_url=serve_url)

        server = None
        if args.rebuild:  # the first build of `mkdocs serve`, then the edit; only the rebuild is counted
            config = load()
            config.plugins.on_startup(command="serve", dirty=False)
            builder(config)
            server = config.plugins.on_serve(SimpleNamespace(builder=builder), config=config, builder=builder)
            whole.clear()
            quick = sys.modules.get("kb.quickbuild")  # a quick rebuild calls our events itself, not through MkDocs
            if quick is not None:
                quick._plan = timed("quick: loading, checks, our pages (kb.quickbuild._plan)", quick._plan)
                quick._write = timed("quick: MkDocs' pages, search index (kb.quickbuild._write)", quick._write)
            path, text, _, title = the_edited_type(args.project)
            edit = (path, text)
            retitle(path, text, title)
            spent.clear()
            peak.clear()
        try:
            profiler = cProfile.Profile() if args.profile else None
            start, cpu = time.perf_counter(), time.process_time()
            now.append("between events")
            if profiler:
                profiler.enable()
            if server is not None:
                server.builder()
            else:
                build_module.build(load(), serve_url=serve_url)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            total, cpu = time.perf_counter() - start, time.process_time() - cpu
            later = [_later_written()]
            after_saves = [(total, _resident_mb())]
            for _ in range(args.saves - 1 if server is not None else 0):
                retitle(edit[0], edit[1], title)
                began = time.perf_counter()
                server.builder()
                after_saves.append((time.perf_counter() - began, _resident_mb()))
                later.append(_later_written())
        finally:
            if edit:
                edit[0].write_text(edit[1], encoding="utf-8")
        time.sleep(0.2)  # a last sample: the peak line is the build's whole
    what = ("whole " if whole else "quick ") + "rebuild after an edit" if args.rebuild else "build"
    print(f"{args.project}: {what} {total:.2f} s, {cpu:.2f} CPU s (all threads), peak {max(peak.values())} MB")
    if later[0] >= 0.01:
        print(f"  then its search index and exports, made and written after the pages (kb.sidefiles): "
              f"{later[0]:.2f} s more")
    for name, seconds in spent.most_common():
        if seconds >= 0.01:
            highest = f"{peak[name]} MB" if name in peak else ""  # the part's peak memory, then its time
            print(f"  {highest:>8}  {seconds:7.2f} s  {name}")
    if args.saves > 1 and len(after_saves) > 1:
        print("saves in a row (s, resident MB after):", ", ".join(f"{t:.2f} s {mb}" for t, mb in after_saves))
        print("  each then its search index and exports:", ", ".join(f"{t:.2f} s" for t in later))
        grown = (after_saves[-1][1] - after_saves[0][1]) / (len(after_saves) - 1)
        print(f"  resident memory {after_saves[0][1]} -> {after_saves[-1][1]} MB: {grown:+.1f} MB per save")
    if args.peak_stack:
        print("where the high-water mark rose last (MB, innermost frame first):")
        for mb, where in rises[-8:]:
            print(f"  {mb:>6}  {where}")
    return 0


def _later_written() -> float:
    """Seconds until what a quick rebuild makes after its pages (its search index and exports, kb.sidefiles)
    is written: the builder returns before it, and the next build waits for it."""
    began = time.perf_counter()
    wait = getattr(sys.modules.get("kb.sidefiles"), "wait_written", None)  # (hooks older than it: none)
    if wait is not None:
        wait()
    return time.perf_counter() - began


def _watch_high_water(rises: list[tuple[int, str]]) -> None:
    """Note the main thread's frames in our hooks and MkDocs each time the high-water mark rose by 5 MB."""
    main = threading.main_thread().ident
    last = 0
    while True:
        high = _status_mb("VmHWM")
        if high > last + 5:
            frame, names = sys._current_frames().get(main), []
            while frame is not None and len(names) < 5:
                name = frame.f_code.co_filename
                if "/hooks/" in name or "/mkdocs/" in name:
                    names.append(f"{Path(name).name}:{frame.f_code.co_name}")
                frame = frame.f_back
            rises.append((high, " < ".join(names)))
            last = high
        time.sleep(0.01)


def _resident_mb() -> int:
    return _status_mb("VmRSS")


def _status_mb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith(field))


if __name__ == "__main__":
    sys.exit(main())
