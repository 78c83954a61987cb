"""The site behind nginx (deploy/nginx/) as staff use it in Chromium: logged in, every page kind used under
the build's Content-Security-Policy without one violation, and the search records written by nginx to the
log that `python -m kb misses` reads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import PAGE_KINDS, checked_page, open_search, representative_page, second_result, type_like_ime
from nginx import PASSWORD, USER

pytestmark = [pytest.mark.browser, pytest.mark.deploy]

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
LOGGED_IN = {"http_credentials": {"username": USER, "password": PASSWORD}}

# every securitypolicyviolation in the document, kept across instant navigation (the same document)
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  `${e.violatedDirective} ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`));
"""


def violations(page) -> list[str]:
    return page.evaluate("() => window.__violations")


@pytest.fixture
def staff(browser, nginx_server, traffic):
    """A page logged in to the site nginx serves, its requests and console checked when the test ends."""
    with checked_page(browser, nginx_server.url(), traffic, **LOGGED_IN) as pg:
        pg.add_init_script(WATCH)
        yield pg


def test_every_page_kind_used_without_a_policy_violation(staff, kb):
    seen = []
    for which in [*PAGE_KINDS, "review", "changes", "call-card", "export", "manage", "deploy", "triage"]:
        staff.goto(representative_page(kb, which) if which in PAGE_KINDS else f"{which}/")
        staff.wait_for_load_state("networkidle")
        seen += violations(staff)
    # search, used as an agent does (the worker and its shards run under the policy too), then a result opened
    staff.goto("./")
    open_search(staff)
    type_like_ime(staff, "你别激动")
    staff.locator(".md-search-result__item a.md-search-result__link").first.click()
    staff.wait_for_load_state("networkidle")
    seen += violations(staff)
    # the triage page: signals ticked with the keyboard, the first thing to say copied
    staff.goto("triage/")
    staff.locator(".kb-triage input[data-key]").first.focus()
    for key in "abc":
        staff.keyboard.press(key)
    button = staff.locator(".kb-result [data-kb-copy]").first
    button.click()
    expect(button).to_have_text("已复制")
    seen += violations(staff)
    # copy buttons: a sentence to say, an entry's address
    staff.goto("phrases/")
    staff.locator(".kb-say [data-kb-copy]").first.click()
    expect(staff.locator(".kb-say [data-kb-copy]").first).to_have_text("已复制")
    staff.locator(".kb-permalink button").first.click()
    seen += violations(staff)
    # the call card, printed
    staff.goto("call-card/")
    staff.emulate_media(media="print")
    assert staff.pdf(format="A4")[:4] == b"%PDF"
    seen += violations(staff)
    assert seen == []


def test_the_watch_sees_a_violation_when_there_is_one(browser, nginx_server):
    """The check above is not blind: an inline script the build did not hash is refused and reported; the
    site's own 404 page (a page kind only a missing address shows) runs without one."""
    context = browser.new_context(base_url=nginx_server.url(), **LOGGED_IN)
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        assert page.goto("no-such-page/").status == 404
        page.wait_for_load_state("networkidle")
        assert violations(page) == [] and page.locator("h1").inner_text() == "404 - Not found"
        page.evaluate("() => document.body.append(Object.assign(document.createElement('script'), {textContent: 'window.x = 1'}))")
        page.wait_for_function("() => window.__violations.length > 0")
        assert page.evaluate("() => window.x") is None and violations(page)[0].startswith("script-src")
    finally:
        context.close()


def test_search_records_land_in_their_own_log_and_kb_misses_reports_them(staff, nginx_server):
    """Logged in: a search without a match (a phone number typed in it), another search, its second result
    opened. nginx writes both records to the records' log, time and request only, never the number; `python
    -m kb misses` on that real log reports the miss and the result opened second."""
    log = nginx_server.log("site-search.log")
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    staff.goto("./")
    open_search(staff)
    with staff.expect_response("**/assets/miss.gif?*", timeout=10000) as miss:
        type_like_ime(staff, "宽带13912345678停了")
    assert miss.value.status == 200
    type_like_ime(staff, "扣费")
    second, address = second_result(staff)
    second.click()
    for _ in range(50):  # the record of the opened result may arrive after the next page
        lines = log.read_text(encoding="utf-8")[len(before):].splitlines() if log.exists() else []
        if len(lines) >= 2:
            break
        staff.wait_for_timeout(100)
    assert len(lines) == 2, lines
    assert all(re.fullmatch(r'\[[^\]]+\] "GET /assets/(miss|opened)\.gif\?\S+ HTTP/1\.[01]"', line) for line in lines), lines
    assert not [line for line in lines if "127.0.0.1" in line or USER in line]
    for name in ("site-search.log", "site-access.log"):
        assert "13912345678" not in nginx_server.log(name).read_text(encoding="utf-8")

    only_this = log.with_name("this-search.log")
    only_this.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(HOOKS)}
    out = subprocess.run([sys.executable, "-m", "kb", "misses", str(only_this)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    report = out.stdout.splitlines()
    assert report[0].endswith("2 行，1 次搜索没有好结果，1 种不同的搜索词") and report[1].split() == ["1", "宽带＊停了"]
    assert "打开了 1 次搜索结果：第一条 0 次（0%），前三条之一 1 次（100%）" in report
    assert any(line.split()[1:3] == ["扣费", "→"] and "打开的是第 2 条" in line for line in report), report
    assert "看不懂的记录" not in out.stdout and address
