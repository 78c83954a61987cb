"""Search as an agent uses it during a call, end to end in Chromium: a few representative queries."""

from __future__ import annotations

import pytest

from browser import open_search, result_titles, type_like_ime

pytestmark = pytest.mark.browser

# A few of every kind: a sentence to avoid, a colloquial complaint, a type, a legal question; the last two
# are held out (written nowhere in data/, see tests/search-queries.yaml), typed as an agent says them.
QUERIES = [
    ("别激动", ["你别激动"]),
    ("客户要十倍赔偿", ["多倍赔偿", "十倍"]),
    ("天天来投诉", ["投诉为生", "王先生"]),
    ("停机短信", ["停机提醒"]),
    ("信号时有时无", ["网络覆盖", "信号", "盲区"]),
    ("没问我就给开了业务", ["强开"]),
]


@pytest.mark.parametrize("query, expect", QUERIES)
def test_query_finds_the_entry_in_the_first_five(page, query, expect):
    page.goto("./")
    open_search(page)
    assert type_like_ime(page, query) is not None, f"no results for {query}"
    titles = result_titles(page)
    assert any(e in t for t in titles for e in expect), f"{query}: got {titles}"


def test_result_says_what_kind_of_entry_it_is(page):
    page.goto("./")
    open_search(page)
    type_like_ime(page, "你别激动")
    kinds = page.eval_on_selector_all(".md-search-result__item .kb-result-kind", "els => els.map(e => e.textContent)")
    assert kinds and kinds[0] == "话术"
    assert set(kinds) <= {"话术", "场景", "类型", "法律", "技巧", "原则", "升级", "岗位", "分类", "专题", "信号", "页面"}


def test_result_opens_the_entry_itself(page):
    """An anchored entry on a shared page comes up as that entry and opens at its anchor."""
    page.goto("./")
    open_search(page)
    type_like_ime(page, "你别激动")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/phrases/**#*")
    assert page.url.split("#")[1] in page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
