"""What agents and managers do with the site, end to end in Chromium, on a desk and on a phone.

Every journey runs in a page whose requests and console are checked when it ends: nothing is asked of
any host but 127.0.0.1, nothing fails to load, no console error (the ``page`` fixture, and ``phone``
here, which is the same on a 390×844 touch screen).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from browser import (
    REPRESENTATIVE_PAGES, open_search, open_search_by_tap, representative_page, result_titles,
    settle, sideways_overflow, type_like_ime,
)

pytestmark = pytest.mark.browser


def at(path: str):
    """A URL matcher on the path alone: search adds ?h=<words> to highlight them, anchors add #..."""
    return lambda url: urlsplit(url).path == path


def path_of(page) -> str:
    return urlsplit(page.url).path


# ---------------------------------------------------------------- agent: search, type, scenario, back

def test_agent_goes_from_search_to_type_to_scenario_and_back_with_the_keyboard(page, kb, screenshots):
    page.goto("./")
    page.screenshot(path=str(screenshots / "home-desktop.png"), full_page=True)
    open_search(page)  # presses "/"
    assert type_like_ime(page, "变色龙") is not None, "no results for 变色龙"
    assert "变色龙" in result_titles(page, 1)[0]
    settle(page)
    page.screenshot(path=str(screenshots / "search-results-desktop.png"))

    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(at("/types/chameleon/"))
    expect(page.locator("h1#chameleon")).to_contain_text("变色龙")
    page.screenshot(path=str(screenshots / "type-desktop.png"), full_page=True)

    # 相关场景: the scenarios that involve this type, by backlink
    scenes = page.locator("h2#scenarios + ul a")
    expect(scenes.first).to_be_visible()
    expected_ids = {r.id for r in kb.backlinks("chameleon") if r.kind == "scenarios"}
    shown_ids = {urlsplit(h).path.strip("/").split("/")[-1] for h in scenes.evaluate_all("as => as.map(a => a.href)")}
    assert shown_ids == expected_ids
    scene = scenes.first
    scene_path = urlsplit(urljoin(page.url, scene.get_attribute("href"))).path
    assert re.fullmatch(r"/scenarios/[a-z0-9-]+/", scene_path)
    scene.click()
    page.wait_for_url(at(scene_path))
    scene_id = scene_path.strip("/").split("/")[-1]
    expect(page.locator(f"h1#{scene_id}")).to_be_visible()
    assert "chameleon" in kb.get(scene_id).entry.types

    # back through the scenario's own reference to its customer type
    page.locator("article a[href$='types/chameleon/']").first.click()
    page.wait_for_url(at("/types/chameleon/"))
    expect(page.locator("h1#chameleon")).to_contain_text("变色龙")
    assert path_of(page) == "/types/chameleon/"


# ---------------------------------------------------------------- agent: copy what to say instead

def test_agent_copies_a_swaps_replacement_sentence(page, kb):
    """Each 改说 sentence has its own button, and it copies that sentence exactly (not its neighbour's,
    not the button's label): the swap with the most sentences, its last one."""
    swap = max(kb.of_kind("swaps"), key=lambda r: len(r.entry.say))
    wanted = swap.entry.say[-1]
    page.goto("phrases/")
    say = page.locator(f"h3[id='{swap.id}'] ~ .kb-say").nth(len(swap.entry.say) - 1)
    expect(say.locator(".kb-say__text")).to_have_text(wanted)

    button = say.locator("[data-kb-copy]")
    button.click()
    expect(button).to_have_text("已复制")
    assert page.evaluate("() => navigator.clipboard.readText()") == wanted
    expect(button).to_have_text("复制")  # ready for the next sentence


# ---------------------------------------------------------------- manager: deep link to a legal note

def _one_note_per_status(kb):
    notes = {}
    for r in kb.of_kind("legal"):
        notes.setdefault(r.entry.review.status, r)
    return notes


@pytest.mark.parametrize("status", ["needs-review", "verified"])
@pytest.mark.parametrize("anchor", ["review", "basis"])
def test_manager_opens_a_deep_link_to_a_legal_note(page, kb, status, anchor, screenshots):
    note = _one_note_per_status(kb).get(status)
    if note is None:
        pytest.skip(f"no legal note is {status} yet")
    review = note.entry.review

    page.goto(f"legal/{note.id}/#{anchor}")
    expect(page.locator(f"h2#{anchor}")).to_be_in_viewport()
    assert urlsplit(page.url).fragment == anchor and path_of(page) == f"/legal/{note.id}/"

    label = "条文已核对" if status == "verified" else "待法务复核"
    cells = page.locator("h2#review").locator("xpath=following-sibling::*[1]").locator("td")
    expect(cells).to_have_count(3)
    expect(cells.nth(0)).to_have_text(label)
    expect(cells.nth(1)).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(cells.nth(1)).to_have_text(review.reviewed_on.isoformat())
    expect(page.locator(".kb-kind")).to_contain_text(label)
    expect(page.locator(".kb-next-review")).to_have_text(re.compile(r"^下次复核：\d{4}-\d{2}-\d{2}"))

    warning = page.locator(".admonition.warning", has_text="待法务复核")
    if status == "needs-review":
        expect(warning).to_be_visible()
    else:
        expect(warning).to_have_count(0)
    if anchor == "review":
        page.screenshot(path=str(screenshots / f"legal-{status}-desktop.png"))  # what the link lands on


# ---------------------------------------------------------------- on a phone

def test_agent_searches_on_a_phone(phone, screenshots):
    phone.goto("./")
    # the screen as the phone shows it (a full-page capture drops the touch emulation: pointer: fine)
    phone.screenshot(path=str(screenshots / "home-mobile.png"))
    open_search_by_tap(phone)
    assert type_like_ime(phone, "变色龙") is not None, "no results for 变色龙"
    first = phone.locator(".md-search-result__item").first
    expect(first).to_be_in_viewport()
    assert "变色龙" in result_titles(phone, 1)[0]
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"result wider than the screen: {box}"
    phone.screenshot(path=str(screenshots / "search-results-mobile.png"))

    first.locator("a").first.tap()
    phone.wait_for_url(at("/types/chameleon/"))
    phone.screenshot(path=str(screenshots / "type-mobile.png"), full_page=True)


@pytest.mark.parametrize("which", REPRESENTATIVE_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone, kb, which):
    path = representative_page(kb, which)
    phone.goto(path)
    if which == "scenario":
        expect(phone.locator(".kb-dialogue .kb-line").first).to_be_visible()
    if which == "legal":
        expect(phone.locator("article table").first).to_be_visible()
    assert sideways_overflow(phone) <= 0, f"{path} scrolls sideways by {sideways_overflow(phone)}px at 390px"
