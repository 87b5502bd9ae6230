"""Excel downloads (openpyxl): the registration form and a year's class plan (附件1).

Both print on A4 as they look on screen: page setup, print area and scaling are part of
the file. Catalog text goes in through :func:`generator.common.celltext.set_text`, so a title
that begins with ``=`` is shown as written and never run as a formula.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.catalog.format import LEVELS, STATUSES
from generator.catalog.model import ClassSession, YearCatalog
from generator.catalog.policy_model import Policy
from generator.common.celltext import set_text
from generator.common.reproducible import new_workbook, save_workbook
from generator.site.rendering.markup import cn_periods, hours

from .forms import Form, FormField, grid

log = logging.getLogger(__name__)

FORM_SHEET = "个人报名表"
PLAN_SHEET = "办班计划"
PLAN_COLUMNS = ("序号", "班次编号", "班次名称", "开始日期", "结束日期", "地点", "课程（学时）",
                "总学时", "主办单位", "级别", "名额", "费用", "报名截止", "联系方式", "备注")
PLAN_HEADER_ROW = 3  # title, notes, then the column headers (repeated on every printed page)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # a real date, shown the Chinese way
TEXT_FORMAT = "@"  # Excel's "text" number format: digits typed in stay as typed

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
THICK = Side(style="medium", color="000000")


def _a4(ws: Worksheet, *, landscape: bool, fit_height: bool, margin_cm: float = 1.5) -> None:
    """A4, scaled to one page wide (and one page tall when ``fit_height``), centred."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if fit_height else 0  # 0: as many pages as it takes
    inches = margin_cm / 2.54
    ws.page_margins.left = ws.page_margins.right = inches
    ws.page_margins.top = ws.page_margins.bottom = inches
    ws.page_margins.header = ws.page_margins.footer = inches / 2
    ws.print_options.horizontalCentered = True


def _width_units(text: str) -> int:
    """Display width in Excel's column units: a CJK character is two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes, wrapped in a column ``width`` units wide."""
    return sum(max(1, math.ceil(_width_units(part) / max(width - 1, 1)))
               for part in text.split("\n"))


def _frame(ws: Worksheet, first_row: int, last_row: int, first_col: int, last_col: int,
           outer: Side = THIN) -> None:
    """Thin lines inside, ``outer`` around: set on every cell, merged ones included."""
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            ws.cell(row, col).border = Border(
                left=outer if col == first_col else THIN,
                right=outer if col == last_col else THIN,
                top=outer if row == first_row else THIN,
                bottom=outer if row == last_row else THIN)


# --- the registration form ----------------------------------------------------------------

def _mm_to_width(mm: float) -> float:
    # Excel's width unit is one '0' of the default font (7 px at 96 dpi) plus 5 px padding.
    return round((mm * 96 / 25.4 - 5) / 7, 2)


def _mm_to_points(mm: float) -> float:
    return round(mm * 72 / 25.4, 2)


def _validation(field: FormField) -> DataValidation | None:
    """A drop-down that refuses anything else, or the ID number's length check."""
    if field.choices:
        rule = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"',
                              allow_blank=True)
        rule.prompt = "请从下拉列表中选择。"
        rule.error = f"{field.label}只能从下拉列表中选择：{'、'.join(field.choices)}。"
    elif field.length:
        rule = DataValidation(type="textLength", operator="equal", formula1=str(field.length),
                              allow_blank=True)
        rule.prompt = f"请输入{field.length}位{field.label}（本格为文本格式，数字原样保留）。"
        rule.error = f"{field.label}应为{field.length}位，请核对。"
    else:
        return None
    rule.errorStyle = "stop"
    rule.showErrorMessage = True
    rule.errorTitle = "输入有误"
    rule.showInputMessage = True
    rule.promptTitle = field.label
    return rule


def form_xlsx(form: Form, epoch: int) -> bytes:
    """The registration form for one person, laid out for filling in on screen: the same
    table as the printed .docx (labels, value cells, photo box, signature, the unit's
    approval) with drop-downs that refuse other values, ID and phone cells as text, and
    an A4 page set up to print on one sheet."""
    wb = new_workbook(form.title, epoch)
    ws = wb.active
    ws.title = FORM_SHEET
    ws.sheet_view.showGridLines = False
    layout = form.layout
    columns = len(layout.columns_mm)
    for i, mm in enumerate(layout.columns_mm, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _mm_to_width(mm)
    body = Font(name=FONT_NAME, size=12)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    set_text(ws.cell(1, 1), form.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.cell(1, 1).font = Font(name="黑体", size=18)
    ws.cell(1, 1).alignment = centre
    ws.row_dimensions[1].height = _mm_to_points(16)

    top = 2  # the table's first row
    cells = grid(form)
    heights = [r.height_mm for r in layout.rows]
    for spec in (c for row in cells for c in row):
        row, col = top + spec.row, spec.column + 1
        cell = ws.cell(row, col)
        cell.font = body
        cell.alignment = centre
        if spec.kind == "label":
            assert spec.field is not None
            set_text(cell, spec.field.label)
        elif spec.kind == "value":
            assert spec.field is not None
            cell.alignment = left
            if spec.field.text:
                cell.number_format = TEXT_FORMAT
            if spec.field.id == "signed_on":
                cell.number_format = DATE_FORMAT
            rule = _validation(spec.field)
            if rule is not None:
                rule.add(cell.coordinate)
                ws.add_data_validation(rule)
        elif spec.kind == "photo":
            set_text(cell, f"{layout.photo.label}\n{layout.photo.note}")
        else:  # the approval: the label at the top, the date at the bottom right
            set_text(cell, form.approval + "：")
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            date_row = row + 1
            date = ws.cell(date_row, 1)
            set_text(date, "年\u3000\u3000月\u3000\u3000日\u3000\u3000")
            date.font = body
            date.alignment = Alignment(horizontal="right", vertical="center")
            ws.merge_cells(start_row=date_row, start_column=1, end_row=date_row,
                           end_column=columns)
            ws.row_dimensions[row].height = _mm_to_points(layout.approval_height_mm - 10)
            ws.row_dimensions[date_row].height = _mm_to_points(10)
        if spec.span > 1 or spec.row_span > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + spec.row_span - 1,
                           end_column=col + spec.span - 1)
    for i, height in enumerate(heights):
        ws.row_dimensions[top + i].height = _mm_to_points(height)
    last_table_row = top + len(layout.rows) + 1  # the approval and its date row
    _frame(ws, top, last_table_row - 2, 1, columns, THICK)
    _frame(ws, last_table_row - 1, last_table_row, 1, columns, THICK)
    for col in range(1, columns + 1):  # the approval box is one box: no line above its date
        ws.cell(last_table_row - 1, col).border = Border(
            left=THICK if col == 1 else None, right=THICK if col == columns else None,
            top=THICK, bottom=None)
        ws.cell(last_table_row, col).border = Border(
            left=THICK if col == 1 else None, right=THICK if col == columns else None,
            bottom=THICK)
    note_row = last_table_row + 1
    set_text(ws.cell(note_row, 1), "填表说明：" + form.choose_on_screen + form.instructions)
    ws.cell(note_row, 1).font = Font(name=FONT_NAME, size=10.5)
    ws.cell(note_row, 1).alignment = Alignment(vertical="top", wrap_text=True)
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=columns)
    ws.row_dimensions[note_row].height = _mm_to_points(12)
    _a4(ws, landscape=False, fit_height=True, margin_cm=2.0)
    ws.print_area = f"A1:{get_column_letter(columns)}{note_row}"
    first_value = next(c for c in cells[0] if c.kind == "value")
    ws.sheet_view.selection[0].activeCell = ws.cell(top, first_value.column + 1).coordinate
    ws.sheet_view.selection[0].sqref = ws.sheet_view.selection[0].activeCell
    return save_workbook(wb, epoch)


# --- the class plan -----------------------------------------------------------------------

# Columns that wrap, with the widest they may grow to (units); the others fit their text.
# Landscape A4 holds about 150 units at 100 %; these keep the scale near 80 %.
_WRAP_MAX = {"班次名称": 14, "地点": 12, "课程（学时）": 28, "主办单位": 10, "级别": 8,
             "费用": 8, "联系方式": 14, "备注": 30}
# The widest the columns may be together: about 145 units fill A4 landscape at 100 %, so
# one page wide prints them at 93 % or more and 10.5 pt text stays above 9 pt on paper.
_PLAN_MAX_UNITS = 155
# A row's lines at most (Excel's rows stop at 409 pt): longer text is cut on paper, whole
# in the cell.
_MAX_ROW_LINES = 14
_DATE_COLUMNS = {"开始日期", "结束日期", "报名截止"}
_DATE_WIDTH = _width_units("2009年12月31日") + 1
PLAN_FONT_SIZE = 10.5
_LINE_POINTS = 16.0  # one line of 10.5 pt CJK text with its leading (Noto CJK: 1.45 em)


def _plan_rows(year: YearCatalog, policy: Policy | Mapping[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    default_contact = year.registration.contact if year.registration else None
    for n, s in enumerate(sorted(year.classes, key=lambda s: (s.start, s.code)), start=1):
        courses = [year.course(code) for code in s.courses]
        level = LEVELS.get(s.level or "", "")
        if s.county:
            level = f"{level}：{s.county}" if level else s.county
        rows.append([
            n, s.code, s.name, s.start, s.end, s.location or "",
            "\n".join(f"{c.title}（{hours(c.hours)}）" for c in courses),
            sum(c.hours for c in courses),
            s.organizer or "", level, s.capacity if s.capacity is not None else "",
            s.fee or "", year.deadline(s) or "",
            s.contact or default_contact or "",
            _plan_note(s),
        ])
    return rows


def _plan_note(s: ClassSession) -> str:
    """The 备注 cell: the status (not 正常), the sessions of a class that meets on
    separate days, and the class's note."""
    parts = []
    if not s.takes_registrations:
        parts.append(STATUSES[s.status] + (f"：{s.status_note}" if s.status_note else ""))
    if len(s.periods) > 1:
        parts.append("上课：" + cn_periods(s.periods))
    if s.note:
        parts.append(s.note.strip())
    return "\n".join(parts)


def _column_widths(rows: list[list[Any]]) -> list[float]:
    widths: list[float] = []
    for i, header in enumerate(PLAN_COLUMNS):
        if header in _DATE_COLUMNS:
            widths.append(_DATE_WIDTH)
            continue
        texts = [header] + [str(r[i]) for r in rows]
        longest = max(_width_units(line) for t in texts for line in t.split("\n"))
        limit = _WRAP_MAX.get(header)
        widths.append((min(longest, limit) if limit else longest) + 1)
    excess = sum(widths) - _PLAN_MAX_UNITS
    if excess > 0:  # narrow the wrapping columns, each by its share, to stay one page wide
        wrapping = [i for i, header in enumerate(PLAN_COLUMNS) if header in _WRAP_MAX]
        room = sum(widths[i] - 6 for i in wrapping)
        for i in wrapping:
            widths[i] -= min(widths[i] - 6, math.ceil(excess * (widths[i] - 6) / room))
    return widths


def class_plan_xlsx(year: YearCatalog, policy: Policy | Mapping[str, Any], epoch: int) -> bytes:
    """附件1: the year's classes, one row each, in start-date order; dates are dates; prints
    on A4 landscape, one page wide, the column headers repeated on every page."""
    title = f"{year.year}年度工程技术（一）系列继续教育办班计划"
    wb = new_workbook(title, epoch)
    ws = wb.active
    ws.title = PLAN_SHEET
    ncols = len(PLAN_COLUMNS)
    last = get_column_letter(ncols)
    rows = _plan_rows(year, policy)
    widths = _column_widths(rows)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    total_width = sum(widths)
    body = Font(name=FONT_NAME, size=PLAN_FONT_SIZE)

    set_text(ws.cell(1, 1), title)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30

    # The notes (the "示例数据" mark among them) in full: a merged cell never grows by
    # itself, in Excel or LibreOffice, so its height is set from its text.
    notes = (year.notes or "").strip()
    set_text(ws.cell(2, 1), notes)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = body
    ws["A2"].alignment = Alignment(vertical="top", wrap_text=True)
    ws.row_dimensions[2].height = _LINE_POINTS * _lines(notes, total_width) + 6 if notes else 6

    header_font = Font(name="黑体", size=PLAN_FONT_SIZE)
    for col, header in enumerate(PLAN_COLUMNS, start=1):
        cell = set_text(ws.cell(PLAN_HEADER_ROW, col), header)
        cell.font = header_font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[PLAN_HEADER_ROW].height = 22

    for r, values in enumerate(rows, start=PLAN_HEADER_ROW + 1):
        height = 1
        for col, (header, value) in enumerate(zip(PLAN_COLUMNS, values, strict=True), start=1):
            cell = ws.cell(r, col)
            if isinstance(value, str):
                set_text(cell, value)
                height = max(height, _lines(value, widths[col - 1]))
            else:
                cell.value = value
            cell.font = body
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            wraps = header in _WRAP_MAX
            cell.alignment = Alignment(
                horizontal="left" if wraps else "center", vertical="center", wrap_text=wraps)
        ws.row_dimensions[r].height = _LINE_POINTS * min(height, _MAX_ROW_LINES) + 6
    last_row = PLAN_HEADER_ROW + len(rows)
    _frame(ws, PLAN_HEADER_ROW, last_row, 1, ncols)

    ws.freeze_panes = f"A{PLAN_HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{PLAN_HEADER_ROW}:{last}{last_row}"
    _a4(ws, landscape=True, fit_height=False, margin_cm=1.2)
    ws.print_title_rows = f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}"
    ws.print_area = f"A1:{last}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = PLAN_FONT_SIZE  # >= 9 pt printed, as the table
    return save_workbook(wb, epoch)
