"""Reading a batch audit's input: a CSV or XLSX table of hours records, its columns
found by header (Chinese or English), within the limits of README "Limits".

Runs in the browser too (the /audit/ page's wheel), so standard library only, apart
from the bounded XLSX reader and the input checks (inputs.py) of this package.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.common.celltext import cell_text
from generator.common.inputs import kind
from generator.common.textcodec import looks_like_gbk

log = logging.getLogger(__name__)

# Input columns: field id -> (Chinese header, English header).
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "name": ("姓名", "name"),
    "kind": ("类型", "kind"),
    "target": ("拟申报", "target"),
    "title": ("现职称", "title"),
    "year": ("年度", "year"),
    "cycle_start": ("周期起始", "cycle_start"),
    "record_year": ("学时年度", "record_year"),
    "module": ("类别", "module"),
    "hours": ("学时", "hours"),
}
# Without these the table cannot be read as applicants and records at all.
REQUIRED_COLUMNS = ("id", "kind", "year", "record_year", "module", "hours")

MAX_CSV_BYTES = 64 * 1024 * 1024  # README, "Limits"; the .xlsx limits are in xlsx_rows


class AuditError(ValueError):
    """The input file cannot be read as an audit table (the message is for the user)."""


Cell = Any  # str from CSV; str, int, float, datetime or None from XLSX


@dataclass
class Table:
    """A read input: header texts and the data rows with their 1-based row numbers."""

    headers: list[str]
    rows: list[tuple[int, list[Cell]]]


def read_table(path: str | Path) -> Table:
    """Read a ``.csv`` (UTF-8, with or without BOM) or ``.xlsx`` (first sheet) file."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:  # a FIFO or a device is refused before it is opened (an open would wait or never end)
        what = kind(os.stat(path).st_mode)
    except OSError:
        what = None  # the reader says why it cannot be opened
    if what is not None:
        raise AuditError(f"{path}：是{what}，不是普通文件，未读取")
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise AuditError(f"{path}：只支持 .csv 或 .xlsx 文件")


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
    if not looks_like_gbk(data, start):
        raise AuditError(f"{path}：不是 UTF-8 编码的文本，请另存为 UTF-8 编码的 CSV")
    raise AuditError(
        f"{path}：不是 UTF-8 编码（看起来是 GBK 编码）："
        "请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接使用 .xlsx 文件"
    )


def _read_csv(path: Path) -> Table:
    from generator.common.xlsx_rows import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS

    try:
        with path.open("rb") as f:
            data = f.read(MAX_CSV_BYTES + 1)  # never more than the limit in memory
    except OSError as exc:
        raise AuditError(f"无法读取 {path}：{exc.strerror}") from None
    if len(data) > MAX_CSV_BYTES:
        raise AuditError(
            f"{path}：文件过大（超过 {MAX_CSV_BYTES // 1024 // 1024} MB）：请拆分成几个文件"
        )
    reader = csv.reader(io.StringIO(_decode(data, path), newline=""))
    headers: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS:
                raise AuditError(f"{path}:{reader.line_num}：行数超出上限：最多 {MAX_ROWS} 行；请拆分成几个文件")
            if len(row) > MAX_COLUMNS:
                raise AuditError(f"{path}:{reader.line_num}：列数超出上限：最多 {MAX_COLUMNS} 列")
            for i, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    raise AuditError(
                        f"{path}:{reader.line_num}：第{i + 1}列的文字过长："
                        f"超过 {MAX_CELL_CHARS} 个字符"
                    )
            if headers is None:
                headers = row
                continue
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise AuditError(f"{path}:{reader.line_num}：CSV 格式错误：{exc}") from None
    if headers is None:
        raise AuditError(f"{path}：文件是空的，第1行应为表头")
    return Table(headers, rows)


def _read_xlsx(path: Path) -> Table:
    from generator.common.xlsx_rows import XlsxError, read_first_sheet

    try:
        sheet = read_first_sheet(path)
    except OSError as exc:
        raise AuditError(f"无法读取 {path}：{exc.strerror}") from None
    except XlsxError as exc:
        raise AuditError(f"{path}：{exc}") from None
    if not sheet:
        raise AuditError(f"{path}：工作表是空的，第1行应为表头")
    headers = ["" if v is None else str(v) for v in sheet[0][1]]
    rows = [(n, values) for n, values in sheet[1:] if any(cell_text(v) for v in values)]
    return Table(headers, rows)


def column_index(headers: Sequence[str]) -> dict[str, int]:
    by_header: dict[str, str] = {}
    for fid, (zh, en) in COLUMNS.items():
        by_header[zh] = fid
        by_header[en.lower()] = fid
    index: dict[str, int] = {}
    for i, raw in enumerate(headers):
        fid_or_none = by_header.get(str(raw).strip().lower())
        if fid_or_none is None:
            continue  # extra columns (单位, 备注…) are the reviewer's own business
        if fid_or_none in index:
            raise AuditError(f"表头“{raw}”重复出现（第{index[fid_or_none] + 1}列和第{i + 1}列）")
        index[fid_or_none] = i
    missing = [COLUMNS[f][0] for f in REQUIRED_COLUMNS if f not in index]
    if missing:
        raise AuditError(
            f"缺少列：{'、'.join(missing)}。表头应包括 "
            + "、".join(zh for zh, _ in COLUMNS.values())
            + "（或英文 "
            + ", ".join(en for _, en in COLUMNS.values())
            + "）"
        )
    return index


