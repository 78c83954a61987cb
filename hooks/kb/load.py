"""YAML → entries, keeping file:line:column for every value. Safe loading only."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .carryover import CARRIED
from .datafiles import leads_out, outside, yaml_files
from .errors import Problem
from .fields import Value, walk
from .model import ID_PATTERN, KINDS, LABEL, RefTo, TIME_BLOCK, SourceSection, SynonymGroup

Loc = tuple[Any, ...]
Pos = tuple[int, int]  # 1-based line, column


class KBConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that refuses duplicate keys (PyYAML silently keeps the last one) and keeps dates as text."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Pos] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                    if key in seen and key != "<<":
                        line, col = seen[key]
                        raise yaml.constructor.ConstructorError(
                            None, None, f"字段 '{key}' 重复（第 {line} 行第 {col} 列已经有了）："
                            "每个字段只能写一次", key_node.start_mark)
                    seen[key] = _mark(key_node)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. !!int x: give it a position
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise yaml.constructor.ConstructorError(
                None, None, f"这个值不能按 {tag} 读取（{exc}）", node.start_mark) from exc

    def construct_timestamp_as_text(self, node):
        # 2024-05-01 stays text: a text field may hold a date-like value, a date field parses it
        # (and says so when it is not a real date, where PyYAML would fail with no position).
        return self.construct_scalar(node)


KBConstructor.add_constructor("tag:yaml.org,2002:timestamp", KBConstructor.construct_timestamp_as_text)


class KBLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
               KBConstructor, yaml.resolver.Resolver):
    """The pure-Python safe loader: its error messages are the ones authors see."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        KBConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


if yaml.__with_libyaml__:
    class FastKBLoader(yaml.cyaml.CParser, KBConstructor, yaml.resolver.Resolver):  # type: ignore[misc]
        """The same loader on libyaml's parser: about ten times faster, with the same nodes and marks
        (line, column and character index). Used for files that parse; a file that does not is parsed
        again by ``KBLoader`` so its error reads exactly as always."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            KBConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # PyYAML built without libyaml
    FastKBLoader = KBLoader  # type: ignore[misc,assignment]


@dataclass
class Document:
    """One parsed YAML file and where each value sits in it."""

    path: str  # as shown in messages, relative to the project root
    data: Any
    values: dict[Loc, Pos] = field(default_factory=dict)  # where each value starts
    keys: dict[Loc, Pos] = field(default_factory=dict)  # where the key of a mapping value starts
    text: str = ""  # the decoded file
    spans: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # where each text value sits in ``text``
    # kind -> what ``validate`` made of this document (``validated``): while serving, an unchanged file is
    # the same Document (kb.carryover keeps parse results by the file's bytes), validated once
    validated: dict[str, tuple[list["Record"], list[Problem]]] = field(default_factory=dict, compare=False, repr=False)
    # index -> repr() of that entry's data, asked for only while serving: each rebuild's keys are made from
    # every entry as written (kb.graph, kb.search; kb.incremental through its hash, ``entry_digest``), and
    # an unchanged file is the same Document
    _reprs: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    _digests: dict[int, str] = field(default_factory=dict, compare=False, repr=False)  # index -> entry_digest

    def entry_repr(self, index: int) -> str:
        """The entry at ``index`` of this file's list as written (its repr), made once."""
        made = self._reprs.get(index)
        if made is None:
            made = self._reprs[index] = repr(self.data[index])
        return made

    def entry_digest(self, index: int) -> str:
        """A hash of ``entry_repr``, made once: each rebuild's signatures stand for every entry as
        written (kb.incremental), and hashing each entry's whole text again was about half of their time
        at 15,635 entries."""
        made = self._digests.get(index)
        if made is None:
            made = self._digests[index] = hashlib.blake2b(
                self.entry_repr(index).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        return made

    def where(self, loc: Loc, *, key: bool = False) -> Pos:
        """The position of ``loc``, or of its nearest located parent."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def where_in(self, loc: Loc, value: str, start: int, end: int) -> Pos:
        """The position of ``value[start:end]`` (a part of the text value at ``loc``) in the file.

        Found by looking for the same characters in the value's source, so it is exact for plain,
        quoted and ``|`` block text; when the part is written differently (folded across lines,
        escaped), the position of the whole value is the answer.
        """
        loc = tuple(loc)
        part = value[start:end]
        span = self.spans.get(loc)
        if span is None or not part:
            return self.where(loc)
        source = self.text[span[0]:span[1]]
        at = -1
        for _ in range(value.count(part, 0, start) + 1):  # the same occurrence as in the value
            at = source.find(part, at + 1)
            if at < 0:
                return self.where(loc)
        return _position(self.text, span[0] + at)


@dataclass
class Record:
    """A validated entry and where it came from."""

    kind: str
    entry: BaseModel
    doc: Document
    index: int  # position in its file's list
    broken: bool = False  # the entry has mistakes: only its id is known (see ``validate``)
    local: bool = False  # the entry is a branch's own (branches/<name>/data/), not shared
    page: str | None = None  # for an entry of a split collection: the source path of its part page (pages.lay_out)
    # the entry's values once listed (``values``), shared with the records made from this one (``fresh``)
    walked: list[tuple[Value, ...]] = field(default_factory=list, compare=False, repr=False)
    # the entry's id, read once: the graph, the checks and the pages' keys ask for it 1.7 million times in
    # a ×100 serve rebuild, and as a property reading the entry it was 2 of 35 profiled s
    id: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.id = self.entry.id  # type: ignore[attr-defined]

    @property
    def values(self) -> tuple[Value, ...]:
        """Every leaf value of the entry (kb.fields.walk). The checks, the graph and the search each go
        through them all: while serving they are listed once and kept with the entry (carried to the next
        rebuild with its file); a one-off build lists them anew each time, as keeping them all cost ~100 MB
        of its peak at 10,000 entries."""
        if self.walked:
            return self.walked[0]
        values = tuple(walk(self.entry))
        if CARRIED.keeping:
            self.walked.append(values)
        return values

    def fresh(self) -> "Record":
        """A record of the same entry as ``validate`` made it, before a build set its page or local flag."""
        return Record(self.kind, self.entry, self.doc, self.index, self.broken, walked=self.walked)

    @property
    def subject(self) -> str:
        return f"{LABEL[self.kind]} '{self.id}'"

    def where(self, *loc: Any, key: bool = False) -> Pos:
        return self.doc.where((self.index, *loc), key=key)

    def problem(self, message: str, *loc: Any, key: bool = False) -> Problem:
        line, col = self.where(*loc, key=key)
        return Problem(self.doc.path, line, col, message, self.subject)

    def problem_in(self, message: str, loc: Loc, value: str, start: int, end: int) -> Problem:
        """A problem with a part of a text value (an inline reference, a link), located exactly."""
        line, col = self.doc.where_in((self.index, *loc), value, start, end)
        return Problem(self.doc.path, line, col, message, self.subject)


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a line break


def _position(text: str, index: int) -> Pos:
    """1-based line and column of character ``index`` of ``text``, counted as PyYAML counts them."""
    line, line_start = 1, 0
    for m in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, m.end()
    return (line, index - line_start + 1)


def _index_positions(node: yaml.Node, loc: Loc, doc: Document, seen: set[int]) -> None:
    if id(node) in seen:  # aliases may point back up the tree
        return
    seen.add(id(node))
    doc.values.setdefault(loc, _mark(node))
    if isinstance(node, yaml.ScalarNode):
        span = (node.start_mark.index, node.end_mark.index)
        if not (node.style == '"' and "\\" in doc.text[span[0]:span[1]]):  # escapes: source ≠ value
            doc.spans.setdefault(loc, span)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                sub = (*loc, key_node.value)
                doc.keys.setdefault(sub, _mark(key_node))
                _index_positions(value_node, sub, doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_positions(item, (*loc, i), doc, seen)


# What aliases (*name) may add to a file when every one is written out, in values and characters: far more
# than any repetition an author means, far less than an alias bomb (a few hundred bytes that expand to
# gigabytes in anything that copies the values: a fingerprint, an export, a message).
MAX_ALIAS_EXPANSION = 1_000_000


class Refused(yaml.MarkedYAMLError):
    """Valid YAML the data loader does not accept: its ``problem`` is the author's message as it is."""


def _check_nodes(root: yaml.Node) -> None:
    """Raise Refused for a control character written as an escape ("\\0", "\\e": refused like a raw one)
    or for aliases that repeat too much.

    Each distinct node is visited once (an alias is the same node object again), so counting what the
    aliases would expand to never expands anything.
    """
    size: dict[int, int] = {}  # id(node) → its size with every alias inside it written out
    uses: dict[int, int] = {}  # id(node) → how many times it is referred to
    nodes: dict[int, yaml.Node] = {}

    def walk(node: yaml.Node) -> int:
        uses[id(node)] = uses.get(id(node), 0) + 1
        if id(node) in size:
            return size[id(node)]
        size[id(node)] = 0  # a node that contains itself counts once
        nodes[id(node)] = node
        if isinstance(node, yaml.ScalarNode):
            bad = yaml.reader.Reader.NON_PRINTABLE.search(node.value)  # what YAML refuses written raw
            if bad:
                raise Refused(problem=f"不允许控制字符 U+{ord(bad.group()):04X}（在引号里写成了转义，如 \"\\e\"）：删掉它",
                              problem_mark=node.start_mark)
            total = 1 + len(node.value)
        else:
            children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
            total = 1 + sum(walk(child) for child in children)
        size[id(node)] = total
        return total

    total = walk(root)
    written = sum(1 + len(n.value) if isinstance(n, yaml.ScalarNode) else 1 for n in nodes.values())
    if total - written > MAX_ALIAS_EXPANSION:
        # the value whose repetitions add the most: where its anchor (&name) is written
        worst = max(nodes, key=lambda i: (uses[i] - 1) * size[i])
        raise Refused(problem=f"这里的值被别名（*名字）重复使用，全部展开后会多出 {total - written:,} 个值和字符"
                              f"（最多 {MAX_ALIAS_EXPANSION:,}）：不要用别名层层重复内容",
                      problem_mark=nodes[worst].start_mark)


def _decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        # utf-8-sig: files saved on Windows by non-developers carry a BOM
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1  # in characters
        return None, [Problem(shown, line, col, f"文件不是 UTF-8 编码（此处字节 0x{raw[exc.start]:02x}）：请以 UTF-8 保存")]


# PyYAML's words for a common mistake → what the author should do
_YAML_HINTS = {
    "mapping values are not allowed here": "含有“: ”的文字要用引号括起来",
}


def _yaml_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    """A PyYAML error as one located sentence."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context = str(exc.problem or ""), str(exc.context or "")
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '\"")
        tag = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
        message = f"不允许使用 YAML 标签 '{tag}'：数据只用普通 YAML（文字、数字、列表、映射）"
    elif problem.startswith("字段 '"):  # KBConstructor's duplicate key
        message = problem
    elif problem.startswith("found character '\\t'"):
        message = "YAML 语法：这里有制表符（Tab）：缩进请用空格"
    elif "expected a single document" in context:
        message = "这里开始了第二个 YAML 文档（'---'）：一个数据文件只放一个条目列表"
    else:
        # PyYAML's own words stay as they are (an author can search for them); our hint comes first
        message = "YAML 语法错误：" + (f"{_YAML_HINTS[problem]}；" if problem in _YAML_HINTS else "") + (problem or context)
        if problem and context:
            cm = exc.context_mark
            started = f"，始于第 {cm.line + 1} 行第 {cm.column + 1} 列" if cm and cm is not mark else ""
            message += f"（{context}{started}）"
    return Problem(shown, line, col, message)


def parse(path: Path, shown: str, root: Path, within: Path) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file safely; every failure becomes a located Problem, marked as a file that could
    not be read. A file that is a link leading out of the folder ``within`` is not read (kb.datafiles)."""
    if leads_out(path, within):
        return None, [outside(path, root, within)]
    doc, problems = read_once(path.read_bytes(), shown)
    return doc, [replace(p, unreadable=True) for p in problems]


def read_once(raw: bytes, shown: str) -> tuple[Document | None, list[Problem]]:
    """``read_yaml``, once per build for the same bytes (the loader and the change history's working tree
    both read every data file), and while serving, a file the edit did not touch reads as before
    (kb.carryover). Nothing changes a Document once read but its ``validated`` cache, which only adds."""
    # keyed by the bytes' digest: the key outlives the read, and the bytes themselves are the data's size again
    return CARRIED.within_build(("parse", shown, hashlib.blake2b(raw, digest_size=20).digest()),
                                lambda: read_yaml(raw, shown))


def read_yaml(raw: bytes, shown: str) -> tuple[Document | None, list[Problem]]:
    """The document in ``raw`` (a data file's bytes, shown as ``shown``), or the located mistakes that
    stop it being read: the one reader of data files, for the working tree and for old versions alike."""
    text, problems = _decode(raw, shown)
    if text is None:
        return None, problems
    if FastKBLoader is not KBLoader and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            doc = _compose(text, shown, FastKBLoader)
        except Exception:  # noqa: BLE001 - any mistake: parse again below, for the author's message
            pass
        else:
            return _found(doc, shown)
    try:
        doc = _compose(text, shown, KBLoader)
    except Refused as exc:
        mark = exc.problem_mark
        return None, [Problem(shown, mark.line + 1, mark.column + 1, str(exc.problem))]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc, shown)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, shown)]
    except RecursionError:
        return None, [Problem(shown, 1, 1, "YAML：列表和映射嵌套太深")]
    except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:  # anything else PyYAML may raise
        return None, [Problem(shown, 1, 1, f"YAML：无法读取文件（{exc.__class__.__name__}: {exc}）")]
    return _found(doc, shown)


def _found(doc: Document | None, shown: str) -> tuple[Document | None, list[Problem]]:
    """A parsed document, or the mistake of an empty one (whichever parser read it)."""
    if doc is None:
        return None, [Problem(shown, 1, 1, "文件是空的：应当是一个条目列表")]
    return doc, []


def _compose(text: str, shown: str, loader_class: type) -> Document | None:
    """The document of ``text`` with every value's position, or None for an empty file; raises on a mistake."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)  # before anything is built from the nodes
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    doc = Document(shown, data, text=text)
    _index_positions(node, (), doc, set())
    return doc


def _reader_problem(exc: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    """A character YAML does not accept (a control character pasted in with the text)."""
    line, col = _position(text, exc.position) if isinstance(exc.position, int) else (1, 1)
    char = exc.character if isinstance(exc.character, int) else 0
    return Problem(shown, line, col, f"YAML 中不允许字符 U+{char:04X}（看不见的控制字符）：请删除")


def _field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    """What an author wrote, in words: ``text 'abc'``, ``the number 3``, ``a list``."""
    if isinstance(value, str):
        value = " ".join(value.split())
        return f"文字 '{value if len(value) <= 40 else value[:40] + '…'}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    names = {list: "一个列表", dict: "一个映射", type(None): "空值"}
    return names.get(type(value), type(value).__name__)


def _valid_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names (as written in YAML) of the model that ``loc``'s last part sits in."""
    parent = model
    for part in loc[:-1]:  # walk into nested models
        f = parent.model_fields.get(part) if isinstance(part, str) else None
        ann = getattr(f, "annotation", None) if f else None
        inner = getattr(ann, "__args__", (ann,))[0] if ann is not None else None
        parent = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else parent
    return [f.alias or name for name, f in parent.model_fields.items()]


_EXPECTED = {
    "string_type": "文字", "string_sub_type": "文字", "list_type": "一个列表", "int_type": "整数",
    "int_parsing": "整数", "int_from_float": "整数", "bool_type": " true 或 false",
    "bool_parsing": " true 或 false", "model_type": "字段映射", "model_attributes_type": "字段映射",
    "dict_type": "字段映射",
}
_KEBAB = "只能用小写 a-z、0-9 和 '-'（如 'double-refund'）"


def explain(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error as a sentence an author understands."""
    loc = tuple(p for p in error["loc"])
    where = _field_path(loc)
    field_ = f"字段 '{where}'：" if where else ""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return f"缺少必填字段 '{where}'"
    if kind == "extra_forbidden":
        valid = _valid_fields(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
        hint = f"，是不是 '{close[0]}'？" if close else ""
        return f"没有字段 '{where}'{hint}（可用的字段：{', '.join(valid)}）"
    if kind == "invalid_key":
        return f"'{loc[-1]}' 不能作字段名：字段名是文字，如 'title'"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == TIME_BLOCK:
            return f"{field_}时间段 '{value}' 写法不对：写成“开始-结束”，24 小时制，如 9:00-12:00"
        if loc == ("id",):
            return f"id '{value}' 不是 ASCII 小写连字符格式：{_KEBAB}"
        return f"{field_}'{value}' 不是 id：{_KEBAB}"
    if kind == "literal_error":
        shown = f"'{value}'" if isinstance(value, str) else _describe(value)
        expected = str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return f"{field_}{shown} 不是可选的值（可选：{expected}）"
    if kind.startswith("date"):
        if isinstance(value, str):
            return f"{field_}'{value}' 不是有效日期：写成 YYYY-MM-DD（如 2024-05-01）"
        return f"{field_}应当是日期（YYYY-MM-DD），写的是{_describe(value)}"
    if kind in _EXPECTED:
        message = f"{field_}应当是{_EXPECTED[kind]}，写的是{_describe(value)}"
        if kind in ("string_type", "string_sub_type") and isinstance(value, (bool, int, float)):
            message += "（用引号括起来就是文字）"
        elif kind == "list_type" and isinstance(value, str):
            message += "（列表写成 [a, b]，或每行一个 '- 项'）"
        return message
    if kind == "string_too_short" and (ctx.get("min_length") or 1) > 1:
        return f"字段 '{where}' 太短（至少 {ctx.get('min_length')} 个字符）"
    if kind in ("too_short", "string_too_short"):
        return f"字段 '{where}' 不能为空"
    if kind == "string_too_long":
        return f"字段 '{where}' 太长（{len(value)} 字，最多 {ctx.get('max_length')} 字）"
    if kind == "too_long":
        return f"字段 '{where}' 太长（最多 {ctx.get('max_length')} 项，写的是 {ctx.get('actual_length')} 项）"
    if kind == "greater_than_equal":
        return f"字段 '{where}' 不能小于 {ctx.get('ge')}（写的是 {value}）"
    if kind == "less_than_equal":
        return f"字段 '{where}' 不能大于 {ctx.get('le')}（写的是 {value}）"
    return f"{field_}{error['msg']}"


def refers_at(model: type[BaseModel], loc: Loc) -> tuple[str, ...]:
    """The kinds whose ids the field at ``loc`` takes (``("types",)`` for ``types[2]``), or () when
    it is not a reference."""
    for i, part in enumerate(loc):
        if not isinstance(part, str):
            continue
        info = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if info is None:
            return ()
        kinds = next((m.kinds for m in info.metadata if isinstance(m, RefTo)), None)
        if kinds:
            return kinds
        inner = [a for a in getattr(info.annotation, "__args__", (info.annotation,)) if isinstance(a, type)]
        nested = [a for a in inner if issubclass(a, BaseModel)]
        if not nested:
            return ()
        model = nested[0]
    return ()


def _located(exc: ValidationError, doc: Document, index: int, model: type[BaseModel], subject: str) -> list[Problem]:
    """The mistakes pydantic found in item ``index`` of a file, each where it is written."""
    problems = []
    errors = exc.errors()
    for err in errors:
        if _misspelt(err, errors):
            continue  # 'titlex' written for 'title': one mistake, said where it is written (no cascade)
        # a field that should not be there is shown at its name, every other mistake at its value
        line, col = doc.where((index, *err["loc"]), key=err["type"] in ("extra_forbidden", "invalid_key"))
        refers = refers_at(model, err["loc"]) if err["type"] in ("missing", "string_pattern_mismatch") else ()
        written = err.get("input") if err["type"] == "string_pattern_mismatch" else None
        problems.append(Problem(doc.path, line, col, explain(err, model), subject, refers_to=refers,
                                written=written if isinstance(written, str) else None))
    return problems


def _misspelt(err: dict[str, Any], errors: list[dict[str, Any]]) -> bool:
    """A missing field whose name an unknown field beside it is close to (the unknown one says so)."""
    if err["type"] != "missing":
        return False
    parent, name = tuple(err["loc"][:-1]), str(err["loc"][-1])
    written = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden" and tuple(e["loc"][:-1]) == parent]
    return any(difflib.get_close_matches(w, [name], n=1) for w in written)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(ID_PATTERN, value.strip()) is not None


def validate(doc: Document, kind: str) -> tuple[list[Record], list[Problem]]:
    """Validate every entry of one file against its kind's model.

    An entry with mistakes is returned too, marked ``broken`` with only its id and aliases, when the
    id is well formed: references to it then resolve, so one mistake is not repeated at every mention.
    """
    model = KINDS[kind]
    if not isinstance(doc.data, list):
        return [], [Problem(doc.path, *doc.where(()), f"应当是{LABEL[kind]}条目的列表"
                            f"（每条以 '- id: ...' 开头），写的是{_describe(doc.data)}", unreadable=True)]
    records: list[Record] = []
    problems: list[Problem] = []
    for index, raw in enumerate(doc.data):
        rid = raw.get("id") if isinstance(raw, dict) else None
        subject = f"{LABEL[kind]} '{rid}'" if isinstance(rid, str) and rid else f"第 {index + 1} 条{LABEL[kind]}"
        if not isinstance(raw, dict):
            line, col = doc.where((index,))
            problems.append(Problem(doc.path, line, col, f"应当是一个条目（字段映射），写的是{_describe(raw)}", subject))
            continue
        try:
            entry = model.model_validate(raw)
        except ValidationError as exc:
            problems += _located(exc, doc, index, model, subject)
            if _is_id(rid):
                old = raw.get("aliases")
                aliases = [a.strip() for a in old if _is_id(a)] if isinstance(old, list) else []
                stub = model.model_construct(id=rid.strip(), aliases=aliases)
                records.append(Record(kind, stub, doc, index, broken=True))
            continue
        records.append(Record(kind, entry, doc, index))
    return records, problems


def validated(doc: Document, kind: str) -> tuple[list[Record], list[Problem]]:
    """``validate``, once per document: each call hands out fresh records (a build sets their page and
    local flag), sharing the entries, which nothing changes, and their listed values."""
    if kind not in doc.validated:
        doc.validated[kind] = validate(doc, kind)
    records, problems = doc.validated[kind]
    return [r.fresh() for r in records], list(problems)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _key_of(raw: dict) -> str | None:
    key = raw.get("key")
    return key if isinstance(key, str) and key else None


def read_list(path: Path, root: Path, within: Path, model: type[BaseModel], what: str, *, shape: str = "",
              name: Callable[[dict], str | None] = _key_of) -> tuple[Document | None, list[tuple[int, Any]], list[Problem]]:
    """A file holding a plain list of ``model`` items (not entries): each valid item with its index in
    the list, and every mistake. ``name`` gives an item's name for its mistakes (``what 'name'``), else
    it is ``what #n``; ``shape`` says what the list should look like when the file holds something else.
    The file must be in the folder ``within`` (the project, or a branch's folder)."""
    shown = _relative(path, root)
    doc, problems = parse(path, shown, root, within)
    if doc is None:
        return None, [], problems
    if not isinstance(doc.data, list):
        return None, [], [Problem(shown, *doc.where(()), f"应当是{what}的列表{shape}，写的是{_describe(doc.data)}",
                                  unreadable=True)]
    items = []
    for i, raw in enumerate(doc.data):
        try:
            items.append((i, model.model_validate(raw)))
        except ValidationError as exc:
            named = name(raw) if isinstance(raw, dict) else None
            subject = f"{what} '{named}'" if named else f"第 {i + 1} 个{what}"
            problems += _located(exc, doc, i, model, subject)
    return doc, items, problems


def _plain_list(path: Path, root: Path, model: type[BaseModel], what: str) -> tuple[list[Any], list[Problem]]:
    shown = _relative(path, root)
    if not path.exists():
        return [], [Problem(shown, 1, 1, f"缺少文件：{shown} 应当列出所有{what}", unreadable=True)]
    doc, items, problems = read_list(path, root, root, model, what)
    return [(item, doc.where((i,))) for i, item in items], problems  # no items without a doc


def load_sources(root: Path) -> tuple[list[tuple[SourceSection, Pos]], list[Problem]]:
    return _plain_list(root / "data" / "sources.yaml", root, SourceSection, "出处")


def load_synonyms(root: Path) -> tuple[list[tuple[SynonymGroup, Pos]], list[Problem]]:
    path = root / "data" / "synonyms.yaml"
    if not path.exists():
        return [], []
    return _plain_list(path, root, SynonymGroup, "同义词组")


def load_entries(root: Path, data: Path | None = None) -> tuple[list[Record], list[Problem], dict[str, list[str]]]:
    """Every entry under ``data/<kind>/*.yaml`` (``data`` defaults to ``root/data``; a branch has its
    own), paths shown relative to ``root``; files in unknown folders are mistakes too, and so are links
    that lead out of the folder holding ``data`` (the project or the branch folder).

    Also returns, per kind, the files that could not be read: which ids they hold is unknown.
    """
    data = root / "data" if data is None else data
    records: list[Record] = []
    unread: dict[str, list[str]] = {}
    paths, problems = yaml_files(data, root, data.parent)
    for path in paths:
        rel = path.relative_to(data)
        shown = _relative(path, root)
        if len(rel.parts) == 1:
            continue  # sources.yaml, synonyms.yaml: loaded on their own
        kind = rel.parts[0]
        if kind not in KINDS:
            problems.append(Problem(shown, 1, 1, f"没有 '{kind}' 这种数据文件夹（可选：{', '.join(KINDS)}）",
                                    unreadable=True))
            continue
        doc, found = parse(path, shown, root, data.parent)
        if doc is not None:
            got, more = validated(doc, kind)
            records += got
            found += more
        problems += found
        if any(p.unreadable for p in found):
            unread.setdefault(kind, []).append(shown)
    return records, problems, unread
