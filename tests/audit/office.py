"""Office-style audit inputs: the layouts reviewers' tables really have, built with
openpyxl and saved again by LibreOffice (as an office suite would), each with verdicts
worked out by hand (tests/audit/test_office_layouts.py).

The applicants (rules of 温经贸培训〔2009〕74号, section 二):
- 张三 applies for 工程师 in 2011: window 2009—2011, 96 h of which 24 public; 8 + 40 + 16 + 32
  = 96 (public 24): 达标 96/96.
- 李四 applies for 中级 (工程师) in 2011: 8 + 40 = 48 of 96: 未达标, and a 2008 record of 100 h
  outside the window.
- 王五, 中级 (工程师) cycle from 2009, checked in 2013: 2009—2013, 200 h of which 32 public;
  32 + 168 = 200: 达标.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment

from generator.audit.evaluation import check_digit

# LibreOffice's number for the GBK (MS-936) character set in its CSV filter options.
GBK = 61


def resident_id(first17: str) -> str:
    """A 公民身份号码 with its right check digit."""
    return first17 + check_digit(first17)


ZHANG = resident_id("33030319920211829")
LI = resident_id("33030419911213724")
WANG = resident_id("33032719850101123")

HEAD = ["编号", "姓名", "单位", "类型", "拟申报", "现职称", "年度", "周期起始", "学时年度", "类别", "学时"]
# (applicant cells, records): one person each.
PEOPLE: list[tuple[list[Any], list[list[Any]]]] = [
    ([ZHANG, "张三", "市一院", "申报晋升", "工程师", None, 2011, None],
     [[2009, "公需课", 8], [2010, "专业课", 40], [2011, "公需科目", 16], [2011, "其它", 32]]),
    ([LI, "李四", "市二院", "申报晋升", "中级", None, 2011, None],
     [[2008, "专业课", 100], [2009, "公需课", 8], [2010, "专业科目", 40]]),
    ([WANG, "王五", "市一院", "周期验审", None, "中级", 2013, 2009],
     [[2009, "公需课", 32], [2011, "专业课", 100], [2013, "其他", 68]]),
]
# (编号, 结论, 已计总学时, 应修总学时) as the report gives them.
VERDICTS = [(ZHANG, "达标", "96", "96"), (LI, "未达标", "48", "96"), (WANG, "达标", "200", "200")]


def merged_layout(path: Path) -> Path:
    """A cover sheet first; then a title row, a blank row, the header on row 3, and each
    applicant's cells merged down over their records; a 合计 row at the end."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover["A1"] = "2011年度专业技术人员继续教育学时登记"
    cover["A3"] = "填报单位：市人事局"
    sheet = book.create_sheet("学时登记")
    sheet["A1"] = "2011年度继续教育学时登记表"
    sheet.merge_cells("A1:K1")
    sheet.append([])
    sheet.append(HEAD)
    row = 4
    total = 0
    for head, records in PEOPLE:
        for i, record in enumerate(records):
            sheet.append([*(head if i == 0 else [None] * len(head)), *record])
            total += record[2]
        for col in range(1, len(head) + 1):
            sheet.merge_cells(start_row=row, end_row=row + len(records) - 1,
                              start_column=col, end_column=col)
        row += len(records)
    sheet.append(["合计", None, None, None, None, None, None, None, None, None, total])
    book.save(path)
    return path


def two_row_header(path: Path) -> Path:
    """Group titles above the column names: the applicant's columns merged over both
    header rows, 学时记录 over the three record columns; a 小计 row after each applicant."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([*HEAD[:8], "学时记录", None, None])
    sheet.append([None] * 8 + HEAD[8:])
    for col in range(1, 9):
        sheet.merge_cells(start_row=1, end_row=2, start_column=col, end_column=col)
    sheet.merge_cells("I1:K1")
    for cell in sheet[1]:
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for head, records in PEOPLE:
        for record in records:
            sheet.append([*head, *record])
        sheet.append([None, "小计", None, None, None, None, None, None, None, None,
                      sum(r[2] for r in records)])
    book.save(path)
    return path


def synonyms_layout(path: Path) -> Path:
    """Headers offices use (身份证号, 申报年度, 学时数（小时）…), full-width digits and
    points, IDs typed with spaces, a lower-case x and full-width digits, record years
    as Excel date cells, a duplicated row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "学时"
    sheet.append(["身份证号", "姓名", "工作单位", "申报类型", "拟申报职称", "现任职称", "申报年度",
                  "周期起始年度", "培训日期", "课程类别", "学时数（小时）"])
    forms = {
        ZHANG: [f"{ZHANG[:6]} {ZHANG[6:14]} {ZHANG[14:]}", ZHANG.translate(_WIDE), ZHANG, ZHANG],
        LI: [LI, LI, LI],
        WANG: [WANG, WANG, WANG],
    }
    for head, records in PEOPLE:
        for i, (year, module, hours) in enumerate(records):
            aid = forms[head[0]][i]
            shown_hours: Any = hours
            if head[0] == ZHANG and i == 1:
                shown_hours = "４０．０"
            sheet.append([aid, *head[1:], dt.date(year, 3 + i, 15), module, shown_hours])
            sheet.cell(sheet.max_row, 9).number_format = "yyyy-mm-dd"
            if head[0] == LI and i == 2:  # typed twice: counted once
                sheet.append([aid, *head[1:], dt.date(year, 3 + i, 15), module, hours])
                sheet.cell(sheet.max_row, 9).number_format = "yyyy-mm-dd"
    book.save(path)
    return path


_WIDE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789X"})


def libreoffice(paths: list[Path], target: str, out: Path, profile: Path) -> list[Path]:
    """The files saved again by LibreOffice (headless): ``target`` ``xlsx`` or ``csv-gbk``
    (the first sheet as CSV in GBK, as Chinese Excel's "CSV（逗号分隔）")."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "LibreOffice (soffice) is needed for the office-layout tests"
    out.mkdir(parents=True, exist_ok=True)
    convert = "xlsx" if target == "xlsx" else f"csv:Text - txt - csv (StarCalc):44,34,{GBK}"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         convert, "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )
    suffix = ".xlsx" if target == "xlsx" else ".csv"
    return [out / (p.stem + suffix) for p in paths]
