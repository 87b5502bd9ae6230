"""``import-xlsx`` reports every problem it can see in one run (issue 29): a cell error
and an unknown course reference together, date relations beside bad cells, case-only
duplicates with both cells, a merged cell as a merge, a heading row as one message."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog.spreadsheets import WorkbookError, read_workbook

P = "plan.xlsx"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from generator.cli import main

    path = tmp_path_factory.mktemp("exported") / "2010.xlsx"
    catalog = Path(__file__).resolve().parents[2] / "catalog"
    assert main(["export-xlsx", "--year", "2010", "--catalog", str(catalog), "-o", str(path)]) == 0
    return path.read_bytes()


def _problems(book: openpyxl.Workbook, path: Path, policy: dict[str, Any]) -> list[str]:
    book.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, 2010, policy)
    return [f"{p.sheet}!{p.cell}: {p.message}" for p in caught.value.problems]


def test_a_cell_error_and_an_unknown_course_in_one_run(
    exported: bytes, catalog_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    ceportal: Callable[..., Any],
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported))
    book["课程"]["D3"] = "十六"  # a cell error on the course sheet
    book["班次"]["F3"] = "G-11、X-99"  # a class naming a course the workbook lacks
    book["班次"]["G3"] = "很多"  # and a bad cell in that same class's row
    book.save(tmp_path / P)
    monkeypatch.chdir(tmp_path)
    run = ceportal("import-xlsx", P, "--year", "2010", "--catalog", str(catalog_copy),
                   "-o", "out.yaml")
    assert run.code == 1
    assert run.out.splitlines() == [
        f"{P}:课程!D3: error: 课程「G-11」的学时必须是大于0的数字，收到“十六”",
        f"{P}:班次!F3: error: 班次「2010-1」的课程编号中“X-99”不在“课程”表中",
        f"{P}:班次!G3: error: 班次「2010-1」的名额必须是大于0的整数，收到“很多”",
        "导入未通过：3 个错误；未写入任何文件",
    ]
    assert not (tmp_path / "out.yaml").exists()


def test_date_relations_are_checked_beside_bad_cells(
    exported: bytes, policy: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported))
    ws = book["班次"]
    ws["D3"] = dt.datetime(2010, 4, 1)  # ends before it starts (2010-04-22)
    ws["H3"] = dt.datetime(2010, 5, 1)  # registration closes after the start
    ws["B3"] = None  # and the name is missing
    assert _problems(book, tmp_path / P, policy) == [
        "班次!B3: 班次「2010-1」的名称不能为空",
        "班次!D3: 班次「2010-1」的结束日期 2010-04-01 早于开始日期 2010-04-22",
        "班次!H3: 班次「2010-1」的报名截止日期 2010-05-01 晚于开始日期 2010-04-22",
    ]


def test_case_only_duplicates_name_both_cells(
    exported: bytes, policy: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported))
    first = book["课程"]["A5"].value
    book["课程"]["A6"] = first.lower()
    book["课程"]["A7"] = first
    problems = _problems(book, tmp_path / P, policy)
    assert problems[:2] == [
        f"课程!A6: 课程编号“{first.lower()}”与 课程!A5 的“{first}”只有大小写不同："
        "在不区分大小写的文件系统（Windows、macOS）上网页会互相覆盖，请改用不同的编号",
        f"课程!A7: 课程编号“{first}”重复（课程!A5 已使用）",
    ]


def test_a_merged_cell_is_named_as_a_merge(
    exported: bytes, policy: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported))
    ws = book["班次"]
    ws.merge_cells("E3:E4")  # one 地点 for two classes
    assert _problems(book, tmp_path / P, policy) == [
        "班次!E4: 班次「2010-2」的地点在合并单元格 E3:E4 中（导入时只有 E3 有值）：请取消合并，在每一行分别填写",
    ]


def test_a_heading_row_is_one_message(
    exported: bytes, policy: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exported))
    ws = book["课程"]
    ws.insert_rows(5)
    ws["A5"] = "农机类"
    ws.merge_cells("A5:H5")
    assert _problems(book, tmp_path / P, policy) == [
        "课程!A5: 第5行只有“农机类”（合并单元格 A5:H5），看起来是分类标题而不是一门课程："
        "请删除该行（分类可写在相应的列中）",
    ]
