"""Accessibility with axe-core (every rule, none disabled): no serious or critical violation on the pages
agents use, in the light and the dark scheme, on a desk and on a phone, with the search open too.

The colour scheme follows the system (prefers-color-scheme), as the palette in mkdocs.yml says: a browser
emulating the dark scheme gets Material's slate palette.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import (
    REPRESENTATIVE_PAGES, axe_report, axe_violations, open_search, open_search_by_tap,
    representative_page, settle, text_contrast, type_like_ime,
)

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}  # browser colour scheme -> Material palette scheme


def open_in(page, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("which", REPRESENTATIVE_PAGES)
def test_page_has_no_serious_accessibility_violation(page, kb, which, scheme):
    open_in(page, representative_page(kb, which), scheme)
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_with_results_has_no_serious_accessibility_violation(page, scheme):
    open_in(page, "types/chameleon/", scheme)
    open_search(page)
    assert type_like_ime(page, "变色龙") is not None
    expect(page.locator("[data-md-component=search]")).to_have_accessible_name(re.compile(r"\S"))
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_without_a_good_match_has_no_serious_accessibility_violation(page, scheme):
    """The no-match view (customer types, complaint categories, how to search differently)."""
    open_in(page, "./", scheme)
    open_search(page)
    type_like_ime(page, "宽带安装要多少钱")
    page.wait_for_selector("[data-kb-search-help]:not([hidden])")
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_on_a_phone_has_no_serious_accessibility_violation(phone, scheme, screenshots):
    open_in(phone, "./", scheme)
    open_search_by_tap(phone)
    assert type_like_ime(phone, "变色龙") is not None
    settle(phone)
    phone.screenshot(path=str(screenshots / f"search-results-mobile-{scheme}.png"))
    violations = axe_violations(phone)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("which", ["type", "scenario", "legal"])
def test_dark_scheme_on_a_phone_has_no_serious_accessibility_violation(phone, kb, which, screenshots):
    open_in(phone, representative_page(kb, which), "dark")
    phone.screenshot(path=str(screenshots / f"{which}-mobile-dark.png"), full_page=True)
    violations = axe_violations(phone)
    assert not violations, axe_report(violations)


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
