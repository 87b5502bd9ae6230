"""The Zensical build in Chromium: every kind of page loads, requests only 127.0.0.1 and
violates its Content-Security-Policy nowhere; the calculator and the batch audit answer; a
Chinese search finds a course (the smoke set of issue 26, on the site
``ceportal build --builder zensical`` makes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.browser import watch_context
from tests.hardening.common import PAGE_KINDS
from tests.hardening.test_no_outside_requests import toggle_palette, use_controls
from tests.portal.subpath import serve_under_subpath

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Zensical 0.0.73's search: a dialog in a shadow root (Playwright's CSS locators enter
# open shadow roots), opened from the header's button.
SEARCH_BUTTON = ".md-search__button"
SEARCH_INPUT = 'dialog[aria-label="Search"] input[role="combobox"]'
SEARCH_RESULT = 'dialog[aria-label="Search"] a[role="option"]'


@pytest.fixture(scope="module")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    with preview.serve(zensical_site, csp_header=False) as url:
        yield url


def search(page: Any, text: str) -> list[str]:
    """The titles of the results the site's search shows for ``text``."""
    page.locator(SEARCH_BUTTON).first.click()
    page.locator(SEARCH_INPUT).wait_for()
    page.keyboard.type(text)
    page.locator(SEARCH_RESULT).first.wait_for()
    titles: list[str] = page.locator(f"{SEARCH_RESULT} h2").all_inner_texts()
    page.keyboard.press("Escape")
    return titles


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_zensical_page_kind_stays_local_and_within_its_policy(
    browser: Any, zensical_url: str, kind: str
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    seen = watch_context(context)
    try:
        page = context.new_page()
        response = page.goto(zensical_url + PAGE_KINDS[kind], wait_until="networkidle")
        assert response is not None
        assert response.status == 200
        use_controls(page, kind)
        toggle_palette(page)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("self.__ceViolations || []")
    finally:
        context.close()
    assert seen.requests, "nothing was requested?"
    assert seen.outside == []
    assert violations == []
    assert seen.csp_errors == []
    assert seen.page_errors == []
    assert seen.console_errors == []


def test_a_chinese_search_finds_a_course(browser: Any, zensical_url: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    seen = watch_context(context)
    try:
        page = context.new_page()
        page.goto(zensical_url, wait_until="networkidle")
        titles = search(page, "数控")
        violations = page.evaluate("self.__ceViolations || []")
    finally:
        context.close()
    assert "数控加工技术及其新进展（2009年度）" in titles
    assert seen.outside == [] and violations == [] and seen.console_errors == []


@pytest.mark.parametrize("missing", ["catalog/2099/nothing/", "nothing", "a/b/c/"])
def test_zensical_not_found_page_works_under_a_subpath(browser: Any, zensical_site: Path,
                                                       missing: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    seen = watch_context(context)
    try:
        with serve_under_subpath(zensical_site) as served:
            tab = context.new_page()
            response = tab.goto(served + missing)
            assert response is not None and response.status == 404
            assert tab.title() == "找不到该页面 - 温州市工程技术（一）系列继续教育"
            assert tab.inner_text("h1") == "找不到该页面"
            hrefs = tab.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
            assert served + "catalog/" in hrefs and served + "downloads/" in hrefs
            for href in set(hrefs):
                assert href.startswith(served), href
    finally:
        context.close()
    assert seen.csp_errors == [] and seen.page_errors == [] and seen.outside == []
