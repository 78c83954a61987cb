"""`make new KIND=scenario ID=…`: a complete entry skeleton, written from the model, with Chinese comments.

Every field of the kind is there: the required ones with a value that passes the checks (a 待填写
placeholder for text, the first existing id for a required reference, today for a review date), the
optional ones commented out. Each line carries the field's description from ``model.py``, and a
reference the ids it may take, so the author needs neither the format page nor another entry to copy.
`make check` lists the placeholders left (``placeholders``), so a skeleton is not published by mistake.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .choices import offer
from .jsonschema import all_schemas
from .knowledge import KnowledgeBase
from .model import AUTHORED, ID_PATTERN, KINDS, LABEL, PLURAL, SINGULAR, TIME_BLOCK

PLACEHOLDER = "待填写"
# a value for a pattern that is not an id's
EXAMPLE = {TIME_BLOCK: "9:00-12:00"}
# a new legal note claims nothing until its wording is checked: shown as 待法务复核
SAFE_CHOICE = {"status": "needs-review", "confidence": "low"}


# what a new entry of a kind needs besides itself (rules across entries, kb.check)
ALSO = {"signals": "还要把它加到至少一个客户类型的 signals 里；识别信号最多 35 个（识别助手的按键），满了就先合并意思相同的。"}


class SkeletonError(Exception):
    """Why no skeleton was written (one Chinese sentence)."""


@dataclass
class _Emit:
    defs: dict
    kb: KnowledgeBase
    today: dt.date
    lines: list[str]

    def comment(self, indent: str, prop: dict) -> None:
        text = " ".join(str(prop.get("description", "")).split())
        if text:
            self.lines.append(f"{indent}# {text}")

    def field(self, indent: str, first: str, name: str, prop: dict, required: bool) -> None:
        """One field: its description, then ``name: value`` (commented out when optional)."""
        self.comment(indent, prop)
        kinds = tuple(prop.get("x-refers-to") or prop.get("items", {}).get("x-refers-to") or ())
        if kinds:
            self.lines.append(f"{indent}# {offer(kinds, self.kb.records)[1:-1]}")
        start = len(self.lines)
        resolved = self.resolve(prop)
        if resolved.get("type") == "object":
            self.lines.append(f"{first}{name}:")
            self.object(indent + "  ", indent + "  ", resolved)
        elif resolved.get("type") == "array" and "$ref" in resolved.get("items", {}):
            self.lines.append(f"{first}{name}:")
            self.object(indent + "    ", indent + "  - ", self.resolve(resolved["items"]))
        else:
            self.lines.append(f"{first}{name}: {self.value(name, prop, kinds)}")
        if not required:  # there to be seen, commented out (the first field of a list item is a required one)
            self.lines[start:] = [f"{indent}# {line[len(indent):]}" for line in self.lines[start:]]

    def object(self, indent: str, first: str, schema: dict) -> None:
        required = set(schema.get("required", []))
        props = list(schema.get("properties", {}).items())
        if first != indent:  # a list item: a required field first, to carry the "- " (the rest keep their order)
            props.sort(key=lambda p: p[0] not in required)
        for i, (name, prop) in enumerate(props):
            self.field(indent, first if i == 0 else indent, name, prop, name in required)

    def resolve(self, prop: dict) -> dict:
        if "$ref" in prop:
            return self.defs[prop["$ref"].rsplit("/", 1)[-1]]
        options = [p for p in prop.get("anyOf", []) if p.get("type") != "null"]
        return self.resolve(options[0]) if options else prop

    def value(self, name: str, prop: dict, kinds: tuple[str, ...], label: str = "") -> str:
        """A value that passes the checks, in YAML flow style; ``label`` names a placeholder."""
        label = label or str(prop.get("description", "")).split("：")[0].split("（")[0] or name
        prop = self.resolve(prop)
        if name == "sources":
            return f"[{AUTHORED}]"
        if kinds:
            ids = [r.id for r in self.kb.records if r.kind in kinds]
            first = ids[0] if ids else "待填写"
            return f"[{first}]" if prop.get("type") == "array" else first
        if "enum" in prop:
            return _quote(SAFE_CHOICE.get(name, prop["enum"][0]))
        t = prop.get("type")
        if t == "array":
            return f"[{self.value(name, prop.get('items', {}), (), label)}]"
        if t == "integer":
            return str(max(1, prop.get("minimum", 1)))
        if t == "boolean":
            return "false"
        if prop.get("format") == "date":
            return self.today.isoformat()
        if t == "string" and "pattern" in prop:
            if prop["pattern"] in EXAMPLE:
                return EXAMPLE[prop["pattern"]]
            return "old-id" if name == "aliases" else "new-key"
        return _quote(f"{PLACEHOLDER}：{label}")


def _quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def kind_of(name: str) -> str:
    """``scenario`` or ``scenarios`` → ``scenarios``; SkeletonError naming the choices otherwise."""
    kind = name if name in KINDS else PLURAL.get(name)
    if kind is None:
        choices = "、".join(f"{SINGULAR[k]}（{LABEL[k]}）" for k in KINDS)
        raise SkeletonError(f"没有 '{name}' 这种条目（可选：{choices}）")
    return kind




def skeleton(kb: KnowledgeBase, kind: str, entry_id: str, today: dt.date) -> str:
    """The YAML text of one entry of ``kind`` (a list item), every field present."""
    if not re.fullmatch(ID_PATTERN, entry_id):
        raise SkeletonError(f"id '{entry_id}' 不是 ASCII 小写连字符格式：只能用小写 a-z、0-9 和 '-'（如 'double-refund'）")
    if entry_id in kb.by_id or entry_id in kb.aliases:
        used = kb.by_id.get(entry_id) or kb.aliases[entry_id]
        raise SkeletonError(f"id '{entry_id}' 已被{used.subject} 使用（{used.doc.path}）：请换一个")
    schema = all_schemas()[kind]
    emit = _Emit(schema.get("$defs", {}), kb, today, [])
    item = dict(schema["items"])
    props = dict(item["properties"])
    required = set(item.get("required", [])) | {"review", "authored_basis"}  # reviewed from the start; authored needs its basis
    emit.lines.append(f"# 新的{LABEL[kind]}：先填完所有“{PLACEHOLDER}”，再按需取消注释可选字段；make check 会列出还没填的地方。")
    if kind in ALSO:
        emit.lines.append(f"# {ALSO[kind]}")
    emit.lines.append(f"- id: {entry_id}")
    for name, prop in props.items():
        if name == "id":
            continue
        emit.field("  ", "  ", name, prop, name in required)
    return "\n".join(emit.lines) + "\n"


def write_skeleton(root: Path, kb: KnowledgeBase, name: str, entry_id: str, file: str | None,
                   today: dt.date) -> Path:
    """Add the skeleton to ``file`` (under data/<kind>/; default data/<kind>/<id>.yaml) and return its path."""
    kind = kind_of(name)
    text = skeleton(kb, kind, entry_id, today)
    folder = (root / "data" / kind).resolve()
    target = (root / file).resolve() if file else folder / f"{entry_id}.yaml"
    if target.parent != folder or target.suffix not in (".yaml", ".yml"):
        raise SkeletonError(f"{file}：{LABEL[kind]}要写在 data/{kind}/ 下的 .yaml 文件里")
    if target.exists():
        old = target.read_text(encoding="utf-8-sig")
        target.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    else:
        header = f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"
        target.write_text(header + text, encoding="utf-8")
    return target


def placeholders(kb: KnowledgeBase) -> list[str]:
    """Each value still starting with 待填写, located: a reminder, not a mistake (the skeleton loads).
    Only the entries of files whose text has it are walked (every field of every entry was a tenth of a
    serve rebuild's loading at ×10), each file's text looked into once (once per entry was 0.05 s of a ×10
    rebuild: a file holds a hundred entries); the skeleton writes it as it is, never escaped."""
    out = []
    has: dict[int, bool] = {}  # id of a file's Document -> whether its text has the placeholder
    for rec in kb.records:
        found = has.get(id(rec.doc))
        if found is None:
            found = has[id(rec.doc)] = PLACEHOLDER in (rec.doc.text or "")
        if not found:
            continue
        for v in rec.values:
            if isinstance(v.value, str) and v.value.startswith(PLACEHOLDER):
                line, col = rec.where(*v.loc)
                where = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in v.loc).lstrip(".")
                out.append(f"{rec.doc.path}:{line}:{col}: {rec.subject}：字段 '{where}' 还没填写")
    return out
