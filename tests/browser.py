"""Browser helpers shared by every suite that drives headless Chromium: how it is launched,
and what a context reports that a well-behaved page never causes (a request leaving
127.0.0.1, a CSP violation, a console error, an uncaught exception).

Imported as ``from tests.browser import ...``; the session's one browser is the
``browser`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# Reported through console.error, which the console listener collects (violations in a
# worker reach the page's console as errors too); also kept in a list for the test to read.
WATCH_CSP = """
addEventListener("securitypolicyviolation", (e) => {
  (self.__ceViolations = self.__ceViolations || []).push(e.violatedDirective + " " + e.blockedURI);
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


def local(url: str) -> bool:
    """Whether a request stays on this machine's test server (or never hits the network)."""
    return url.startswith(("http://127.0.0.1:", "data:", "blob:"))


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless. A missing browser fails (never skips): the browser tests
    are part of what `make test` proves, in CI too."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@dataclasses.dataclass
class Watch:
    """What a context saw. ``requests`` is every request, ``outside`` those refused."""

    console_errors: list[str] = dataclasses.field(default_factory=list)
    page_errors: list[str] = dataclasses.field(default_factory=list)
    outside: list[str] = dataclasses.field(default_factory=list)
    requests: list[str] = dataclasses.field(default_factory=list)
    expect_console_errors: bool = False

    def reset(self) -> None:
        for seen in (self.console_errors, self.page_errors, self.outside, self.requests):
            seen.clear()
        self.expect_console_errors = False

    @property
    def csp_errors(self) -> list[str]:
        return [m for m in self.console_errors
                if "Content Security Policy" in m or m.startswith("CSP violation")]

    def check(self) -> None:
        assert self.outside == [], "requests left 127.0.0.1"
        assert self.page_errors == []
        if not self.expect_console_errors:
            assert self.console_errors == []


def watch_context(context: Any, *, block: bool = True) -> Watch:
    """Start watching ``context``: requests (those leaving 127.0.0.1 apart), console
    errors, uncaught exceptions and CSP violations are recorded.

    With ``block`` a request leaving 127.0.0.1 is also aborted, through a route; without,
    it is only recorded: routing turns the HTTP cache off, which makes every load of the
    calculator a cold start of Pyodide.
    """
    seen = Watch()
    context.add_init_script(WATCH_CSP)

    def route(route: Any) -> None:
        url = route.request.url
        seen.requests.append(url)
        if local(url):
            route.continue_()
        else:
            seen.outside.append(url)
            route.abort()

    def on_request(request: Any) -> None:
        seen.requests.append(request.url)
        if not local(request.url):
            seen.outside.append(request.url)

    if block:
        context.route("**/*", route)
    else:
        context.on("request", on_request)

    def on_page(page: Any) -> None:
        page.on("console",
                lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.page_errors.append(str(e)))

    context.on("page", on_page)
    return seen
