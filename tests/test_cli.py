"""``python -m kb`` speaks Chinese: its help and argparse's own mistakes (a wrong command, a missing value),
which the knowledge team reads beside the data's messages."""

from __future__ import annotations

import re

import pytest

from kb.__main__ import main
from kb.cli import _width, chinese_error, wrap

# argparse's own English words, which must not reach an author
ENGLISH = re.compile(r"usage|options|positional|arguments?|required|invalid|choose|unrecognized|expected|"
                     r"help message|ignored|explicit|value|ambiguous|could match|error")


def test_the_help_is_chinese_and_fits_a_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：kb ") and "\n参数：\n" in out and "\n选项：\n" in out and "显示这段说明" in out
    assert not ENGLISH.search(out), out
    assert max(_width(line) for line in out.splitlines()) <= 80, out


@pytest.mark.parametrize("argv, says", [
    (["chek"], "命令：没有 'chek'（可选：check、schema、misses、pages、new、branch）"),
    (["it's x"], "命令：没有 \"it's x\"（可选：check、schema、misses、pages、new、branch）"),
    ([], "缺少命令"),
    (["check", "--bogus"], "不认识的参数：--bogus"),
    (["check", "--root"], "--root 后面要写一个值"),
    (["check", "--help=x"], "-h/--help 后面不写值（写的是 'x'）"),
    (["misses", "--top", "x"], "--top：要写一个正整数，写的是 'x'"),
    (["misses", "--top", "²"], "--top：要写一个正整数，写的是 '²'"),
    (["new", "--kind", "scenario"], "new 要写 --kind 和 --id（例如 --kind scenario --id late-refund）"),
])
def test_a_wrong_command_line_is_said_in_chinese(argv, says, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"kb：{says}（用 kb --help 看说明）" in err, err
    assert err.startswith("用法：kb ") and not ENGLISH.search(err), err


def test_an_argparse_message_it_does_not_know_follows_a_chinese_lead():
    assert chinese_error("something new") == "命令行有误（argparse 的原话：something new）"
    assert chinese_error("argument --x: something new") == "--x：命令行有误（argparse 的原话：something new）"


def test_lines_are_broken_by_the_columns_a_terminal_gives_them():
    lines = wrap("check：检查 data/，列出每一处错误；new：添加一个条目骨架（--kind、--id、--file）", 20)
    assert all(_width(line) <= 20 for line in lines), lines
    assert "".join(lines) == "check：检查 data/，列出每一处错误；new：添加一个条目骨架（--kind、--id、--file）"
    assert wrap("python -m benchmarks.search --queries FILE", 20) == ["python -m", "benchmarks.search", "--queries FILE"]
