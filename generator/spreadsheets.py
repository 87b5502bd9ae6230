"""A year's catalog as an Excel workbook and back (``ceportal export-xlsx`` / ``import-xlsx``).

Editors keep their course lists in Excel. The workbook has three sheets:

- ``课程``: one course a row; ``班次``: one class a row. Row 1 is a note on how to fill
  the sheet in, row 2 the column headers, data from row 3. Headers are found by name
  (any order; the header row may move, e.g. when the note row is deleted).
- ``年度信息``: the year's own fields (年度, 目录标题, 发布单位, 发布日期, 报名开始,
  报名截止, 报名联系方式, 说明) as 项目/内容 rows, so that export then import gives the
  same catalog. Without this sheet, the title defaults to "Y年度…课程目录" and the
  other year fields stay empty.

The columns are those of issue 8; the 班次 sheet adds 费用 and 联系方式 after them
because classes have those fields too and a round trip must not lose them.

Import collects every problem as ``FILE:SHEET!CELL: error: MESSAGE`` and builds nothing
when there is any error. Choice cells take the Chinese names (公共必修课, 培训班, 市级,
机械…) or the ids (public, training, city, mechanical…); list cells are separated by
``、``, ``,`` or ``，``; dates are Excel dates or ``2009-05-11`` text. The YAML written is
checked with the catalog validator before it is written, and anything it still finds
(its warnings, e.g. an elective not offered in any class) is reported at the cell too.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .catalog_format import (
    CLASS_SHEET,
    COURSE_SHEET,
    LEVEL_ALIASES,
    YEAR_SHEET,
    Field,
)
from .catalog_format.scalars import CODE, DATE_TEXT, LIST_SEPARATORS, yaml_number
from .celltext import cell_text, set_text
from .model import ClassSession, Course, Hours, Registration, YearCatalog
from .policy_model import as_policy
from .problems import display_path, path_parts

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

SHEET_COURSES = COURSE_SHEET.name
SHEET_CLASSES = CLASS_SHEET.name
SHEET_YEAR = YEAR_SHEET.name
NOTE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3
HEADER_SEARCH_ROWS = 10  # the header row is looked for in the first rows of a sheet
VALIDATED_ROWS = 1000  # data-validation lists cover at least this many rows
# Limits of the import (README, "Limits"): a year has some hundred courses and classes.
IMPORT_MAX_ROWS = 10_000
IMPORT_MAX_FILE_BYTES = 16 * 1024 * 1024
IMPORT_MAX_PART_BYTES = 32 * 1024 * 1024  # one sheet, decompressed
IMPORT_MAX_TOTAL_BYTES = 64 * 1024 * 1024
# The sheets and their columns are the format's declaration (catalog_format.fields).
COURSE_COLUMNS = COURSE_SHEET.fields
CLASS_COLUMNS = CLASS_SHEET.fields
YEAR_ITEMS = YEAR_SHEET.fields
YEAR_HEADERS = ("项目", "内容", "填写说明")


# --- problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """A problem at a workbook cell: ``FILE:SHEET!CELL: error: MESSAGE``."""

    file: str
    sheet: str
    cell: str
    message: str
    severity: Literal["error", "warning"] = "error"
    path: str = ""  # the checker's field path, when the problem came from the YAML check

    def format(self) -> str:
        """The one-line form, FILE relative to the current folder."""
        return (
            f"{display_path(self.file)}:{self.sheet}!{self.cell}: {self.severity}: {self.message}"
        )


class WorkbookError(Exception):
    """The workbook cannot be imported; ``problems`` holds every problem (errors and warnings)."""

    def __init__(self, problems: Iterable[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.severity == "error"]


# --- names and ids ----------------------------------------------------------------------


def vocabularies(policy: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``enum -> {id: Chinese name}`` for the choice columns, names from policy.yaml."""
    return as_policy(policy).enum_names()


def _lookup(vocab: Mapping[str, str], enum: str) -> dict[str, str]:
    """Accepted cell text -> id: the ids (any case), the Chinese names and, for the
    levels, the names older workbooks wrote (市级, 县级)."""
    table = {name: key for key, name in vocab.items()}
    table.update({key.lower(): key for key in vocab})
    if enum == "levels":
        table.update(LEVEL_ALIASES)
    return table


# --- export -----------------------------------------------------------------------------


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
    from .scaffolding import DEFAULT_TITLE

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
    from .safefiles import atomic_write

    book = catalog_workbook(year, number, policy)
    atomic_write(Path(path), book.save)


# --- import: cells to values -----------------------------------------------------------


class _Bad(ValueError):
    """A cell value refused; the message continues "课程「X」的学时…"."""


def _got(value: Any) -> str:
    text = cell_text(value)
    return f"“{text if len(text) <= 30 else text[:30] + '…'}”"


def _to_number(value: Any) -> Decimal | None:
    """A number cell, or a text cell that reads as a number (full-width digits too: an
    input method types them), as a finite Decimal; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    number: Decimal | None
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number = yaml_number(unicodedata.normalize("NFKC", value.strip()))
    else:
        return None
    return number if number is not None and number.is_finite() else None


def _bounded(col: Field, number: Decimal) -> None:
    """Refuse a number too large to convert (``1e999999``); the others over the field's
    limit are reported by the checker, at their cell, with its message."""
    if number.adjusted() > 18:
        raise _Bad(f"过大：不超过 {col.limits['maximum']}")


@dataclass
class _Converter:
    vocab: dict[str, dict[str, str]]
    year: int

    def convert(self, col: Field, value: Any) -> Any:
        """The model value of a non-empty cell, or raise :class:`_Bad`."""
        return getattr(self, f"_{col.kind}")(col, value)

    def _text(self, col: Field, value: Any) -> str:
        return cell_text(value)

    def _code(self, col: Field, value: Any) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            raise _Bad(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        text = cell_text(value)
        if not CODE.match(text):
            raise _Bad(f"只能包含字母、数字和“-”，收到{_got(value)}")
        return text

    def _hours(self, col: Field, value: Any) -> Hours:
        number = _to_number(value)
        if number is None or number <= 0:
            raise _Bad(f"必须是大于0的数字，收到{_got(value)}")
        _bounded(col, number)
        return int(number) if number == number.to_integral_value() else float(number)

    def _count(self, col: Field, value: Any) -> int:
        number = _to_number(value)
        if number is None or number != number.to_integral_value() or number <= 0:
            raise _Bad(f"必须是大于0的整数，收到{_got(value)}")
        _bounded(col, number)
        return int(number)

    def _year(self, col: Field, value: Any) -> int:
        number = _to_number(value)
        if number is None or number != number.to_integral_value():
            raise _Bad(f"必须是四位数字的年度，收到{_got(value)}")
        _bounded(col, number)
        if int(number) != self.year:
            raise _Bad(f"是 {int(number)}，与导入的年度 {self.year} 不一致：请改正工作簿或 --year")
        return int(number)

    def _date(self, col: Field, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        m = DATE_TEXT.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise _Bad(f"应为日期（Excel 日期，或 2009-05-11 形式的文字），收到{_got(value)}")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise _Bad(f"不是存在的日期：{_got(value)}") from None

    def _one_choice(self, col: Field, text: str) -> str:
        assert col.enum is not None
        vocab = self.vocab[col.enum]
        found = _lookup(vocab, col.enum).get(text) or _lookup(vocab, col.enum).get(text.lower())
        if found is None:
            names = "、".join(vocab.values())
            raise _Bad(f"“{text}”无法识别，应为 {names} 之一（也可填代号 {', '.join(vocab)}）")
        return found

    def _choice(self, col: Field, value: Any) -> str:
        return self._one_choice(col, cell_text(value))

    def _items(self, col: Field, value: Any) -> list[str]:
        items = [item.strip() for item in LIST_SEPARATORS.split(cell_text(value))]
        return [item for item in items if item]

    def _choices(self, col: Field, value: Any) -> tuple[str, ...]:
        ids: list[str] = []
        for item in self._items(col, value):
            found = self._one_choice(col, item)
            if found in ids:
                raise _Bad(f"中“{item}”重复列出")
            ids.append(found)
        return tuple(ids)

    def _codes(self, col: Field, value: Any) -> tuple[str, ...]:
        if isinstance(value, (dt.date, dt.datetime)):
            raise _Bad(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        codes: list[str] = []
        for item in self._items(col, value):
            if not CODE.match(item):
                raise _Bad(f"中“{item}”不是有效的课程编号（只能包含字母、数字和“-”）")
            if item in codes:
                raise _Bad(f"中“{item}”重复列出")
            codes.append(item)
        if not codes:
            raise _Bad("不能为空：请填写本期开设课程的编号")
        return tuple(codes)


# --- import: sheets ----------------------------------------------------------------------


def _normalize_header(text: Any) -> str:
    return re.sub(r"\s+", "", cell_text(text)).replace("(", "（").replace(")", "）")


@dataclass
class _Row:
    """One data row: its number, values by field, and each field's cell reference."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


class _Importer:
    def __init__(self, path: Path, year: int, policy: Mapping[str, Any]) -> None:
        self.file = str(path)
        self.year = year
        self.vocab = vocabularies(policy)
        self.convert = _Converter(self.vocab, year)
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
        rows: list[_Row] = []
        for cells in ws.iter_rows(min_row=header + 1):
            row = _Row(cells[0].row or 0)
            for fid, index in found.items():
                value = cells[index - 1].value if index <= len(cells) else None
                row.cells[fid] = f"{get_column_letter(index)}{row.number}"
                if cell_text(value):
                    row.values[fid] = value
            if row.values:
                rows.append(row)
        return rows

    # -- records ------------------------------------------------------------------------

    def record(
        self, sheet: str, row: _Row, columns: Sequence[Field], who: str
    ) -> dict[str, Any] | None:
        """Convert a row's cells, reporting each refused or missing required one."""
        out: dict[str, Any] = {}
        ok = True
        for col in columns:
            cell = row.cells.get(col.name, f"A{row.number}")
            if col.name not in row.values:
                if col.required:
                    self.error(sheet, cell, f"{who}的{col.header}不能为空")
                    ok = False
                out[col.name] = None
                continue
            try:
                out[col.name] = self.convert.convert(col, row.values[col.name])
            except _Bad as exc:
                self.error(sheet, cell, f"{who}的{col.header}{exc}")
                ok = False
        return out if ok else None

    def who(self, what: str, row: _Row, name_field: str) -> str:
        label = cell_text(row.values.get("code")) or cell_text(row.values.get(name_field))
        return f"{what}「{label}」" if label else f"第{row.number}行的{what}"

    def unique(self, sheet: str, rows: Sequence[_Row], what: str) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            code = cell_text(row.values.get("code"))
            if not code:
                continue
            if code in seen:
                self.error(
                    sheet, row.cells["code"], f"{what}“{code}”重复（第{seen[code]}行已使用）"
                )
            else:
                seen[code] = row.number

    def courses(self, ws: Worksheet) -> tuple[list[Course], list[_Row] | None]:
        rows = self.rows(ws, COURSE_COLUMNS, SHEET_COURSES)
        if rows is None:
            return [], None
        self.unique(ws.title, rows, "课程编号")
        out = []
        for row in rows:
            v = self.record(ws.title, row, COURSE_COLUMNS, self.who("课程", row, "title"))
            if v is not None:
                out.append(Course(**{**v, "specialties": v["specialties"] or ()}))
        return out, rows

    def classes(
        self, ws: Worksheet, course_codes: set[str] | None
    ) -> tuple[list[ClassSession], list[_Row]]:
        rows = self.rows(ws, CLASS_COLUMNS, SHEET_CLASSES) or []
        self.unique(ws.title, rows, "班次编号")
        out = []
        for row in rows:
            who = self.who("班次", row, "name")
            v = self.record(ws.title, row, CLASS_COLUMNS, who)
            if v is None:
                continue
            ok = True
            # Unknown courses only when the course sheet could be read at all.
            missing = [
                c for c in v["courses"] if course_codes is not None and c not in course_codes
            ]
            if missing:
                self.error(
                    ws.title,
                    row.cells["courses"],
                    f"{who}的课程编号中“{'”“'.join(missing)}”不在“{SHEET_COURSES}”表中",
                )
                ok = False
            if v["end"] < v["start"]:
                self.error(
                    ws.title,
                    row.cells["end"],
                    f"{who}的结束日期 {v['end']} 早于开始日期 {v['start']}",
                )
                ok = False
            closes = v["registration_closes"]
            if closes is not None and closes > v["start"]:
                self.error(
                    ws.title,
                    row.cells["registration_closes"],
                    f"{who}的报名截止日期 {closes} 晚于开始日期 {v['start']}",
                )
                ok = False
            if ok:
                out.append(ClassSession(**v))
        return out, rows

    def year_fields(self, ws: Worksheet | None) -> tuple[dict[str, Any], dict[str, str]]:
        """The 年度信息 values by field, and each item's 内容 cell."""
        from .scaffolding import DEFAULT_TITLE

        if ws is None:
            return {"title": DEFAULT_TITLE.format(year=self.year)}, {}
        header = self.header_row(ws, YEAR_HEADERS[0])
        if header is None:
            self.error(ws.title, "A1", f"找不到表头行：前{HEADER_SEARCH_ROWS}行中没有“项目”列")
            return {}, {}
        items = {c.header: c for c in YEAR_ITEMS}
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
                values[item.name] = self.convert.convert(item, content.value)
            except _Bad as exc:
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
        registration = None
        if any(values.get(k) for k in ("opens", "closes", "contact")):
            registration = Registration(
                opens=values.get("opens"),
                closes=values.get("closes"),
                contact=values.get("contact"),
            )
        model = YearCatalog(
            year=self.year,
            title=values["title"],
            courses=tuple(courses),
            classes=tuple(classes),
            publisher=values.get("publisher"),
            published=values.get("published"),
            registration=registration,
            notes=values.get("notes"),
        )
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


def _sorted(problems: Iterable[SheetProblem], sheets: Sequence[str]) -> list[SheetProblem]:
    """In workbook order: sheet by sheet, then row by row, left to right."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def key(p: SheetProblem) -> tuple[int, int, int]:
        letters, row = coordinate_from_string(p.cell)
        order = sheets.index(p.sheet) if p.sheet in sheets else len(sheets)
        return order, row, column_index_from_string(letters)

    return sorted(problems, key=key)


def read_workbook(
    path: str | Path, year: int, policy: Mapping[str, Any]
) -> tuple[YearCatalog, str, list[SheetProblem]]:
    """Import the workbook at ``path`` as the catalog of ``year``.

    Returns ``(model, YAML text, warnings)``; the text passes ``ceportal check``. Raises
    :class:`WorkbookError` with every problem when there is any error.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from .problems import CatalogError
    from .validating import load_year_text
    from .writing import year_to_yaml
    from .xlsx_rows import XlsxLimitError, check_workbook

    path = Path(path)
    importer = _Importer(path, year, policy)
    try:
        size = path.stat().st_size
        if size > IMPORT_MAX_FILE_BYTES:
            raise WorkbookError([SheetProblem(
                str(path), SHEET_COURSES, "A1",
                f"文件过大（{size // 1024 // 1024} MB）："
                f"导入的工作簿不超过 {IMPORT_MAX_FILE_BYTES // 1024 // 1024} MB",
            )])
        # openpyxl holds the whole workbook in memory: the limits are checked first,
        # streaming, so that it only ever gets a workbook of a catalog's size.
        check_workbook(path, IMPORT_MAX_ROWS, IMPORT_MAX_PART_BYTES, IMPORT_MAX_TOTAL_BYTES)
        book = load_workbook(path, data_only=True)
    except XlsxLimitError as exc:
        raise WorkbookError([SheetProblem(
            str(path), exc.sheet or SHEET_COURSES, exc.cell or "A1", exc.message
        )]) from None
    except OSError as exc:
        raise WorkbookError(
            [SheetProblem(str(path), SHEET_COURSES, "A1", f"无法读取文件：{exc.strerror}")]
        ) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise WorkbookError(
            [SheetProblem(str(path), SHEET_COURSES, "A1", f"不是有效的 .xlsx 工作簿（{exc}）")]
        ) from None
    model, where = importer.read(book)
    if model is None:
        raise WorkbookError(_sorted(importer.problems, book.sheetnames))
    text = year_to_yaml(model)
    try:
        _, found = load_year_text(text, dict(policy), source=f"{year}.yaml", year=year)
    except CatalogError as exc:
        found = exc.problems
    for problem in found:  # placed by their field path, reported with their own text
        sheet, cell = importer.locate(problem.path, where)
        importer.problems.append(
            SheetProblem(importer.file, sheet, cell, problem.text, problem.severity, problem.path)
        )
    problems = _sorted(importer.problems, book.sheetnames)
    if any(p.severity == "error" for p in problems):
        raise WorkbookError(problems)
    return model, text, problems

