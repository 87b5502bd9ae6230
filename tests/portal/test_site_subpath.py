"""The site under a sub-path and for search engines: every link of every page resolves when
the built site is served at ``/sub/`` (a crawler), the Chinese 404 page works at any depth
there, and with ``site_url`` set the sitemap lists every page and robots.txt names it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from generator.site.publishing import build_site
from tests.browser import watch_context
from tests.portal.site_helpers import ROOT
from tests.portal.subpath import PREFIX, serve_under_subpath

pytestmark = pytest.mark.slow

SITE_URL = "https://www.example.gov.cn/jxjy/"


class _Refs(HTMLParser):
    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ref = dict(attrs).get(self.ATTRS.get(tag, ""))
        if ref:
            self.refs.append(ref)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), b""


def search(tab: Any, words: str) -> list[str]:
    """The addresses of the search's results for ``words`` (Chinese), best first. (Typed
    Chinese arrives as text without key events, as from an IME; the box reacts on keyup.)"""
    if not tab.is_visible("input.md-search__input"):
        tab.click("label.md-header__button[for=__search]")
    tab.focus("input.md-search__input")
    # A query typed before the worker has its index is not run again once it has it.
    tab.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                          ".textContent.trim() === '键入以开始搜索'", timeout=60_000)
    tab.keyboard.type(words)
    # The one key event: the box asks the worker for the whole text, once; its answer
    # replaces the hint with the count and renders the list in the same step.
    tab.keyboard.press("End")
    tab.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                          ".textContent.trim() !== '键入以开始搜索'", timeout=60_000)
    links = "[...document.querySelectorAll('.md-search-result__item > a')].map(a => a.href.split('?')[0])"
    found = list(tab.evaluate(links))
    assert found, f"no search result for {words}"
    return found


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    with serve_under_subpath(bundled_site) as url:
        yield url


def test_crawler_every_link_resolves_under_a_subpath(served: str) -> None:
    origin = served[: -len(PREFIX) + 1]
    seen: set[str] = set()
    queue = [served]
    broken: list[str] = []
    pages = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = _get(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if not kind.startswith("text/html"):
            continue
        pages += 1
        parser = _Refs()
        parser.feed(body.decode("utf-8"))
        for ref in parser.refs:
            if ref.startswith(("mailto:", "tel:", "data:", "#")) or urlsplit(ref).scheme:
                continue
            target = urldefrag(urljoin(url, ref)).url
            if not target.startswith(served):
                broken.append(f"{url}: {ref} leaves {PREFIX}")
            elif target not in seen:
                queue.append(target)
    assert broken == []
    assert pages >= 70  # every page is reached from the home page
    assert origin + "sub/catalog/2010/specialty/mechanical/" in seen


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["catalog/2099/nothing/", "nothing", "a/b/c/", "catalog/2010/X-99/"])
def test_not_found_page_works_at_any_depth(browser: Any, served: str, missing: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    seen = watch_context(context)
    try:
        tab = context.new_page()
        response = tab.goto(served + missing)
        assert response is not None and response.status == 404
        assert tab.title() == "找不到该页面 - 温州市工程技术（一）系列继续教育"
        assert tab.inner_text("h1") == "找不到该页面"
        assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        hrefs = tab.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        assert served + "catalog/" in hrefs and served + "downloads/" in hrefs
        for href in set(hrefs):
            assert href.startswith(served), href
            assert _get(href)[0] == 200, href
        # The search works there too (its index and its links from the site's root).
        assert search(tab, "精密制造")[0] == served + "catalog/2010/E-M11/"
        # Its inline scripts (the root finder, the search's base) run under its policy.
        assert seen.csp_errors == [] and seen.page_errors == [] and seen.outside == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site-url")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = config.replace("\n# site_url: https://www.example.gov.cn/jxjy/\n", f"\nsite_url: {SITE_URL}\n")
    config = config.replace("docs_dir: site_src", f"docs_dir: {ROOT / 'site_src'}")
    assert f"site_url: {SITE_URL}" in config
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    (folder / "node_modules").symlink_to(ROOT / "node_modules")  # its portal folder's runtime
    return build_site(folder / "site", ROOT / "catalog", folder / "mkdocs.yml")


def test_sitemap_lists_every_page_with_site_url(site_with_url: Path) -> None:
    locations = re.findall(r"<loc>([^<]+)</loc>", (site_with_url / "sitemap.xml").read_text("utf-8"))
    pages = sorted(p.parent.relative_to(site_with_url).as_posix() for p in site_with_url.rglob("index.html"))
    expected = sorted(SITE_URL + ("" if p == "." else p + "/") for p in pages)
    assert sorted(locations) == expected
    assert len(locations) == 71


def test_robots_txt(bundled_site: Path, site_with_url: Path) -> None:
    assert (site_with_url / "robots.txt").read_text("utf-8") == (
        "# 本站为公开的继续教育信息门户，欢迎搜索引擎收录。\nUser-agent: *\nAllow: /\n"
        f"Sitemap: {SITE_URL}sitemap.xml\n")
    # Without site_url there is no address to give: no Sitemap line.
    assert (bundled_site / "robots.txt").read_text("utf-8") == (
        "# 本站为公开的继续教育信息门户，欢迎搜索引擎收录。\nUser-agent: *\nAllow: /\n")
