"""Every URL of the contract (DESIGN.md, "Site URLs") exists in the built bundled site."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.model import Catalog
from tests.portal.site_helpers import page, parse

pytestmark = pytest.mark.slow

FIXED = ["", "notice/", "policy/", "catalog/", "schedule/", "calculator/", "audit/", "downloads/"]
DOWNLOADS = [
    "downloads/notice.txt",
    "downloads/notice.docx",
    "downloads/registration-form.docx",
    "downloads/registration-form.xlsx",
    "catalog/schema.json",
]


@pytest.mark.parametrize("url", FIXED)
def test_fixed_pages_exist(bundled_site: Path, url: str) -> None:
    assert page(bundled_site, url).is_file()


@pytest.mark.parametrize("path", DOWNLOADS)
def test_downloads_exist(bundled_site: Path, path: str) -> None:
    assert (bundled_site / path).stat().st_size > 0


def test_bundled_catalog_has_years(bundled_catalog: Catalog) -> None:
    assert [y.year for y in bundled_catalog.years] == [2009, 2010]


def test_every_year_course_and_class_has_its_url(bundled_site: Path, bundled_catalog: Catalog) -> None:
    missing = []
    for year in bundled_catalog.years:
        y = year.year
        for url in (f"catalog/{y}/", f"catalog/{y}/changes/", f"schedule/{y}/"):
            if not page(bundled_site, url).is_file():
                missing.append(url)
        for path in (f"catalog/{y}.json", f"catalog/{y}.csv", f"schedule/{y}.ics",
                     f"downloads/class-plan-{y}.xlsx"):
            if not (bundled_site / path).is_file():
                missing.append(path)
        for course in year.courses:
            if not page(bundled_site, f"catalog/{y}/{course.code}/").is_file():
                missing.append(f"catalog/{y}/{course.code}/")
        schedule_ids = parse(page(bundled_site, f"schedule/{y}/")).ids
        for session in year.classes:
            if f"class-{session.code}" not in schedule_ids:
                missing.append(f"schedule/{y}/#class-{session.code}")
    assert missing == []


def test_year_page_links_its_changes_page(bundled_site: Path) -> None:
    hrefs = [a.get("href") for tag, a in parse(page(bundled_site, "catalog/2010/")).elements
             if tag == "a"]
    assert "changes/" in hrefs


def test_course_pages_are_not_in_the_navigation(bundled_site: Path) -> None:
    # The navigation lists the sections only; a year's courses are reached from its page.
    nav_links = [a.get("href") for tag, a in parse(page(bundled_site, "")).elements
                 if tag == "a" and "md-nav__link" in (a.get("class") or "")]
    assert "catalog/" in nav_links
    assert not any(href and href.startswith("catalog/2009/") for href in nav_links)


def test_calculator_in_navigation_named_as_its_page(bundled_site: Path) -> None:
    html = parse(page(bundled_site, ""))
    tabs = [a for tag, a in html.elements if tag == "a" and "md-tabs__link" in (a.get("class") or "")]
    assert [a.get("href") for a in tabs] == [
        ".", "notice/", "policy/", "catalog/", "schedule/", "calculator/", "audit/", "downloads/"]
    assert "学时自查" in html.text("nav")
    assert "批量核查" in html.text("nav")
