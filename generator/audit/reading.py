"""Reading a batch audit's input as a person reads an office's table: a CSV (UTF-8 or
GBK/GB18030) or XLSX file of hours records, its header row found among the first rows of
the first sheet that has one (title rows, a two-row header and cover sheets before it
are passed over), its columns known by name or synonym, within README "Limits".

Rows are streamed (a 1,000,000-row table is never held as a whole): :class:`Table`'s
``rows`` is an iterator, read once. Runs in the browser too (the /audit/ page's wheel),
so standard library only, apart from the bounded XLSX reader and the input checks
(generator.common.inputs).
"""

from __future__ import annotations

import codecs
import csv
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.common.celltext import cell_text
from generator.common.inputs import kind
from generator.common.textcodec import looks_like_gbk

log = logging.getLogger(__name__)

# Input columns: field id -> (Chinese header, English header). Other names offices give
# them (身份证号, 申报年度, 学时数…) are data: policy.yaml's ``audit.headers``.
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
# Read when present, never required: the applicant's 单位, counted in the report's 汇总.
OPTIONAL_COLUMNS: dict[str, tuple[str, str]] = {"unit": ("单位", "unit")}
# Without these the table cannot be read as applicants and records at all.
REQUIRED_COLUMNS = ("id", "kind", "year", "record_year", "module", "hours")
# The header row is looked for in the first rows of each sheet (title rows above it).
HEADER_SCAN_ROWS = 20
# Rows whose 编号 or 姓名 cell says one of these are an office's sums, not applicants.
TOTAL_WORDS = ("合计", "小计", "总计")

MAX_CSV_BYTES = 256 * 1024 * 1024  # README, "Limits" (the file is streamed, not held)
MAX_ROWS = 1_048_576  # Excel's own row limit: the most one sheet or CSV may hold


class AuditError(ValueError):
    """The input file cannot be read as an audit table (the message is for the user)."""


Cell = Any  # str from CSV; str, int, float, date or None from XLSX

# Full-width digits, Latin letters, the point and the ideographic space, as ASCII
# (８．５ is 8.5, ３３０３…Ｘ an ID); full-width brackets and commas stay: they are part of
# the policy's names (初次申报初级职称（技术员、助理工程师）).
_FOLD = {0x3000: " ", 0xFF0E: ".", 0xFF0B: "+", 0xFF0D: "-"}
_FOLD.update({c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)})
_FOLD.update({c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FOLD.update({c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FOLD_TABLE = str.maketrans(_FOLD)


def fold(text: str) -> str:
    """``text`` with full-width digits, letters, points and spaces as ASCII."""
    return text.translate(_FOLD_TABLE)


def _header_key(text: Any) -> str:
    """A header cell as compared with the known names: folded, without spaces, line
    ends or a required-field star, lower case."""
    return "".join(fold(cell_text(text)).split()).strip("*＊").lower()


def header_names(synonyms: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """Every accepted header (as :func:`_header_key` makes it) -> field id."""
    names: dict[str, str] = {}
    for fid, (zh, en) in {**COLUMNS, **OPTIONAL_COLUMNS}.items():
        for name in (zh, en, *((synonyms or {}).get(fid, ()))):
            names.setdefault(_header_key(name), fid)
    return names


@dataclass
class Source:
    """Where the table was found in the file: for the summary and the report's title."""

    file: str
    sheet: str | None = None  # XLSX: the sheet's name
    header_rows: tuple[int, ...] = (1,)
    encoding: str | None = None  # CSV: UTF-8, GBK or GB18030

    def describe(self) -> str:
        rows = "、".join(f"第{n}行" for n in self.header_rows)
        if self.sheet is not None:
            return f"工作表“{self.sheet}”{rows}为表头"
        return f"{self.encoding} 编码，{rows}为表头"


@dataclass
class Table:
    """A read input: the header texts, the column of each known field, the data rows
    (``(1-based row number, cells)``, streamed), and where they came from.
    ``skipped`` fills, as the rows are read, with the 合计/小计/总计 rows passed over."""

    headers: list[str]
    rows: Iterable[tuple[int, list[Cell]]]
    source: Source
    index: dict[str, int] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)

    @property
    def extras(self) -> list[tuple[int, str]]:
        """``(column, header)`` of the columns the rules do not read (单位, 备注, 科室…), in
        their order: carried into the report as written."""
        known = {i for fid, i in self.index.items() if fid != "unit"}
        return [
            (i, h.strip()) for i, h in enumerate(self.headers) if i not in known and h.strip()
        ]


def read_table(
    path: str | Path, synonyms: Mapping[str, Sequence[str]] | None = None
) -> Table:
    """Read a ``.csv`` (UTF-8 with or without BOM, GBK/GB18030) or ``.xlsx`` file; the
    header row is looked for with the column names and ``synonyms`` (field id -> other
    names, from policy.yaml's ``audit.headers``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:  # a FIFO or a device is refused before it is opened (an open would wait or never end)
        what = kind(os.stat(path).st_mode)
    except OSError:
        what = None  # the reader says why it cannot be opened
    if what is not None:
        raise AuditError(f"{path}：是{what}，不是普通文件，未读取")
    names = header_names(synonyms)
    if suffix == ".csv":
        return _read_csv(path, names)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, names)
    raise AuditError(f"{path}：只支持 .csv 或 .xlsx 文件")


# --- CSV ----------------------------------------------------------------------------------


# The codecs a CSV may be in, looked up by their names written out (the browser's trimmed
# standard library keeps the codec modules its sources name).
_CODECS = {
    "utf-8-sig": codecs.lookup("utf-8-sig"),
    "gbk": codecs.lookup("gbk"),
    "gb18030": codecs.lookup("gb18030"),
}
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}


def _encoding(path: Path) -> str:
    """UTF-8 (``utf-8-sig``: with or without BOM), GBK or GB18030, read a chunk at a time."""
    decoder = _CODECS["utf-8-sig"].incrementaldecoder()
    offset = 0
    head = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            if not head:
                head = chunk[:4096]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                start = offset + exc.start
                break
            offset += len(chunk)
        else:
            try:
                decoder.decode(b"", True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                start = offset
    with path.open("rb") as f:
        before = f.read(start + 2)
    # Chinese in UTF-8 before the failure, then a GBK line: a paste from another file.
    mixed = any(b >= 0x80 for b in before[:start].removeprefix(b"\xef\xbb\xbf"))
    if not mixed:
        for name in ("gbk", "gb18030"):
            try:
                _decode_all(path, name)
            except UnicodeDecodeError:
                continue
            return name
    if not looks_like_gbk(before, start):
        raise AuditError(f"{path}：不是 UTF-8 或 GBK 编码的文本，请另存为 UTF-8 编码的 CSV")
    raise AuditError(
        f"{path}：不是 UTF-8 编码（看起来混有 GBK 编码的行）："
        "请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接使用 .xlsx 文件"
    )


def _decode_all(path: Path, encoding: str) -> None:
    decoder = _CODECS[encoding].incrementaldecoder()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            decoder.decode(chunk)
    decoder.decode(b"", True)



def _read_csv(path: Path, names: dict[str, str]) -> Table:
    from generator.common.xlsx_rows import MAX_CELL_CHARS, MAX_COLUMNS

    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise AuditError(
                f"{path}：文件过大（超过 {MAX_CSV_BYTES // 1024 // 1024} MB）：请拆分成几个文件"
            )
        encoding = _encoding(path)
        f = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise AuditError(f"无法读取 {path}：{exc.strerror}") from None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        reader = csv.reader(f)
        try:
            with f:
                for row in reader:
                    if reader.line_num > MAX_ROWS:
                        raise AuditError(
                            f"{path}:{reader.line_num}：行数超出上限：最多 {MAX_ROWS} 行；请拆分成几个文件"
                        )
                    if len(row) > MAX_COLUMNS:
                        raise AuditError(
                            f"{path}:{reader.line_num}：列数超出上限：最多 {MAX_COLUMNS} 列"
                        )
                    for i, cell in enumerate(row):
                        if len(cell) > MAX_CELL_CHARS:
                            raise AuditError(
                                f"{path}:{reader.line_num}：第{i + 1}列的文字过长："
                                f"超过 {MAX_CELL_CHARS} 个字符"
                            )
                    yield reader.line_num, row
        except csv.Error as exc:
            raise AuditError(f"{path}:{reader.line_num}：CSV 格式错误：{exc}") from None

    stream = rows()
    found = _find_header([(None, stream)], names)
    if found is None:
        raise AuditError(f"{path}：文件是空的，第1行应为表头")
    if isinstance(found, str):
        raise AuditError(f"{path}：{found}")
    _sheet, header_rows, headers, index, rest = found
    source = Source(path.name, None, header_rows, ENCODING_NAMES[encoding])
    return _table(headers, index, rest, source)


# --- XLSX ---------------------------------------------------------------------------------


def _read_xlsx(path: Path, names: dict[str, str]) -> Table:
    from generator.common.xlsx_rows import Workbook, XlsxError

    try:
        # The parts' sizes within xlsx_rows' limits (256 MB a part: about 650,000 rows
        # as Excel writes them); the rows within Excel's own.
        book = Workbook(path, MAX_ROWS)
    except OSError as exc:
        raise AuditError(f"无法读取 {path}：{exc.strerror}") from None
    except XlsxError as exc:
        raise AuditError(f"{path}：{exc}") from None

    def guarded(rows: Iterator[tuple[int, list[Cell]]]) -> Iterator[tuple[int, list[Cell]]]:
        try:
            yield from rows
        except XlsxError as exc:
            raise AuditError(f"{path}：{exc}") from None

    sheets = [(name, guarded(book.rows(i))) for i, name in enumerate(book.names)]
    try:
        found = _find_header(sheets, names)
    except BaseException:
        book.close()
        raise
    if found is None:
        book.close()
        raise AuditError(f"{path}：工作表是空的，第1行应为表头")
    if isinstance(found, str):
        book.close()
        raise AuditError(f"{path}：{found}")
    sheet, header_rows, headers, index, rest = found
    return _table(headers, index, rest, Source(path.name, sheet, header_rows), book.close)


# --- the header row -------------------------------------------------------------------------


def _columns(headers: Sequence[Any], names: dict[str, str]) -> tuple[dict[str, int], str | None]:
    """Field id -> column of ``headers``; the second item names a field found twice."""
    index: dict[str, int] = {}
    for i, raw in enumerate(headers):
        fid = names.get(_header_key(raw))
        if fid is None:
            continue  # extra columns (单位, 备注…) are carried into the report
        if fid in index:
            first = headers[index[fid]]
            return index, (
                f"表头“{cell_text(first)}”和“{cell_text(raw)}”都是{COLUMNS.get(fid, OPTIONAL_COLUMNS.get(fid, ('',)))[0]}列"
                f"（第{index[fid] + 1}列和第{i + 1}列），请删除或改名其一"
                if _header_key(first) != _header_key(raw)
                else f"表头“{cell_text(raw)}”重复出现（第{index[fid] + 1}列和第{i + 1}列）"
            )
        index[fid] = i
    return index, None


def _missing(index: Mapping[str, int]) -> list[str]:
    return [COLUMNS[f][0] for f in REQUIRED_COLUMNS if f not in index]


def _expected() -> str:
    return (
        "表头应包括 "
        + "、".join(zh for zh, _ in COLUMNS.values())
        + "（或英文 "
        + ", ".join(en for _, en in COLUMNS.values())
        + "）"
    )


def _texts(cells: Sequence[Any]) -> list[str]:
    return [fold(cell_text(v)) for v in cells]


def _find_header(
    sheets: Iterable[tuple[str | None, Iterator[tuple[int, list[Cell]]]]], names: dict[str, str]
) -> tuple[str | None, tuple[int, ...], list[str], dict[str, int], Iterator[tuple[int, list[Cell]]]] | str | None:
    """The first sheet's header among its first :data:`HEADER_SCAN_ROWS` rows: one row, or
    two (a group title above, the column names below, unmerged) read together.

    Returns ``(sheet, header rows, headers, column index, the rows after it)``, a message
    when no sheet has one, or None when there are no rows at all."""
    best: tuple[int, str | None, int, list[str]] | None = None  # (found, sheet, row, missing)
    searched: list[str] = []
    any_rows = False
    for sheet, rows in sheets:
        head: list[tuple[int, list[Cell]]] = []
        for item in rows:
            if any(cell_text(v) for v in item[1]):
                head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        if sheet is not None:
            searched.append(f"“{sheet}”")
        any_rows = any_rows or bool(head)
        for k, (number, cells) in enumerate(head):
            texts = _texts(cells)
            index, duplicate = _columns(texts, names)
            if duplicate and not _missing(index):
                where = f"工作表“{sheet}”第{number}行：" if sheet is not None else f"第{number}行："
                return where + duplicate
            candidates: list[tuple[tuple[int, ...], list[str], dict[str, int]]] = [
                ((number,), texts, index)
            ]
            below = _texts(head[k + 1][1]) if k + 1 < len(head) else []
            # Two rows read together only when the lower one alone is not a header (a
            # title row above a header is not part of it).
            if (
                below
                and head[k + 1][0] == number + 1
                and _missing(_columns(below, names)[0])
            ):
                width = max(len(texts), len(below))
                both = [
                    (below[i] if i < len(below) and below[i] else "")
                    or (texts[i] if i < len(texts) else "")
                    for i in range(width)
                ]
                both_index, both_dup = _columns(both, names)
                if not both_dup:
                    candidates.append(((number, number + 1), both, both_index))
            for header_rows, headers, found in candidates:
                if not _missing(found):
                    skip = header_rows[-1]
                    after = [item for item in head if item[0] > skip]
                    return sheet, header_rows, headers, found, _chain(after, rows)
                known = len([f for f in REQUIRED_COLUMNS if f in found])
                if known and (best is None or known > best[0]):
                    best = (known, sheet, number, _missing(found))
        _close(rows)
    if not any_rows:
        return None
    if best is not None:
        _, sheet, number, missing = best
        where = f"工作表“{sheet}”第{number}行" if sheet is not None else f"第{number}行"
        return f"{where}的表头缺少列：{'、'.join(missing)}。{_expected()}"
    where = f"工作表{'、'.join(searched)}" if searched else "文件"
    return f"{where}的前{HEADER_SCAN_ROWS}行中没有找到表头。{_expected()}"


def _chain(
    first: list[tuple[int, list[Cell]]], rest: Iterator[tuple[int, list[Cell]]]
) -> Iterator[tuple[int, list[Cell]]]:
    yield from first
    yield from rest


def _close(rows: Iterator[Any]) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def _table(
    headers: list[str],
    index: dict[str, int],
    rows: Iterator[tuple[int, list[Cell]]],
    source: Source,
    close: Any = None,
) -> Table:
    table = Table(headers, iter(()), source, index)
    id_at, name_at = index["id"], index.get("name")
    totals = set(TOTAL_WORDS)
    table_ = _FOLD_TABLE

    intern = sys.intern
    numbers: dict[Any, Any] = {}
    # Each distinct text folded and interned once (the XLSX reader gives a repeated text as
    # one object, whose hash is then kept: a look-up, not a fold, for each of its cells).
    texts: dict[str, str] = {}

    def data() -> Iterator[tuple[int, list[Cell]]]:
        # Runs for every input row: one pass over the cells, no helper calls. Equal texts
        # and numbers become one object (a year, a module's name, an applicant's name
        # repeated on each record row): a million records then hold little memory.
        try:
            for number, cells in rows:
                blank = True
                for i, v in enumerate(cells):
                    if type(v) is str:
                        folded = texts.get(v)
                        if folded is None:
                            folded = intern(v if v.isascii() else v.translate(table_))
                            if len(v) < 100 and len(texts) < 100_000:
                                texts[v] = folded
                        v = cells[i] = folded
                        if blank and v.strip():
                            blank = False
                    elif v is not None:
                        blank = False
                        if type(v) is int or type(v) is float:
                            cells[i] = numbers.setdefault(v, v) if len(numbers) < 100_000 else v
                if blank:
                    continue
                total = False
                for at in (id_at, name_at):
                    if at is not None and at < len(cells):
                        v = cells[at]
                        if type(v) is str and "".join(v.split()) in totals:
                            total = True
                if total:
                    table.skipped.append(number)
                    continue
                yield number, cells
        finally:
            if close is not None:
                close()

    table.rows = data()
    return table


def column_index(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
    """Field id -> column of a header row; :class:`AuditError` when one is missing."""
    index, duplicate = _columns(list(headers), header_names(synonyms))
    if duplicate:
        raise AuditError(duplicate)
    missing = _missing(index)
    if missing:
        raise AuditError(f"缺少列：{'、'.join(missing)}。{_expected()}")
    return index
