"""The 识别助手 in Chromium, as an agent uses it during a call: keyboard only on a desk, keys and taps on a
phone, results as they tick, copy, reset, instant navigation, and accessibility in both schemes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import axe_report, axe_violations, settle
from kb.triage import triage_data

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def data(kb):
    return triage_data(kb)


def key_of(data, signal_id: str) -> str:
    return next(s["key"] for s in data["signals"] if s["id"] == signal_id)


def title_of(data, type_id: str) -> str:
    return next(t["title"] for t in data["types"] if t["id"] == type_id)


def label_of(data, signal_id: str) -> str:
    return next(s["label"] for s in data["signals"] if s["id"] == signal_id)


def results(page, family: str):
    return page.locator(f'[data-kb-family="{family}"] .kb-result')


def open_triage(page) -> None:
    page.goto("triage/")
    expect(page.locator(".kb-triage input[data-key]").first).to_be_focused()
    # Material fetches the sitemap and the search index after load: let them finish before navigating on
    page.wait_for_load_state("networkidle")


def test_keyboard_alone_ticks_ranks_explains_copies_and_resets(page, data, kb):
    open_triage(page)
    for signal in ["shouting", "our-fault", "well-reasoned", "angry-but-reasoned"]:
        page.keyboard.press(key_of(data, signal))
    expect(page.locator(".kb-triage input:checked")).to_have_count(4)
    expect(page.locator(".kb-triage__status")).to_have_text("已勾选 4 个信号。")

    top = results(page, "性格类型").first
    expect(top.locator(".kb-result__title a")).to_have_text(title_of(data, "grenade"))
    expect(top.locator(".kb-result__why")).to_contain_text(label_of(data, "shouting"))
    expect(top.locator(".kb-result__why")).to_contain_text(label_of(data, "our-fault"))
    # our mistake points to the legal note on liability and to the supervisor
    expect(top.locator(".kb-result__open")).to_contain_text(kb.get("civil-liability").entry.title)
    expect(top.locator(".kb-result__open")).to_contain_text(kb.get("supervisor").entry.title)
    nature = results(page, "投诉性质").first
    expect(nature.locator(".kb-result__title a")).to_have_text(title_of(data, "problem-solver"))
    expect(nature.locator(".kb-result__why")).to_contain_text(label_of(data, "angry-but-reasoned"))
    expect(nature.locator(".kb-result__first")).to_contain_text(kb.get("problem-solver").entry.first_move)

    # the first thing to say, copied with its button (the phrase pages' copy behaviour)
    say = next(t["say"] for t in data["types"] if t["id"] == "grenade")
    expect(top.locator(".kb-say__text")).to_have_text(say)
    top.locator("[data-kb-copy]").first.click()
    expect(top.locator("[data-kb-copy]").first).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == say[0]

    # keys Material uses elsewhere tick signals here, and Material stays closed
    page.locator(".kb-triage input[data-key]").first.focus()
    for key in ["s", "f", "n", "p"]:
        page.keyboard.press(key)
    assert not page.evaluate("document.querySelector('[data-md-toggle=search]').checked")
    assert page.url.endswith("/triage/")
    expect(page.locator(".kb-triage input:checked")).to_have_count(8)

    # one key clears everything for the next call
    page.keyboard.press("Escape")
    expect(page.locator(".kb-triage input:checked")).to_have_count(0)
    expect(page.locator(".kb-result")).to_have_count(0)
    expect(page.locator(".kb-triage__status")).to_have_text("还没有勾选信号。")
    expect(page.locator(".kb-triage input[data-key]").first).to_be_focused()
    page.keyboard.press(key_of(data, "angry"))
    page.keyboard.press("0")
    expect(page.locator(".kb-triage input:checked")).to_have_count(0)


def test_result_links_to_the_full_page_and_ticks_survive_the_way_back(page, data):
    open_triage(page)
    page.keyboard.press(key_of(data, "reverses-agreement"))
    link = results(page, "性格类型").first.locator(".kb-result__title a")
    expect(link).to_have_text(title_of(data, "chameleon"))
    link.click()
    page.wait_for_url("**/types/chameleon/")
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.wait_for_url("**/triage/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#kb-signal-reverses-agreement")).to_be_checked()
    expect(results(page, "性格类型").first.locator(".kb-result__title a")).to_have_text(title_of(data, "chameleon"))


def test_it_works_after_instant_navigation_from_the_home_page(page, data):
    page.goto("./")
    page.wait_for_load_state("networkidle")
    page.locator(".kb-home-triage a").click()
    page.wait_for_url("**/triage/")
    page.locator(".kb-triage input[data-key]").first.focus()
    page.keyboard.press(key_of(data, "mentions-media"))
    top = results(page, "性格类型").first
    expect(top.locator(".kb-result__title a")).to_have_text(title_of(data, "know-it-all"))
    expect(top.locator(".kb-result__open")).to_contain_text("媒体曝光")
    # outside the tool, Material's own shortcut still opens search
    page.locator("h1").click()
    page.keyboard.press("s")
    expect(page.locator("[data-md-component=search-query]")).to_be_focused()


def test_on_a_phone_targets_are_large_and_a_tap_or_a_key_ranks(phone, data, screenshots):
    open_triage(phone)
    sizes = phone.eval_on_selector_all("label.kb-signal", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(sizes) == len(data["signals"]) and min(sizes) >= 44, sizes
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    phone.locator("label[for=kb-signal-only-compensation]").tap()
    phone.locator("label[for=kb-signal-dialect]").tap()
    jump = phone.locator(".kb-triage__jump")
    expect(jump).to_contain_text(title_of(data, "villager"))
    phone.keyboard.press(key_of(data, "outsized-demand"))  # a phone with a keyboard attached
    expect(phone.locator(".kb-triage input:checked")).to_have_count(3)
    jump.tap()
    top = results(phone, "性格类型").first
    expect(top.locator(".kb-result__title a")).to_have_text(title_of(data, "villager"))
    # the legal notes 只谈赔偿 points to, each carrying its review status when it waits for one
    notes = next(s["legal"] for s in data["signals"] if s["id"] == "only-compensation")
    expect(top.locator(".kb-result__open a")).to_have_text([data["legal"][n]["title"] for n in notes])
    expect(top.locator(".kb-result__open .kb-review")).to_have_count(sum(bool(data["legal"][n]["review"]) for n in notes))
    top.locator("[data-kb-copy]").first.tap()
    expect(top.locator("[data-kb-copy]").first).to_have_text("已复制")
    settle(phone)
    phone.screenshot(path=str(screenshots / "triage-mobile.png"), full_page=True)
    phone.locator("[data-kb-triage-clear]").tap()
    expect(phone.locator(".kb-triage input:checked")).to_have_count(0)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_accessibility_violation_with_results(page, data, scheme):
    page.emulate_media(color_scheme=scheme)
    open_triage(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    for signal in ["mentions-media", "only-compensation", "angry"]:
        page.keyboard.press(key_of(data, signal))
    expect(page.locator(".kb-result__open").first).to_be_visible()
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", ["dark"])  # the light scheme is checked on the desk; the suite stays short
def test_no_serious_accessibility_violation_on_a_phone(phone, data, scheme):
    phone.emulate_media(color_scheme=scheme)
    open_triage(phone)
    phone.locator("label[for=kb-signal-cites-law]").tap()
    expect(phone.locator(".kb-result").first).to_be_visible()
    violations = axe_violations(phone)
    assert not violations, axe_report(violations)
