"""Offline after one visit, on the built site (MkDocs' and Zensical's): the calculator and
the audit page open styled and ready with no network and an emptied HTTP cache, the
theme's files (Material's stylesheets and scripts) coming from the service worker's copy
like the engine's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.offline import COMPLETE_CACHE, forget_http_cache, themed

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = {"calculator/": "window.ceHours.ready", "audit/": "window.ceAudit.ready"}


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    site: Path = request.getfixturevalue("bundled_site" if request.param == "mkdocs"
                                         else "zensical_site")
    with preview.serve(site, max_age=3600) as url:
        yield url


@pytest.mark.parametrize("path", list(PAGES))
def test_the_page_opens_styled_and_ready_offline(browser: Any, served: str, path: str) -> None:
    context = browser.new_context(locale="zh-CN", service_workers="allow")
    try:
        page = context.new_page()
        page.goto(served + path)
        page.evaluate(PAGES[path])
        page.evaluate(COMPLETE_CACHE)
        assert themed(page)
        forget_http_cache(page)
        context.set_offline(True)
        page.reload()
        page.evaluate(PAGES[path])
        assert themed(page)
        broken = page.evaluate(
            "[...document.querySelectorAll('link[rel=stylesheet]')].filter((l) => !l.sheet)"
            ".map((l) => l.href)"
        )
        assert broken == []
    finally:
        context.close()
