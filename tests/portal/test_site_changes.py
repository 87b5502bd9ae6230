"""The changes page's matcher: courses renumbered (same or nearly the same title, same
module) are paired and said so ("编号由 X 改为 Y"); changed hours or specialties are kept
apart from truly new or dropped courses."""

from __future__ import annotations

from typing import Any

from generator.catalog.model import Catalog, Course, YearCatalog
from generator.site.rendering.changes import title_similarity, year_changes
from generator.site.rendering.year_pages import changes_page
from tests.portal.test_site_pages import parse_fragment


def _c(code: str, title: str, module: str = "elective", hours: float = 8,
       specialties: tuple[str, ...] = ()) -> Course:
    return Course(code=code, title=title, module=module, hours=hours, specialties=specialties)


BEFORE = YearCatalog(2009, "a", (
    _c("E-M01", "数控加工技术", specialties=("mechanical",)),
    _c("E-M02", "机械产品三维设计", hours=16),
    _c("G-01", "职业道德与诚信建设", "public"),
    _c("E-C01", "危险化学品安全管理", specialties=("chemical",)),
    _c("E-T01", "服装质量标准解读"),
    _c("E-Y01", "渔业资源保护"),
))
AFTER = YearCatalog(2010, "b", (
    _c("E-M11", "数控加工技术", specialties=("mechanical",)),              # renumbered
    _c("E-M12", "机械产品三维设计与应用", hours=16),                          # renumbered, retitled
    _c("G-11", "职业道德与诚信建设", "public", hours=12),                    # renumbered, new hours
    _c("E-C01", "危险化学品安全管理", specialties=("chemical", "metrology")),  # new specialties
    _c("E-T11", "服装质量标准解读", "other"),                                # same title, new module
    _c("P-11", "服装质量标准解读与检测", "public"),                           # alike, other module: new
    _c("E-N11", "水稻生产全程机械化"),                                        # new
))


def test_renumbered_retitled_adjusted_added_dropped() -> None:
    diff = year_changes(BEFORE, AFTER)
    assert [(c.before.code, c.after.code, c.fields) for c in diff.renumbered] == [
        ("E-M01", "E-M11", ("code",)),
        ("E-M02", "E-M12", ("code", "title")),
        ("G-01", "G-11", ("code", "hours")),
        ("E-T01", "E-T11", ("code", "module")),
    ]
    assert [(c.before.code, c.fields) for c in diff.adjusted] == [("E-C01", ("specialties",))]
    assert [c.code for c in diff.added] == ["P-11", "E-N11"]
    assert [c.code for c in diff.removed] == ["E-Y01"]


def test_similar_titles_threshold() -> None:
    assert title_similarity("数控加工技术", "数控加工技术及应用") >= 0.75
    # A stock phrase shared by unrelated courses does not make them one course.
    assert title_similarity("专业技术人员职业道德与诚信建设", "专业技术人员心理健康与压力管理") < 0.75


def test_changes_page_says_what_changed(policy: dict[str, Any]) -> None:
    text = changes_page(Catalog(policy, (BEFORE, AFTER)), AFTER).body
    assert "与2009年度目录相比：编号调整 4 门，学时、类别、名称、专业、形式或授课教师调整 1 门，新增 2 门，取消 1 门。" in text
    renumbered = parse_fragment(text[text.index("{#renumbered}"):text.index("{#changed}")])
    assert [row[2] for row in renumbered[1:]] == [
        "编号由 E-M01 改为 E-M11",
        "编号由 E-M02 改为 E-M12；名称由“机械产品三维设计”改为“机械产品三维设计与应用”",
        "编号由 G-01 改为 G-11；学时由 8 改为 12",
        "编号由 E-T01 改为 E-T11；类别由专业选修课改为其他形式",
    ]
    adjusted = parse_fragment(text[text.index("{#changed}"):text.index("{#added}")])
    assert adjusted[1] == ["E-C01 危险化学品安全管理", "E-C01 危险化学品安全管理",
                           "适用专业由化工改为化工、计量质检"]
