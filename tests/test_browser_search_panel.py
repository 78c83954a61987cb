"""The search panel can be read in every state it shows, in both colour schemes, on a desk and a phone.

The no-match help (overrides/partials/search.html) sits in the search dialog, inside the header: it once
inherited the header's white text onto the white result panel (1.0:1) and, for a weak match, stood above
the results and pushed them down. Every text shown in the panel (Material's meta line, the results, the
help) is checked against WCAG's 4.5:1 from the colours the browser computes, in each state.
"""

from __future__ import annotations

import pytest

from browser import PHONE, checked_page, open_in, open_search, open_search_by_tap, settle, shown_text_contrast, type_like_ime

pytestmark = pytest.mark.browser

PANEL = ".md-search__output"
HELP = "[data-kb-search-help]"
# (state, query): nothing typed; a weak best match (only part of the query is found: the help shows, with
# the closest results); nothing found at all; a good match (the help stays hidden)
STATES = [("empty", ""), ("weak", "宽带安装要多少钱"), ("none", "qxzvkj"), ("results", "手榴弹")]
DEVICES = {"desk": {}, "phone": PHONE}


def _show(page, state: str, query: str) -> None:
    if query:
        type_like_ime(page, query)
    help_shown = state in ("weak", "none")
    page.wait_for_selector(f"{HELP}:not([hidden])" if help_shown else f"{HELP}[hidden]", state="attached")
    if help_shown:  # its links are drawn from search/help.json
        page.wait_for_selector(f"{HELP} [data-kb-drawn]", state="attached")
    if state in ("weak", "results"):
        page.wait_for_selector(".md-search-result__item")
    settle(page)
    results = page.locator(".md-search-result__item").count()
    weak = page.locator(".md-search-result__list .kb-weak-match").count()
    assert (results > 0, weak > 0) == {"empty": (False, False), "weak": (True, True), "none": (False, False),
                                       "results": (True, False)}[state], (state, results, weak)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_in_the_search_panel_is_readable_in_every_state(browser, base_url, traffic, scheme, device):
    with checked_page(browser, base_url, traffic, **DEVICES[device]) as page:
        open_in(page, "./", scheme)
        (open_search_by_tap if device == "phone" else open_search)(page)
        weak_texts = []
        for state, query in STATES:
            _show(page, state, query)
            parts = shown_text_contrast(page, PANEL)
            assert parts, f"{state}: no text in the panel"
            if state in ("weak", "none"):
                help_texts = shown_text_contrast(page, HELP)
                assert len(help_texts) >= 10, f"{state}: the help shows its tips and links: {help_texts}"
            weak_texts += [(state, p["text"], round(p["ratio"], 2)) for p in parts if p["ratio"] < 4.5]
        assert not weak_texts, f"text below 4.5:1 in the search panel ({scheme}, {device}): {weak_texts}"


@pytest.mark.parametrize("device", DEVICES)
def test_the_help_takes_no_room_above_the_results(browser, base_url, traffic, device):
    """A weak match shows its results first, where they always are; the help follows them."""
    with checked_page(browser, base_url, traffic, **DEVICES[device]) as page:
        open_in(page, "./", "light")
        (open_search_by_tap if device == "phone" else open_search)(page)
        _show(page, "weak", "宽带安装要多少钱")
        first = page.locator(".md-search-result__item").first.bounding_box()
        meta = page.locator(".md-search-result__meta").bounding_box()
        help_box = page.locator(HELP).bounding_box()
        assert first["y"] - (meta["y"] + meta["height"]) < 8, "something stands between the meta line and the results"
        assert help_box["y"] >= first["y"] + first["height"], "the help stands above the results"
