"""No visitor is sent to a third party: nothing in the built site loads from another origin
(checked statically over every HTML and CSS file), and every kind of page, loaded and used
in Chromium (search, palette toggle, catalog filters, the calculator's engine), requests
only 127.0.0.1 and violates its Content-Security-Policy nowhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.browser import watch_context
from tests.hardening.common import PAGE_KINDS, REPORT

pytestmark = pytest.mark.slow

# Attributes that make the browser fetch something (not <a href>: following a link is the
# visitor's choice, and the link checker covers those).
_FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link rel=…> that fetch: styles, fonts (preload), icons, manifests, preconnects.
_FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                  "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest",
                  "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)


def foreign(url: str) -> bool:
    """Whether ``url`` (as written in a page or a style sheet) points to another origin."""
    url = url.strip().lower()
    if url.startswith("//"):
        return True
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", url)
    return scheme is not None and scheme.group(1) not in {"data", "blob", "about"}


def css_urls(text: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in _CSS_URL.finditer(text)]


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        names: tuple[str, ...] = _FETCHING.get(tag, ())
        if tag == "link" and set(values.get("rel", "").lower().split()) & _FETCHING_RELS:
            names = ("href", "imagesrcset")
        for name in names:
            for part in values.get(name, "").split(","):
                if part.strip():
                    self.urls.append((f"<{tag} {name}>", part.split()[0]))
        if "style" in values:
            self.urls += [(f"<{tag} style>", u) for u in css_urls(values["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [("<style>", u) for u in css_urls(data)]


def fetched_urls(html: str) -> list[tuple[str, str]]:
    parser = _Fetches()
    parser.feed(html)
    parser.close()
    return parser.urls


def test_scanner_sees_foreign_fetches() -> None:
    html = """<link rel="stylesheet" href="https://cdn.example.com/a.css">
    <link rel="preconnect" href="//fonts.gstatic.com"><a href="https://example.com/">ok</a>
    <img srcset="a.png 1x, http://x.example/b.png 2x"><script src="/assets/x.js"></script>
    <div style="background:url('https://t.example/p.gif')"></div>
    <style>@import "https://s.example/i.css"; .a{background:url(data:image/png;base64,AA)}</style>
    <svg><use href="https://icons.example/s.svg#i"></use></svg><iframe src="x.html"></iframe>"""
    found = [u for _, u in fetched_urls(html) if foreign(u)]
    assert found == ["https://cdn.example.com/a.css", "//fonts.gstatic.com",
                     "http://x.example/b.png", "https://t.example/p.gif",
                     "https://s.example/i.css", "https://icons.example/s.svg#i"]


def test_no_page_or_style_sheet_loads_from_another_origin(bundled_site: Path) -> None:
    pages = sorted(bundled_site.rglob("*.html"))
    sheets = sorted(bundled_site.rglob("*.css"))
    assert len(pages) >= 55 and sheets
    offending = []
    for path in pages:
        for where, url in fetched_urls(path.read_text("utf-8")):
            if foreign(url):
                offending.append(f"{path.relative_to(bundled_site)}: {where} {url}")
    for path in sheets:
        for url in css_urls(path.read_text("utf-8")):
            if foreign(url):
                offending.append(f"{path.relative_to(bundled_site)}: url() {url}")
    REPORT["html_files"], REPORT["css_files"] = len(pages), len(sheets)
    assert offending == []


def _click_visible(page: Any, selector: str) -> None:
    page.locator(selector).locator("visible=true").first.click()


def use_controls(page: Any, kind: str) -> None:
    """What a visitor does on the pages with their own controls (the engine pages, the
    catalog filters), whichever builder made the site."""
    if kind == "calculator":
        page.evaluate("window.ceHours.ready")
        response = page.evaluate("""window.ceHours.evaluate({kind: "promotion",
            target: "engineer", year: 2011, records: [{year: 2010, module: "public", hours: 8}]})""")
        assert response["required"] == {"total": 96, "public": 24}
    if kind == "audit":
        page.evaluate("window.ceAudit.ready")
        done = page.evaluate("""window.ceAudit.run("a.csv", new TextEncoder().encode(
            "编号,类型,拟申报,年度,学时年度,类别,学时\\nA1,申报晋升,工程师,2011,2010,public,8\\n"))""")
        assert done["summary"] == "共核算 1 人：达标 0 人，未达标 1 人，出错 0 人（UTF-8 编码，第1行为表头）"
    if kind == "year catalog":
        form = page.locator("#ce-course-filter")
        form.locator("select[name=module]").select_option("public")
        assert "门" in form.locator("output").inner_text()
        page.locator("a[data-ce-specialty]").nth(1).click()
        form.locator("select[name=form]").select_option(index=1)


def toggle_palette(page: Any) -> None:
    """Palette toggle: light -> dark -> light, stored in localStorage."""
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    _click_visible(page, "form[data-md-component=palette] label")
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    _click_visible(page, "form[data-md-component=palette] label")


def use(page: Any, kind: str) -> None:
    """What a visitor does on every page, and on the pages with their own controls."""
    use_controls(page, kind)
    # Material's search runs in a worker that fetches the index: both from the site.
    # (Typed Chinese arrives as text input without key events, as from an IME; the search
    # box reacts on keyup, as it does when a real IME commits.)
    page.click("input.md-search__input")
    page.keyboard.type("数控")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.keyboard.press("Escape")
    toggle_palette(page)


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_kind_stays_local_and_within_its_policy(
    browser: Any, site_url: str, kind: str
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    seen = watch_context(context)
    try:
        page = context.new_page()
        response = page.goto(site_url + PAGE_KINDS[kind], wait_until="networkidle")
        assert response is not None
        assert response.status == 200
        use(page, kind)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("self.__ceViolations || []")
    finally:
        context.close()
    REPORT["kinds_loaded"].add(kind)
    REPORT["requests"] += len(seen.requests)
    REPORT["outside_requests"] += len(seen.outside)
    REPORT["csp_violations"] += len(violations)
    assert seen.requests, "nothing was requested?"
    assert seen.outside == []
    assert violations == []
    assert seen.csp_errors == []
    assert seen.page_errors == []
    assert seen.console_errors == []
