"""Hardening fixtures: the bundled site (built once, tests/conftest.py) served on 127.0.0.1,
and the figures the suite reports at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.hardening.common import REPORT


@pytest.fixture(scope="session")
def site_url(bundled_site: Path) -> Iterator[str]:
    """The bundled site on 127.0.0.1; the pages' own meta policy only (no CSP header)."""
    with preview.serve(bundled_site, csp_header=False) as url:
        yield url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    r = REPORT
    if not (r["html_files"] or r["kinds_loaded"] or r["axe_runs"] or r["fuzz_examples"]):
        return
    write = terminalreporter.write_line
    terminalreporter.section("hardening figures")
    write(f"static scan: {r['html_files']} HTML files, {r['css_files']} CSS files")
    write(f"page kinds loaded in Chromium: {len(r['kinds_loaded'])} "
          f"({', '.join(sorted(r['kinds_loaded']))})")
    write(f"requests seen: {r['requests']}, leaving 127.0.0.1: {r['outside_requests']}; "
          f"CSP violations: {r['csp_violations']}")
    impacts = ", ".join(f"{k} {v}" for k, v in sorted(r["axe_impacts"].items())) or "none"
    write(f"axe runs: {r['axe_runs']}; findings (WCAG 2 A/AA) by impact: {impacts}")
    fuzz = ", ".join(f"{k} {v}" for k, v in sorted(r["fuzz_examples"].items()))
    write(f"fuzz examples run: {sum(r['fuzz_examples'].values())} ({fuzz})")
