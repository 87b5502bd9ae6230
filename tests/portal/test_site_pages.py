"""Page content computed from the data: the notice's sections, the policy's figures (the
rules' own), the changes between years, the schedule's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.model import Catalog, ClassSession, Course, Registration, YearCatalog
from generator.catalog.policy_model import as_policy
from generator.site.rendering import notice_text, parse_notice
from generator.site.rendering.changes import year_changes
from generator.site.rendering.policy_page import policy_page
from generator.site.rendering.urls import relative
from generator.site.rendering.year_pages import schedule_page
from tests.portal.site_helpers import page, parse


def test_notice_sections_and_anchors() -> None:
    notice = parse_notice(notice_text())
    assert notice.issuers == ("温州市经济贸易委员会", "温州市人事局")
    assert notice.number == "温经贸培训〔2009〕74号"
    assert notice.title == "关于全面开展工程技术（一）系列专业技术人员继续教育培训的通知"
    assert [(s.anchor, s.heading) for s in notice.sections] == [
        ("s1", "一、继续教育对象"), ("s2", "二、继续教育周期及学时要求"),
        ("s3", "三、继续教育内容及要求"), ("s4", "四、继续教育的组织安排"),
        ("s5", "五、继续教育登记管理和使用")]
    assert [p.anchor for p in notice.sections[2].paragraphs] == [None, "s3-1", "s3-2", "s3-3"]
    assert notice.attachments[1] == "2、温州市工程技术人员继续教育培训班报名表"


def _cells(markdown: str, caption: str) -> list[list[str]]:
    table = markdown[markdown.index(caption):]
    return parse_fragment(table[:table.index("</table>")])


def parse_fragment(text: str) -> list[list[str]]:
    """The text of each cell of each table row in ``text``."""
    from html.parser import HTMLParser

    rows: list[list[str]] = []

    class Rows(HTMLParser):
        in_cell = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                rows.append([])
            if tag in {"td", "th"}:
                rows[-1].append("")
                self.in_cell = True

        def handle_endtag(self, tag: str) -> None:
            if tag in {"td", "th"}:
                self.in_cell = False

        def handle_data(self, data: str) -> None:
            if self.in_cell:
                rows[-1][-1] += data

    Rows().feed(text)
    return rows


def test_policy_tables_are_the_notices_figures(policy: dict[str, Any]) -> None:
    text = policy_page(as_policy(policy)).body
    promotion = _cells(text, "申报晋升须完成的学时")
    assert promotion[0] == ["申报", "现任职称", "2009年", "2010年", "2011年", "2012年", "2013年及以后"]
    # 第二条 (一)–(三); ※ marks a figure the notice does not state (see 推定说明);
    # tests/rules/test_policy_page.py checks every mark.
    assert promotion[1:] == [
        ["初次申报初级职称（技术员、助理工程师）", "—", *["16※4"] * 5],
        ["技术员晋升助理工程师", "技术员", "32（8）", "64（16）", *["64（16）※3"] * 3],
        ["助理工程师晋升工程师", "助理工程师", "32（8）", "64（16）", "96（24）", "128（32）", "128（32）"],
        ["工程师晋升高级工程师及以上", "工程师", "40（8）", "80（16）", "120（24）", "160（32）", "200（32）"],
    ]
    cycles = _cells(text, "各级职称继续教育周期")
    assert cycles[1:] == [["高级工程师", "5", "200", "32※1"], ["工程师", "5", "200", "32"],
                          ["助理工程师", "4", "128", "32"], ["技术员", "2", "64", "16※2"]]
    assert '<li id="assumption-senior_engineer_public"><strong>※1 高级工程师周期内' in text


def test_policy_figures_follow_the_policy_data(policy: dict[str, Any]) -> None:
    changed = {**policy, "titles": {**policy["titles"], "engineer": {
        **policy["titles"]["engineer"], "cycle_hours": {"value": 250, "clause": "x"}}}}
    cycles = _cells(policy_page(as_policy(changed)).body, "各级职称继续教育周期")
    assert cycles[2] == ["工程师", "5", "250", "32"]


def _course(code: str, title: str, module: str = "elective", hours: float = 8) -> Course:
    return Course(code=code, title=title, module=module, hours=hours)


def test_year_changes_matches_codes_with_the_year_and_titles() -> None:
    before = YearCatalog(2009, "a", (
        _course("2009-M1", "数控"), _course("G-1", "道德", "public"), _course("X", "旧课"),
        _course("P", "改名前"), _course("T", "同名", hours=8)))
    after = YearCatalog(2010, "b", (
        _course("2010-M1", "数控", hours=16), _course("G-1", "道德", "elective"),
        _course("N", "新课"), _course("T2", "同名", hours=8)))
    diff = year_changes(before, after)
    assert diff.previous == 2009
    assert [c.code for c in diff.added] == ["N"]
    assert [c.code for c in diff.removed] == ["X", "P"]
    assert [(c.before.code, c.after.code, c.fields) for c in diff.changed] == [
        ("2009-M1", "2010-M1", ("hours",)), ("G-1", "G-1", ("module",)),
        ("T", "T2", ("code",))]
    assert [c.after.code for c in diff.renumbered] == ["T2"]


def test_first_year_has_no_changes() -> None:
    diff = year_changes(None, YearCatalog(2009, "a", (_course("A", "a"),)))
    assert (diff.previous, diff.added, diff.removed, diff.changed) == (None, (), (), ())


@pytest.mark.slow
def test_changes_page_of_the_payload_catalog(payload_site: Path) -> None:
    html = parse(page(payload_site, "catalog/2010/changes/"))
    text = html.text("p")
    assert ("与2009年度目录相比：编号调整 0 门，学时、类别、名称、专业、形式或授课教师调整 2 门，"
            "新增 1 门，取消 1 门。") in text
    assert "本年度暂未公布办班计划。" in text  # 2010 lists no classes: none "not run again"
    rows = parse_fragment(page(payload_site, "catalog/2010/changes/").read_text("utf-8").split(
        'id="changed"')[1])
    assert rows[2] == ["E-M01 数控加工技术 **加粗** [链接](javascript:alert(2))",
                       "E-M01 数控加工技术 **加粗** [链接](javascript:alert(2))",
                       "学时由 16 改为 12；类别由专业选修课改为公共必修课；适用专业由机械、农机改为各专业；"
                       "形式由培训班改为未注明"]


@pytest.mark.slow
def test_bundled_changes_pages(bundled_site: Path, bundled_catalog: Catalog) -> None:
    first = parse(page(bundled_site, "catalog/2009/changes/")).text("p")
    assert "2009年度是第一个目录年度，没有可比较的上一年度目录。" in first
    diff = year_changes(bundled_catalog.year(2009), bundled_catalog.year(2010))
    second = parse(page(bundled_site, "catalog/2010/changes/")).text("p")
    # The bundled 2010 catalog has new courses only (no title is near a 2009 one).
    assert (diff.renumbered, diff.adjusted) == ((), ())
    assert (f"与2009年度目录相比：编号调整 0 门，学时、类别、名称、专业、形式或授课教师调整 0 门，"
            f"新增 {len(diff.added)} 门，取消 {len(diff.removed)} 门。") in second


def test_schedule_lists_registration_deadline_first(policy: dict[str, Any]) -> None:
    course = _course("A", "课程")
    def session(code: str, start: int, closes: int | None) -> ClassSession:
        return ClassSession(code, f"班{code}", dt.date(2009, 6, start), dt.date(2009, 6, start),
                            ("A",), registration_closes=dt.date(2009, 5, closes) if closes else None)
    year = YearCatalog(2009, "t", (course,), (session("1", 20, 30), session("2", 25, 10),
                                               session("3", 10, None)),
                       registration=Registration(closes=dt.date(2009, 5, 20)))
    text = schedule_page(Catalog(policy, (year,)), year).body
    rows = _cells(text, "班次一览")
    assert [r[:2] for r in rows[1:]] == [["2009年5月10日", "班2"], ["2009年5月20日", "班3"],
                                         ["2009年5月30日", "班1"]]


def test_relative_links() -> None:
    assert relative("catalog/2009/", "catalog/2009/M-01/") == "M-01/"
    assert relative("catalog/2009/M-01/", "schedule/2009.ics") == "../../../schedule/2009.ics"
    assert relative("notice/", "") == "../"
    assert relative("", "catalog/2009/") == "catalog/2009/"
    assert relative("catalog/2009/", "catalog/2009/") == "./"
    assert relative("catalog/2009/", "schedule/2009/#class-2009-1") == "../../schedule/2009/#class-2009-1"


@pytest.mark.parametrize("code", ["changes", "specialty"])
def test_course_code_that_would_take_a_generated_url_is_refused(policy: dict[str, Any],
                                                                code: str) -> None:
    from generator.site.rendering import render_pages

    year = YearCatalog(2009, "t", (_course(code, "课程"),))
    with pytest.raises(ValueError) as error:
        render_pages(Catalog(policy, (year,)), notice_text(), "报名表")
    assert str(error.value) == (f"2009年度课程编号“{code}”与网站自身的网址 catalog/2009/{code}/ 冲突"
                                "（changes、specialty 为保留名称），请改用其他编号")
