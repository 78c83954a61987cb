"""Command line: ``python -m kb check [--branch NAME]`` (what ``make check`` runs), ``python -m kb schema``,
``python -m kb misses ACCESS_LOG`` (what ``make misses`` runs), ``python -m kb pages OUT [--branch NAME]``
(the site's sources for an engine without hooks, kb.pagesdir), ``python -m kb new --kind K --id ID`` (what
``make new`` runs) and ``python -m kb branch --branch NAME`` (what ``make build``/``serve`` run first with
BRANCH=NAME)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import collector, jsonschema
from .branch import BranchNameError, branch_folder
from .cli import Parser
from .errors import DataError
from .knowledge import load_knowledge
from .skeleton import SkeletonError, placeholders, write_skeleton
from .synonyms import synonym_warnings


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="kb", description="投诉处理宝典的数据工具（make check、make new、make misses 等调用它）。")
    parser.add_argument("command", choices=["check", "schema", "misses", "pages", "new", "branch"], metavar="命令",
                        help="check：检查 data/，列出每一处错误；schema：重新生成 schema/*.json；"
                             "new：添加一个条目骨架（--kind、--id、--file）；"
                             "misses：从网站服务器的访问日志中列出没搜到的词，以及点开的结果不在第一位的搜索；"
                             "pages：把全部页面、导航和附属文件写到一个文件夹，供不支持钩子的引擎构建；"
                             "branch：--branch 不是 branches/ 下的文件夹时报一个错误")
    parser.add_argument("log", nargs="?", type=Path, metavar="路径",
                        help="misses：nginx/Apache 的 combined 格式访问日志；pages：要写入的文件夹（新的或空的）")
    parser.add_argument("--top", type=_count, default=50, metavar="N", help="misses：列出多少个词（默认 50）")
    parser.add_argument("--queries-out", type=Path, metavar="FILE",
                        help="misses：另把点开过结果的搜索写成查询集，供 python -m benchmarks.search --queries FILE")
    parser.add_argument("--root", type=Path, default=Path.cwd(), metavar="DIR",
                        help="含 data/ 的项目文件夹（默认：当前文件夹）")
    parser.add_argument("--branch", metavar="NAME",
                        help="branches/NAME/ 下的分公司（check：一并检查；misses：一并列出它的条目）")
    parser.add_argument("--kind", metavar="KIND", help="new：条目的种类（scenario、type、legal……）")
    parser.add_argument("--id", dest="entry_id", metavar="ID", help="new：新条目的 id")
    parser.add_argument("--file", metavar="FILE", help="new：写入哪个数据文件（默认：data/<种类>/<id>.yaml）")
    args = parser.parse_args(argv)
    if args.command == "new" and not (args.kind and args.entry_id):
        parser.error("new 要写 --kind 和 --id（例如 --kind scenario --id late-refund）")
    branch = None
    if args.branch is not None:
        try:
            branch = branch_folder(args.root, args.branch)
        except BranchNameError as exc:
            print(f"kb：{exc}", file=sys.stderr)
            return 2
    if args.command == "branch":
        if branch is None:
            print("kb branch：请用 --branch NAME 给出分公司名（branches/ 下的文件夹）", file=sys.stderr)
        return 0 if branch else 2
    if args.command == "misses":
        return _misses(args.log, args.top, args.root, branch, args.queries_out)
    if args.command == "pages":
        return _pages(args.log, args.root, branch)
    if args.command == "schema":
        for path in jsonschema.write(args.root):
            print(f"已写入 {path.relative_to(args.root)}")
        return 0
    collector.during_build()  # loading only adds objects, as a build does (kb.collector)
    try:
        kb = load_knowledge(args.root, branch)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if args.command == "new":
        return _new(args.root, kb, args.kind or "", args.entry_id or "", args.file)
    stale = jsonschema.stale(args.root)
    if stale:
        print("\n".join(f"{s}：已过时，请运行 make schema" for s in stale), file=sys.stderr)
        return 1
    for warning in synonym_warnings(args.root, kb.records):
        print(warning, file=sys.stderr)
    settings = _site_settings(args.root, branch, kb)
    if settings is None:
        return 1
    reminders = placeholders(kb)
    for warning in settings:  # what a strict build stops on besides the placeholders (kb.generate.prepare)
        if warning not in reminders:
            print(warning, file=sys.stderr)
    for reminder in reminders:
        print(reminder, file=sys.stderr)
    summary = f"没有错误：{len(kb.records)} 个条目，{len(kb.graph.references)} 处引用，{len(kb.sources)} 个出处"
    if kb.branch:
        local = sum(r.local for r in kb.records)
        summary += f"；分公司 '{kb.branch}'：{len(kb.company_values)} 项本单位规定，{local} 个自有条目"
    if reminders:
        summary += f"；还有 {len(reminders)} 处“待填写”（上面列出）：填完才能发布，make build 会在这里停下"
    print(summary)
    return 0


def _new(root: Path, kb, kind: str, entry_id: str, file: str | None) -> int:
    """Write an entry skeleton; the data must load first, so the new id is checked against every other."""
    try:
        path = write_skeleton(root, kb, kind, entry_id, file, dt.date.today())
    except SkeletonError as exc:
        print(f"make new：{exc}", file=sys.stderr)
        return 2
    print(f"已写入 {path.relative_to(root.resolve()).as_posix()}：填完所有“待填写”，再运行 make check")
    return 0


def _count(text: str) -> int:
    """--top: a positive whole number (make misses TOP=N)."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"要写一个正整数，写的是 '{text}'")
    return count


def _misses(log: Path | None, top: int, root: Path, branch: Path | None, queries_out: Path | None) -> int:
    from .misses import logged_queries, query_set_yaml, read_log, report, where_written

    if log is None:
        print("kb misses：请给出网站的访问日志，例如 python -m kb misses /var/log/nginx/access.log", file=sys.stderr)
        return 2
    try:
        misses = read_log(log)
    except OSError as exc:
        print(f"{log}：读不了：{exc.strerror or exc}", file=sys.stderr)
        return 1
    entries = _entries(root, branch) if misses.opened or queries_out else {}
    known = entries or {}
    print(report(misses, str(log), top, lambda to: where_written(known[to]) if to in known else None))
    if queries_out:
        if entries is None:
            return 1
        found = logged_queries(misses.opened, entries)
        queries_out.write_text(query_set_yaml(found, str(log)), encoding="utf-8")
        print(f"已把 {len(found)} 条搜索写入 {queries_out}：用 python -m benchmarks.search --queries {queries_out} 测量")
    return 0


def _site_settings(root: Path, branch: Path | None, kb) -> list[str] | None:
    """What the site's settings (mkdocs.yml ``extra.kb``, ``site_url`` …) make of the data, as the build
    reads them (kb.generate.prepare): its warnings, or None when a mistake (said on stderr) would stop it."""
    from .generate import BuildStop
    from .pagesdir import ConfigError, prepared

    config_file = (branch or root) / "mkdocs.yml"
    if not config_file.is_file():  # data without a site (a test corpus): nothing more to check
        return []
    try:
        _, build = prepared(root, config_file, kb)
    except ConfigError as exc:
        print(f"读不了站点设置：{exc}", file=sys.stderr)
        return None
    except BuildStop as exc:
        print(exc, file=sys.stderr)
        return None
    return build.warnings


def _pages(out: Path | None, root: Path, branch: Path | None) -> int:
    from .generate import BuildStop
    from .pagesdir import ConfigError, write_pages

    if out is None:
        print("kb pages：请给出要写入的文件夹，例如 python -m kb pages /tmp/kb-pages", file=sys.stderr)
        return 2
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"{out}：已存在，而且不是空文件夹；请给一个新的（不会覆盖任何文件）", file=sys.stderr)
        return 2
    collector.during_build()  # a build's worth of objects, as in check
    config = branch / "mkdocs.yml" if branch else root / "mkdocs.yml"
    try:
        build = write_pages(root, config, out)
    except (BuildStop, ConfigError) as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in build.warnings:
        print(warning, file=sys.stderr)
    print(f"已把 {len(build.pages)} 个生成的页面和网站的其他源文件写入 {out / 'docs'}，"
          f"网站设置写入 {out / 'mkdocs.yml'}")
    return 0


def _entries(root: Path, branch: Path | None) -> dict | None:
    """The entries by address; None (said on stderr) when the data does not load."""
    from .misses import entries_by_address

    collector.during_build()
    try:
        return entries_by_address(load_knowledge(root, branch).records)
    except DataError as exc:
        print(f"{root}：数据有错误，打开的条目只能按网址列出（make check 会列出全部错误；"
              f"第一处：{exc.report().splitlines()[0]}）", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main())
