"""Accessibility with axe-core (every rule, none disabled): no serious or critical violation on any page
kind (browser.PAGE_KINDS), in the light and the dark scheme, on a desk and on a phone, with the search open
too. axe-core is the npm release package-lock.json pins, injected by browser.axe_violations.

The colour scheme follows the system (prefers-color-scheme), as the palette in mkdocs.yml says: a browser
emulating the dark scheme gets Material's slate palette.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from browser import (
    PROJECT, REPRESENTATIVE_PAGES, SCHEMES, axe_report, axe_violations, inject_axe, open_in, open_search, open_search_by_tap,
    pinned_axe_version, representative_page, settle, text_contrast, type_like_ime,
)

pytestmark = pytest.mark.browser

def test_axe_is_the_pinned_current_release(page):
    """The rules are today's: axe-core pinned exactly (no range) in package.json and package-lock.json, at
    least 4.14 (the release whose label-content-name-mismatch found the home search button), and the
    version the pages are checked with is that one."""
    declared = json.loads((PROJECT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", declared), f"axe-core is not pinned exactly: {declared}"
    assert pinned_axe_version() == declared
    assert tuple(int(n) for n in declared.split(".")) >= (4, 14, 0)
    page.goto("./")
    assert inject_axe(page) == declared


def assert_accessible(page) -> None:
    """No serious or critical axe finding, and none of the moderate 'region' rule: a screen-reader user
    who moves from landmark to landmark misses nothing (the instant-navigation progress bar once sat
    outside every landmark)."""
    found = axe_violations(page, impacts=("moderate", "serious", "critical"))
    bad = [v for v in found if v["impact"] != "moderate" or v["id"] == "region"]
    assert not bad, axe_report(bad)


# Every page kind is checked in the light scheme on a desk and in the dark scheme on a phone: the content
# is the same on both, so each kind meets both palettes and the phone's layout. What only a desk shows
# (the navigation and contents sidebars, the header's search field) is the same on every page: it meets
# the dark palette on two pages with both sidebars. (A run of axe takes 2-10 s on this shared machine;
# checking every kind in every combination would double the suite's browser time for no new element.)
@pytest.mark.parametrize("which", REPRESENTATIVE_PAGES)
def test_page_is_accessible(page, kb, which):
    open_in(page, representative_page(kb, which), "light")
    assert_accessible(page)


@pytest.mark.parametrize("which", REPRESENTATIVE_PAGES)
def test_page_on_a_phone_is_accessible(phone, kb, which, screenshots):
    open_in(phone, representative_page(kb, which), "dark")
    if which in ("type", "scenario", "legal"):  # for people to look at
        phone.screenshot(path=str(screenshots / f"{which}-mobile-dark.png"), full_page=True)
    assert_accessible(phone)


@pytest.mark.parametrize("which", ["type", "legal"])
def test_desk_sidebars_are_accessible_in_the_dark_scheme(page, kb, which):
    open_in(page, representative_page(kb, which), "dark")
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    expect(page.locator(".md-sidebar--secondary")).to_be_visible()
    assert_accessible(page)


def test_home_search_button_is_named_by_what_it_shows(page):
    """WCAG 2.5.3 (axe: label-content-name-mismatch): a voice-control user says the words they see."""
    page.goto("./")
    button = page.locator(".kb-home-search__button")
    shown = button.locator(".kb-home-search__hint").inner_text()
    expect(button).to_have_accessible_name(re.compile("^" + re.escape(shown)))
    expect(button).to_have_accessible_description("打开搜索，在整个知识库里查找")
    button.click()
    expect(page.locator("[data-md-component=search-query]")).to_be_focused()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_with_results_is_accessible(page, scheme):
    open_in(page, "types/chameleon/", scheme)
    open_search(page)
    assert type_like_ime(page, "变色龙") is not None
    expect(page.locator("[data-md-component=search]")).to_have_accessible_name(re.compile(r"\S"))
    assert_accessible(page)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_without_a_good_match_is_accessible(page, scheme):
    """The no-match view (customer types, complaint categories, how to search differently)."""
    open_in(page, "./", scheme)
    open_search(page)
    type_like_ime(page, "宽带安装要多少钱")
    page.wait_for_selector("[data-kb-search-help]:not([hidden])")
    page.wait_for_selector("[data-kb-search-help-links][data-kb-drawn]", state="attached")  # its links too
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_on_a_phone_is_accessible(phone, scheme, screenshots):
    open_in(phone, "./", scheme)
    open_search_by_tap(phone)
    assert type_like_ime(phone, "变色龙") is not None
    settle(phone)
    phone.screenshot(path=str(screenshots / f"search-results-mobile-{scheme}.png"))
    assert_accessible(phone)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_dialogue_lines_keep_their_contrast(page, kb, scheme):
    """Customer and agent lines are coloured bubbles: in both schemes their text stays readable (4.5:1,
    the faded notes included), and in the dark scheme the bubbles are dark too."""
    open_in(page, representative_page(kb, "scenario"), scheme)
    parts = text_contrast(page, ".kb-line__who, .kb-line__text, .kb-line__note")
    assert len(parts) >= 4, "a dialogue with lines from both sides"
    weak = [p for p in parts if p["ratio"] < 4.5]
    assert not weak, f"dialogue text below 4.5:1 in the {scheme} scheme: {weak}"
    if scheme == "dark":
        assert all(p["background"] < 0.1 for p in parts), f"light bubbles on the dark page: {parts}"
    else:
        assert all(p["background"] > 0.5 for p in parts), f"dark bubbles on the light page: {parts}"
    bubbles = page.eval_on_selector_all(".kb-line--customer, .kb-line--agent",
                                        "els => new Set(els.map(e => getComputedStyle(e).backgroundColor)).size")
    assert bubbles == 2, "customer and agent lines look different"
