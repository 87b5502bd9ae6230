"""Catalog text is data, never markup: the payloads of the golden fixture catalog appear as
the text they are in the built HTML (body, <title>, meta description), and nothing in
them becomes an element, an attribute, a link or Markdown formatting."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.model import Catalog
from tests.portal.site_helpers import Html, page, parse

pytestmark = pytest.mark.slow

SITE_NAME = "温州市工程技术（一）系列继续教育"
SCRIPT_TITLE = '<script>alert("标题")</script>职业道德'
MD_TITLE = "数控加工技术 **加粗** [链接](javascript:alert(2))"
DESCRIPTION = '简介 "><img src=x onerror=alert(1)> 结束'
TEACHER = "张三 | 李四 `反引号`"


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_fixture_holds_the_payloads(golden_catalog: Catalog) -> None:
    year = golden_catalog.year(2009)
    assert year.course("G-01").title == SCRIPT_TITLE
    assert year.course("G-01").description == DESCRIPTION
    assert year.course("G-01").teacher == TEACHER
    assert year.course("E-M01").title == MD_TITLE


def test_script_title_is_text_in_body_title_and_meta(payload_site: Path) -> None:
    html = parse(page(payload_site, "catalog/2009/G-01/"))
    assert html.text("h1").strip() == SCRIPT_TITLE
    assert html.text("title") == f"{SCRIPT_TITLE}（2009年度） - {SITE_NAME}"
    metas = {a.get("name"): a.get("content") for tag, a in html.elements if tag == "meta"}
    assert metas["description"] == DESCRIPTION
    assert DESCRIPTION in html.text("p")
    assert TEACHER in html.text("dd")


def test_markdown_syntax_stays_literal(payload_site: Path) -> None:
    html = parse(page(payload_site, "catalog/2009/E-M01/"))
    assert html.text("h1").strip() == MD_TITLE
    assert html.text("title") == f"{MD_TITLE}（2009年度） - {SITE_NAME}"
    # In the year's table the title is the link text, whole and unformatted.
    table = parse(page(payload_site, "catalog/2009/"))
    assert MD_TITLE in table.text("a")
    assert TEACHER in table.text("td")
    # The description's "# heading" and "- list" lines are text, not structure.
    article = parse(page(payload_site, "catalog/2009/E-M01/")).text("p")
    assert "多行简介\n第二行 # 不是标题\n- 不是列表" in article


def test_sample_note_markdown_is_literal(payload_site: Path) -> None:
    html = parse(page(payload_site, "catalog/2009/"))
    assert "第二行说明 **不加粗** `不是代码`" in html.text("p")


def article(path: Path) -> Html:
    """The page's content (the theme's own icons and scripts around it left out)."""
    text = path.read_text("utf-8")
    start = text.index("<article")
    return Html(text[start:text.index("</article>", start)])


def test_no_live_markup_from_data_anywhere(payload_site: Path) -> None:
    for path in all_pages(payload_site):
        html = article(path)
        assert html.elements, path
        for tag, attrs in html.elements:
            assert tag not in {"img", "svg", "i", "b"}, f"{path}: <{tag}> from data"
            assert not any(name.startswith("on") for name in attrs), f"{path}: {tag} {attrs}"
            href = (attrs.get("href") or "").strip().lower()
            assert not href.startswith("javascript:"), f"{path}: {attrs}"
            if tag == "script":
                assert "alert" not in str(attrs)
        assert "<strong>加粗</strong>" not in path.read_text("utf-8")
        assert "<code>不是代码</code>" not in path.read_text("utf-8")


def test_no_script_body_contains_the_payload(payload_site: Path) -> None:
    for path in all_pages(payload_site):
        text = path.read_text("utf-8")
        assert "<script>alert" not in text, path


def test_payloads_in_schedule_and_search_index(payload_site: Path) -> None:
    html = parse(page(payload_site, "schedule/2009/"))
    assert "第一期 <i>培训班</i>, 含逗号; 分号\\反斜杠" in html.text("h2")
    assert '培训中心 "><svg onload=alert(3)>' in html.text("dd")
    index = (payload_site / "search/search_index.json").read_text("utf-8")
    assert "<script>" not in index and "<svg" not in index and "<img" not in index
