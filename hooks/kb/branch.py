"""A branch (分公司): its values for the legal notes' `company` fields and its own entries.

A branch is a folder ``branches/<name>/`` beside the shared ``data/``. Its ``data/company.yaml`` fills
本单位规定 (addressed by note id + field key), its ``data/<kind>/*.yaml`` add local entries under the
same schema. Everything is checked like the shared data: located mistakes, all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, one_line
from .check import Targets
from .datafiles import leads_out, outside
from .load import Document, Record, _relative, load_entries, read_list
from .model import ID_PATTERN, CompanyValue, LegalNote

COMPANY_FILE = "company.yaml"
BRANCHES = "branches"


class BranchNameError(ValueError):
    """A branch name (make BRANCH=…, --branch) that names no branch folder: one sentence for the command line."""


def branch_folder(root: Path, name: str) -> Path:
    """``branches/<name>/`` of the project at ``root``. The name comes from a command line: it must be an
    ASCII id of a folder that is there (never '..', a path, or a link out of the project)."""
    folder = root / BRANCHES / name
    if re.fullmatch(ID_PATTERN, name) and folder.is_dir() and not leads_out(folder, root / BRANCHES):
        return folder
    there = sorted(p.name for p in (root / BRANCHES).glob("*") if p.is_dir() and re.fullmatch(ID_PATTERN, p.name))
    shown = one_line(name)  # whatever was typed, on one line (Chinese stays readable)
    raise BranchNameError(f"分公司 '{shown}' 不存在：BRANCH 必须是 {BRANCHES}/ 下某个文件夹的名字，只用小写 ASCII "
                          f"字母、数字和 '-'（现有：{'、'.join(there) or '无'}）")


@dataclass(frozen=True)
class BranchValue:
    """One filled 本单位规定, as pages, the export and the review queue use it."""

    legal: str  # the note's id
    key: str  # the company field's key
    label: str  # the field's label (事项), from the shared note
    value: str
    effective_on: dt.date
    decided_by: str
    review_due: dt.date | None
    path: str  # where it is written (relative to the project root), for whoever must review it
    line: int

    @property
    def anchor(self) -> str:
        """The row's anchor on its note's page: legal/<legal>/#company-<key>."""
        return f"company-{self.key}"


@dataclass
class _Written:
    """A validated value and where it is written."""

    value: CompanyValue
    doc: Document
    index: int

    @property
    def subject(self) -> str:
        return f"本单位规定 '{self.value.legal}/{self.value.key}'"

    def problem(self, message: str, *loc: str) -> Problem:
        line, col = self.doc.where((self.index, *loc))
        return Problem(self.doc.path, line, col, message, self.subject)


@dataclass
class Branch:
    """What a branch folder holds, loaded but not yet checked against the whole knowledge base."""

    name: str
    records: list[Record]
    values: list[_Written]
    unread: dict[str, list[str]] = field(default_factory=dict)  # kind -> its branch files that could not be read


def load_branch(root: Path, folder: Path) -> tuple[Branch, list[Problem]]:
    """Read ``folder``'s entries and company values."""
    data = folder / "data"
    problems: list[Problem] = []
    if not folder.is_dir():
        return Branch(folder.name, [], []), [Problem(_relative(folder, root), 1, 1, "没有这个分公司文件夹")]
    if folder.is_symlink() and leads_out(folder, root):  # branches/<name>: a link to a folder elsewhere
        return Branch(folder.name, [], []), [outside(folder, root, root)]
    for path in sorted(data.glob("*")) if data.is_dir() else []:
        if path.is_file() and path.name != COMPANY_FILE:
            problems.append(Problem(_relative(path, root), 1, 1, f"分公司的 data/ 里只能放 {COMPANY_FILE} 和 "
                                    "<种类>/ 文件夹（出处和同义词是共享的）"))
    records, found, unread = load_entries(root, data) if data.is_dir() else ([], [], {})
    problems += found
    for rec in records:
        rec.local = True  # check._ids refuses a local entry that takes a shared id
    values, found = _read_values(root, folder)
    return Branch(folder.name, records, values, unread), problems + found


def _read_values(root: Path, folder: Path) -> tuple[list[_Written], list[Problem]]:
    path = folder / "data" / COMPANY_FILE
    if not path.is_file():
        return [], []  # a branch may only add entries
    doc, items, problems = read_list(path, root, folder, CompanyValue, "本单位规定",
                                     shape="（每项以 '- legal: ...' 开头）", name=_value_name)
    return [_Written(value, doc, i) for i, value in items], problems  # no items without a doc


def _value_name(raw: dict) -> str | None:
    """'note/key', as a value is addressed (and as _Written.subject names a valid one)."""
    legal, key = raw.get("legal"), raw.get("key")
    return f"{legal}/{key}" if isinstance(legal, str) and isinstance(key, str) else None


def check_values(values: list[_Written], by_id: dict[str, Record],
                 aliases: dict[str, Record]) -> tuple[list[BranchValue], list[Problem]]:
    """Each value must name an existing note and key, once, and be reviewed after it takes effect."""
    # nothing is left unchecked here: a legal note in an unreadable file still gets "unknown legal note"
    targets = Targets(by_id, aliases, unread={})
    problems: list[Problem] = []
    seen: dict[tuple[str, str], _Written] = {}
    out = []
    for w in values:
        v = w.value
        note = by_id.get(v.legal)
        if note is None or note.kind != "legal":
            problems.append(w.problem(targets.why_not(v.legal, ("legal",)), "legal"))
            continue
        if note.broken:
            continue  # its own mistakes are reported where it is written
        fields = {f.key: f for f in note.entry.company} if isinstance(note.entry, LegalNote) else {}
        field = fields.get(v.key)
        if field is None:
            close = difflib.get_close_matches(v.key, list(fields), n=1)
            hint = f"是不是 '{close[0]}'？" if close else ""
            keys = (f"{hint}可选：" + "、".join(f"{k} {f.label}" for k, f in fields.items())) if fields else "这条法律说明没有 company 项"
            problems.append(w.problem(f"{note.subject} 没有 company 项 '{v.key}'（{keys}）", "key"))
            continue
        first = seen.get((v.legal, v.key))
        if first is not None:
            line, col = first.doc.where((first.index,))
            problems.append(w.problem(f"同一项的第二个值（第一个在 {first.doc.path}:{line}:{col}）："
                                      "每项只能有一个值；要改就改第一个", "legal"))
            continue
        seen[(v.legal, v.key)] = w
        if v.review_due is not None and v.review_due < v.effective_on:
            problems.append(w.problem(f"review_due {v.review_due} 早于 effective_on {v.effective_on}", "review_due"))
        line, _ = w.doc.where((w.index,))
        out.append(BranchValue(v.legal, v.key, field.label, v.value, v.effective_on, v.decided_by, v.review_due,
                               w.doc.path, line))
    return out, problems

