"""A year's catalog as a workbook (``ceportal export-xlsx``): notes, headers, rows and the
drop-down lists, one sheet per :data:`generator.catalog.format.SHEETS` entry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.format import Field
from generator.catalog.format.scalars import DEFAULT_TITLE
from generator.catalog.model import ClassSession, Course, Registration, YearCatalog
from generator.common.celltext import set_text

from .layout import (
    CLASS_COLUMNS,
    COURSE_COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    NOTE_ROW,
    SHEET_CLASSES,
    SHEET_COURSES,
    SHEET_YEAR,
    VALIDATED_ROWS,
    YEAR_HEADERS,
    YEAR_ITEMS,
    vocabularies,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)


def _note_courses(v: Mapping[str, Mapping[str, str]]) -> str:
    names = "、".join(v["specialties"].values())
    return (
        "填写说明：每行一门课程，从第3行起填写；第2行是列名，请勿改动（列的顺序可以调整）。"
        "课程编号在本年度内唯一，只能包含字母、数字和“-”。"
        f"类别填 {'、'.join(v['modules'].values())} 之一；学时填大于0的数字（可为小数，如 1.5）；"
        f"形式填 {'、'.join(v['forms'].values())} 之一（可不填）。"
        f"适用专业可填一个或多个，多个时用“、”或“,”分隔，如“机械、电子电气”；可选：{names}。"
        "下拉列表一次只能选一个专业，填多个时请直接输入（Excel 提示“不在列表中”时选“是”继续）；"
        "不填表示适用于所有专业。也可以填英文代号（如 public、mechanical）。"
        "改好后用 ceportal import-xlsx 导入。"
    )


def _note_classes(v: Mapping[str, Mapping[str, str]]) -> str:
    return (
        "填写说明：每行一期办班，从第3行起填写；第2行是列名，请勿改动（列的顺序可以调整）。"
        "班次编号在本年度内唯一，只能包含字母、数字和“-”。"
        "日期填 Excel 日期，或 2011-05-11 形式的文字；结束日期不早于开始日期，报名截止不晚于开始日期。"
        "课程编号填“课程”表中的编号，多个用“、”或“,”分隔。名额填大于0的整数。"
        f"级别填 {'、'.join(v['levels'].values())}（可不填）；县级办班请填写县（市、区）。"
    )


def _note_year() -> str:
    return (
        "填写说明：本表是年度目录本身的信息，每行一项，在“内容”列填写；"
        "“项目”列的名称请勿改动。目录标题必填，其余可不填。"
    )


def _list_rule(values: Iterable[str], what: str, style: str, multiple: bool = False) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle=style,
    )
    rule.errorTitle = f"{what}不在列表中"
    rule.error = (
        f"多个{what}用“、”分隔即可，选“是”保留输入。"
        if multiple
        else f"请从列表中选择{what}；也可以填英文代号，选“是”保留输入。"
    )
    rule.promptTitle = what
    rule.prompt = f"可填多个{what}，用“、”分隔" if multiple else f"从列表中选择{what}"
    rule.showInputMessage = True
    return rule


def _sheet(
    ws: Worksheet,
    columns: Sequence[Field],
    note: str,
    rows: Iterable[Sequence[Any]],
    vocab: Mapping[str, Mapping[str, str]],
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.cell(NOTE_ROW, 1, note).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=len(columns))
    ws.row_dimensions[NOTE_ROW].height = 96
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, i, col.header)
        cell.font = bold
        cell.fill = fill
        ws.column_dimensions[get_column_letter(i)].width = col.width
    last = FIRST_ROW - 1
    for last, values in enumerate(rows, start=FIRST_ROW):
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = set_text(ws.cell(last, i), value)  # "=…" text stays text
            if col.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif col.kind in ("code", "codes", "text", "choices"):
                # Text format: Excel keeps "0123" and "2011-1" as typed, not 123 or a date.
                cell.number_format = "@"
            if col.name in ("description", "notes"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    bottom = max(VALIDATED_ROWS, last + 200)
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if col.kind in ("code", "codes"):
            # New rows too: an editor typing 2011-1 must not get a date.
            for row in range(last + 1, last + 201):
                ws.cell(row, i).number_format = "@"
        if col.enum is None:
            continue
        names = list(vocab[col.enum].values())
        multiple = col.kind == "choices"
        rule = _list_rule(names, col.header, "information" if multiple else "warning", multiple)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{bottom}")
        ws.add_data_validation(rule)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _join(values: Iterable[str]) -> str:
    return "、".join(values)


def _course_row(c: Course, v: Mapping[str, Mapping[str, str]]) -> list[Any]:
    return [
        c.code,
        c.title,
        v["modules"].get(c.module, c.module),
        c.hours,
        _join(v["specialties"].get(s, s) for s in c.specialties) or None,
        v["forms"].get(c.form, c.form) if c.form else None,
        c.description,
        c.teacher,
    ]


def _class_row(s: ClassSession, v: Mapping[str, Mapping[str, str]]) -> list[Any]:
    return [
        s.code,
        s.name,
        s.start,
        s.end,
        s.location,
        _join(s.courses),
        s.capacity,
        s.registration_closes,
        s.organizer,
        v["levels"].get(s.level, s.level) if s.level else None,
        s.county,
        s.fee,
        s.contact,
    ]


def _year_values(year: YearCatalog | None, number: int) -> dict[str, Any]:

    if year is None:
        return {"year": number, "title": DEFAULT_TITLE.format(year=number)}
    reg = year.registration or Registration()
    return {
        "year": year.year,
        "title": year.title,
        "publisher": year.publisher,
        "published": year.published,
        "opens": reg.opens,
        "closes": reg.closes,
        "contact": reg.contact,
        "notes": year.notes,
    }


def catalog_workbook(year: YearCatalog | None, number: int, policy: Mapping[str, Any]) -> Workbook:
    """The workbook of year ``number``: its catalog, or (``year`` None) the empty template."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    v = vocabularies(policy)
    book = Workbook()
    courses = book.active
    assert courses is not None
    courses.title = SHEET_COURSES
    _sheet(
        courses,
        COURSE_COLUMNS,
        _note_courses(v),
        (_course_row(c, v) for c in (year.courses if year else ())),
        v,
    )
    _sheet(
        book.create_sheet(SHEET_CLASSES),
        CLASS_COLUMNS,
        _note_classes(v),
        (_class_row(s, v) for s in (year.classes if year else ())),
        v,
    )
    ws = book.create_sheet(SHEET_YEAR)
    ws.cell(NOTE_ROW, 1, _note_year()).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=3)
    ws.row_dimensions[NOTE_ROW].height = 40
    for i, header in enumerate(YEAR_HEADERS, start=1):
        ws.cell(HEADER_ROW, i, header).font = Font(bold=True)
    values = _year_values(year, number)
    for row, item in enumerate(YEAR_ITEMS, start=FIRST_ROW):
        ws.cell(row, 1, item.header).font = Font(bold=True)
        cell = set_text(ws.cell(row, 2), values.get(item.name))
        if item.kind == "date":
            cell.number_format = "yyyy-mm-dd"
        elif item.kind == "text":
            cell.number_format = "@"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, 3, item.hint)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    ws.column_dimensions["C"].width = 40
    ws.freeze_panes = "A3"
    return book


def export_workbook(
    year: YearCatalog | None, number: int, policy: Mapping[str, Any], path: str | Path
) -> None:
    """Write the workbook of year ``number`` to ``path`` (written beside, then renamed)."""
    from generator.common.safefiles import atomic_write

    book = catalog_workbook(year, number, policy)
    atomic_write(Path(path), book.save)
