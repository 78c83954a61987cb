"""Text from data stays text, and renamed ids keep their old addresses: a build of altered data."""

from __future__ import annotations

import html as htmllib
import re

import pytest
import yaml

from conftest import build_site, copy_project
from sitehtml import article, parse, section

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ATTR = '{: onclick="alert(2)"}'
LINK = "[点我](javascript:alert(3))"
QUOTES = """“他说'先使用，后付费'" & 'x'"""
PLAIN = f"{PAYLOAD} {ATTR} {LINK} **不加粗** {QUOTES}"  # a plain-text value: every character shown as written
SHORT_PAYLOAD = "<img src=x>信号"  # fits a signal's short label


@pytest.fixture(scope="module")
def altered(tmp_path_factory, kb):
    project = copy_project(tmp_path_factory.mktemp("project"))
    category = kb.of_kind("categories")[0].id
    source = kb.sources[0].key
    entries = {
        "types": [{
            "id": "injected-type", "title": f"注入测试 {PAYLOAD}", "family": "性格类型", "order": 99,
            "summary": f"摘要 {PAYLOAD} {ATTR} **加粗** `<b>代码</b> {ATTR}`",
            "first_move": f"第一步 {PAYLOAD} {LINK}",
            "signals": [{"signal": "angry", "note": note} for note in (PAYLOAD, f"信号 {ATTR}", "- 列表开头", PLAIN)],
            "handling": ["一", "二", "三"],
            "phrases": ["injected-swap"],
            "donts": ["甲", "乙"], "tags": [PAYLOAD], "sources": [source], "aliases": ["old-injected-type"],
        }],
        "swaps": [{
            "id": "injected-swap", "title": f"替换 {PAYLOAD}", "avoid": PLAIN, "say": [f"改说 {PLAIN}"],
            "why": f"因为 {PAYLOAD}", "types": ["injected-type"], "sources": [source], "moments": [SHORT_PAYLOAD],
            "aliases": ["old-injected-swap"],
        }],
        "scenarios": [{
            "id": "injected-scenario", "title": "注入场景", "category": category, "situation": PAYLOAD,
            "types": ["injected-type"], "measures": [PAYLOAD],
            "dialogue": [{"who": "客户", "line": PAYLOAD}, {"who": "坐席", "line": "好的", "note": PAYLOAD}],
            "sources": [source],
        }],
    }
    # a signal's label reaches /types/, /triage/ and triage.json
    signals_file = project / "data" / "signals" / "signals.yaml"
    signals = yaml.safe_load(signals_file.read_text(encoding="utf-8"))
    signals[0].update(title=SHORT_PAYLOAD, description=PAYLOAD)
    signals_file.write_text(yaml.safe_dump(signals, allow_unicode=True), encoding="utf-8")
    for kind, items in entries.items():
        (project / "data" / kind).mkdir(parents=True, exist_ok=True)
        (project / "data" / kind / "zz-injected.yaml").write_text(
            yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    site = project / "site"
    result = build_site(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.parametrize("page", ["types/injected-type/index.html", "scenarios/injected-scenario/index.html",
                                  "phrases/index.html", "index.html", "types/index.html", "triage/index.html",
                                  "call-card/index.html"])
def test_injected_markup_is_shown_as_text(altered, page):
    html = (altered / page).read_text(encoding="utf-8")
    body = article(html)
    assert 'alert("x")</script>' not in html
    assert "<img src=x" not in html
    assert not [h for h in parse(altered / page).event_handlers if "alert" in h]
    assert "javascript:" not in re.sub(r"&#\d+;|&\w+;", "", " ".join(re.findall(r'href="([^"]*)"', body)))
    assert "evil.example" not in " ".join(parse(altered / page).assets)
    assert "&amp;#" not in body, "a character reference escaped twice shows as '&#39;' on the page"


def shown(html: str) -> str:
    """The text a reader sees: tags dropped, references resolved, spaces folded."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("page", ["types/injected-type/index.html", "phrases/index.html"])
def test_plain_values_read_exactly_as_written(altered, page):
    """The sentence to avoid and the sentence to say, on the swap's own entry and where a type lists it:
    markup, Markdown, attribute lists, links and quotes all show as the characters written."""
    body = article((altered / page).read_text(encoding="utf-8"))
    assert shown(body).count(PLAIN) >= 2, shown(body)
    assert shown(body).count(f"改说 {PLAIN}") == 1
    assert "<strong>不加粗</strong>" not in body


def test_the_call_card_shows_a_type_s_first_move_as_written(altered):
    """The printed card lists every type's first move in a table: markup and Markdown stay characters."""
    body = article((altered / "call-card/index.html").read_text(encoding="utf-8"))
    assert f"第一步 {PAYLOAD} {LINK}" in shown(body)


def test_prose_keeps_its_markdown_and_nothing_else(altered):
    body = article((altered / "types/injected-type/index.html").read_text(encoding="utf-8"))
    assert "<strong>加粗</strong>" in body  # prose keeps its Markdown
    # a code span shows its text once escaped (not "&lt;"), and its braces never become attributes
    assert '<code>&lt;b&gt;代码&lt;/b&gt; {: onclick="alert(2)"}</code>' in body


def test_an_image_in_prose_is_never_loaded(kb):
    """The checker refuses images in prose; should one reach the renderer, it stays text."""
    from kb.render import Renderer

    prose = "流程图见![外图](https://evil.example/a.png)。"
    md = Renderer(kb).prose_markdown(prose, "types/x.md")
    assert "![" not in md and "&#33;[外图](https://evil.example/a.png)" in md
    assert "<img" not in Renderer(kb).prose_html(prose, "types/x/index.md")


@pytest.mark.parametrize("prose", [
    "- 先听\n  [r]: javascript:alert(1)\n- [点我][r]",  # a definition inside a list item
    "[]: javascript:alert(1)\n\n[点我][]",  # an empty label
    "[点我](java\nscript:alert(1))",  # a browser drops the line break
    "[点我](//evil.example/x)",  # another host
])
def test_a_link_the_checker_refuses_is_text_should_it_reach_the_renderer(kb, prose):
    """Every href the Markdown converter writes is held to the rule, not the source's patterns."""
    from kb.prose import links
    from kb.render import Renderer

    assert links(prose), "the checker sees the link"
    html = Renderer(kb).prose_html(prose, "types/x/index.md")
    assert "href" not in html and "点我" in html, html


def test_the_search_help_shows_a_type_s_title_as_text(altered, browser, traffic):
    """The no-match view draws its links from search/help.json (kb.search.search_help): the injected
    type's title is a link's text, character for character, and no element or handler comes of it."""
    import json

    from browser import checked_page, open_search, serve, type_like_ime

    groups = json.loads((altered / "search" / "help.json").read_text(encoding="utf-8"))
    assert f"注入测试 {PAYLOAD}" in [link["title"] for g in groups for link in g["links"]]
    with serve(altered) as url, checked_page(browser, url, traffic) as page:
        ran: list[str] = []  # what an injected script would say (alert), dismissed
        page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
        page.goto("./")
        open_search(page)
        type_like_ime(page, "宽带安装要多少钱")
        page.wait_for_selector("[data-kb-search-help-links][data-kb-drawn]", state="attached")
        box = page.locator("[data-kb-search-help-links]")
        assert f"注入测试 {PAYLOAD}" in box.locator("a").all_text_contents()
        assert box.locator("script, img").count() == 0
        link = box.get_by_text(f"注入测试 {PAYLOAD}", exact=True)
        assert link.get_attribute("href").endswith("/types/injected-type/")
        assert not ran, f"a script from the data ran: {ran}"


def test_page_title_is_escaped(altered):
    html = (altered / "types/injected-type/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<script>" not in title and "&lt;script&gt;" in title


def test_renamed_page_redirects_to_new_address(altered):
    old = (altered / "types/old-injected-type/index.html").read_text(encoding="utf-8")
    assert 'url=../injected-type/"' in old
    assert "location.hash" in old  # the #anchor survives the redirect


def test_renamed_anchor_still_lands_on_its_entry(altered):
    html = (altered / "phrases/index.html").read_text(encoding="utf-8")
    assert "old-injected-swap" in parse(altered / "phrases/index.html").ids
    # the old anchor sits inside the renamed entry's own section
    assert 'id="old-injected-swap"' in section(html, "injected-swap")


def test_signal_label_is_text_on_the_triage_page_and_in_its_json(altered):
    import json

    html = (altered / "triage" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x&gt;信号" in html
    data = json.loads((altered / "triage.json").read_text(encoding="utf-8"))
    assert data["signals"][0]["label"] == SHORT_PAYLOAD  # as written: the page sets it with textContent
    assert any(PLAIN in say for t in data["types"] for say in t["say"])


def test_the_preview_error_page_shows_messages_as_text():
    """A mistake's message quotes what the author wrote: on the preview's error page it is text."""
    from kb.errorpage import error_page

    page = error_page("数据中有 1 处错误", ["data/types/a.yaml:3:7: 客户类型 'a'：没有字段 '<script>alert(1)</script>'",
                                        "注：<b>x</b>"])
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<code>data/types/a.yaml:3:7</code>" in page and "&lt;b&gt;x&lt;/b&gt;" in page
