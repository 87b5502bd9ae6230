"""load_catalog with a YearCache (what ``ceportal serve`` passes): unchanged valid year
files are not checked again, and the result is always the one of a load without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.catalog.problems import CatalogError
from generator.catalog.validating import YearCache, load_catalog

from .conftest import BASE, replaced

NO_LOCATION = replaced("    location: 培训中心\n", "")
WARNING = "catalog/2009.yaml:15:5: warning: classes[0]: 没有填写上课地点（location）"


def _errors(catalog_dir: Path, cache: YearCache | None) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir, cache=cache)
    return str(info.value).splitlines()


@pytest.fixture
def two_years(catalog_dir: Path) -> Path:
    (catalog_dir / "2009.yaml").write_text(BASE, encoding="utf-8")
    (catalog_dir / "2010.yaml").write_text(BASE.replace("2009", "2010"), encoding="utf-8")
    return catalog_dir


def test_an_unchanged_file_is_not_checked_again(two_years: Path) -> None:
    cache = YearCache()
    first, _ = load_catalog(two_years, cache=cache)
    second, _ = load_catalog(two_years, cache=cache)
    assert [a is b for a, b in zip(first.years, second.years, strict=True)] == [True, True]
    assert second == load_catalog(two_years)[0]


def test_a_changed_file_is_checked_again(two_years: Path) -> None:
    cache = YearCache()
    first, _ = load_catalog(two_years, cache=cache)
    path = two_years / "2010.yaml"
    stat = path.stat()
    # Same size and modification time: only the bytes tell the change.
    path.write_text(path.read_text(encoding="utf-8").replace("职业道德", "职业规范"), "utf-8")
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second, _ = load_catalog(two_years, cache=cache)
    assert second.years[0] is first.years[0]
    assert [c.title for c in second.years[1].courses] == ["职业规范", "数控技术"]
    assert second == load_catalog(two_years)[0]


def test_warnings_of_a_remembered_file_are_reported_every_time(catalog_dir: Path) -> None:
    (catalog_dir / "2009.yaml").write_text(NO_LOCATION, encoding="utf-8")
    cache = YearCache()
    for _ in range(2):
        _, warnings = load_catalog(catalog_dir, cache=cache)
        assert [w.format() for w in warnings] == [WARNING]
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir, strict=True, cache=cache)
    assert str(info.value).splitlines() == [WARNING.replace("warning:", "error:")]


def test_an_invalid_edit_is_reported_with_every_line_then_the_fix_loads(two_years: Path) -> None:
    cache = YearCache()
    load_catalog(two_years, cache=cache)
    path = two_years / "2009.yaml"
    path.write_text(replaced("hours: 16", "hours: 十六", replaced("location: 培训中心", "location: ")),
                    encoding="utf-8")
    expected = [
        "catalog/2009.yaml:11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”",
        "catalog/2009.yaml:15:5: warning: classes[0]: 没有填写上课地点（location）",
    ]
    # Reported in full on every load while the file is broken (errors are not remembered).
    assert _errors(two_years, cache) == expected
    assert _errors(two_years, cache) == expected
    assert _errors(two_years, None) == expected
    path.write_text(BASE, encoding="utf-8")
    fixed, warnings = load_catalog(two_years, cache=cache)
    assert warnings == []
    assert fixed == load_catalog(two_years)[0]
    assert [c.hours for c in fixed.years[0].courses] == [8, 16]


def test_a_policy_change_checks_every_year_again(two_years: Path) -> None:
    cache = YearCache()
    load_catalog(two_years, cache=cache)
    policy = two_years / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("  mechanical: 机械\n", ""), "utf-8")
    # The year files did not change, but `mechanical` is no longer a specialty.
    errors = _errors(two_years, cache)
    assert [line.split(": error: ")[0] for line in errors] == [
        "catalog/2009.yaml:12:19", "catalog/2010.yaml:12:19"
    ]
    assert errors == _errors(two_years, None)


def test_a_removed_file_is_gone(two_years: Path) -> None:
    cache = YearCache()
    load_catalog(two_years, cache=cache)
    (two_years / "2010.yaml").unlink()
    catalog, _ = load_catalog(two_years, cache=cache)
    assert [y.year for y in catalog.years] == [2009]
