"""Text from data stays text, and renamed ids keep their old addresses: a build of altered data."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import build_site, copy_project
from sitehtml import article, parse, section

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ATTR = '{: onclick="alert(2)"}'
LINK = "[点我](javascript:alert(3))"


@pytest.fixture(scope="module")
def altered(tmp_path_factory, kb):
    project = copy_project(tmp_path_factory.mktemp("project"))
    category = kb.of_kind("categories")[0].id
    source = kb.sources[0].key
    entries = {
        "types": [{
            "id": "injected-type", "title": f"注入测试 {PAYLOAD}", "family": "性格类型", "order": 99,
            "summary": f"摘要 {PAYLOAD} {ATTR} **加粗**", "first_move": f"第一步 {PAYLOAD} {LINK}",
            "signals": [PAYLOAD, f"信号 {ATTR}", "- 列表开头"], "handling": ["一", "二", "三"],
            "donts": ["甲", "乙"], "tags": [PAYLOAD], "sources": [source], "aliases": ["old-injected-type"],
        }],
        "swaps": [{
            "id": "injected-swap", "title": f"替换 {PAYLOAD}", "avoid": PAYLOAD, "say": [f"改说 {PAYLOAD}"],
            "why": f"因为 {PAYLOAD}", "types": ["injected-type"], "sources": [source],
            "aliases": ["old-injected-swap"],
        }],
        "scenarios": [{
            "id": "injected-scenario", "title": "注入场景", "category": category, "situation": PAYLOAD,
            "types": ["injected-type"], "measures": [PAYLOAD],
            "dialogue": [{"who": "客户", "line": PAYLOAD}, {"who": "坐席", "line": "好的", "note": PAYLOAD}],
            "sources": [source],
        }],
    }
    for kind, items in entries.items():
        (project / "data" / kind).mkdir(parents=True, exist_ok=True)
        (project / "data" / kind / "zz-injected.yaml").write_text(
            yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    site = project / "site"
    result = build_site(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.parametrize("page", ["types/injected-type/index.html", "scenarios/injected-scenario/index.html",
                                  "phrases/index.html", "index.html", "types/index.html"])
def test_injected_markup_is_shown_as_text(altered, page):
    html = (altered / page).read_text(encoding="utf-8")
    body = article(html)
    assert 'alert("x")</script>' not in html
    assert "<img src=x" not in html
    assert not [h for h in parse(altered / page).event_handlers if "alert" in h]
    assert "javascript:" not in re.sub(r"&#\d+;|&\w+;", "", " ".join(re.findall(r'href="([^"]*)"', body)))
    if page.startswith("types/injected"):
        assert "&lt;script&gt;alert" in body  # shown, escaped
        assert "<strong>加粗</strong>" in body  # prose keeps its Markdown


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
