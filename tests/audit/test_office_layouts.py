"""Office tables, read as a person reads them: every layout of tests/audit/office.py, as
openpyxl wrote it and as LibreOffice saved it again (XLSX, and CSV in GBK), gives the
verdicts worked out by hand; the applicant key is normalised and checked; the report
says what was counted and why not."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.audit.evaluation import audit_file, check_digit, normalise_id
from tests.audit.office import (
    LI,
    VERDICTS,
    WANG,
    ZHANG,
    libreoffice,
    merged_layout,
    resident_id,
    synonyms_layout,
    two_row_header,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-12-04"


@pytest.fixture(scope="module")
def office_layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> file: each layout as written, as LibreOffice's XLSX, and (single-sheet
    layouts) as LibreOffice's GBK CSV."""
    folder = tmp_path_factory.mktemp("office")
    made = [merged_layout(folder / "merged.xlsx"), two_row_header(folder / "two-row.xlsx"),
            synonyms_layout(folder / "synonyms.xlsx")]
    profile = tmp_path_factory.mktemp("lo-profile")
    saved = libreoffice(made, "xlsx", folder / "libreoffice", profile)
    gbk = libreoffice(made[1:], "csv-gbk", folder / "gbk", profile)
    files = {p.name: p for p in made}
    files.update({f"lo-{p.name}": p for p in saved})
    files.update({f"gbk-{p.name}": p for p in gbk})
    return files


def _audit(path: Path, *extra: str) -> tuple[int, str, list[dict[str, str]]]:
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "audit", path.name, "--today", TODAY, *extra],
        cwd=path.parent, capture_output=True, text=True, check=False,
    )
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    return run.returncode, run.stderr, rows


SUMMARIES = {
    "merged.xlsx": "（工作表“学时登记”第3行为表头；跳过合计/小计/总计行 第14行）",
    "two-row.xlsx": "（工作表“Sheet1”第2行为表头；跳过合计/小计/总计行 第7行、第11行、第15行）",
    "synonyms.xlsx": "（工作表“学时”第1行为表头；重复学时记录 1 行只计一次）",
    "two-row.csv": "（GBK 编码，第1行、第2行为表头；跳过合计/小计/总计行 第7行、第11行、第15行）",
    "synonyms.csv": "（GBK 编码，第1行为表头；重复学时记录 1 行只计一次）",
}


@pytest.mark.parametrize("name", [
    "merged.xlsx", "two-row.xlsx", "synonyms.xlsx",
    "lo-merged.xlsx", "lo-two-row.xlsx", "lo-synonyms.xlsx",
    "gbk-two-row.csv", "gbk-synonyms.csv",
])
def test_every_layout_gives_the_verdicts_worked_by_hand(office_layouts: dict[str, Path], name: str) -> None:
    path = office_layouts[name]
    if name.startswith("gbk-"):
        assert path.read_bytes().startswith("身份证号".encode("gbk")) or path.read_bytes().startswith(
            "编号".encode("gbk"))
    code, err, rows = _audit(path)
    assert code == 0, err
    assert err == (
        "ceportal audit: 共核算 3 人：达标 2 人，未达标 1 人，出错 0 人"
        + SUMMARIES[path.name] + "\n"
    )
    assert [(r["编号"], r["结论"], r["已计总学时"], r["应修总学时"]) for r in rows] == VERDICTS
    assert [r["单位"] if "单位" in r else r["工作单位"] for r in rows] == ["市一院", "市二院", "市一院"]
    assert [r["计算窗口"] for r in rows] == ["2009—2011年", "2009—2011年", "2009—2013年"]
    assert [r["拟申报/周期"] for r in rows] == [
        "助理工程师晋升工程师", "助理工程师晋升工程师", "工程师周期验审（2009年起）"]


def test_one_person_typed_three_ways_is_one_applicant_and_says_so(office_layouts: dict[str, Path]) -> None:
    _code, _err, rows = _audit(office_layouts["synonyms.xlsx"])
    zhang = rows[0]
    spaced = f"{ZHANG[:6]} {ZHANG[6:14]} {ZHANG[14:]}"
    assert zhang["提示"] == (
        f"编号第2行写作“{spaced}”、第3行写作“{ZHANG}”，按“{ZHANG}”视为同一人"
    )
    assert rows[1]["提示"] == "第9行与第8行完全相同，只计一次"


def test_the_report_names_every_record_and_why_it_was_not_counted(
    office_layouts: dict[str, Path], tmp_path: Path
) -> None:
    path = office_layouts["merged.xlsx"]
    report = tmp_path / "report.xlsx"
    code, err, _ = _audit(path, "-o", str(report))
    assert code == 0, err
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["核查结果", "学时明细", "汇总"]
    details = [list(r) for r in book["学时明细"].iter_rows(min_row=3, values_only=True)]
    assert [r[2:] for r in details if r[0] == LI] == [
        [8, 2008, "专业课", 100, "不计入", "2008年100学时不在2009—2011年计算窗口内"],
        [9, 2009, "公需课", 8, "计入", None],
        [10, 2010, "专业科目", 40, "计入", None],
    ]
    assert len(details) == 10
    title = book["核查结果"]["A1"].value
    assert title.startswith(f"继续教育学时核查结果　{TODAY} 生成　输入文件：merged.xlsx"
                            "（工作表“学时登记”第3行为表头）　规则：温经贸培训〔2009〕74号（规则版本 ")
    totals = [list(r) for r in book["汇总"].iter_rows(min_row=3, values_only=True)]
    assert totals == [
        ["按结论", None, None, None, None],
        ["全部", 2, 1, 0, 3],
        ["按单位", None, None, None, None],
        ["市一院", 2, 0, 0, 2],
        ["市二院", 0, 1, 0, 1],
        ["按拟申报/周期", None, None, None, None],
        ["助理工程师晋升工程师", 1, 1, 0, 2],
        ["工程师周期验审（2009年起）", 1, 0, 0, 1],
        ["说明", None, None, None, None],
        ["跳过合计/小计/总计行：第14行", None, None, None, None],
    ]
    sheet = book["核查结果"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$2" and sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref == "A2:Q5"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == ZHANG


# --- the applicant key ---------------------------------------------------------------------


def test_check_digit_follows_gb_11643() -> None:
    # The standard's own example: 11010519491231002X.
    assert check_digit("11010519491231002") == "X"
    assert normalise_id("11010519491231002x") == ("11010519491231002X", None)
    assert normalise_id(" 110105 19491231 002x ") == ("11010519491231002X", None)
    assert normalise_id("110105194912310021")[1] == (
        "编号“110105194912310021”的校验位不对：按公民身份号码的规则（GB 11643）末位应为 X，请核对号码")


KEY_HEAD = ["编号", "姓名", "类型", "拟申报", "现职称", "年度", "周期起始", "学时年度", "类别", "学时"]


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(KEY_HEAD)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_keys_that_cannot_be_trusted_are_errors_of_their_rows(
    tmp_path: Path, policy: dict[str, Any]
) -> None:
    wrong = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    twin_a, twin_b = resident_id("33030319920211820"), resident_id("33030319920211821")
    path = _sheet(tmp_path / "keys.xlsx", [
        [wrong, "甲", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 24],
        [int(twin_a), "乙", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 72],
        [int(twin_b), "乙", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 56],
        ["3.30303199202118E+17", "丙", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 8],
        [WANG, "丁", "申报晋升", "助工", None, 2011, None, 2011, "公需课", 8],
    ])
    results = audit_file(policy, path)
    errors = [(r.id, r.error) for r in results]
    assert errors[0] == (wrong, f"第2行 编号：编号“{wrong}”的校验位不对：按公民身份号码的规则"
                                f"（GB 11643）末位应为 {ZHANG[17]}，请核对号码")
    # openpyxl (as Excel) keeps the number's 15 significant digits: both twins become one
    # number, which is refused, never evaluated as one 达标 applicant.
    assert len(errors) == 4
    twins = str(results[1].id)
    assert len(twins) == 18 and twins[:15] == twin_a[:15]
    assert errors[1][1] == (f"第3行 编号：编号“{twins}”是数字格式：超过15位的数字已被表格软件改动"
                            "（只保留15位有效数字），请把编号列设置为“文本”格式后重新输入编号")
    assert results[1].response is None
    assert errors[-2] == ("3.30303199202118E+17", "第5行 编号：编号“3.30303199202118E+17”是科学计数法："
                          "表格软件已把编号当作数字（只保留15位有效数字），请把编号列设置为“文本”格式后重新输入编号")
    assert errors[-1][1] == (
        "第6行 拟申报：“助工”可以是 初次申报初级职称（技术员、助理工程师）（junior_first） 或 "
        "技术员晋升助理工程师（assistant_engineer），请写明其一（名称或代号）")


def test_one_name_under_two_ids_is_noted_on_both(tmp_path: Path, policy: dict[str, Any]) -> None:
    path = _sheet(tmp_path / "names.xlsx", [
        [ZHANG, "赵六", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 24],
        [LI, "赵六", "申报晋升", "工程师", None, 2011, None, 2011, "公需课", 24],
        [LI, "赵七", "申报晋升", "工程师", None, 2011, None, 2010, "专业课", 24],
    ])
    first, second = audit_file(policy, path)
    assert first.notes == [f"姓名“赵六”也出现在编号“{LI}”（第3行）下，请核对是否为同一人"]
    assert second.notes == [f"姓名“赵六”也出现在编号“{ZHANG}”（第2行）下，请核对是否为同一人"]
    assert second.error == "第4行 姓名：与第3行的“赵六”不一致（同一编号的各行应为同一申报人）"


@pytest.mark.cli
def test_records_after_today_are_kept_and_marked(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "future.xlsx", [
        [WANG, "王五", "周期验审", None, "工程师", 2027, 2023, 2023, "公需课", 32],
        [WANG, None, None, None, None, None, None, 2025, "专业课", 120],
        [WANG, None, None, None, None, None, None, 2027, "专业课", 48],
    ])
    report = tmp_path / "future-report.xlsx"
    command = [sys.executable, "-m", "generator.cli", "audit", str(path)]
    run = subprocess.run([*command, "--today", "2025-06-01", "-o", str(report)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(report)
    result = [list(r) for r in book["核查结果"].iter_rows(min_row=3, values_only=True)][0]
    assert result[4] == "达标" and result[14] == "含未到期的学时记录（晚于今年）：第4行2027年"
    details = [list(r) for r in book["学时明细"].iter_rows(min_row=3, values_only=True)]
    assert details[2][6:] == ["计入", "未到期：2027年晚于今年"]
    run = subprocess.run([*command, "--today", "2025-13-01"], capture_output=True, text=True,
                         check=False)
    assert (run.returncode, run.stderr) == (
        2, "ceportal audit: --today 应为日期 YYYY-MM-DD，收到“2025-13-01”\n")


def test_excel_date_cells_and_full_width_numbers(tmp_path: Path, policy: dict[str, Any]) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(KEY_HEAD)
    sheet.append([ZHANG, "张三", "申报晋升", "工程师", None, dt.date(2011, 9, 1), None,
                  dt.date(2011, 5, 1), "公需课", "２４"])
    sheet.append([ZHANG, None, None, None, None, None, None, "2010年", "专业课", "７２．０"])
    sheet["F2"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["H2"].number_format = "yyyy/m/d"
    book.save(tmp_path / "dates.xlsx")
    (result,) = audit_file(policy, tmp_path / "dates.xlsx")
    assert result.request == {"kind": "promotion", "target": "engineer", "year": 2011, "records": [
        {"year": 2011, "module": "public", "hours": 24},
        {"year": 2010, "module": "elective", "hours": 72},
    ]}
    assert result.verdict == "达标"


def test_no_header_names_the_sheets_searched(tmp_path: Path, policy: dict[str, Any]) -> None:
    from generator.audit.evaluation import AuditError

    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active["A1"] = "学时登记"
    book.create_sheet("说明")["B2"] = "编号"
    book.save(tmp_path / "none.xlsx")
    with pytest.raises(AuditError) as caught:
        audit_file(policy, tmp_path / "none.xlsx")
    assert str(caught.value).startswith(
        f"{tmp_path / 'none.xlsx'}：工作表“说明”第2行的表头缺少列：类型、年度、学时年度、类别、学时。")
    book.remove(book["说明"])
    book.save(tmp_path / "none.xlsx")
    with pytest.raises(AuditError) as caught:
        audit_file(policy, tmp_path / "none.xlsx")
    assert str(caught.value).startswith(
        f"{tmp_path / 'none.xlsx'}：工作表“封面”的前20行中没有找到表头。表头应包括 编号、")


def test_the_report_prints_on_a4_landscape_with_every_column_on_the_page(
    office_layouts: dict[str, Path], tmp_path: Path
) -> None:
    report = tmp_path / "report.xlsx"
    code, err, _ = _audit(office_layouts["synonyms.xlsx"], "-o", str(report))
    assert code == 0, err
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       841.89 x 595.3" in info and "(A4)" in info  # landscape
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    lines = first.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("编号"))
    # Every column of 核查结果 on the first page's width, in order, IDs whole.
    at = [header.index(name) for name in ("编号", "姓名", "工作单位", "结论", "计算窗口", "依据",
                                          "推定", "提示", "错误")]
    assert at == sorted(at)
    for aid in (ZHANG, LI, WANG):
        assert aid in first
    assert "继续教育学时核查结果" in lines[0]


def test_sheets_give_one_signable_page_per_applicant(office_layouts: dict[str, Path], tmp_path: Path) -> None:
    import docx

    folder = tmp_path / "核查单"
    code, err, _ = _audit(office_layouts["merged.xlsx"], "--sheets", str(folder))
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"0001-{ZHANG}-张三.docx", f"0002-{LI}-李四.docx", f"0003-{WANG}-王五.docx"]
    doc = docx.Document(str(folder / names[1]))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "继续教育学时核查单"
    assert "审核人（签名）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日" in texts
    head = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert head["编号"] == LI and head["结论"] == "未达标" and head["计算窗口"] == "2009—2011年"
    assert head["总学时（已计 / 应修，差额）"] == "48 / 96，差额 48"
    records = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert records == [
        ["行号", "学时年度", "类别", "学时", "计入", "说明"],
        ["8", "2008", "专业课", "100", "不计入", "2008年100学时不在2009—2011年计算窗口内"],
        ["9", "2009", "公需课", "8", "计入", ""],
        ["10", "2010", "专业科目", "40", "计入", ""],
    ]
    # A folder that holds other files is not written into without --force.
    code, err, _ = _audit(office_layouts["merged.xlsx"], "--sheets", str(folder))
    assert (code, err) == (3, f"ceportal audit: {folder}：文件夹不是空的；换一个文件夹，或加 --force "
                              "覆盖其中同名的核查单；未写入任何文件\n")


def test_an_applicant_in_two_files_is_reported_not_merged(office_layouts: dict[str, Path]) -> None:
    merged, two_row = office_layouts["merged.xlsx"], office_layouts["two-row.xlsx"]
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "audit", merged.name, two_row.name, "--today", TODAY],
        cwd=merged.parent, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert [(r["文件"], r["编号"], r["结论"], r["已计总学时"]) for r in rows] == [
        *(("merged.xlsx", *v[:3]) for v in VERDICTS), *(("two-row.xlsx", *v[:3]) for v in VERDICTS)]
    assert rows[1]["提示"] == f"编号“{LI}”也出现在two-row.xlsx第8行：各文件分别核算，未合并，请核对"
    assert rows[4]["提示"] == f"编号“{LI}”也出现在merged.xlsx第8行：各文件分别核算，未合并，请核对"
    assert run.stderr.startswith("ceportal audit: 共核算 6 人：达标 4 人，未达标 2 人，出错 0 人"
                                 "（merged.xlsx：工作表“学时登记”第3行为表头；two-row.xlsx：")
