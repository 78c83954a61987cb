"""Branch pages in the browser: axe-core on the branch authoring page (shared site) and on a legal
note showing 本单位规定 (example branch), in both colour schemes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import SCHEMES, Traffic, axe_report, axe_violations, checked_page, open_in, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def branch_url(branch_site):
    with serve(branch_site) as url:
        yield url


def assert_accessible(browser, base_url: str, path: str, scheme: str) -> None:
    traffic = Traffic()
    with checked_page(browser, base_url, traffic) as page:
        open_in(page, path, scheme)
        violations = axe_violations(page)
        assert not violations, axe_report(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_branch_authoring_page_is_accessible(browser, base_url, scheme):
    assert_accessible(browser, base_url, "authoring/branches/", scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_branch_values_are_accessible(browser, branch_url, scheme):
    assert_accessible(browser, branch_url, "legal/should-compensate/", scheme)


def test_a_branch_value_reads_as_decided(browser, branch_url):
    traffic = Traffic()
    with checked_page(browser, branch_url, traffic) as page:
        page.goto("legal/should-compensate/#company-approval-limit")
        row = page.locator("tr", has=page.locator("#company-approval-limit"))
        expect(row).to_contain_text("本单位规定")
        expect(row).to_contain_text("生效日期：2026-01-01")
        expect(row.locator(".kb-local")).to_be_visible()
