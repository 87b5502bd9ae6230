"""The import's sheets: headers found by name, rows to records, the 年度信息 items, and
where each record came from (to place the checker's problems at their cells).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.format import Field, Format, ReadContext, Refused
from generator.catalog.format.kinds import Periods, Record, Records
from generator.catalog.format.scalars import DEFAULT_TITLE
from generator.catalog.model import FORMAT, ClassSession, Course, YearCatalog
from generator.catalog.policy_model import Policy
from generator.catalog.problems import path_parts
from generator.common.celltext import cell_text

from .layout import (
    HEADER_SEARCH_ROWS,
    SHEET_CLASSES,
    SHEET_COURSES,
    SHEET_YEAR,
    YEAR_HEADERS,
    SheetProblem,
    vocabularies,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)


def _normalize_header(text: Any) -> str:
    return re.sub(r"\s+", "", cell_text(text)).replace("(", "（").replace(")", "）")


@dataclass
class _Row:
    """One data row: its number, values by field, and each field's cell reference;
    ``merged``: the merged range (``A4:A6``) a field's cell lies in, below its top-left."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)


def _merged_below(ws: Worksheet) -> dict[str, str]:
    """Every cell of a merged range but its top-left (which alone holds the value, as
    openpyxl reads it): ``coordinate -> range``."""
    from openpyxl.utils import get_column_letter

    out: dict[str, str] = {}
    for merged in ws.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                if (row, col) != (merged.min_row, merged.min_col):
                    out[f"{get_column_letter(col)}{row}"] = merged.coord
    return out


class _Importer:
    def __init__(
        self, path: Path, year: int, policy: Policy | Mapping[str, Any], fmt: Format = FORMAT
    ) -> None:
        self.file = str(path)
        self.year = year
        self.format = fmt
        self.vocab = vocabularies(policy)
        self.context = ReadContext(self.vocab, year)  # cells take the names as well as the ids
        self.problems: list[SheetProblem] = []

    def error(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(SheetProblem(self.file, sheet, cell, message))

    def warning(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(SheetProblem(self.file, sheet, cell, message, "warning"))

    # -- locating columns -----------------------------------------------------------------

    def header_row(self, ws: Worksheet, key: str) -> int | None:
        for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
            if any(_normalize_header(c.value) == key for c in row):
                return row[0].row
        return None

    def columns(
        self, ws: Worksheet, columns: Sequence[Field], what: str
    ) -> tuple[int, dict[str, int]] | None:
        """The header row and ``field -> column index`` (1-based), reporting header problems."""
        key = columns[0].header
        header = self.header_row(ws, key)
        if header is None:
            self.error(
                ws.title,
                "A1",
                f"找不到表头行：前{HEADER_SEARCH_ROWS}行中没有“{key}”列"
                f"（{what}表的列名应为 {'、'.join(c.header for c in columns)}）",
            )
            return None
        by_name = {c.header: c for c in columns}
        by_name.update({c.name: c for c in columns})
        found: dict[str, int] = {}
        for cell in ws[header]:
            name = _normalize_header(cell.value)
            if not name:
                continue
            col = by_name.get(name) or by_name.get(name.lower())
            if col is None:
                self.warning(
                    ws.title,
                    cell.coordinate,
                    f"未知的列“{name}”，已忽略（可用的列：{'、'.join(c.header for c in columns)}）",
                )
                continue
            if col.name in found:
                self.error(ws.title, cell.coordinate, f"列“{col.header}”重复出现")
                continue
            assert cell.column is not None
            found[col.name] = int(cell.column)
        missing = [c.header for c in columns if c.required and c.name not in found]
        if missing:
            self.error(ws.title, f"A{header}", f"{what}表缺少必填的列：{'、'.join(missing)}")
            return None
        return header, found

    def rows(self, ws: Worksheet, columns: Sequence[Field], what: str) -> list[_Row] | None:
        """The non-empty data rows, with raw cell values by field."""
        from openpyxl.utils import get_column_letter

        located = self.columns(ws, columns, what)
        if located is None:
            return None
        header, found = located
        merged = _merged_below(ws)
        rows: list[_Row] = []
        for cells in ws.iter_rows(min_row=header + 1):
            row = _Row(cells[0].row or 0)
            for fid, index in found.items():
                value = cells[index - 1].value if index <= len(cells) else None
                row.cells[fid] = f"{get_column_letter(index)}{row.number}"
                if row.cells[fid] in merged:
                    row.merged[fid] = merged[row.cells[fid]]
                if cell_text(value):
                    row.values[fid] = value
            if not row.values:
                continue
            if self.heading(ws.title, row, columns, what):
                continue
            rows.append(row)
        return rows

    def heading(self, sheet: str, row: _Row, columns: Sequence[Field], what: str) -> bool:
        """Report (once) a row that is a heading, not a record: one text cell (often
        merged across the row, 农机类), every other required cell empty."""
        if len(row.values) != 1:
            return False
        (fid, value), = row.values.items()
        missing = [c for c in columns if c.required and c.name not in row.values]
        if not isinstance(value, str) or len(missing) < 2:
            return False
        merge = next((r for r in row.merged.values()), "")
        how = f"（合并单元格 {merge}）" if merge else ""
        self.error(
            sheet, row.cells[fid],
            f"第{row.number}行只有“{cell_text(value)}”{how}，看起来是分类标题而不是一{'门' if what == '课程' else '期'}"
            f"{what}：请删除该行（分类可写在相应的列中）",
        )
        return True

    # -- records ------------------------------------------------------------------------

    def record(
        self, sheet: str, row: _Row, columns: Sequence[Field], who: str
    ) -> dict[str, Any] | None:
        """Convert a row's cells, reporting each refused or missing required one."""
        out, ok = self.cells(sheet, row, columns, who)
        return out if ok else None

    def cells(
        self, sheet: str, row: _Row, columns: Sequence[Field], who: str
    ) -> tuple[dict[str, Any], bool]:
        """The row's values by field (None: empty or refused) and whether all were fine,
        so that the checks across cells still see the cells that could be read."""
        out: dict[str, Any] = {}
        ok = True
        for col in columns:
            cell = row.cells.get(col.name, f"A{row.number}")
            if col.name not in row.values:
                if col.name in row.merged:
                    top = row.merged[col.name].split(":")[0]
                    self.error(
                        sheet, cell,
                        f"{who}的{col.header}在合并单元格 {row.merged[col.name]} 中（导入时只有 "
                        f"{top} 有值）：请取消合并，在每一行分别填写",
                    )
                    ok = False
                elif col.required:
                    self.error(sheet, cell, f"{who}的{col.header}不能为空")
                    ok = False
                out[col.name] = None
                continue
            try:
                out[col.name] = col.kind.read_cell(row.values[col.name], col, self.context)
            except Refused as exc:
                self.error(sheet, cell, f"{who}的{col.header}{exc}")
                out[col.name] = None
                ok = False
        return out, ok

    def who(self, what: str, row: _Row, name_field: str) -> str:
        label = cell_text(row.values.get("code")) or cell_text(row.values.get(name_field))
        return f"{what}「{label}」" if label else f"第{row.number}行的{what}"

    def unique(self, sheet: str, rows: Sequence[_Row], what: str) -> None:
        """Duplicate codes, also those that differ only in case (their pages would
        overwrite each other on Windows and macOS), naming both cells."""
        seen: dict[str, tuple[str, str]] = {}  # folded code -> (code, cell)
        for row in rows:
            code = cell_text(row.values.get("code"))
            if not code:
                continue
            first = seen.get(code.lower())
            if first is None:
                seen[code.lower()] = (code, row.cells["code"])
            elif first[0] == code:
                self.error(
                    sheet, row.cells["code"], f"{what}“{code}”重复（{sheet}!{first[1]} 已使用）"
                )
            else:
                self.error(
                    sheet, row.cells["code"],
                    f"{what}“{code}”与 {sheet}!{first[1]} 的“{first[0]}”只有大小写不同："
                    "在不区分大小写的文件系统（Windows、macOS）上网页会互相覆盖，请改用不同的编号",
                )

    def courses(self, ws: Worksheet) -> tuple[list[Course], list[_Row] | None]:
        columns = self.format.sheet("course").fields
        rows = self.rows(ws, columns, SHEET_COURSES)
        if rows is None:
            return [], None
        self.unique(ws.title, rows, "课程编号")
        out = []
        for row in rows:
            v = self.record(ws.title, row, columns, self.who("课程", row, "title"))
            if v is not None:
                out.append(self.build("course", v))
        return out, rows

    def build(self, record: str, values: Mapping[str, Any]) -> Any:
        """The model of ``record`` from its cells' values (a field left out: its kind's
        empty value, or its default), by the table; a sessions cell's ``(start, end)``
        pairs become session records."""
        out: dict[str, Any] = {}
        for name, f in self.format[record].items():
            value = values.get(name)
            if value is None:
                value = f.empty
            elif isinstance(f.kind, Periods):
                part = self.format[f.kind.record]
                value = tuple(self.build(f.kind.record, dict(zip(part, pair, strict=True))) for pair in value)
            out[name] = value
        return self.format.model(record)(**out)

    def classes(
        self, ws: Worksheet, course_codes: set[str] | None
    ) -> tuple[list[ClassSession], list[_Row]]:
        columns = self.format.sheet("class").fields
        rows = self.rows(ws, columns, SHEET_CLASSES) or []
        self.unique(ws.title, rows, "班次编号")
        out = []
        for row in rows:
            who = self.who("班次", row, "name")
            v, ok = self.cells(ws.title, row, columns, who)
            # Unknown courses against the codes the course sheet gave (if it could be read).
            missing = [
                c for c in v["courses"] or () if course_codes is not None and c not in course_codes
            ]
            if missing:
                self.error(
                    ws.title,
                    row.cells["courses"],
                    f"{who}的课程编号中“{'”“'.join(missing)}”不在“{SHEET_COURSES}”表中",
                )
                ok = False
            # Date relations wherever both dates could be read.
            start, end, closes = v["start"], v["end"], v["registration_closes"]
            if start is not None and end is not None and end < start:
                self.error(
                    ws.title,
                    row.cells["end"],
                    f"{who}的结束日期 {end} 早于开始日期 {start}",
                )
                ok = False
            if start is not None and closes is not None and closes > start:
                self.error(
                    ws.title,
                    row.cells["registration_closes"],
                    f"{who}的报名截止日期 {closes} 晚于开始日期 {start}",
                )
                ok = False
            if ok:
                out.append(self.build("class", v))
        return out, rows

    def year_fields(self, ws: Worksheet | None) -> tuple[dict[str, Any], dict[str, str]]:
        """The 年度信息 values by field, and each item's 内容 cell."""

        if ws is None:
            return {"title": DEFAULT_TITLE.format(year=self.year)}, {}
        header = self.header_row(ws, YEAR_HEADERS[0])
        if header is None:
            self.error(ws.title, "A1", f"找不到表头行：前{HEADER_SEARCH_ROWS}行中没有“项目”列")
            return {}, {}
        items = {c.header: c for c in self.format.sheet("year").fields}
        seen: dict[str, int] = {}
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        for row in ws.iter_rows(min_row=header + 1, max_col=2):
            if len(row) < 2:
                continue
            label, content = _normalize_header(row[0].value), row[1]
            if not label:
                continue
            item = items.get(label)
            if item is None:
                self.warning(
                    ws.title,
                    row[0].coordinate,
                    f"未知的项目“{label}”，已忽略（可用的项目：{'、'.join(items)}）",
                )
                continue
            if item.name in seen:
                self.error(
                    ws.title, row[0].coordinate, f"项目“{label}”重复（第{seen[item.name]}行已有）"
                )
                continue
            seen[item.name] = row[0].row or 0
            cells[item.name] = content.coordinate
            if not cell_text(content.value):
                continue
            try:
                values[item.name] = item.kind.read_cell(content.value, item, self.context)
            except Refused as exc:
                self.error(ws.title, content.coordinate, f"年度信息中的{item.header}{exc}")
        title = items["目录标题"]
        if "title" not in values and "title" not in cells:
            self.error(ws.title, f"A{header}", "年度信息中缺少“目录标题”一项")
        elif "title" not in values and cells.get("title"):
            self.error(ws.title, cells["title"], f"年度信息中的{title.header}不能为空")
        opens, closes = values.get("opens"), values.get("closes")
        if opens and closes and closes < opens:
            self.error(
                ws.title,
                cells["closes"],
                f"年度信息中的报名截止日期 {closes} 早于报名开始日期 {opens}",
            )
        return values, cells

    # -- the whole workbook ---------------------------------------------------------------

    def read(self, book: Workbook) -> tuple[YearCatalog | None, dict[str, Any]]:
        """The model (None on any error) and where each record came from."""
        names = {_normalize_header(n): n for n in book.sheetnames}
        if SHEET_COURSES not in names:
            self.error(
                SHEET_COURSES,
                "A1",
                f"工作簿中没有“{SHEET_COURSES}”工作表（现有：{'、'.join(book.sheetnames)}）",
            )
            return None, {}
        courses, course_rows = self.courses(book[names[SHEET_COURSES]])
        codes = None
        if course_rows is not None:
            codes = {cell_text(r.values.get("code")) for r in course_rows}
        classes: list[ClassSession] = []
        class_rows: list[_Row] = []
        if SHEET_CLASSES in names:
            classes, class_rows = self.classes(book[names[SHEET_CLASSES]], codes)
        year_ws = book[names[SHEET_YEAR]] if SHEET_YEAR in names else None
        values, year_cells = self.year_fields(year_ws)
        where = {
            "courses": course_rows or [],
            "classes": class_rows,
            "year": year_cells,
            "sheets": {
                "courses": names.get(SHEET_COURSES),
                "classes": names.get(SHEET_CLASSES, SHEET_CLASSES),
                "year": names.get(SHEET_YEAR, SHEET_YEAR),
            },
        }
        if any(p.severity == "error" for p in self.problems):
            return None, where
        # The year's own fields and its registration's share the 年度信息 sheet.
        year_values: dict[str, Any] = {"year": self.year}  # checked against --year, or left out
        # Each from a sheet of its own.
        records: dict[str, list[Any]] = {"course": courses, "class": classes}
        for name, f in self.format["year"].items():
            if isinstance(f.kind, Records):
                year_values[name] = tuple(records[f.kind.record])
            elif isinstance(f.kind, Record):
                part = {n: values.get(n) for n in self.format[f.kind.record]}
                if any(part.values()):
                    year_values[name] = self.build(f.kind.record, part)
            elif name != "year":
                year_values[name] = values.get(name)
        model: YearCatalog = self.build("year", year_values)
        return model, where

    def locate(self, path: str, where: dict[str, Any]) -> tuple[str, str]:
        """The sheet and cell of a checker's field path (``courses[3].hours``): the
        record's row and the field's column, by the columns the sheets were read with."""
        parts = path_parts(path)
        sheets = where["sheets"]
        if len(parts) >= 2 and parts[0] in ("courses", "classes") and isinstance(parts[1], int):
            rows: list[_Row] = where[parts[0]]
            if parts[1] < len(rows):
                row = rows[parts[1]]
                name = parts[2] if len(parts) > 2 and isinstance(parts[2], str) else "code"
                return sheets[parts[0]], row.cells.get(name, f"A{row.number}")
        # The year's own fields and its registration's: one 年度信息 item each.
        if parts[:1] == ("registration",):
            parts = parts[1:]
        key = parts[0] if parts and isinstance(parts[0], str) else ""
        cells: dict[str, str] = where["year"]
        if key in cells:
            return sheets["year"], cells[key]
        return sheets["year"], "A1"
