"""A year's catalog as a workbook (``ceportal export-xlsx``): notes, headers, rows and the
drop-down lists, one sheet per :data:`generator.catalog.format.SHEETS` entry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.format import Field, Format
from generator.catalog.format.kinds import Choices, Record, Text
from generator.catalog.format.scalars import DEFAULT_TITLE
from generator.catalog.model import FORMAT, YearCatalog
from generator.catalog.policy_model import Policy
from generator.common.celltext import set_text

from .layout import (
    FIRST_ROW,
    HEADER_ROW,
    NOTE_ROW,
    SHEET_CLASSES,
    SHEET_COURSES,
    SHEET_YEAR,
    VALIDATED_ROWS,
    YEAR_HEADERS,
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
        "分几段上课时在上课时段填写各段，如“2011-05-15至2011-05-16、2011-05-22至2011-05-23”"
        "（一天的写日期即可）。"
        f"状态填 {'、'.join(v['statuses'].values())} 之一，不填为正常；备注与办班一同显示。"
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
            if col.kind.cell_format:
                cell.number_format = col.kind.cell_format
            if col.long:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    bottom = max(VALIDATED_ROWS, last + 200)
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if col.kind.text_cells:
            # New rows too: an editor typing 2011-1 must not get a date.
            for row in range(last + 1, last + 201):
                ws.cell(row, i).number_format = "@"
        if col.enum is None:
            continue
        names = list(vocab[col.enum].values())
        multiple = isinstance(col.kind, Choices)
        rule = _list_rule(names, col.header, "information" if multiple else "warning", multiple)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{bottom}")
        ws.add_data_validation(rule)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _row(record: Any, columns: Sequence[Field], v: Mapping[str, Mapping[str, str]]) -> list[Any]:
    """A record's cells, one per column, each shown by its kind (ids as Chinese names)."""
    return [_cell(col, getattr(record, col.name), v) for col in columns]


def _cell(col: Field, value: Any, v: Mapping[str, Mapping[str, str]]) -> Any:
    """A value as its column's cell, shown by its kind; a field left out of a file (empty,
    or its default: status open, not a draft) is an empty cell."""
    return None if col.left_out(value) else col.kind.cell(value, v)


def _year_values(year: YearCatalog | None, number: int, fmt: Format) -> dict[str, Any]:
    """The 年度信息 values by field: the year's own and its registration's."""

    if year is None:
        return {"year": number, "title": DEFAULT_TITLE.format(year=number)}
    values: dict[str, Any] = {}
    for name, f in fmt["year"].items():
        if isinstance(f.kind, Record):
            part = getattr(year, name)
            values.update({n: part and getattr(part, n) for n in fmt[f.kind.record]})
        elif f.kind.scalar:
            values[name] = getattr(year, name)
    return values


def catalog_workbook(
    year: YearCatalog | None, number: int, policy: Policy | Mapping[str, Any], fmt: Format = FORMAT
) -> Workbook:
    """The workbook of year ``number``: its catalog, or (``year`` None) the empty template."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    v = vocabularies(policy)
    book = Workbook()
    courses = book.active
    assert courses is not None
    courses.title = SHEET_COURSES
    columns = fmt.sheet("course").fields
    _sheet(
        courses,
        columns,
        _note_courses(v),
        (_row(c, columns, v) for c in (year.courses if year else ())),
        v,
    )
    columns = fmt.sheet("class").fields
    _sheet(
        book.create_sheet(SHEET_CLASSES),
        columns,
        _note_classes(v),
        (_row(s, columns, v) for s in (year.classes if year else ())),
        v,
    )
    ws = book.create_sheet(SHEET_YEAR)
    ws.cell(NOTE_ROW, 1, _note_year()).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=3)
    ws.row_dimensions[NOTE_ROW].height = 40
    for i, header in enumerate(YEAR_HEADERS, start=1):
        ws.cell(HEADER_ROW, i, header).font = Font(bold=True)
    values = _year_values(year, number, fmt)
    for row, item in enumerate(fmt.sheet("year").fields, start=FIRST_ROW):
        ws.cell(row, 1, item.header).font = Font(bold=True)
        cell = set_text(ws.cell(row, 2), _cell(item, values.get(item.name), v))
        if item.kind.cell_format:
            cell.number_format = item.kind.cell_format
        if isinstance(item.kind, Text):  # the 内容 column is wide: every text wraps
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, 3, item.hint)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    ws.column_dimensions["C"].width = 40
    ws.freeze_panes = "A3"
    return book


def export_workbook(
    year: YearCatalog | None, number: int, policy: Policy | Mapping[str, Any], path: str | Path,
    fmt: Format = FORMAT,
) -> None:
    """Write the workbook of year ``number`` to ``path`` (written beside, then renamed)."""
    from generator.common.safefiles import atomic_write

    book = catalog_workbook(year, number, policy, fmt)
    atomic_write(Path(path), book.save)
