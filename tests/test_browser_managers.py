"""Managers in Chromium: copy an entry's address, print pages and the one-page call card, and the new pages'
accessibility in both colour schemes and on a phone."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from browser import SCHEMES, axe_report, axe_violations, open_in, representative_page

pytestmark = pytest.mark.browser

MANAGER_PAGES = ["review/", "changes/", "call-card/", "export/", "manage/"]


def clipboard(page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def test_copy_link_copies_the_full_address_of_a_page_entry_and_an_anchored_one(page, base_url):
    page.goto("types/chameleon/")
    button = page.get_by_role("button", name="复制链接：变色龙型客户")
    button.click()
    expect(button).to_have_text("已复制链接")
    assert clipboard(page) == base_url + "types/chameleon/"

    page.goto("phrases/")
    page.evaluate("() => navigator.clipboard.writeText('')")
    button = page.locator("h3#no-way + .kb-permalink button")
    button.focus()  # with the keyboard: Tab reaches it, Enter presses it
    page.keyboard.press("Enter")
    expect(button).to_have_text("已复制链接")
    assert clipboard(page) == base_url + "phrases/#no-way"


def test_the_copy_link_button_is_reached_with_tab(page):
    page.goto("types/chameleon/")
    page.locator("h1#chameleon").evaluate("h => { h.tabIndex = -1; h.focus(); }")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-kb-link]')"):
            break
    else:
        pytest.fail("Tab from the heading never reached the copy-link button")


def test_print_shows_content_link_targets_and_review_and_hides_the_chrome(page, kb, base_url):
    path = representative_page(kb, "legal")  # a note waiting for review
    page.goto(path)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer", ".kb-permalink"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    expect(page.locator(".kb-status")).to_be_visible()
    expect(page.locator(".kb-status")).to_contain_text("最后复核")
    expect(page.locator(".kb-review").first).to_be_visible()  # 待法务复核
    link = page.locator(".md-content a[data-kb-print-href]").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after.startswith('" <' + base_url), after


def test_print_breaks_the_page_between_entries(page):
    page.goto("phrases/")
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(
        "h3#no-way, h3#please-wait", "hs => hs.map(h => getComputedStyle(h).breakBefore)")
    assert breaks == ["page", "page"]


def test_printed_dialogue_tells_customer_from_agent_without_colour(page, kb):
    page.goto(representative_page(kb, "scenario"))
    page.emulate_media(media="print")
    looks = page.eval_on_selector_all(".kb-line--customer, .kb-line--agent", """els => els.map(e => {
        const s = getComputedStyle(e), who = e.querySelector('.kb-line__who');
        return {side: e.className, bg: s.backgroundColor, border: s.borderTopStyle, colour: s.color,
                who: who.textContent + getComputedStyle(who, '::after').content};
    })""")
    assert {x["bg"] for x in looks} <= {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}, looks
    assert {x["colour"] for x in looks} == {"rgb(0, 0, 0)"}
    customer = {x["border"] for x in looks if "customer" in x["side"]}
    agent = {x["border"] for x in looks if "agent" in x["side"]}
    assert customer and agent and customer.isdisjoint(agent), "the borders differ in black and white"
    assert all(re.match(r"(客户|坐席)", x["who"]) for x in looks)


def test_call_card_prints_on_exactly_one_a4_page(page, kb):
    page.goto("call-card/")
    expect(page.locator("#five-steps")).to_be_visible()
    text = page.locator("article").inner_text()
    assert all(r.entry.first_move in text for r in kb.of_kind("types"))
    assert all(r.entry.title in text for r in kb.of_kind("techniques") if r.entry.group == "五步法")
    assert all(r.entry.channel in text for r in kb.of_kind("escalation"))
    assert text.count("别说") >= 1 and len(page.locator("#swaps ~ .md-typeset__scrollwrap tr, #swaps + * tr").all()) >= 2
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    width, height = (float(x) for x in pdf.pages[0].mediabox[2:])
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, f"A4 is 595×842 points, got {width}×{height}"


def test_a_legal_note_prints_without_error(page, kb):
    page.goto(representative_page(kb, "legal"))
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "最后复核" in text and "搜索" not in text.split("\n")[0]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_manager_page_has_no_serious_accessibility_violation(page, path, scheme):
    open_in(page, path, scheme)
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_manager_page_on_a_phone_has_no_serious_accessibility_violation(phone, path):
    phone.goto(path)
    violations = axe_violations(phone)
    assert not violations, axe_report(violations)
