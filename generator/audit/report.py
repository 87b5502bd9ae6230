"""The batch audit's report: what a reviewer prints, checks and signs.

- CSV (UTF-8 with BOM): the 核查结果 rows, one per applicant, header first; the same bytes
  from the CLI and the browser.
- XLSX: sheets 核查结果 (the same rows under a title line naming the date, the input file
  and the rules), 学时明细 (every record: counted, or why not, in plain words) and 汇总
  (counts by 结论, 单位 and 拟申报/周期); each A4 landscape, fitted to the page width, the
  header repeated on every page, frozen, filtered; IDs always text. Written in openpyxl's
  write-only mode, so a report of 1,000,000 records streams to the file.

Text is always text (never a formula). Runs in the browser too (the /audit/ page's
wheel): standard library only, apart from openpyxl for an XLSX report.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.common.celltext import cell_text, csv_field, set_text

from .reading import AuditError

log = logging.getLogger(__name__)

# The 核查结果 columns; the input's extra columns (单位, 备注…) go between 姓名 and 拟申报/周期.
RESULT_HEAD = ("编号", "姓名")
RESULT_TAIL = (
    "拟申报/周期",
    "年度",
    "结论",
    "应修总学时",
    "已计总学时",
    "总学时差额",
    "应修公需学时",
    "已计公需学时",
    "公需学时差额",
    "计算窗口",
    "依据",
    "推定",
    "提示",
    "错误",
)
REPORT_COLUMNS = RESULT_HEAD + RESULT_TAIL
DETAIL_COLUMNS = ("编号", "姓名", "行号", "学时年度", "类别", "学时", "计入", "说明")
VERDICTS = ("达标", "未达标", "出错")
RESULT_SHEET, DETAIL_SHEET, SUMMARY_SHEET = "核查结果", "学时明细", "汇总"


@dataclass
class AuditResult:
    """One applicant's outcome: the rules' response, or the reason it could not be evaluated,
    with what the report shows beside it."""

    id: str
    name: str
    response: dict[str, Any] | None = None
    error: str | None = None
    request: dict[str, Any] | None = field(default=None, repr=False)
    row: int = 0  # the applicant's first input row
    unit: str = ""
    extras: list[str] = field(default_factory=list, repr=False)  # the extra columns' values
    program: str = ""  # 拟申报/周期 as the report says it
    year: Any = ""
    # The applicant's record rows: (input row, year, module, hours), as read.
    records: list[tuple[int, Any, Any, Any]] = field(default_factory=list, repr=False)
    # Exact repeats of a record row: (row, the row it repeats); counted once.
    duplicates: list[tuple[int, int]] = field(default_factory=list, repr=False)
    future: frozenset[int] = field(default=frozenset(), repr=False)  # records after today
    notes: list[str] = field(default_factory=list)  # the audit's own 提示 (namesakes, repeats)

    @property
    def verdict(self) -> str:
        if self.response is None:
            return "出错"
        return "达标" if self.response["met"] else "未达标"

    def window(self) -> str:
        r = self.response
        if r is None:
            return ""
        return f"{r['window']['from']}—{window_end(self)}年"

    def report_row(self) -> list[Any]:
        """The 核查结果 row (numbers stay numbers), extra columns after 姓名."""
        r = self.response
        head = [self.id, self.name, *self.extras, self.program, self.year, self.verdict]
        notes = "；".join(self.notes)
        if r is None:
            return [*head, "", "", "", "", "", "", "", "", "", notes, self.error or ""]
        readings = r.get("readings") or ()
        return [
            *head,
            r["required"]["total"],
            r["counted"]["total"],
            r["shortfall"]["total"],
            r["required"]["public"],
            r["counted"]["public"],
            r["shortfall"]["public"],
            self.window(),
            r["basis"],
            "；".join([*(a["text"] for a in r["assumptions"]), *(_text(x) for x in readings)]),
            "；".join([*(w["text"] for w in r["warnings"]), *self.notes]),
            "",
        ]


def _text(item: Any) -> str:
    return str(item.get("text", "")) if isinstance(item, Mapping) else str(item)


def window_end(result: AuditResult) -> int:
    """The last year that counts: the window's end, or the application / as-of year."""
    r = result.response
    assert r is not None
    end = int(r["window"]["to"])
    return min(end, result.year) if isinstance(result.year, int) else end


def _number_text(value: Any) -> str:
    return cell_text(value)


def record_lines(result: AuditResult) -> Iterator[list[Any]]:
    """The 学时明细 rows of one applicant, in input order: 计入 or 不计入 and why."""
    r = result.response
    ignored = set(r["ignored"]) if r is not None else set()
    why = {w["record"]: w["text"] for w in r["warnings"] if "record" in w} if r else {}
    lines: list[tuple[int, list[Any]]] = []
    for i, (row, year, module, hours) in enumerate(result.records):
        if r is None:
            counted, reason = "未核算", "该申报人有错误（见核查结果的错误列），学时未核算"
        elif i in ignored:
            counted = "不计入"
            reason = why.get(i) or (
                f"{_number_text(year)}年{_number_text(hours)}学时不在"
                f"{r['window']['from']}—{window_end(result)}年计算窗口内"
            )
        else:
            counted, reason = "计入", ""
        if i in result.future:
            later = f"未到期：{_number_text(year)}年晚于今年"
            reason = f"{later}；{reason}" if reason else later
        lines.append((row, [result.id, result.name, row, year, module, hours, counted, reason]))
    for row, first in result.duplicates:
        lines.append((row, [result.id, result.name, row, "", "", "", "不计入",
                            f"与第{first}行完全相同，只计一次"]))
    lines.sort(key=lambda item: item[0])
    for _, line in lines:
        yield line


@dataclass
class ReportInfo:
    """What the report says about its making: the title line and the 汇总 sheet's notes."""

    file: str = ""
    source: str = ""  # Source.describe(): the sheet and header row, or the encoding
    today: dt.date = field(default_factory=dt.date.today)
    notice: str = ""  # 通知文号
    version: str = ""  # the rules' digest (policy_version)
    extras: list[str] = field(default_factory=list)  # the extra columns' headers
    skipped: list[int] = field(default_factory=list)  # 合计/小计/总计 rows
    # Several input files: each file's skipped rows.
    skipped_by_file: dict[str, list[int]] = field(default_factory=dict)

    def title(self) -> str:
        parts = [f"继续教育学时核查结果　{self.today.isoformat()} 生成"]
        if self.file:
            parts.append(f"输入文件：{self.file}" + (f"（{self.source}）" if self.source else ""))
        if self.notice:
            parts.append(f"规则：{self.notice}（规则版本 {self.version}）")
        return "　".join(parts)


def policy_version(policy: Mapping[str, Any]) -> str:
    """A short digest of the rules as data: two reports with the same version were made
    under the same policy.yaml, in the CLI or the browser."""
    text = json.dumps(policy, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# Control characters: shown as their symbols, refused in the cells they came from.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as their symbols (U+0001 as ␁), which every
    spreadsheet can hold (XLSX cannot hold most control characters at all)."""
    return CONTROL_CHARS.sub(lambda m: chr(0x2421 if m[0] == "\x7f" else 0x2400 + ord(m[0])), text)


def _csv_value(value: Any) -> Any:
    """A report value for CSV: text that could run as a formula gets a leading ``'``."""
    if isinstance(value, str):
        return csv_field(visible(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return cell_text(value)
    return repr(value) if isinstance(value, float) else value


def result_columns(extras: Sequence[str] = ()) -> list[str]:
    return [*RESULT_HEAD, *extras, *RESULT_TAIL]


def report_rows(results: Iterable[AuditResult], info: ReportInfo | None = None) -> Iterator[list[Any]]:
    """The 核查结果 rows, header first (the CSV report)."""
    yield result_columns(info.extras if info else ())
    for r in results:
        yield r.report_row()


def write_report_csv(
    results: Iterable[AuditResult], out: io.TextIOBase | Any, info: ReportInfo | None = None
) -> None:
    """Write the report as CSV text to an open text stream (no BOM: the caller decides)."""
    writer = csv.writer(out, lineterminator="\r\n")
    for row in report_rows(results, info):
        writer.writerow([_csv_value(v) for v in row])


def write_report(
    results: Sequence[AuditResult], path: str | Path, info: ReportInfo | None = None
) -> None:
    """Write the report to ``path``: ``.csv`` (UTF-8 with BOM, so Excel reads the
    Chinese right) or ``.xlsx``. Written beside and renamed, so a failed run never
    leaves half a report."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AuditError(f"{path}：报告只能是 .csv 或 .xlsx 文件")
    from generator.common.safefiles import atomic_write

    info = info or ReportInfo()

    def save(tmp: str) -> None:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                write_report_csv(results, f, info)
        else:
            _write_xlsx(results, Path(tmp), info)

    atomic_write(path, save)


# --- XLSX -------------------------------------------------------------------------------------

# Column widths (Excel's units, about one digit; a Chinese character takes two) of the
# result sheet's fixed columns; an extra column gets 12. Chosen so that the sheet, fitted
# to an A4 landscape page's width, prints at about three quarters of its size.
_RESULT_WIDTHS = {
    "编号": 19, "姓名": 7, "拟申报/周期": 13, "年度": 5, "结论": 6,
    "应修总学时": 5, "已计总学时": 5, "总学时差额": 5,
    "应修公需学时": 5, "已计公需学时": 5, "公需学时差额": 5,
    "计算窗口": 10, "依据": 34, "推定": 18, "提示": 16, "错误": 22,
}
_DETAIL_WIDTHS = (19, 7, 5, 7, 11, 6, 6, 48)
_WRAPPED = {"拟申报/周期", "依据", "推定", "提示", "错误", "说明"}
_LINE_POINTS = 12  # one line of 9-point text


def _units(text: str) -> float:
    """The printed width of ``text`` in column units, at the report's 9-point size
    (measured on LibreOffice's PDF: a Chinese character about 1.4 units, a digit 0.8; a little room kept)."""
    return sum(1.5 if ord(ch) > 0x2E7F else 0.8 for ch in text)


def _lines(values: Sequence[Any], widths: Sequence[float], wrapped: Sequence[bool]) -> int:
    """How many lines the tallest wrapped cell of a row takes (LibreOffice does not size
    rows itself when it opens the file)."""
    most = 1
    for value, width, wraps in zip(values, widths, wrapped, strict=True):
        if wraps and isinstance(value, str) and value:
            room = max(1.0, width - 1.0)
            lines = sum(max(1, math.ceil(_units(part) / room)) for part in value.split("\n"))
            most = max(most, lines)
    return most


def _setup(sheet: Any, widths: Sequence[float], columns: int, rows: int) -> None:
    """A4 landscape, one page wide, the title and header rows on every page, frozen below
    the header and beside 编号/姓名, a filter over the table."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_title_rows = "1:2"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(columns)}{max(rows + 2, 3)}"


def _write_xlsx(results: Sequence[AuditResult], path: Path, info: ReportInfo) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = openpyxl.Workbook(write_only=True)
    small = Font(size=9)
    bold = Font(size=9, bold=True)
    title_font = Font(size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    head_fill = PatternFill("solid", fgColor="D9E2F3")
    thin = Side(style="thin", color="808080")
    head_border = Border(bottom=thin)

    def text_cell(sheet: Any, value: Any, wrapped: bool, font: Font = small) -> Any:
        c = WriteOnlyCell(sheet)
        if isinstance(value, str):
            set_text(c, visible(value))
            c.number_format = "@"  # an 18-digit ID stays text, never 3.30303E+17
        else:
            c.value = value
        c.font = font
        c.alignment = wrap if wrapped else top
        return c

    written: dict[str, int] = {}  # rows written to each sheet (write-only keeps no count)

    def append(sheet: Any, values: Sequence[Any], widths: Sequence[float],
               wrapped: Sequence[bool], font: Font = small) -> None:
        lines = _lines(values, widths, wrapped)
        written[sheet.title] += 1
        row = written[sheet.title]
        if lines > 1:
            sheet.row_dimensions[row].height = lines * _LINE_POINTS + 2
        sheet.append([text_cell(sheet, v, w, font) for v, w in zip(values, wrapped, strict=True)])
        if lines > 1:
            del sheet.row_dimensions[row]  # written: a million rows keep no dimensions

    def header(sheet: Any, names: Sequence[str], widths: Sequence[float]) -> None:
        written[sheet.title] = 2
        sheet.append([text_cell(sheet, info.title(), False, title_font)])
        lines = _lines(names, widths, [True] * len(names))
        if lines > 1:
            sheet.row_dimensions[2].height = lines * _LINE_POINTS + 2
        cells = []
        for name in names:
            c = text_cell(sheet, name, True, bold)
            c.fill = head_fill
            c.border = head_border
            cells.append(c)
        sheet.append(cells)

    columns = result_columns(info.extras)
    widths = [_RESULT_WIDTHS.get(c, 12) for c in columns]
    sheet = book.create_sheet(RESULT_SHEET)
    _setup(sheet, widths, len(columns), len(results))
    header(sheet, columns, widths)
    wrapped = [c in _WRAPPED or c in info.extras for c in columns]
    for r in results:
        append(sheet, r.report_row(), widths, wrapped)

    details = book.create_sheet(DETAIL_SHEET)
    count = sum(len(r.records) + len(r.duplicates) for r in results)
    _setup(details, _DETAIL_WIDTHS, len(DETAIL_COLUMNS), count)
    header(details, DETAIL_COLUMNS, _DETAIL_WIDTHS)
    wrapped = [c in _WRAPPED for c in DETAIL_COLUMNS]
    for r in results:
        for line in record_lines(r):
            append(details, line, _DETAIL_WIDTHS, wrapped)

    totals = book.create_sheet(SUMMARY_SHEET)
    lines = summary_lines(results, info)
    total_widths = (40, 10, 10, 10, 10)
    _setup(totals, total_widths, 5, len(lines))
    totals.freeze_panes = None
    totals.auto_filter.ref = None
    header(totals, ("分组", "达标", "未达标", "出错", "合计"), total_widths)
    for line in lines:
        append(totals, line, total_widths[: len(line)], [True] + [False] * (len(line) - 1),
               bold if len(line) == 1 else small)
    book.save(path)


def _counts(results: Iterable[AuditResult], key: Any) -> list[list[Any]]:
    groups: dict[str, dict[str, int]] = {}
    for r in results:
        groups.setdefault(key(r) or "（未填）", dict.fromkeys(VERDICTS, 0))[r.verdict] += 1
    return [[name, *c.values(), sum(c.values())] for name, c in groups.items()]


def summary_lines(results: Sequence[AuditResult], info: ReportInfo) -> list[list[Any]]:
    """The 汇总 sheet: counts by 结论, by 单位 (when the table has one), by 拟申报/周期,
    and what the audit passed over."""
    lines: list[list[Any]] = [["按结论"], *_counts(results, lambda r: "全部")]
    if any(r.unit for r in results):
        lines += [["按单位"], *_counts(results, lambda r: r.unit)]
    lines += [["按拟申报/周期"], *_counts(results, lambda r: r.program)]
    repeats = sum(len(r.duplicates) for r in results)
    future = sum(len(r.future) for r in results)
    notes = []
    if info.skipped:
        notes.append(f"跳过合计/小计/总计行：{_rows_text(info.skipped)}")
    for name, rows in info.skipped_by_file.items():
        if rows:
            notes.append(f"{name}：跳过合计/小计/总计行：{_rows_text(rows)}")
    if repeats:
        notes.append(f"完全相同的重复学时记录 {repeats} 行，各只计一次（见学时明细）")
    if future:
        notes.append(f"未到期（晚于今年）的学时记录 {future} 条（见学时明细）")
    if notes:
        lines += [["说明"], *([n] for n in notes)]
    return lines


def _rows_text(rows: Sequence[int]) -> str:
    shown = "、".join(f"第{n}行" for n in rows[:10])
    return shown + (f"等 {len(rows)} 行" if len(rows) > 10 else "")


def summary(results: Sequence[AuditResult], info: ReportInfo | None = None) -> str:
    """One Chinese line for the terminal: how many met, did not, could not be evaluated;
    which sheet and header row (or encoding) were read, and what was passed over."""
    met = sum(1 for r in results if r.response is not None and r.response["met"])
    failed = sum(1 for r in results if r.error is not None)
    line = (
        f"共核算 {len(results)} 人：达标 {met} 人，未达标 {len(results) - met - failed} 人，"
        f"出错 {failed} 人"
    )
    if info is None:
        return line
    extra = [info.source] if info.source else []
    if info.skipped:
        extra.append(f"跳过合计/小计/总计行 {_rows_text(info.skipped)}")
    for name, rows in info.skipped_by_file.items():
        if rows:
            extra.append(f"{name}跳过合计/小计/总计行 {_rows_text(rows)}")
    repeats = sum(len(r.duplicates) for r in results)
    if repeats:
        extra.append(f"重复学时记录 {repeats} 行只计一次")
    return line + (f"（{'；'.join(extra)}）" if extra else "")
