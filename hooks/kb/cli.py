"""The command line's own words in Chinese: ``python -m kb``'s help and its mistakes (a wrong command, a
missing value), which the knowledge team reads as they read the data's messages.

argparse writes its usage line, section titles, help option and errors in English through gettext, with
no catalogue for Chinese in the standard library. ``ArgumentParser.error`` is documented for overriding;
the usage line's prefix (``HelpFormatter.add_usage``), the two default sections' titles and the help's
line breaking (``_split_lines``) are not a public API, though argparse has kept them since Python 3.2
(tests/test_cli.py reads every word shown). An argparse message this module does not know is shown after
a Chinese lead, in argparse's words, so nothing is lost.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import NoReturn

from .prose import CJK

_VALUE = r"""(?P<value>'[^']*'|"[^"]*"|\S+)"""
# argparse's error messages (Python 3.11–3.13), each as a pattern and its Chinese
_ERRORS = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "缺少{names}"),
    (re.compile(r"invalid choice: " + _VALUE + r" \(choose from (?P<choices>.+)\)"), "没有 {value}（可选：{choices}）"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "不认识的参数：{args}"),
    (re.compile(r"expected one argument"), "后面要写一个值"),
    (re.compile(r"ignored explicit argument " + _VALUE), "后面不写值（写的是 {value}）"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<choices>.+)"), "{option} 不明确：可能是 {choices}"),
    (re.compile(r"invalid \S+ value: " + _VALUE), "{value} 不是可用的值"),
]
_ARGUMENT = re.compile(r"argument (?P<arg>\S+?): (?P<why>.+)", re.S)
_CJK = re.compile(f"[{CJK}]")
_TOKENS = re.compile(rf"[{CJK}]|[^\s{CJK}]+|\s+")  # a Chinese character, a word, a space


def chinese_error(message: str) -> str:
    """An argparse error message in Chinese; one it does not know after a Chinese lead."""
    m = _ARGUMENT.fullmatch(message)
    if m:  # "argument --top: <why>": the argument, then why
        why = _translated(m.group("why"))
        return f"{m.group('arg')}{' ' if why.startswith('后面') else '：'}{why}"
    return _translated(message)


def _translated(message: str) -> str:
    for pattern, chinese in _ERRORS:
        m = pattern.fullmatch(message)
        if m:
            parts = m.groupdict()
            if "choices" in parts:
                parts["choices"] = "、".join(c.strip().strip("'\"") for c in parts["choices"].split(","))
            return chinese.format(**parts)
    if _CJK.search(message):  # ours already (a type's ArgumentTypeError, parser.error)
        return message
    return f"命令行有误（argparse 的原话：{message}）"


def _width(text: str) -> int:
    """Columns a terminal gives ``text`` (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words or between Chinese characters
    (textwrap counts a Chinese character as one column, and breaks at hyphens inside --options)."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text.strip()):
        if token.isspace():
            token = " "
        if line and _width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width))


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Chinese."""

    def __init__(self, **kwargs) -> None:
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = "参数"  # the default sections (see the module's docstring)
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示这段说明，然后退出")

    def format_help(self) -> str:
        # argparse ends a section's title with an ASCII colon
        return re.sub(r"^(参数|选项):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{chinese_error(message)}（用 {self.prog} --help 看说明）\n")
