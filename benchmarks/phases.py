"""Where one build's time goes: each MkDocs event, Material's page template, Markdown and the collector.

Runs `mkdocs build` in this process in a project folder (the current one, or a synthetic copy from
`python -m benchmarks.synthetic`) and prints the seconds spent in each MkDocs event, in Material's page
template (``_build_page``), in Markdown conversions (prose values and hand-written pages; counted inside
the events that run them) and in the cycle collector (``gc.callbacks``). Wall times: run it on an idle
machine.

    cd /tmp/kb-x10 && PYTHONPATH=/path/to/this/project python -m benchmarks.phases
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)

    import markdown
    import mkdocs.commands.build as build_module
    import mkdocs.plugins
    from mkdocs.config import load_config

    spent: Counter = Counter()

    def timed(name: str, function):
        def run(*a, **k):
            start = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[name] += time.perf_counter() - start
        return run

    run_event = mkdocs.plugins.PluginCollection.run_event
    mkdocs.plugins.PluginCollection.run_event = lambda self, name, *a, **k: timed(f"event {name}", run_event)(self, name, *a, **k)
    build_module._build_page = timed("Material's page template (_build_page)", build_module._build_page)
    markdown.Markdown.convert = timed("Markdown conversions", markdown.Markdown.convert)
    started: list[float] = []
    gc.callbacks.append(lambda phase, info: started.append(time.perf_counter()) if phase == "start"
                        else spent.update({"cycle collector": time.perf_counter() - started.pop()}))

    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        config = load_config(str(args.project / "mkdocs.yml"), site_dir=site)
        build_module.build(config)
        total = time.perf_counter() - start
    print(f"{args.project}: build {total:.2f} s")
    for name, seconds in spent.most_common():
        if seconds >= 0.01:
            print(f"  {seconds:7.2f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
