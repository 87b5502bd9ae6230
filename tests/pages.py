"""Fixtures the calculator's and the audit's browser suites share (each conftest imports
them): the suite's ``site_dir`` served on 127.0.0.1, and one context on the session's
headless Chromium (tests/conftest.py, tests/browser.py), emptied per test, that fails the
test on any console error, CSP violation or request leaving 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.browser import Watch, watch_context


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with preview.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def shared(browser: Any) -> Iterator[tuple[Any, Watch]]:
    """One context (a fresh profile) for the session, and what it saw.

    Requests are watched with a handler rather than a route: routing would turn the
    HTTP cache off and make every page load a cold start of Pyodide.
    """
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    watch = watch_context(context, block=False)
    yield context, watch
    context.close()


@pytest.fixture
def watch(shared: tuple[Any, Watch]) -> Iterator[Watch]:
    """The session's watch, emptied before and checked after the test."""
    _context, seen = shared
    seen.reset()
    yield seen
    seen.check()
