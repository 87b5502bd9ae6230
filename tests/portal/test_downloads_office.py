"""Every .docx/.xlsx download opened by LibreOffice, as people open it: converted to PDF
(page size, orientation, page count and printed text read back with poppler), and the
spreadsheets saved again by LibreOffice and read back with openpyxl.

LibreOffice runs twice per test session, both runs at the same time (one profile each):
one call converts every file to PDF, the other saves the spreadsheets as .xlsx again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree

from generator.catalog.model import Catalog, ClassSession, Course, YearCatalog
from generator.site.exporting import export_files, registration_form
from generator.site.exporting.documents import A4_TWIPS, MARGINS_MM, twips
from generator.site.exporting.forms import MIN_ROW_MM, Form
from generator.site.exporting.workbooks import (
    DATE_FORMAT,
    FORM_SHEET,
    PLAN_COLUMNS,
    PLAN_HEADER_ROW,
    PLAN_SHEET,
    TEXT_FORMAT,
    class_plan_xlsx,
    form_xlsx,
)
from generator.site.rendering import notice_text
from generator.site.rendering.markup import cn_date
from generator.site.rendering.notice import parse_notice
from tests.conftest import EPOCH

pytestmark = pytest.mark.office

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ID_NUMBER = "330302198001011234"  # Excel's "General" shows 3.30302E+17 and keeps 15 digits
PHONE = "057788888888"  # a leading 0 that a number would drop
MANY_CLASSES = 40
FORMULA_NAME = "=1+1"  # catalog text that a spreadsheet would run as a formula


@dataclass(frozen=True)
class Converted:
    sources: dict[str, Path]  # name -> the file as published (or filled in)
    pdfs: dict[str, Path]
    resaved: dict[str, Path]  # name -> the spreadsheet as LibreOffice saved it again


def _soffice(profile: Path, out: Path, target: str, files: list[Path]) -> subprocess.Popen[bytes]:
    soffice = shutil.which("soffice")
    if soffice is None:  # CI must not skip this: `make setup` installs LibreOffice
        pytest.fail("soffice（LibreOffice）未安装：请运行 make setup")
    return subprocess.Popen(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", target, "--outdir", str(out), *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _many_classes_year() -> YearCatalog:
    """A year with enough classes for the class plan to need several pages."""
    course = Course("G-01", "专业技术人员职业道德", "public", 8)
    start = dt.date(2011, 3, 1)
    classes = tuple(
        ClassSession(f"2011-{n}", FORMULA_NAME if n == 1 else f"第{n}期工程技术人员继续教育培训班",
                     start + dt.timedelta(days=7 * n),
                     start + dt.timedelta(days=7 * n + 2), ("G-01",), location="温州市培训中心",
                     registration_closes=start + dt.timedelta(days=7 * n - 10))
        for n in range(1, MANY_CLASSES + 1))
    return YearCatalog(2011, "2011年度课程目录", (course,), classes)


def _filled_form(form: Form) -> bytes:
    """The .xlsx form with the ID and phone number typed in through openpyxl."""
    wb = openpyxl.load_workbook(io.BytesIO(form_xlsx(form, int(EPOCH))))
    ws = wb[FORM_SHEET]
    for label, value in (("身份证号码", ID_NUMBER), ("联系电话", PHONE)):
        cell = _value_cell(ws, label)
        cell.value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _value_cell(ws: Any, label: str) -> Any:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return ws.cell(cell.row, cell.column + 1)
    raise AssertionError(f"{label} not in the sheet")


@pytest.fixture(scope="session")
def downloads(bundled_catalog: Catalog) -> dict[str, bytes]:
    return export_files(bundled_catalog, notice_text(), int(EPOCH))


@pytest.fixture(scope="session")
def converted(downloads: dict[str, bytes], policy: dict[str, Any],
              tmp_path_factory: pytest.TempPathFactory) -> Converted:
    folder = tmp_path_factory.mktemp("office")
    src, pdf, again = folder / "src", folder / "pdf", folder / "again"
    for d in (src, pdf, again):
        d.mkdir()
    files = {
        "form-docx.docx": downloads["downloads/registration-form.docx"],
        "form-xlsx.xlsx": downloads["downloads/registration-form.xlsx"],
        "notice.docx": downloads["downloads/notice.docx"],
        "plan-2009.xlsx": downloads["downloads/class-plan-2009.xlsx"],
        "plan-2010.xlsx": downloads["downloads/class-plan-2010.xlsx"],
        "plan-many.xlsx": class_plan_xlsx(_many_classes_year(), policy, int(EPOCH)),
        "form-filled.xlsx": _filled_form(registration_form()),
    }
    sources: dict[str, Path] = {}
    for file_name, data in files.items():
        sources[Path(file_name).stem] = src / file_name
        (src / file_name).write_bytes(data)
    sheets = [p for p in sources.values() if p.suffix == ".xlsx"]
    runs = [_soffice(folder / "profile-pdf", pdf, "pdf", list(sources.values())),
            _soffice(folder / "profile-xlsx", again, "xlsx:Calc MS Excel 2007 XML", sheets)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode("utf-8", "replace")
    pdfs = {name: pdf / f"{path.stem}.pdf" for name, path in sources.items()}
    resaved = {name: again / path.name for name, path in sources.items() if path in sheets}
    missing = [p.name for p in [*pdfs.values(), *resaved.values()] if not p.exists()]
    assert missing == []
    return Converted(sources, pdfs, resaved)


def _pages(pdf: Path) -> list[str]:
    """Each page's size line from pdfinfo, e.g. ``595.304 x 841.89 pts (A4)``."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    return re.findall(r"^Page +\d+ size: +(.*)$", info, re.MULTILINE)


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _words(text: str) -> set[str]:
    return set(text.split())


PORTRAIT = "595.304 x 841.89 pts (A4)"
LANDSCAPE = "841.89 x 595.304 pts (A4)"


@pytest.mark.parametrize(("name", "size", "count"), [
    ("form-docx", PORTRAIT, 1), ("form-xlsx", PORTRAIT, 1), ("form-filled", PORTRAIT, 1),
    # The plans print at 9 pt or more, one page wide: the bundled years take two pages.
    ("notice", PORTRAIT, 5), ("plan-2009", LANDSCAPE, 2), ("plan-2010", LANDSCAPE, 2),
    ("plan-many", LANDSCAPE, None)])
def test_pages_are_a4_in_the_right_orientation(converted: Converted, name: str, size: str,
                                               count: int | None) -> None:
    pages = _pages(converted.pdfs[name])
    if count is None:  # as many as the rows need, each of them A4 landscape
        assert len(pages) >= 2
        count = len(pages)
    assert pages == [size] * count


def _form_words(form: Form) -> set[str]:
    labels = {f.label for f in form.fields}
    return labels | {form.title, form.layout.photo.label, form.layout.photo.note}


@pytest.mark.parametrize("name", ["form-docx", "form-xlsx"])
def test_form_prints_every_label(converted: Converted, name: str) -> None:
    form = registration_form()
    words = _words(_text(converted.pdfs[name]))
    assert _form_words(form) - words == set()
    assert form.approval + "：" in words
    assert {"本人签名", "日期", "单位意见（盖章）："} <= words


def test_form_docx_prints_each_option_whole(converted: Converted) -> None:
    form = registration_form()
    options = {"□" + c for f in form.fields for c in f.choices}
    assert options - _words(_text(converted.pdfs["form-docx"])) == set()


def test_id_and_phone_survive_libreoffice(converted: Converted) -> None:
    # Written into the downloaded form with openpyxl, opened and saved by LibreOffice.
    ws = openpyxl.load_workbook(converted.resaved["form-filled"])[FORM_SHEET]
    for label, value in (("身份证号码", ID_NUMBER), ("联系电话", PHONE)):
        cell = _value_cell(ws, label)
        assert (cell.value, cell.data_type, cell.number_format) == (value, "s", TEXT_FORMAT)
    assert {ID_NUMBER, PHONE} <= _words(_text(converted.pdfs["form-filled"]))
    # LibreOffice understood the drop-downs: they come back, still refusing other values.
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    gender = rules[_value_cell(ws, "性别").coordinate]
    assert (gender.formula1, gender.showErrorMessage, gender.error) == (
        '"男,女"', True, "性别只能从下拉列表中选择：男、女。")


def test_form_xlsx_cells_and_drop_downs(downloads: dict[str, bytes]) -> None:
    form = registration_form()
    wb = openpyxl.load_workbook(io.BytesIO(downloads["downloads/registration-form.xlsx"]))
    assert wb.sheetnames == [FORM_SHEET] == ["个人报名表"]
    ws = wb[FORM_SHEET]
    assert ws["A1"].value == form.title
    for label in ("身份证号码", "联系电话"):
        assert _value_cell(ws, label).number_format == TEXT_FORMAT
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    gender = rules[_value_cell(ws, "性别").coordinate]
    assert (gender.type, gender.formula1, gender.showErrorMessage, gender.errorStyle,
            gender.errorTitle, gender.error) == (
        "list", '"男,女"', True, "stop", "输入有误", "性别只能从下拉列表中选择：男、女。")
    specialty = rules[_value_cell(ws, "专业").coordinate]
    assert specialty.error == "专业只能从下拉列表中选择：机械、电子电气、化工、林业、渔政、农机、轻纺食品、计量质检。"
    id_rule = rules[_value_cell(ws, "身份证号码").coordinate]
    assert (id_rule.type, id_rule.operator, id_rule.formula1, id_rule.showErrorMessage,
            id_rule.error) == ("textLength", "equal", "18", True, "身份证号码应为18位，请核对。")
    lists = [v for v in rules.values() if v.type == "list"]
    assert len(lists) == sum(1 for f in form.fields if f.choices)
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (
        9, "portrait", 1, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_area == "'个人报名表'!$A$1:$E$16"
    table_rows = range(2, 2 + len(form.layout.rows) + 2)  # the fields, approval and its date
    assert min(ws.row_dimensions[r].height for r in table_rows) >= MIN_ROW_MM * 72 / 25.4


def _xml(docx: bytes, part: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read(part))


def _twips(element: Any, attr: str) -> int:
    return int(element.get(W + attr))


def test_form_docx_grid_equals_cell_widths(downloads: dict[str, bytes]) -> None:
    docx = downloads["downloads/registration-form.docx"]
    body = _xml(docx, "word/document.xml")
    table = body.find(f".//{W}tbl")
    grid = [_twips(c, "w") for c in table.find(f"{W}tblGrid")]
    assert sum(grid) == A4_TWIPS[0] - twips(MARGINS_MM["left"]) - twips(MARGINS_MM["right"])
    assert table.find(f"{W}tblPr/{W}tblLayout").get(W + "type") == "fixed"
    for tr in table.findall(f"{W}tr"):
        column = 0
        for tc in tr.findall(f"{W}tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = 1 if span_el is None else _twips(span_el, "val")
            assert _twips(tc.find(f"{W}tcPr/{W}tcW"), "w") == sum(grid[column:column + span])
            column += span
        assert column == len(grid)
        height = tr.find(f"{W}trPr/{W}trHeight")
        assert height.get(W + "hRule") == "atLeast"
        assert _twips(height, "val") >= twips(MIN_ROW_MM)
    # The photo box: the last column of the first rows, room for a 25 × 35 mm photo.
    rows = table.findall(f"{W}tr")
    merges = [tr.findall(f"{W}tc")[-1].find(f"{W}tcPr/{W}vMerge") for tr in rows]
    photo_rows = 1 + [m is not None and m.get(W + "val") != "restart" for m in merges[1:]].index(False)
    assert merges[0].get(W + "val") == "restart"
    assert grid[-1] >= twips(25)
    assert sum(_twips(tr.find(f"{W}trPr/{W}trHeight"), "val") for tr in rows[:photo_rows]) >= twips(35)


def test_docx_are_a4_and_chinese(downloads: dict[str, bytes]) -> None:
    for name in ("registration-form", "notice"):
        docx = downloads[f"downloads/{name}.docx"]
        sect = _xml(docx, "word/document.xml").find(f".//{W}sectPr")
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        assert (_twips(size, "w"), _twips(size, "h")) == A4_TWIPS == (11906, 16838)
        assert [_twips(margins, side) for side in ("top", "bottom", "left", "right")] == [
            2098, 1984, 1587, 1474]  # 37, 35, 28, 26 mm (GB/T 9704)
        styles = _xml(docx, "word/styles.xml")
        langs = styles.findall(f".//{W}lang")
        assert langs and {lang.get(W + "eastAsia") for lang in langs} == {"zh-CN"}
        fonts = {f.get(W + "eastAsia") for f in _xml(docx, "word/document.xml").iter(f"{W}rFonts")}
        assert fonts <= {"宋体", "仿宋", "黑体"}
        table = {f.get(W + "name"): f.find(f"{W}altName").get(W + "val")
                 for f in _xml(docx, "word/fontTable.xml") if f.find(f"{W}altName") is not None}
        assert table == {"宋体": "SimSun", "仿宋": "FangSong", "黑体": "SimHei", "楷体": "KaiTi"}
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            assert "ＭＳ".encode() not in z.read("word/theme/theme1.xml")


def test_notice_prints_like_the_document(converted: Converted) -> None:
    notice = parse_notice(notice_text())
    pdf = converted.pdfs["notice"]
    # Whitespace is dropped: distributed issuer names and Latin digits come out spaced.
    first = "".join(_text(pdf, 1).split())
    assert first.startswith("".join([*notice.issuers, "文件", notice.number,
                                     "关于全面开展工程技术（一）系列专业", "技术人员继续教育培训的通知"]))
    whole = "".join(_text(pdf).split())
    for section in notice.sections:
        assert section.heading in whole
    assert "".join("".join(notice.attachments).split()) in whole
    numbers = [re.findall(r"—\s*(\d+)\s*—", _text(pdf, page)) for page in range(1, 6)]
    assert numbers == [["1"], ["2"], ["3"], ["4"], ["5"]]


def test_class_plan_prints_notes_headers_and_contacts(converted: Converted,
                                                      bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        text = _text(converted.pdfs[f"plan-{year.year}"])
        flat = "".join(text.split())
        assert flat.startswith(f"{year.year}年度工程技术（一）系列继续教育办班计划")
        assert year.notes and "".join(year.notes.split()) in flat  # the 示例数据 mark included
        assert set(PLAN_COLUMNS) <= _words(text)  # one page wide: the last column is there
        # Names wrap inside their cells, so the printed lines mix columns: look for codes.
        assert {s.code for s in year.classes} <= _words(text)
    # Several pages: the column headers are printed again at the top of each.
    pdf = converted.pdfs["plan-many"]
    count = len(_pages(pdf))
    codes = set()
    for page in range(1, count + 1):
        words = _words(_text(pdf, page))
        assert set(PLAN_COLUMNS) <= words
        assert f"第 {page} 页，共 {count} 页" in _text(pdf, page)
        codes |= {w for w in words if w.startswith("2011-")}
    assert len(codes) == MANY_CLASSES  # no row lost between pages


def test_class_plan_text_is_never_a_formula(converted: Converted) -> None:
    for path in (converted.sources["plan-many"], converted.resaved["plan-many"]):
        cell = openpyxl.load_workbook(path)[PLAN_SHEET].cell(PLAN_HEADER_ROW + 1, 3)
        assert (cell.value, cell.data_type) == (FORMULA_NAME, "s")
    assert FORMULA_NAME in _words(_text(converted.pdfs["plan-many"], 1))  # not "2"


def test_class_plan_dates_are_dates(converted: Converted, bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        for path in (converted.sources[f"plan-{year.year}"], converted.resaved[f"plan-{year.year}"]):
            ws = openpyxl.load_workbook(path)[PLAN_SHEET]
            header = [c.value for c in ws[PLAN_HEADER_ROW]]
            assert tuple(header) == PLAN_COLUMNS
            rows = list(ws.iter_rows(min_row=PLAN_HEADER_ROW + 1))
            ordered = sorted(year.classes, key=lambda s: (s.start, s.code))
            assert len(rows) == len(ordered)
            for row, session in zip(rows, ordered, strict=True):
                start = row[header.index("开始日期")]
                end = row[header.index("结束日期")]
                assert start.is_date and end.is_date
                assert (start.value.date(), end.value.date()) == (session.start, session.end)
                # LibreOffice writes the same format with backslashes for the literals.
                assert re.sub(r'["\\]', "", start.number_format) == "yyyy年m月d日"
                assert path == converted.resaved[f"plan-{year.year}"] or (
                    start.number_format == DATE_FORMAT)
                closes = row[header.index("报名截止")]
                assert closes.is_date
                contact = row[header.index("联系方式")].value
                assert contact == session.contact or (year.registration and year.registration.contact)
        # Printed whole, the Chinese way, in columns wide enough for them.
        printed = _words(_text(converted.pdfs[f"plan-{year.year}"]))
        for session in year.classes:
            for day in (session.start, session.end, year.deadline(session)):
                assert day is not None and cn_date(day) in printed


def test_class_plan_page_setup(downloads: dict[str, bytes]) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(downloads["downloads/class-plan-2010.xlsx"]))[PLAN_SHEET]
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (
        9, "landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$3:$3"
    assert ws["A2"].alignment.wrap_text is True
    assert ws.row_dimensions[2].height >= 15 * 3  # the three lines of notes at least
