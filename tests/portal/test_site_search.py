"""Chinese search: the built index is segmented by jieba, so a word finds its course."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def tokens(text: str, separator: str) -> set[str]:
    # What lunr does with the index's separator (Material's search worker).
    return {t for t in re.split(separator, text) if t}


def test_chinese_word_finds_its_course(bundled_site: Path) -> None:
    index = json.loads((bundled_site / "search/search_index.json").read_text("utf-8"))
    separator = index["config"]["separator"]
    assert index["config"]["lang"] == ["zh"]
    hits = [d["location"] for d in index["docs"]
            if "数控" in tokens(d["title"], separator) or "数控" in tokens(d["text"], separator)]
    assert "catalog/2009/E-M01/" in hits
    course = next(d for d in index["docs"] if d["location"] == "catalog/2009/E-M01/")
    # Without segmentation the whole title would be one token and "数控" would match nothing.
    assert tokens(course["title"], separator) >= {"数控", "加工", "技术"}


def test_unsegmented_text_would_not_match() -> None:
    assert "数控" not in tokens("数控加工技术及其新进展", r"[\s\-]+")


def _docs(site: Path) -> list[dict[str, str]]:
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    return [{**d, "text": d["text"].replace("\u200b", ""), "title": d["title"].replace("\u200b", "")}
            for d in index["docs"]]


def test_filter_controls_and_repeated_boxes_stay_out_of_the_index(bundled_site: Path) -> None:
    docs = _docs(bundled_site)
    for d in docs:
        # The selects' options run together ("全部公共必修课专业选修课…"), the specialty
        # links, the empty state and the collapsed 说明 box of every year and course page.
        assert "全部公共必修课" not in d["text"], d["location"]
        assert "按专业查看：" not in d["text"], d["location"]
        assert "显示全部课程" not in d["text"], d["location"]
        assert "本目录为示例数据" not in d["text"], d["location"]
        assert d["title"] != "说明", d["location"]
    year = next(d for d in docs if d["location"] == "catalog/2010/")
    # The year's table is left to the course pages: a course's words find its own page.
    assert "精密制造与检测技术" not in year["text"]


def test_course_descriptions_and_specialties_are_indexed(bundled_site: Path) -> None:
    docs = {d["location"]: d for d in _docs(bundled_site)}
    assert "面向初级专业技术人员及初次申报初级的人员" in docs["catalog/2010/E-X12/#description"]["text"]
    assert "适用专业机械、计量质检" in docs["catalog/2010/E-M11/"]["text"]
    assert docs["catalog/2010/E-M11/"]["boost"] == 4.0  # a course page (2) of the newest year (x2, search_terms.py)
    assert docs["catalog/2010/specialty/mechanical/"]["title"] == "2010年度机械专业课程"


@pytest.mark.browser
def test_search_ranks_course_pages_for_their_words(browser: Any, bundled_site: Path) -> None:
    from tests.portal.subpath import serve_under_subpath
    from tests.portal.test_site_subpath import search

    with serve_under_subpath(bundled_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            tab = context.new_page()
            tab.goto(url)
            assert search(tab, "精密制造")[0] == url + "catalog/2010/E-M11/"
            tab.goto(url)
            top = search(tab, "机械")[:5]
            assert url + "catalog/2010/specialty/mechanical/" in top
            assert url + "catalog/2009/E-M02/" in top  # 机械产品三维设计与CAE分析
        finally:
            context.close()


def test_the_build_segments_each_chinese_run_once_with_the_same_index(
        bundled_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build takes each run of Chinese characters' segmentation from a memo
    (material_compat.remember_segmentation: about 5 s of a 10 x 500 build): the index is
    byte for byte the one Material's own segmentation of every run gives."""
    from generator.site.adapters import material_compat
    from generator.site.publishing import build_site
    from tests.conftest import CATALOG, ROOT

    wrapped: list[object] = []
    monkeypatch.setattr(material_compat, "remember_segmentation",
                        lambda search, memo: wrapped.append(memo))
    plain = build_site(tmp_path / "site", CATALOG, ROOT / "mkdocs.yml")
    assert len(wrapped) == 1  # the build asked for it once; here it did nothing
    assert (plain / "search/search_index.json").read_bytes() \
        == (bundled_site / "search/search_index.json").read_bytes()
