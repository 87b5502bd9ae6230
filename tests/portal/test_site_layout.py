"""Every page kind on a 390-px phone and a 1280-px desktop, in Chromium: the page never
scrolls sideways, dates never break inside, and a visitor reads no English word but the
names of file formats and products (and what the catalog itself writes: CAE, PLC…)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.common import PAGE_KINDS as HARDENING_PAGE_KINDS
from tests.portal.site_helpers import ROOT
from tests.portal.subpath import serve_under_subpath

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# The hardening suite's page kinds, with a course that has classes (its longest page) and
# a missing address two folders deep (the 404 page as a visitor meets it).
PAGE_KINDS = {
    **HARDENING_PAGE_KINDS,
    "course": "catalog/2010/E-M11/",
    "not found": "catalog/2099/nothing/",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

# File formats and products a visitor may meet by name.
ALLOWED = {"Word", "Excel", "CSV", "JSON", "Schema", "ICS", "PDF", "Pyodide",
           "WebAssembly", "Python", "MkDocs", "Material", "VS", "Code", "YAML", "XLSX", "DOCX"}
WORD = re.compile(r"[A-Za-z]{2,}")
# Addresses (the notice gives its web site) are not words.
ADDRESS = re.compile(r"(?:https?://|www\.)[\w./-]+|[\w.+-]+@[\w.-]+")


def _catalog_words() -> set[str]:
    # Words the catalog's own data writes (course titles such as "PLC与工业自动化控制技术").
    text = "".join(p.read_text("utf-8") for p in (ROOT / "catalog").glob("*.yaml"))
    return set(WORD.findall(text))


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    with serve_under_subpath(bundled_site) as url:
        yield url


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_sideways_scroll_no_broken_dates_no_english(browser: Any, served: str, width: str) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(locale="zh-CN", viewport={"width": w, "height": h})
    allowed = ALLOWED | _catalog_words()
    problems = []
    try:
        tab = context.new_page()
        for kind, url in PAGE_KINDS.items():
            tab.goto(served + url, wait_until="networkidle")
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            if scroll > w:
                problems.append(f"{kind}: the page is {scroll}px wide at {w}px")
            broken = tab.evaluate("""[...document.querySelectorAll('.ce-date')]
              .filter(e => e.offsetParent !== null && e.getClientRects().length > 1)
              .map(e => e.textContent)""")
            if broken:
                problems.append(f"{kind}: dates broken across lines: {broken}")
            text = tab.evaluate("document.body.innerText + ' ' + document.title")
            english = sorted(set(WORD.findall(ADDRESS.sub(" ", text))) - allowed)
            if english:
                problems.append(f"{kind}: English words {english}")
    finally:
        context.close()
    assert problems == []
