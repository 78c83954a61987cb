"""Which data files to read: the YAML files under a data folder, never anything a link leads to outside
the project (or, for a branch's own data, outside its branch folder).

A link (symlink) that leads out is a located mistake naming the link; what it points to is never read,
so no message, page or export can show it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem


def shown_path(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the project root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def leads_out(path: Path, within: Path) -> bool:
    """Whether ``path``, with every link in it followed, is outside the folder ``within``."""
    return not path.resolve().is_relative_to(within.resolve())


def outside(path: Path, root: Path, within: Path) -> Problem:
    """The mistake of a data file or folder that is a link leading out of ``within``."""
    area = "项目" if within.resolve() == root.resolve() else f"分公司文件夹 {shown_path(within, root)}"
    return Problem(shown_path(path, root), 1, 1,
                   f"这是指向{area}之外的链接（符号链接），不会读取：把文件本身放在{area}里", unreadable=True)


def yaml_files(data: Path, root: Path, within: Path) -> tuple[list[Path], list[Problem]]:
    """Every ``*.yaml``/``*.yml`` file under ``data``, sorted, and a mistake for each link (to a file or
    a folder) that leads out of ``within``. A link to a folder inside is followed once (never in a loop)."""
    if leads_out(data, within):
        return [], [outside(data, root, within)]
    if not data.is_dir():
        return [], []  # no data folder: no data files (a missing sources.yaml is the mistake to report)
    files: list[Path] = []
    problems: list[Problem] = []
    seen = {data.resolve()}
    todo = [data]
    while todo:
        folder = todo.pop()
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            path = folder / entry.name
            if entry.is_symlink() and leads_out(path, within):
                problems.append(outside(path, root, within))
            elif entry.is_dir():  # follows a link inside, which has been checked above
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    todo.append(path)
            elif entry.is_file() and entry.name.endswith((".yaml", ".yml")):
                files.append(path)
    return sorted(files), problems
