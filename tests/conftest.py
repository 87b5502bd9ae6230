"""Fixtures shared by every suite. Each area keeps its own fixtures in its folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.policy import load_policy
from generator.site.publishing import build_site
from tests.browser import chromium

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
EPOCH = "1238544000"  # 2009-04-01T00:00:00Z

# The tiers' markers, the fixtures that imply them, `--fast` and its guard.
pytest_plugins = ["tests.tiers"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI (.ci/run sets CI=true) nothing may be skipped: a browser test that could not
    # run proves nothing. (The browser fixture fails rather than skips anyway.)
    if _in_ci() and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _in_ci() and _skipped:
        terminalreporter.write_line(
            f"CI: {len(_skipped)} test(s) skipped, which fails the run: " + ", ".join(_skipped[:10]),
            red=True,
        )


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def policy() -> dict[str, Any]:
    """The bundled policy, as the rules take it."""
    return load_policy(CATALOG)


@pytest.fixture(scope="session")
def fixed_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH fixed for the rest of the session: every build is reproducible."""
    # Session-wide (monkeypatch is function-scoped).
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    yield
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="session")
def bundled_site(fixed_epoch: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the bundled catalogs, built once for every suite that reads it."""
    return build_site(tmp_path_factory.mktemp("bundled") / "site", CATALOG, ROOT / "mkdocs.yml")


@pytest.fixture(scope="session")
def zensical_site(fixed_epoch: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site built by Zensical (``ceportal build --builder zensical``), once."""
    return build_site(tmp_path_factory.mktemp("bundled-zensical") / "site", CATALOG,
                      ROOT / "mkdocs.yml", builder="zensical")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The session's one headless Chromium (see tests/browser.py)."""
    with chromium() as instance:
        yield instance
