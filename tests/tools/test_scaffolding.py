"""``ceportal new-year``: a valid new year file from the newest one, never overwriting."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.model import Catalog, ClassSession, Course, Registration, YearCatalog
from generator.catalog.validating import load_catalog
from generator.catalog.writing import year_to_yaml
from generator.site.scaffolding import ScaffoldError, renamed_code, scaffold_year


def test_new_year_from_the_bundled_catalog(
    catalog_copy: Path, bundled: Catalog, ceportal: Callable[..., Any]
) -> None:
    run = ceportal("new-year", "2011", "--catalog", str(catalog_copy))
    assert run.code == 0
    assert run.out == (
        f"已写入 {catalog_copy / '2011.yaml'}：沿用 2010 年度的 18 门课程（其中 0 门的课程编号随年度更新），"
        "办班计划为空。\n"
        "下一步：填写办班计划（classes），填写文件中以“# ”注释留出的发布日期、报名日期和说明（notes），"
        "核对标题，然后运行 ceportal check。\n"
    )
    check = ceportal("check", "--catalog", str(catalog_copy))
    assert check.code == 0
    assert check.out.splitlines()[-1] == (
        "检查通过：年度目录 2009、2010、2011，共 59 门课程、6 期办班，14 个警告"
    )
    catalog, _ = load_catalog(catalog_copy)
    new, old = catalog.year(2011), bundled.year(2010)
    assert new.title == "2011年度工程技术（一）系列继续教育课程目录"
    assert new.courses == old.courses
    assert new.classes == ()
    assert new.registration == Registration(contact=old.registration.contact)  # type: ignore[union-attr]
    # The old year's notes and dates are not carried over: placeholders, as comments.
    assert (new.publisher, new.published, new.notes) == (old.publisher, None, None)
    text = (catalog_copy / "2011.yaml").read_text(encoding="utf-8")
    assert "registration:\n  # opens: 2011-03-01\n  # closes: 2011-04-30\n  contact: " in text
    assert ("# 待填写（删去行首的“# ”后填写，然后运行 ceportal check）：\n"
            "# published: 2011-03-01\n# notes: 本年度目录的说明\n\ncourses:\n") in text
    assert "示例数据" not in text


@pytest.mark.parametrize("year", ["2072", "2008"])
def test_a_year_check_would_refuse_is_not_written(
    catalog_copy: Path, ceportal: Callable[..., Any], year: str
) -> None:
    from generator.catalog.validating import last_year

    run = ceportal("new-year", year, "--catalog", str(catalog_copy))
    assert (run.code, run.err) == (
        1,
        f"ceportal new-year: 年度 {year} 超出范围：年度目录应在 2009 到 {last_year()} 年之间，"
        f"未新建 {catalog_copy / f'{year}.yaml'}（是否输错了年份？）\n",
    )
    assert not (catalog_copy / f"{year}.yaml").exists()
    assert ceportal("check", "--catalog", str(catalog_copy)).code == 0


def test_refuses_to_overwrite(catalog_copy: Path, ceportal: Callable[..., Any]) -> None:
    before = (catalog_copy / "2010.yaml").read_bytes()
    run = ceportal("new-year", "2010", "--catalog", str(catalog_copy))
    assert run.code == 3  # nothing written, to keep a file
    assert run.err == (
        f"ceportal new-year: {catalog_copy / '2010.yaml'} 已存在，不会覆盖："
        "如需重新生成，请先移走或删除该文件\n"
    )
    assert (catalog_copy / "2010.yaml").read_bytes() == before


def test_year_before_the_newest_is_refused(
    catalog_copy: Path, ceportal: Callable[..., Any]
) -> None:
    (catalog_copy / "2010.yaml").rename(catalog_copy / "2010.yaml.bak")
    shutil.copy(catalog_copy / "2009.yaml", catalog_copy / "2012.yaml")
    text = (
        (catalog_copy / "2012.yaml").read_text(encoding="utf-8").replace("year: 2009", "year: 2012")
    )
    (catalog_copy / "2012.yaml").write_text(text, encoding="utf-8")
    run = ceportal("new-year", "2010", "--catalog", str(catalog_copy))
    assert (run.code, run.err) == (
        1,
        "ceportal new-year: 新年度 2010 必须晚于最新的年度目录 2012\n",
    )
    assert not (catalog_copy / "2010.yaml").exists()


def test_codes_that_embed_the_year_follow_it(
    tmp_path: Path, bundled: Catalog, ceportal: Callable[..., Any]
) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(Path(bundled.year(2010).source or "").parent / "policy.yaml", folder)
    year = YearCatalog(
        year=2010,
        title="温州市2010年度继续教育课程目录（2010版）",
        courses=(
            Course("2010-E01", "甲", "elective", 8, ("mechanical",)),
            Course("G2010", "乙", "public", 8),
            Course("E-20101", "丙", "elective", 4),
        ),
        classes=(
            ClassSession("2010-1", "一期", dt.date(2010, 5, 1), dt.date(2010, 5, 2), ("2010-E01",)),
        ),
        published=dt.date(2010, 3, 1),
        registration=Registration(opens=dt.date(2010, 3, 1), closes=dt.date(2010, 4, 1)),
    )
    (folder / "2010.yaml").write_text(year_to_yaml(year), encoding="utf-8")
    run = ceportal("new-year", "2011", "--catalog", str(folder))
    assert run.code == 0
    assert "（其中 2 门的课程编号随年度更新）" in run.out
    new = load_catalog(folder)[0].year(2011)
    assert [c.code for c in new.courses] == ["2011-E01", "G2011", "E-20101"]
    assert new.title == "温州市2011年度继续教育课程目录（2011版）"
    # Only contact survives of the registration; with none, no registration at all.
    assert (new.registration, new.published, new.classes) == (None, None, ())
    text = (folder / "2011.yaml").read_text(encoding="utf-8")
    assert "# registration:\n#   opens: 2011-03-01\n#   closes: 2011-04-30\n" in text


def test_renamed_code_only_replaces_the_whole_year() -> None:
    assert renamed_code("2010-E01", 2010, 2011) == "2011-E01"
    assert renamed_code("E-2010", 2010, 2011) == "E-2011"
    assert renamed_code("E-20101", 2010, 2011) == "E-20101"
    assert renamed_code("E-M11", 2010, 2011) == "E-M11"


def test_renaming_that_collides_is_refused() -> None:
    year = YearCatalog(
        year=2010,
        title="t",
        courses=(Course("2010-A", "甲", "public", 8), Course("2011-A", "乙", "public", 8)),
    )
    with pytest.raises(ScaffoldError) as caught:
        scaffold_year(year, 2011)
    assert str(caught.value) == (
        "课程编号“2011-A”改为新年度编号“2011-A”后与“2010-A”重复：请先调整最新年度目录中的课程编号"
    )


def test_empty_catalog_gets_a_blank_year(
    tmp_path: Path, bundled: Catalog, ceportal: Callable[..., Any]
) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(Path(bundled.year(2009).source or "").parent / "policy.yaml", folder)
    run = ceportal("new-year", "2009", "--catalog", str(folder))
    assert run.code == 0
    assert run.out.splitlines()[0] == (
        f"已写入 {folder / '2009.yaml'}：目录中还没有年度文件，已生成空白的年度目录。"
    )
    assert load_catalog(folder)[0].years == (
        YearCatalog(year=2009, title="2009年度工程技术（一）系列继续教育课程目录", courses=()),
    )


def test_invalid_catalog_is_not_scaffolded(
    catalog_copy: Path, ceportal: Callable[..., Any]
) -> None:
    path = catalog_copy / "2010.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("hours: 16", "hours: 十六", 1), "utf-8"
    )
    run = ceportal("new-year", "2011", "--catalog", str(catalog_copy))
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        f"ceportal new-year: 目录文件夹 {catalog_copy} 未通过检查（1 个错误），"
        "未新建年度文件：请先改正以上错误"
    )
    assert "error: courses[3].hours: 学时必须是大于0的数字，收到“十六”" in run.err
    assert not (catalog_copy / "2011.yaml").exists()


def test_scaffold_keeps_course_fields(bundled: Catalog) -> None:
    # 2009's codes (G-01, E-M01…) do not embed the year: every course carries over as is.
    source = bundled.year(2009)
    assert scaffold_year(source, 2010).courses == source.courses
