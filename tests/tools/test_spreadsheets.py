"""Excel export and import: round trips, one bad cell per kind of problem, the template."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.catalog.model import Catalog, ClassSession, Course, Registration, YearCatalog
from generator.catalog.spreadsheets import CLASS_COLUMNS, COURSE_COLUMNS, read_workbook
from generator.catalog.validating import load_catalog

COURSE_HEADERS = ["课程编号", "课程名称", "类别", "学时", "适用专业", "形式", "简介", "授课教师"]
CLASS_HEADERS = [
    "班次编号", "名称", "开始日期", "结束日期", "地点", "课程编号", "名额", "报名截止",
    "主办单位", "级别", "县（市、区）", "费用", "联系方式", "上课时段", "状态", "状态说明", "备注",
]  # fmt: skip


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[int, bytes]:
    """The bundled years (and the empty 2012 template) exported once, as bytes."""
    from generator.cli import main

    folder = tmp_path_factory.mktemp("exported")
    out: dict[int, bytes] = {}
    for year in (2009, 2010, 2012):
        path = folder / f"{year}.xlsx"
        catalog = Path(__file__).resolve().parents[2] / "catalog"
        assert (
            main(["export-xlsx", "--year", str(year), "--catalog", str(catalog), "-o", str(path)])
            == 0
        )
        out[year] = path.read_bytes()
    return out


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_headers_note_and_sheets(exported: dict[int, bytes]) -> None:
    book = _book(exported[2010])
    assert book.sheetnames == ["课程", "班次", "年度信息"]
    assert [c.value for c in book["课程"][2]] == COURSE_HEADERS
    assert [c.value for c in book["班次"][2]] == CLASS_HEADERS
    assert [c.header for c in COURSE_COLUMNS] == COURSE_HEADERS
    assert [c.header for c in CLASS_COLUMNS] == CLASS_HEADERS
    note = book["课程"]["A1"].value
    assert note.startswith("填写说明：每行一门课程，从第3行起填写")
    assert "适用专业可填一个或多个，多个时用“、”或“,”分隔" in note
    assert [c.value for c in book["课程"][3]] == [
        "G-11", "专业技术人员心理健康与压力管理", "公共必修课", 8, None, "专题讲座", None, None,
    ]  # fmt: skip
    assert book["班次"]["F3"].value == "G-11、G-12、E-M11、E-M12、E-E11、E-E12、E-C11、E-C12、E-X11"
    assert book["班次"]["C3"].value == dt.datetime(2010, 4, 22)
    assert book["班次"]["C3"].number_format == "yyyy-mm-dd"
    assert [(r[0].value, r[1].value) for r in book["年度信息"].iter_rows(min_row=3, max_row=9)] == [
        ("年度", 2010),
        ("目录标题", "2010年度工程技术（一）系列继续教育课程目录"),
        ("发布单位", "温州市工业科学研究院"),
        ("发布日期", None),
        ("报名开始", dt.datetime(2010, 3, 1)),
        ("报名截止", dt.datetime(2010, 3, 31)),
        (
            "报名联系方式",
            "填写《温州市工程技术人员继续教育培训班报名表》，报温州市工业科学研究院；"
            "县级班向所在县（市、区）施教机构报名",
        ),
    ]


def test_data_validation_lists(exported: dict[int, bytes]) -> None:
    book = _book(exported[2010])
    lists = {
        (ws, str(rule.sqref)): (rule.formula1, rule.errorStyle)
        for ws in ("课程", "班次")
        for rule in book[ws].data_validations.dataValidation
    }
    assert lists == {
        ("课程", "C3:C1000"): ('"公共必修课,专业选修课,其他形式"', "warning"),
        ("课程", "E3:E1000"): (
            '"机械,电子电气,化工,林业,渔政,农机,轻纺食品,计量质检"',
            "information",
        ),
        ("课程", "F3:F1000"): ('"培训班,专题讲座,学术研讨"', "warning"),
        ("班次", "J3:J1000"): ('"市本级,县（市、区）"', "warning"),
        ("班次", "O3:O1000"): ('"正常,名额已满,已取消,已延期"', "warning"),
    }


@pytest.mark.parametrize("number", [2009, 2010])
def test_export_then_import_gives_the_same_catalog(
    number: int,
    exported: dict[int, bytes],
    bundled: Catalog,
    catalog_copy: Path,
    tmp_path: Path,
    ceportal: Callable[..., Any],
) -> None:
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(exported[number])
    target = catalog_copy / f"{number}.yaml"
    target.unlink()
    run = ceportal("import-xlsx", str(plan), "--year", str(number), "--catalog", str(catalog_copy))
    assert run.code == 0
    courses, classes = len(bundled.year(number).courses), len(bundled.year(number).classes)
    assert run.out == f"已写入 {target}：{courses} 门课程、{classes} 期办班\n"
    assert ceportal("check", "--catalog", str(catalog_copy)).code == 0
    assert load_catalog(catalog_copy)[0].year(number) == bundled.year(number)


def test_empty_template_for_a_year_without_catalog(
    exported: dict[int, bytes], policy: dict[str, Any], tmp_path: Path
) -> None:
    book = _book(exported[2012])
    assert [c.value for c in book["课程"][2]] == COURSE_HEADERS
    assert [c.value for c in book["班次"][2]] == CLASS_HEADERS
    assert book["课程"].max_row <= 2 or all(
        c.value is None for row in book["课程"].iter_rows(min_row=3) for c in row
    )
    plan = tmp_path / "template.xlsx"
    plan.write_bytes(exported[2012])
    model, text, warnings = read_workbook(plan, 2012, policy)
    assert model == YearCatalog(
        year=2012, title="2012年度工程技术（一）系列继续教育课程目录", courses=()
    )
    assert warnings == []


def test_template_message(catalog_copy: Path, tmp_path: Path, ceportal: Callable[..., Any]) -> None:
    out = tmp_path / "t.xlsx"
    run = ceportal("export-xlsx", "--year", "2013", "--catalog", str(catalog_copy), "-o", str(out))
    assert (run.code, run.out) == (0, f"2013 年度还没有目录，已写出空白模板 {out}\n")


# --- one bad cell per kind of problem ------------------------------------------------------

P = "plan.xlsx"
BAD_CELLS = [
    (
        "课程",
        "D3",
        "十六",
        [f"{P}:课程!D3: error: 课程「G-11」的学时必须是大于0的数字，收到“十六”"],
    ),
    # Checks only the catalog validator makes come back at the cell as well.
    (
        "课程",
        "D3",
        10**7,
        [f"{P}:课程!D3: error: 学时 10000000 过大：一门课程不超过 10000 学时，请检查"],
    ),
    ("课程", "D4", 0, [f"{P}:课程!D4: error: 课程「G-12」的学时必须是大于0的数字，收到“0”"]),
    (
        "课程",
        "C4",
        "公共课",
        [
            f"{P}:课程!C4: error: 课程「G-12」的类别“公共课”无法识别，应为 公共必修课、专业选修课、其他形式 之一"
            "（也可填代号 public, elective, other）"
        ],
    ),
    (
        "课程",
        "E6",
        "机械、木工",
        [
            f"{P}:课程!E6: error: 课程「E-M11」的适用专业“木工”无法识别，应为 机械、电子电气、化工、林业、"
            "渔政、农机、轻纺食品、计量质检 之一（也可填代号 mechanical, electrical, chemical, forestry, "
            "fishery, agri_machinery, textile_food, metrology）"
        ],
    ),
    (
        "课程",
        "E6",
        "机械,mechanical",
        [f"{P}:课程!E6: error: 课程「E-M11」的适用专业中“mechanical”重复列出"],
    ),
    (
        "课程",
        "F6",
        "讲座",
        [
            f"{P}:课程!F6: error: 课程「E-M11」的形式“讲座”无法识别，应为 培训班、专题讲座、学术研讨 之一"
            "（也可填代号 training, lecture, seminar）"
        ],
    ),
    (
        "课程",
        "A20",
        "Q 11",
        [f"{P}:课程!A20: error: 课程「Q 11」的课程编号只能包含字母、数字和“-”，收到“Q 11”"],
    ),
    (
        "课程",
        "A20",
        dt.datetime(2011, 1, 1),
        [
            f"{P}:课程!A20: error: 课程「2011-01-01」的课程编号被 Excel 当成了日期（2011-01-01）："
            "请把该列设为“文本”格式后重新输入"
        ],
    ),
    ("课程", "B8", None, [f"{P}:课程!B8: error: 课程「E-E11」的课程名称不能为空"]),
    ("课程", "A20", None, [f"{P}:课程!A20: error: 课程「专业学历教育」的课程编号不能为空"]),
    (
        "课程",
        "A5",
        "G-11",
        [
            f"{P}:课程!A5: error: 课程编号“G-11”重复（课程!A3 已使用）",
            f"{P}:班次!F4: error: 班次「2010-2」的课程编号中“G-13”不在“课程”表中",
        ],
    ),
    (
        "课程",
        "D2",
        "课时",
        [
            f"{P}:课程!A2: error: 课程表缺少必填的列：学时",
            f"{P}:课程!D2: warning: 未知的列“课时”，已忽略（可用的列：课程编号、课程名称、类别、学时、"
            "适用专业、形式、简介、授课教师）",
        ],
    ),
    ("班次", "A4", "2010-1", [f"{P}:班次!A4: error: 班次编号“2010-1”重复（班次!A3 已使用）"]),
    ("班次", "L2", "名称", [f"{P}:班次!L2: error: 列“名称”重复出现"]),
    (
        "班次",
        "F3",
        "G-11、G-99",
        [f"{P}:班次!F3: error: 班次「2010-1」的课程编号中“G-99”不在“课程”表中"],
    ),
    ("班次", "F3", None, [f"{P}:班次!F3: error: 班次「2010-1」的课程编号不能为空"]),
    (
        "班次",
        "D4",
        dt.date(2010, 6, 1),
        [f"{P}:班次!D4: error: 班次「2010-2」的结束日期 2010-06-01 早于开始日期 2010-06-10"],
    ),
    (
        "班次",
        "H3",
        "2010-05-01",
        [f"{P}:班次!H3: error: 班次「2010-1」的报名截止日期 2010-05-01 晚于开始日期 2010-04-22"],
    ),
    (
        "班次",
        "C5",
        "5月13日",
        [
            f"{P}:班次!C5: error: 班次「RA-2010-1」的开始日期应为日期（Excel 日期，或 2009-05-11 形式的文字），"
            "收到“5月13日”"
        ],
    ),
    (
        "班次",
        "C5",
        "2010-02-30",
        [f"{P}:班次!C5: error: 班次「RA-2010-1」的开始日期不是存在的日期：“2010-02-30”"],
    ),
    (
        "班次",
        "G5",
        "很多",
        [f"{P}:班次!G5: error: 班次「RA-2010-1」的名额必须是大于0的整数，收到“很多”"],
    ),
    (
        "班次",
        "G5",
        1.5,
        [f"{P}:班次!G5: error: 班次「RA-2010-1」的名额必须是大于0的整数，收到“1.5”"],
    ),
    (
        "班次",
        "J5",
        "省级",
        [
            f"{P}:班次!J5: error: 班次「RA-2010-1」的级别“省级”无法识别，应为 市本级、县（市、区） 之一（也可填代号 city, county）"
        ],
    ),
    ("班次", "B3", None, [f"{P}:班次!B3: error: 班次「2010-1」的名称不能为空"]),
    (
        "年度信息",
        "B3",
        2011,
        [
            f"{P}:年度信息!B3: error: 年度信息中的年度是 2011，与导入的年度 2010 不一致：请改正工作簿或 --year"
        ],
    ),
    ("年度信息", "B4", None, [f"{P}:年度信息!B4: error: 年度信息中的目录标题不能为空"]),
    (
        "年度信息",
        "B6",
        "三月",
        [
            f"{P}:年度信息!B6: error: 年度信息中的发布日期应为日期（Excel 日期，或 2009-05-11 形式的文字），收到“三月”"
        ],
    ),
    (
        "年度信息",
        "B8",
        dt.date(2010, 2, 1),
        [
            f"{P}:年度信息!B8: error: 年度信息中的报名截止日期 2010-02-01 早于报名开始日期 2010-03-01"
        ],
    ),
]


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "expected"),
    BAD_CELLS,
    ids=[f"{s}!{c}={v}" for s, c, v, _ in BAD_CELLS],
)
def test_bad_cell_is_reported_at_its_cell(
    sheet: str,
    cell: str,
    value: Any,
    expected: list[str],
    exported: dict[int, bytes],
    catalog_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ceportal: Callable[..., Any],
) -> None:
    book = _book(exported[2010])
    book[sheet][cell] = value
    book.save(tmp_path / P)
    monkeypatch.chdir(tmp_path)
    run = ceportal(
        "import-xlsx", P, "--year", "2010", "--catalog", str(catalog_copy), "-o", "out.yaml"
    )
    errors = sum(1 for line in expected if ": error: " in line)
    warnings = len(expected) - errors
    tail = f"，{warnings} 个警告" if warnings else ""
    assert run.code == 1
    assert run.out.splitlines() == [*expected, f"导入未通过：{errors} 个错误{tail}；未写入任何文件"]
    assert not (tmp_path / "out.yaml").exists()


def test_all_problems_at_once_in_workbook_order(
    exported: dict[int, bytes], policy: dict[str, Any], tmp_path: Path
) -> None:
    from generator.catalog.spreadsheets import WorkbookError

    book = _book(exported[2010])
    # Set in an order different from the workbook's: the report follows the workbook.
    book["年度信息"]["B6"] = "三月"
    book["班次"]["G5"] = "很多"
    book["课程"]["C4"] = "公共课"
    book["课程"]["D3"] = "十六"
    book.save(tmp_path / "many.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(tmp_path / "many.xlsx", 2010, policy)
    assert [(p.sheet, p.cell, p.severity) for p in caught.value.problems] == [
        ("课程", "D3", "error"),
        ("课程", "C4", "error"),
        ("班次", "G5", "error"),
        ("年度信息", "B6", "error"),
    ]


def test_missing_course_sheet(
    exported: dict[int, bytes], catalog_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    ceportal: Callable[..., Any],
) -> None:  # fmt: skip
    book = _book(exported[2010])
    book["课程"].title = "Courses"
    book.save(tmp_path / P)
    monkeypatch.chdir(tmp_path)
    run = ceportal("import-xlsx", P, "--year", "2010", "--catalog", str(catalog_copy))
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        f"{P}:课程!A1: error: 工作簿中没有“课程”工作表（现有：Courses、班次、年度信息）"
    )


# --- what editors write by hand -----------------------------------------------------------


def test_any_column_order_ids_separators_and_text_dates(
    policy: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    courses = book.active
    assert courses is not None
    courses.title = "课程"
    # No note row, columns shuffled, a header with ASCII parentheses, one English field name.
    courses.append(["学时", "类别", "title", "课程编号", "适用专业", "形式"])
    courses.append(["16", "elective", "数控技术", "E-01", "机械，electrical,  农机", "培训班"])
    courses.append([1.5, "公共必修课", "职业道德", "G-01", None, "lecture"])
    classes = book.create_sheet("班次")
    classes.append(
        ["课程编号", "班次编号", "名称", "开始日期", "结束日期", "级别", "县(市、区)", "名额"]
    )
    classes.append(
        [
            "G-01, E-01",
            "2011-1",
            "第一期",
            "2011-05-11",
            dt.datetime(2011, 5, 13),
            "county",
            "瑞安市",
            "80",
        ]
    )
    classes.append([])
    classes.append(
        ["G-01", "2011-2", "第二期", dt.date(2011, 6, 1), "2011-6-2", "市本级", None, 50]
    )
    path = tmp_path / "hand.xlsx"
    book.save(path)
    model, text, warnings = read_workbook(path, 2011, policy)
    assert model == YearCatalog(
        year=2011,
        title="2011年度工程技术（一）系列继续教育课程目录",
        courses=(
            Course("E-01", "数控技术", "elective", 16, ("mechanical", "electrical", "agri_machinery"), "training"),
            Course("G-01", "职业道德", "public", 1.5, (), "lecture"),
        ),
        classes=(
            ClassSession(
                "2011-1", "第一期", dt.date(2011, 5, 11), dt.date(2011, 5, 13), ("G-01", "E-01"),
                level="county", county="瑞安市", capacity=80,
            ),
            ClassSession(
                "2011-2", "第二期", dt.date(2011, 6, 1), dt.date(2011, 6, 2), ("G-01",),
                level="city", capacity=50,
            ),
        ),
    )  # fmt: skip
    # The validator's warnings come back at the cells they are about.
    assert [p.format() for p in warnings] == [
        f"{path}:班次!B2: warning: 没有填写上课地点（location）",
        f"{path}:班次!B4: warning: 没有填写上课地点（location）",
    ]
    assert text.startswith("# yaml-language-server: $schema=./schema.json\n")


def test_old_workbooks_level_names_still_import(policy: dict[str, Any], tmp_path: Path) -> None:
    # Workbooks exported before the levels were spelt 市本级 / 县（市、区） wrote 市级 / 县级.
    book = openpyxl.Workbook()
    courses = book.active
    assert courses is not None
    courses.title = "课程"
    courses.append(["课程编号", "课程名称", "类别", "学时"])
    courses.append(["G-01", "职业道德", "公共必修课", 8])
    classes = book.create_sheet("班次")
    classes.append(["班次编号", "名称", "开始日期", "结束日期", "地点", "课程编号", "级别", "县（市、区）"])
    classes.append(["2011-1", "第一期", "2011-05-11", "2011-05-12", "温州", "G-01", "市级", None])
    classes.append(["2011-2", "第二期", "2011-06-11", "2011-06-12", "瑞安", "G-01", "县级", "瑞安市"])
    path = tmp_path / "old.xlsx"
    book.save(path)
    model, _, _ = read_workbook(path, 2011, policy)
    assert [c.level for c in model.classes] == ["city", "county"]


def test_warnings_are_printed_and_the_file_written(
    exported: dict[int, bytes], catalog_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    ceportal: Callable[..., Any],
) -> None:  # fmt: skip
    book = _book(exported[2010])
    book["班次"]["F3"] = "G-11、G-12、E-M11、E-M12、E-E11、E-E12、E-C11、E-C12"  # E-X11 left out
    book["班次"]["F4"] = "G-13、E-F11、E-Y11、E-N11、E-T11、E-T12、E-J11"
    book.save(tmp_path / P)
    monkeypatch.chdir(tmp_path)
    run = ceportal(
        "import-xlsx", P, "--year", "2010", "--catalog", str(catalog_copy), "-o", "2010.yaml"
    )
    assert run.code == 0
    assert run.out.splitlines() == [
        f"{P}:课程!A18: warning: 专业选修课“E-X11”没有安排在任何办班中",
        "已写入 2010.yaml：18 门课程、3 期办班",
    ]
    shutil.copy(tmp_path / "2010.yaml", catalog_copy / "2010.yaml")
    assert ceportal("check", "--catalog", str(catalog_copy)).code == 0


def test_registration_only_contact(policy: dict[str, Any], tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "课程"
    sheet.append(COURSE_HEADERS)
    info = book.create_sheet("年度信息")
    info.append(["项目", "内容"])
    info.append(["目录标题", "  标题  "])
    info.append(["报名联系方式", "电话\r\n88888888"])
    info.append(["备注", "x"])
    book.save(tmp_path / "reg.xlsx")
    model, _, warnings = read_workbook(tmp_path / "reg.xlsx", 2011, policy)
    assert (model.title, model.registration) == ("标题", Registration(contact="电话\n88888888"))
    assert [p.format() for p in warnings] == [
        f"{tmp_path / 'reg.xlsx'}:年度信息!A4: warning: 未知的项目“备注”，已忽略"
        "（可用的项目：年度、目录标题、发布单位、发布日期、报名开始、报名截止、报名联系方式、说明、草稿）"
    ]
