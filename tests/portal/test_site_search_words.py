"""Search in the engineer's words (issue 28): synonyms applied at index time, and the
newest catalog year ranked above older years for the same match."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.site import search_terms

pytestmark = pytest.mark.slow


def test_the_shipped_words_and_the_policys_aliases() -> None:
    words = search_terms.synonyms({
        "modules": {"public": {"name": "公共必修课", "aliases": ["公需课", "公共课程"]}},
        "titles": {"engineer": {"name": "工程师", "aliases": ["中级"]},
                   "x": {"name": "测试员", "aliases": ["测员"]}},
    })
    # Each word once, the shipped ones first; a name the file lacks comes from the policy.
    assert words["公共必修课"] == ("公需课", "公需科目", "公共课", "公需", "公共课程")
    assert words["工程师"][:1] == ("中级",) and words["工程师"].count("中级") == 1
    assert words["测试员"] == ("测员",)
    assert search_terms.synonyms(None)["专业选修课"] == ("选修课", "专业课", "专业科目")


def test_enrich_adds_the_words_and_weighs_the_newest_year() -> None:
    entries = [
        {"location": "catalog/2027/G-21/", "title": "职业道德", "text": "类别\u200b公共\u200b必修课", "boost": 2},
        {"location": "catalog/2010/G-11/", "title": "心理健康", "text": "类别公共必修课", "boost": 2},
        {"location": "catalog/2027/specialty/mechanical/", "title": "2027年度机械专业课程", "text": ""},
        {"location": "schedule/2010/", "title": "2010年度办班计划", "text": "报名截止"},
        {"location": "policy/#cycles", "title": "周期", "text": "高级工程师 200学时"},
        {"location": "notice/", "title": "通知", "text": "工程师5年一个周期"},
    ]
    before = json.dumps(entries, ensure_ascii=False)
    words = {"公共必修课": ("公需课", "公需科目"), "工程师": ("中级",), "高级工程师": ("高工",)}
    out = search_terms.enrich(entries, words)
    assert json.dumps(entries, ensure_ascii=False) == before  # the input is left alone
    assert out[0]["text"] == "类别\u200b公共\u200b必修课 \u200b公需课 \u200b公需科目"
    assert out[1]["text"].endswith(" \u200b公需课 \u200b公需科目")
    # 工程师 inside 高级工程师 is not 工程师: a senior engineer's page is not found by 中级.
    assert out[4]["text"].endswith(" \u200b高工")
    assert out[5]["text"].endswith(" \u200b中级")
    # The newest year (2027) weighs twice its own weight; a specialty's page and a year's
    # schedule more than the pages that merely name the word.
    assert [e.get("boost") for e in out] == [4.0, 2, 6.0, 2.0, None, None]


def test_the_index_holds_the_engineers_words(bundled_site: Path) -> None:
    index = json.loads((bundled_site / "search/search_index.json").read_text("utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    public = docs["catalog/2010/G-11/"]
    assert "\u200b公需课" in public["text"] and "\u200b公需科目" in public["text"]
    assert public["boost"] == 4.0  # a course page (2) of the newest year (x2)
    assert docs["catalog/2009/G-01/"]["boost"] == 2
    assert "\u200b选修课" in docs["catalog/2010/E-M11/"]["text"]
    forms = [d for loc, d in docs.items() if loc.startswith("downloads/") and "报名表" in d["text"]]
    assert forms and all("\u200b报名登记表" in d["text"] for d in forms)


def _found(tab: Any, words: str) -> list[str]:
    """The result pages (path and fragment) for ``words``, best first. The whole query
    is set at once (as an IME sends it), so the list shown is its answer: the first result
    links with the highlighted term (``?h=``) once the search worker has answered."""
    if not tab.is_visible("input.md-search__input"):
        tab.click("label.md-header__button[for=__search]")
    tab.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                          ".textContent.trim() === '键入以开始搜索'", timeout=60_000)
    tab.fill("input.md-search__input", words)
    tab.keyboard.press("End")
    tab.wait_for_function("() => { const a = document.querySelector('.md-search-result__item > a');"
                          " return a && new URL(a.href).searchParams.has('h'); }")
    hrefs = tab.evaluate("[...document.querySelectorAll('.md-search-result__item > a')].map(a => a.href)")
    out: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        out.append(parts.path + (f"#{parts.fragment}" if parts.fragment else ""))
    return out


def _pages(found: list[str]) -> list[str]:
    """Distinct pages, in order (a page's sections are listed under it)."""
    return list(dict.fromkeys(f.split("#")[0] for f in found))


@pytest.fixture(scope="module")
def searched(browser: Any, bundled_site: Path) -> Iterator[Any]:
    from tests.portal.subpath import serve_under_subpath

    with serve_under_subpath(bundled_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        try:
            def search(words: str) -> list[str]:
                tab = context.new_page()
                try:
                    tab.goto(url)
                    prefix = urlsplit(url).path
                    return [f.removeprefix(prefix.rstrip("/")) for f in _found(tab, words)]
                finally:
                    tab.close()
            yield search
        finally:
            context.close()


@pytest.mark.browser
def test_the_engineers_words_find_the_sites_pages(searched: Any) -> None:
    # 公需课: the site says 公共必修课; the newest year's public courses come first.
    public = _pages(searched("公需课"))
    assert public[0] in {"/catalog/2010/G-11/", "/catalog/2010/G-12/", "/catalog/2010/G-13/"}, public
    # 机械: the newest year's mechanical page, in the top 3, above 2009's.
    mechanical = _pages(searched("机械"))
    assert "/catalog/2010/specialty/mechanical/" in mechanical[:3], mechanical
    assert mechanical.index("/catalog/2010/specialty/mechanical/") < mechanical.index(
        "/catalog/2009/specialty/mechanical/")
    # 报名: this year's registration (the home page's section, or the schedule) in the top 3.
    registration = searched("报名")
    top = _pages(registration)[:3]
    assert "/" in top or "/schedule/2010/" in top, registration
    # 截止: this year's schedule first, 2009's after it.
    deadline = _pages(searched("截止"))
    assert deadline[:2] == ["/schedule/2010/", "/schedule/2009/"], deadline
    # 中级 (工程师) and 高工 (高级工程师): the policy's figures.
    assert "/policy/" in _pages(searched("中级"))[:3]
    assert "/policy/" in _pages(searched("高工"))[:3]
