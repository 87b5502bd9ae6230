"""Hardening fixtures: the bundled site (built once, tests/conftest.py) served on 127.0.0.1,
and the figures the suite reports at the end of the run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.hardening.common import REPORT

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_CATALOG = ROOT / "tests" / "golden" / "catalog"


@pytest.fixture(scope="session")
def site_url(bundled_site: Path) -> Iterator[str]:
    """The bundled site on 127.0.0.1; the pages' own meta policy only (no CSP header)."""
    with preview.serve(bundled_site, csp_header=False) as url:
        yield url


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project (mkdocs.yml, site_src, a small catalog, node_modules, a .git
    folder) as cwd."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", copy / "site_src")
    shutil.copytree(GOLDEN_CATALOG, copy / "catalog")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")  # the portal folder's runtime
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    monkeypatch.chdir(copy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1238544000")
    return copy


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
