"""The command line's own words in Chinese: ``python -m kb``'s help and its mistakes (a wrong command, a
missing value), which the knowledge team reads as they read the data's messages.

argparse writes its usage line, section titles, help option and errors in English through gettext, with
no catalogue for Chinese in the standard library. ``ArgumentParser.error`` is documented for overriding;
the usage line's prefix (``HelpFormatter.add_usage``) and the two default sections' titles are not a
public API, though argparse has kept them since Python 3.2 (tests/test_cli.py reads every word shown). An
argparse message this module does not know is shown as it is after a Chinese lead, so nothing is lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

# argparse's error messages (Python 3.11–3.13), each as a pattern and its Chinese
_ERRORS = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "缺少{names}"),
    (re.compile(r"argument (?P<arg>\S+?): invalid choice: (?P<value>'[^']*'|\S+) \(choose from (?P<choices>.+)\)"),
     "{arg}：没有 {value}（可选：{choices}）"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "不认识的参数：{args}"),
    (re.compile(r"argument (?P<arg>\S+?): expected one argument"), "{arg} 后面要写一个值"),
    (re.compile(r"argument (?P<arg>\S+?): (?P<why>.+)"), "{arg}：{why}"),
]


def chinese_error(message: str) -> str:
    """An argparse error message in Chinese (an unknown one as it is)."""
    for pattern, chinese in _ERRORS:
        m = pattern.fullmatch(message)
        if m:
            parts = m.groupdict()
            if "choices" in parts:
                parts["choices"] = "、".join(c.strip().strip("'") for c in parts["choices"].split(","))
            return chinese.format(**parts)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Chinese."""

    def __init__(self, **kwargs) -> None:
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = "参数"  # the default sections (see the module's docstring)
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示这段说明，然后退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{chinese_error(message)}（用 {self.prog} --help 看说明）\n")
