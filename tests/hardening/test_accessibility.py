"""Accessibility: axe-core (npm, node_modules/axe-core) on every page kind, in the light and
the dark scheme, at desktop and at 390-px phone width: no serious or critical WCAG 2 A/AA
finding. (Keyboard use of the calculator is tested with the calculator, tests/calculator.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import AXE
from tests.hardening.common import PAGE_KINDS, REPORT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
SCHEMES = {"light": ("light", "default"), "dark": ("dark", "slate")}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe's violations on ``page``. Evaluated through the DevTools protocol, which the
    page's Content-Security-Policy does not govern (a <script> tag would be refused)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG,
    )
    return list(result["violations"])


def describe(kind: str, violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:4])
    return f"{kind}: {violation['impact']} {violation['id']} ({len(violation['nodes'])}×) {targets}"


def test_axe_is_installed() -> None:
    assert AXE.is_file(), "node_modules/axe-core is missing: run make setup"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_serious_wcag_finding(browser: Any, site_url: str, scheme: str, width: str) -> None:
    media, material_scheme = SCHEMES[scheme]
    context = browser.new_context(locale="zh-CN", color_scheme=media, viewport=WIDTHS[width])
    findings = []
    try:
        page = context.new_page()
        for kind, url in PAGE_KINDS.items():
            page.goto(site_url + url, wait_until="networkidle")
            if kind == "calculator":
                page.evaluate("window.ceHours.ready")
            if kind == "audit":
                page.evaluate("window.ceAudit.ready")
            shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert shown == material_scheme, kind
            for violation in run_axe(page):
                REPORT["axe_impacts"][violation["impact"]] += 1
                if violation["impact"] in BLOCKING:
                    findings.append(describe(kind, violation))
            REPORT["axe_runs"] += 1
    finally:
        context.close()
    assert findings == []
