"""``python -m kb`` speaks Chinese: its help and argparse's own mistakes (a wrong command, a missing value),
which the knowledge team reads beside the data's messages."""

from __future__ import annotations

import re

import pytest

from kb.__main__ import main
from kb.cli import chinese_error

# argparse's own English words, which must not reach an author
ENGLISH = re.compile(r"usage|options|positional|arguments?|required|invalid|choose|unrecognized|expected|help message")


def test_the_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：kb ") and "参数" in out and "选项" in out and "显示这段说明" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("argv, says", [
    (["chek"], "命令：没有 'chek'（可选：check、schema、misses、pages、new、branch）"),
    ([], "缺少命令"),
    (["check", "--bogus"], "不认识的参数：--bogus"),
    (["check", "--root"], "--root 后面要写一个值"),
    (["misses", "--top", "x"], "--top：要写一个正整数，写的是 'x'"),
])
def test_a_wrong_command_line_is_said_in_chinese(argv, says, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"kb：{says}（用 kb --help 看说明）" in err, err
    assert err.startswith("用法：kb ") and not ENGLISH.search(err), err


def test_an_argparse_message_it_does_not_know_is_kept_whole():
    assert chinese_error("something new from argparse") == "something new from argparse"
