"""load_catalog on folders: the bundled catalogs, every problem of every file, strays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.catalog.policy import load_policy
from generator.catalog.problems import CatalogError
from generator.catalog.validating import load_catalog

from .conftest import BASE, ROOT, replaced

BUNDLED = ROOT / "catalog"


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    catalog, warnings = load_catalog(BUNDLED, strict=True)
    assert warnings == []
    return catalog


def test_bundled_catalogs_are_2009_and_2010(bundled) -> None:  # type: ignore[no-untyped-def]
    assert [y.year for y in bundled.years] == [2009, 2010]
    assert bundled.policy.as_rules_data() == load_policy(BUNDLED)
    assert [y.source for y in bundled.years] == [
        str(BUNDLED / "2009.yaml"),
        str(BUNDLED / "2010.yaml"),
    ]


@pytest.mark.parametrize("name", ["2009.yaml", "2010.yaml"])
def test_bundled_catalogs_start_with_the_schema_modeline(name: str) -> None:
    first = (BUNDLED / name).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./schema.json"


def test_2009_follows_the_notice(bundled) -> None:  # type: ignore[no-untyped-def]
    y = bundled.year(2009)
    assert y.title == "2009年度工程技术（一）系列继续教育课程目录"
    assert y.publisher == "温州市工业科学研究院"
    assert y.registration is not None and y.registration.closes == dt.date(2009, 4, 30)
    # Three city-level classes from May 2009 run by the institute (§四), registration by 4-30.
    assert len(y.classes) == 3
    assert {(c.level, c.organizer) for c in y.classes} == {("city", "温州市工业科学研究院")}
    assert min(c.start for c in y.classes) >= dt.date(2009, 5, 1)
    assert all(c.registration_closes == dt.date(2009, 4, 30) for c in y.classes)
    assert 20 <= len(y.courses) <= 30
    modules = {c.module for c in y.courses}
    assert modules == {"public", "elective", "other"}
    electives = [c for c in y.courses if c.module == "elective"]
    assert {s for c in electives for s in c.specialties} == set(bundled.policy.specialties)
    assert {c.form for c in electives} == set(bundled.policy.forms)
    assert y.notes is not None and "示例数据" in y.notes and "附件1" in y.notes


def test_2010_has_a_county_class(bundled) -> None:  # type: ignore[no-untyped-def]
    y = bundled.year(2010)
    county = [c for c in y.classes if c.level == "county"]
    assert [(c.county, c.code) for c in county] == [("瑞安市", "RA-2010-1")]
    assert y.notes is not None and "示例数据" in y.notes


def test_a_valid_folder(catalog_dir: Path) -> None:
    (catalog_dir / "2009.yaml").write_text(BASE, encoding="utf-8")
    (catalog_dir / "schema.json").write_text("{}", encoding="utf-8")  # not a catalog file
    (catalog_dir / "README.md").write_text("说明", encoding="utf-8")
    catalog, warnings = load_catalog("catalog")
    assert warnings == []
    assert [(y.year, len(y.courses), y.source) for y in catalog.years] == [
        (2009, 2, "catalog/2009.yaml")
    ]


def test_every_problem_of_every_file(catalog_dir: Path) -> None:
    policy = catalog_dir / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("metrology: 计量质检", "metrology: [计量质检]"),
        "utf-8",
    )
    line = policy.read_text(encoding="utf-8").splitlines().index("  metrology: [计量质检]") + 1
    (catalog_dir / "2009.yaml").write_text(replaced("hours: 16", "hours: 十六"), encoding="utf-8")
    (catalog_dir / "2010.yaml").write_text(
        replaced("start: 2009-05-21", "start: 2010-5-1"), encoding="utf-8"
    )
    (catalog_dir / "2011.yaml").write_text(
        replaced("[mechanical]", "[mechanics]").replace("2009", "2011"), "utf-8"
    )
    (catalog_dir / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir)
    assert str(info.value).splitlines() == [
        "catalog/2009.yaml:11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”",
        "catalog/2010.yaml:1:7: error: year: 年度 2009 与文件名 2010.yaml 不一致：请改正其中之一",
        "catalog/2010.yaml:17:12: error: classes[0].start: 日期应写成 2009-05-11 的形式，收到“2010-5-1”",
        # policy.yaml is broken, so specialty ids cannot be checked: no error for 2011.
        "catalog/notes.yaml:1:1: warning: notes.yaml: 不是年度目录文件，已忽略（年度目录的文件名是四位年份，如 2009.yaml）",
        f"catalog/policy.yaml:{line}:14: error: specialties.metrology: 应为非空文本",
    ]


def test_warnings_of_all_files_and_strict(catalog_dir: Path) -> None:
    (catalog_dir / "2009.yaml").write_text(
        replaced("    location: 培训中心\n", ""), encoding="utf-8"
    )
    (catalog_dir / "2009.yml").write_text(BASE, encoding="utf-8")
    catalog, warnings = load_catalog(catalog_dir)
    expected = [
        "catalog/2009.yaml:15:5: warning: classes[0]: 没有填写上课地点（location）",
        "catalog/2009.yml:1:1: warning: 2009.yml: 不是年度目录文件，已忽略（年度目录的文件名是四位年份，如 2009.yaml）",
    ]
    assert [w.format() for w in warnings] == expected
    assert [y.year for y in catalog.years] == [2009]
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir, strict=True)
    assert str(info.value).splitlines() == [e.replace("warning:", "error:") for e in expected]


def test_a_folder_without_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError) as info:
        load_catalog("nowhere")
    assert (
        str(info.value)
        == "nowhere/policy.yaml:1:1: error: 找不到规则文件 policy.yaml：请检查目录文件夹 nowhere"
    )


def test_paths_are_relative_to_the_current_folder(catalog_dir: Path) -> None:
    (catalog_dir / "2009.yaml").write_text(replaced("hours: 16", "hours: 0"), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir.resolve())
    assert (
        str(info.value)
        == "catalog/2009.yaml:11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“0”"
    )


def test_a_large_file_is_refused_unread_with_its_size(catalog_dir: Path) -> None:
    with open(catalog_dir / "2009.yaml", "wb") as f:
        f.truncate(12 * 1024 * 1024)  # sparse: no 12 MB written
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir)
    assert (
        str(info.value)
        == "catalog/2009.yaml:1:1: error: 文件过大（12.0 MB），上限为 5 MB：请按年度拆分或精简内容"
    )
