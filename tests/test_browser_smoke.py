"""The built site opens in a real browser: the home page, with no outside request."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens(page, screenshots):
    page.goto("./")
    assert "投诉处理宝典" in page.title()
    page.wait_for_selector(".kb-grid .kb-card")
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)
