"""Specialties without JavaScript: one page per specialty per year, linked from the year
page; with JavaScript the same links filter the year's table in place, the choice is kept
in the address and an empty result offers a reset. No control is shown that does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.model import Catalog
from tests.portal.site_helpers import Html, page, parse
from tests.portal.subpath import serve_under_subpath

pytestmark = pytest.mark.slow


def _course_links(site: Path, url: str, section: str) -> list[str]:
    text = page(site, url).read_text("utf-8")
    part = text[text.index(f'id="{section}"'):]
    part = part[:part.index("</table>")]
    return [a.get("href", "") or "" for tag, a in Html(part).elements if tag == "a"]


def test_a_page_per_specialty_with_its_courses_and_those_open_to_all(
        bundled_site: Path, bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        used = {s for c in year.courses for s in c.specialties}
        assert used
        year_links = [a.get("href") for tag, a in parse(page(bundled_site, f"catalog/{year.year}/")).elements
                      if tag == "a" and "data-ce-specialty" in a]
        assert year_links == ["./"] + [f"specialty/{s}/" for s in bundled_catalog.policy.specialties
                                       if s in used]
        for specialty in used:
            url = f"catalog/{year.year}/specialty/{specialty}/"
            assert _course_links(bundled_site, url, "own") == [
                f"../../{c.code}/" for c in year.courses if specialty in c.specialties]
            assert _course_links(bundled_site, url, "common") == [
                f"../../{c.code}/" for c in year.courses if not c.specialties]


def test_specialty_page_text(bundled_site: Path) -> None:
    html = parse(page(bundled_site, "catalog/2010/specialty/mechanical/"))
    assert html.text("h1") == "2010年度机械专业课程"
    assert "适用于机械专业的课程 2 门（合计 24 学时）；另有各专业均可选的课程 6 门" in html.text("p")
    current = [a for tag, a in html.elements if tag == "a" and a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["./"]


@pytest.fixture(scope="module")
def site_url(bundled_site: Path) -> Iterator[str]:
    with serve_under_subpath(bundled_site) as url:
        yield url


VISIBLE_CONTROLS = """() => [...document.querySelectorAll('article select, article button, article input')]
  .filter(e => e.offsetParent !== null).map(e => e.name || e.textContent.trim())"""
VISIBLE_ROWS = "() => [...document.querySelectorAll('#ce-course-table tbody tr')].filter(r => !r.hidden).length"


@pytest.mark.browser
def test_without_javascript_no_dead_controls_and_links_lead_to_pages(browser: Any,
                                                                     site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(site_url + "catalog/2010/")
        assert tab.evaluate(VISIBLE_CONTROLS) == []
        assert tab.evaluate("getComputedStyle(document.getElementById('ce-course-filter')).display") == "none"
        assert tab.evaluate(VISIBLE_ROWS) == 18
        tab.click("a[data-ce-specialty='mechanical']")
        tab.wait_for_url("**/catalog/2010/specialty/mechanical/")
        assert tab.inner_text("h1") == "2010年度机械专业课程"
        assert tab.evaluate(VISIBLE_CONTROLS) == []
    finally:
        context.close()


@pytest.mark.browser
def test_javascript_filters_in_place_keeps_the_choice_and_resets(browser: Any,
                                                                 site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site_url + "catalog/2010/")
        assert tab.evaluate(VISIBLE_CONTROLS) == ["module", "form"]
        tab.click("a[data-ce-specialty='mechanical']")
        assert tab.url.endswith("/catalog/2010/?specialty=mechanical")
        # 2 mechanical courses and the 6 open to every specialty.
        assert tab.evaluate(VISIBLE_ROWS) == 8
        assert tab.inner_text("#ce-course-filter output") == "显示机械专业及各专业均可选的课程 8 / 18 门"
        tab.select_option("select[name=form]", "seminar")
        assert tab.url.endswith("?specialty=mechanical&form=seminar")
        assert tab.evaluate(VISIBLE_ROWS) == 2  # E-M12, E-X11
        tab.select_option("select[name=module]", "other")
        assert tab.evaluate(VISIBLE_ROWS) == 0
        assert tab.is_visible("#ce-course-empty")
        assert not tab.is_visible("#ce-course-table")
        tab.click("#ce-course-empty button")
        assert tab.evaluate(VISIBLE_ROWS) == 18
        assert tab.url.endswith("/catalog/2010/")
        # The address reopens the same choice; back returns to the previous one.
        tab.goto(site_url + "catalog/2010/?specialty=fishery&module=elective")
        assert tab.evaluate(VISIBLE_ROWS) == 3  # E-Y11, E-X11, E-X12
        assert tab.get_attribute("a[data-ce-specialty='fishery']", "aria-current") == "page"
        tab.click("a[data-ce-specialty='']")
        assert tab.evaluate(VISIBLE_ROWS) == 14  # every elective
        tab.go_back()
        assert tab.evaluate(VISIBLE_ROWS) == 3
    finally:
        context.close()
