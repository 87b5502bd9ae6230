"""Fast reading of the cell values of an ``.xlsx`` sheet, for large tables.

openpyxl builds a cell object per value and takes about 11 s for the 1,000,000 cells
of the audit benchmark (10,000 applicants x 10 records x 10 columns); reading the
sheet XML with expat directly takes about a third of that, which is what keeps
``ceportal audit`` on a large workbook within its time goal.

Expat still calls Python five to seven times a cell (each element's start and end, its
text). The rows of a sheet are therefore read by one regular expression over the sheet
data (:func:`_scan_rows`): the matching runs in C, Python takes one step a cell, and the
million cells read in about half expat's time (in the browser's Pyodide, whose Python
runs its bytecode slower than CPython and its C closer to native, 3.6 s instead of
8.4 s). The scanner reads only the shapes office programs write, which it can tell
are well-formed XML that expat would read to the same values; the parts before and
after the sheet data are still read by expat (DOCTYPE refused), and anything else in
the sheet data (a comment, CDATA, rich text, phonetic runs, other attributes) makes
expat read the whole part from its start, as before. Only values are read:
text (shared, inline or formula results), numbers and booleans. Number formats are
not applied by :func:`read_first_sheet`, so a date-formatted cell comes back as its
serial number; :class:`Workbook` (the batch audit's reader) streams any sheet, gives a
date cell its date (from the styles' number formats) and fills merged ranges; callers
that need validations (the catalog import) use openpyxl.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
import xml.parsers.expat
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SEP = " "  # expat's namespace separator: tags arrive as "URI name"


# Limits of every .xlsx reader (README, "Limits"), checked from the zip directory and
# while the sheet XML streams, before memory grows: a 1.6 KB file with one cell at column
# ZZZZZZ, or a 1.4 MB zip holding a 490 MB sheet, is refused in a moment.
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one part (a sheet, the shared strings), decompressed
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # every part together, decompressed
MAX_ROWS = 200_000  # the audit benchmark's 10,000 applicants x 10 records is 100,001 rows
MAX_COLUMNS = 256
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# Cells of one sheet, counting the empty ones a row's list holds before its last cell
# (200,000 rows with one cell in column IV are 51 million): the audit benchmark's
# 1,000,010 cells fit twice.
MAX_CELLS = 2_000_000
# The same count for a sheet the audit streams (each row dropped once read, so memory stays
# a row's width whatever the count): enough for 240,000 records of 12 columns and more,
# while 200,000 sparse rows in column IV (51 million) are still refused.
STREAM_MAX_CELLS = 4_000_000
# The shared-strings table (each distinct text once): the audit benchmark's 1,000,010
# cells hold some 20,000; its text within what a sheet could show. A 388 KB zip of
# 250 MB of empty <si/> is refused after the first million, in seconds.
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARS = 64 * 1024 * 1024


class XlsxError(ValueError):
    """The file is not a workbook this reader understands."""


class XlsxUnreadable(XlsxError):
    """A workbook this reader refuses to open at all: encrypted, an unsupported
    compression, XML with a document type declaration (entities: XXE, billion laughs)."""


ENCRYPTED = ("工作簿设有打开密码或已加密，无法读取：请在 Excel 中取消密码保护"
             "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx")
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: encrypted OOXML, or .xls


class XlsxLimitError(XlsxError):
    """A limit exceeded at a place: ``SHEET!CELL：MESSAGE`` (or the zip part)."""

    def __init__(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.sheet, self.cell, self.message = sheet, cell, message
        super().__init__(f"{sheet}!{cell}：{message}" if sheet else message)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_sizes(
    z: zipfile.ZipFile, max_member: int = MAX_MEMBER_BYTES, max_total: int = MAX_TOTAL_BYTES
) -> None:
    """Refuse a workbook whose parts decompress to more than the limits (from the zip
    directory; zipfile never returns more bytes than a part declares)."""
    total = 0
    for info in z.infolist():
        total += info.file_size
        if info.file_size > max_member:
            raise XlsxLimitError(
                f"工作簿解压后过大：其中 {info.filename} 有 {_mb(info.file_size)}，"
                f"上限 {_mb(max_member)}；请检查文件，或拆分成几个工作簿"
            )
    if total > max_total:
        raise XlsxLimitError(
            f"工作簿解压后过大：共 {_mb(total)}，上限 {_mb(max_total)}；"
            "请检查文件，或拆分成几个工作簿"
        )


def _no_doctype(*_args: object) -> None:
    raise XlsxUnreadable("工作簿的 XML 含有文档类型声明（DOCTYPE，可用于读取本机文件或"
                         "无限膨胀的实体），Excel 不会写出这样的文件：拒绝读取")


def _parser() -> xml.parsers.expat.XMLParserType:
    p = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    p.buffer_text = True
    # Office Open XML never declares a DTD: refusing one refuses every entity attack.
    p.StartDoctypeDeclHandler = _no_doctype
    p.EntityDeclHandler = _no_doctype
    return p


def sheet_paths(z: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """``(sheet name, zip member)`` of every sheet in workbook order, and the shared
    strings' member if any."""
    sheet_rid: list[tuple[str, str]] = []

    def on_workbook(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN}{_SEP}sheet":
            sheet_rid.append((attrs.get("name", ""), attrs[f"{_DOC_REL}{_SEP}id"]))

    p = _parser()
    p.StartElementHandler = on_workbook
    p.Parse(z.read("xl/workbook.xml"), True)
    if not sheet_rid:
        raise XlsxError("工作簿中没有工作表")
    targets: dict[str, str] = {}
    shared: list[str] = []

    def on_rels(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_PKG_REL}{_SEP}Relationship":
            target = attrs["Target"]
            # Targets are relative to xl/ unless absolute within the package.
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[attrs["Id"]] = posixpath.normpath(path)
            if attrs.get("Type", "").endswith("/sharedStrings"):
                shared.append(targets[attrs["Id"]])

    p = _parser()
    p.StartElementHandler = on_rels
    p.Parse(z.read("xl/_rels/workbook.xml.rels"), True)
    return [(name, targets[rid]) for name, rid in sheet_rid], (shared[0] if shared else None)


def _shared_strings(f: IO[bytes]) -> list[str]:
    strings: list[str] = []
    size = 0
    buf: list[str] = []
    depth_rph = 0  # phonetic runs (<rPh>) are not part of the text
    in_t = False
    si, t, rph = f"{_MAIN}{_SEP}si", f"{_MAIN}{_SEP}t", f"{_MAIN}{_SEP}rPh"

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_t, depth_rph
        if name == t:
            in_t = depth_rph == 0
        elif name == rph:
            depth_rph += 1
        elif name == si:
            buf.clear()

    def end(name: str) -> None:
        nonlocal in_t, depth_rph
        if name == t:
            in_t = False
        elif name == rph:
            depth_rph -= 1
        elif name == si:
            if len(strings) >= MAX_SHARED_STRINGS:
                raise XlsxLimitError(f"共享字符串表超出上限：最多 {MAX_SHARED_STRINGS:,} 项"
                                     "（不多于一张工作表的单元格）；请检查文件，或拆分成几个工作簿")
            strings.append("".join(buf))

    total = 0

    def data(text: str) -> None:
        nonlocal size, total
        if in_t:
            buf.append(text)
            size += len(text)
            total += len(text)
            if total > MAX_SHARED_CHARS:
                raise XlsxLimitError(f"共享字符串表的文字超出上限：共超过 {MAX_SHARED_CHARS:,} 个字符；"
                                     "请检查文件，或拆分成几个工作簿")
            if size > MAX_CELL_CHARS:
                raise XlsxLimitError(
                    f"共享字符串表第 {len(strings) + 1} 项的文字超过 {MAX_CELL_CHARS} 个字符"
                    "（Excel 单元格的上限）"
                )

    def end_si(name: str) -> None:
        nonlocal size
        end(name)
        if name == si:
            size = 0

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end_si
    p.CharacterDataHandler = data
    p.ParseFile(f)
    return strings


def _column(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12`` (its letters before the row's
    digits; each column's letters worked out once: a sheet repeats a few columns a
    million times)."""
    letters = ref.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        n = 0
        for ch in letters:
            if ch.isdigit():
                break
            n = n * 26 + ord(ch.upper()) - 64
        column = n - 1
        if len(_COLUMNS) < _COLUMNS_KEPT:
            _COLUMNS[letters] = column
    return column


_COLUMNS: dict[str, int] = {}
_COLUMNS_KEPT = 20_000


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            return value
        # The decimal text's own digits (3.30303199202118E+17 is 330303199202118000),
        # never a binary float's (…118016) that no one typed.
        return int(value) if abs(value) < 2**53 else int(Decimal(text))


def _unreadable(exc: Exception) -> XlsxUnreadable:
    """The one line for a zip part Python cannot open: encrypted (``RuntimeError``) or
    compressed with a method it lacks, such as Deflate64 (``NotImplementedError``)."""
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return XlsxUnreadable(ENCRYPTED)
    return XlsxUnreadable("工作簿使用了不支持的压缩方式（如 Deflate64），无法读取："
                          "请在 Excel 中打开后另存为 .xlsx")


def _open(path: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        with open(path, "rb") as f:
            if f.read(len(_CFB)) == _CFB:
                raise XlsxUnreadable(ENCRYPTED + "；若是旧版 .xls 文件，请另存为 .xlsx") from None
        raise XlsxError(f"不是有效的 .xlsx 工作簿（{exc}）") from None


def read_first_sheet(path: str | Path) -> list[tuple[int, list[Any]]]:
    """``(row number, values)`` for every row of the first sheet that has a cell.

    Values are placed by their column letter (missing cells are ``None``); text is
    ``str``, numbers ``int`` or ``float``, booleans ``bool``. The limits above raise
    :class:`XlsxLimitError` as soon as they are exceeded.
    """
    with _open(path) as z:
        try:
            check_sizes(z)
            sheets, shared_path = sheet_paths(z)
            if not sheets:
                raise XlsxError("工作簿中没有工作表")
            shared: list[str] = []
            if shared_path is not None and shared_path in z.namelist():
                with z.open(shared_path) as f:
                    shared = _shared_strings(f)
            name, sheet_path = sheets[0]
            with z.open(sheet_path) as f:
                return _sheet_rows(f, shared, name)
        except (RuntimeError, NotImplementedError) as exc:
            raise _unreadable(exc) from None
        except (KeyError, IndexError, ValueError, zipfile.BadZipFile,
                xml.parsers.expat.ExpatError) as exc:
            if isinstance(exc, XlsxError):
                raise
            raise XlsxError(f"不是有效的 .xlsx 工作簿（{exc}）") from None


def check_workbook(
    path: str | Path,
    max_rows: int = MAX_ROWS,
    max_member: int = MAX_MEMBER_BYTES,
    max_total: int = MAX_TOTAL_BYTES,
) -> None:
    """Stream every sheet of the workbook at ``path`` through the limits without keeping
    its cells, so that a reader which holds the whole workbook in memory (openpyxl)
    only ever gets one within them. Raises :class:`XlsxLimitError`; a file that is not
    a workbook is left for that reader to report."""
    try:
        z = _open(path)
    except XlsxUnreadable:
        raise
    except (OSError, XlsxError):
        return
    with z:
        check_sizes(z, max_member, max_total)
        try:
            sheets, shared_path = sheet_paths(z)
            count = 0
            if shared_path is not None and shared_path in z.namelist():
                with z.open(shared_path) as f:
                    count = len(_shared_strings(f))
            for name, member in sheets:
                if member in z.namelist():
                    with z.open(member) as f:
                        _sheet_rows(f, None, name, max_rows=max_rows, shared_count=count)
            read = {shared_path, *(member for _, member in sheets)}
            for member in z.namelist():  # every other XML part openpyxl will parse
                if member not in read and member.endswith((".xml", ".rels")):
                    with z.open(member) as f:
                        _parser().ParseFile(f)
        except XlsxError:
            raise
        except (RuntimeError, NotImplementedError) as exc:
            raise _unreadable(exc) from None
        except (KeyError, IndexError, ValueError, zipfile.BadZipFile,
                xml.parsers.expat.ExpatError):
            return


def _letters(col: int) -> str:
    """The column letters of a 0-based column (0 -> A, 26 -> AA)."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _sheet_rows(
    f: IO[bytes], shared: list[str] | None, sheet: str = "", max_rows: int = MAX_ROWS,
    shared_count: int = 0,
) -> list[tuple[int, list[Any]]]:
    """The rows of one sheet; with ``shared`` None only the limits are checked (a shared
    string's index against ``shared_count``) and nothing is kept."""
    rows = _stream_rows(f, shared, sheet, max_rows, shared_count=shared_count)
    if shared is not None:
        return list(rows)
    for _ in rows:
        pass
    return []


_CHUNK = 1 << 16


def _too_far(col: int, sheet: str, ref: str) -> XlsxLimitError:
    return XlsxLimitError(
        f"列数超出上限：这个单元格在第 {col + 1} 列，最多 {MAX_COLUMNS} 列"
        f"（到 {_letters(MAX_COLUMNS - 1)} 列）", sheet, ref,
    )


def _too_many_cells(max_cells: int, sheet: str, ref: str) -> XlsxLimitError:
    return XlsxLimitError(
        f"单元格超出上限：最多 {max_cells:,} 个（空单元格计到每行最后一个有内容的"
        "单元格）；请删除远处的零散单元格，或拆分成几个工作簿", sheet, ref,
    )


def _too_many_rows(max_rows: int, sheet: str, row_number: int) -> XlsxLimitError:
    return XlsxLimitError(f"行数超出上限：最多 {max_rows} 行；请拆分成几个工作簿", sheet,
                          f"A{row_number}")


def _too_long(sheet: str, col: int, row_number: int) -> XlsxLimitError:
    return XlsxLimitError(f"单元格文字过长：超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限）",
                          sheet, f"{_letters(col)}{row_number}")


def _bad_shared_index(index: str, strings: int, sheet: str, col: int, row_number: int) -> XlsxError:
    return XlsxError(
        f"{sheet}!{_letters(col)}{row_number}：共享字符串编号“{index[:20]}”无效"
        f"（应为 0 到 {strings - 1} 之间的整数）：文件已损坏或被改动"
    )


def _stream_rows(
    f: IO[bytes],
    shared: list[str] | None,
    sheet: str = "",
    max_rows: int = MAX_ROWS,
    dates: frozenset[int] = frozenset(),
    date1904: bool = False,
    shared_count: int = 0,
    max_cells: int | None = MAX_CELLS,
    chunk: int = _CHUNK,
    fast: bool = True,
) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` of one sheet as the XML streams (a chunk at a time, so
    memory stays bounded whatever the sheet's size). With ``shared`` None only the
    limits are checked (a shared string's index against ``shared_count``) and no
    row is kept. A number in a cell whose style (an index
    into ``cellXfs``) is in ``dates`` comes back as the date it shows. ``max_cells`` bounds
    the cells of the rows (the audit's streaming reader, which drops each row once read,
    passes :data:`STREAM_MAX_CELLS`); None for no bound.

    The sheet is read by :func:`_scan_rows` when it has the shape every office program
    writes; at the first thing that scanner does not recognise, the part is read again
    from its start by :func:`_expat_rows`, which decides (the rows already given are
    not given twice). ``fast`` False reads with expat alone (the tests compare them)."""
    args = (shared, sheet, max_rows, dates, date1904, shared_count, max_cells, chunk)
    given = 0
    if fast and f.seekable():
        try:
            for row in _scan_rows(f, *args):
                given += 1
                yield row
            return
        except _Unrecognized:
            f.seek(0)
    for i, row in enumerate(_expat_rows(f, *args)):
        if i >= given:
            yield row


class _Unrecognized(Exception):
    """The fast scanner met a shape it does not read: expat reads the part instead."""


_WS = "[ \t\r\n]"
# Bytes of UTF-8 text that XML does not allow (control characters but tab and line ends,
# U+FFFE, U+FFFF; "]]>" in text), left for expat to refuse: a byte table (translate runs
# at memory speed, a regular expression's character class ten times slower).
_CONTROL = bytes(0 if b < 0x20 and b not in (0x09, 0x0A, 0x0D) else 1 for b in range(256))
_NOT_XML = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_ROW_ATTR = re.compile(f"{_WS}+([^ \t\r\n=]+){_WS}*={_WS}*(?:\"([^\"<&]*)\"|'([^'<&]*)')")
_F_ATTR = re.compile(r' ([A-Za-z][A-Za-z0-9]*)="')
_QNAME = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_.-]*):)?([A-Za-z_][A-Za-z0-9_.-]*)")
_REF = re.compile(r"(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ROW_NUMBER = re.compile(r' r="([0-9]+)"')
_MISSING = object()
_TEXT_KINDS = frozenset(("inlineStr", "str", "e"))
_MAIN_TAGS = frozenset(f"{_MAIN}{_SEP}{tag}" for tag in ("row", "c", "v", "t", "rPh"))
_SCANNERS: dict[str, re.Pattern[str]] = {}


def _scanner(prefix: str) -> re.Pattern[str]:
    """One pattern for everything a ``sheetData`` written by an office program holds,
    elements named with ``prefix`` (``x:`` or none): a cell (its column letters, style,
    type, and ``<v>`` or inline ``<is><t>`` text, or a formula and its ``<v>``), a row's
    start (its attributes, "/" when it is empty) or end; any other character that is not
    whitespace matches the last group alone, and the scanner gives up. Whitespace is
    read between rows and cells, not inside a cell (no office program writes it there):
    each optional piece costs every one of a million cells its time."""
    found = _SCANNERS.get(prefix)
    if found is None:
        p, w = re.escape(prefix), _WS
        found = re.compile(
            rf"<{p}(c)(?: r=\"([A-Za-z]+)([0-9]+)\")?(?: s=\"([0-9]+)\")?(?: t=\"([A-Za-z]+)\")?"
            rf"(?:/>|>(?:<{p}v>([^<]*)</{p}v>"
            rf"|<{p}is><{p}t(?: xml:space=\"preserve\")?>([^<]*)</{p}t></{p}is>"
            rf"|<{p}f((?: [A-Za-z][A-Za-z0-9]*=\"[^\"<&]*\")*)(?:/>|>([^<]*)</{p}f>)"
            rf"(?:<{p}v>([^<]*)</{p}v>)?"
            rf"|<{p}v/>)?</{p}c>)"
            rf"|<{p}(row)((?:{w}+[^ \t\r\n=/>]+{w}*={w}*(?:\"[^\"<&]*\"|'[^'<&]*'))*){w}*(/?)>"
            rf"|(</{p}row>)"
            r"|([^ \t\r\n])"
        )
        _SCANNERS[prefix] = found
    return found


def _unescape(raw: str) -> str:
    """Text as expat gives it: line ends as "\\n", the five predefined entities and
    character references replaced; anything else (an undefined entity, a reference to a
    character XML forbids) is left for expat to refuse."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in raw:
        return raw
    parts = raw.split("&")
    out = [parts[0]]
    for part in parts[1:]:
        m = _REF.match(part)
        if m is None:
            raise _Unrecognized
        name = m[1]
        if name[0] == "#":
            code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
            if not (code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
                    or 0x10000 <= code <= 0x10FFFF):
                raise _Unrecognized
            out.append(chr(code))
        else:
            out.append(_NAMED[name])
        out.append(part[m.end():])
    return "".join(out)


class _Found(Exception):
    pass


def _sheet_data_start(
    f: IO[bytes], chunk: int
) -> tuple[bytes, int, str, dict[str, str], xml.parsers.expat.XMLParserType]:
    """Read the part up to its ``sheetData`` element with expat: the bytes read, where the
    sheet data starts in them, its elements' prefix, the namespace prefixes in scope
    there, and a parser (the part's own checks, DOCTYPE refused) that has read the part
    up to there and will read what follows the sheet data."""
    scope: dict[str, list[str]] = {}
    found: list[Any] = []
    p = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    p.namespace_prefixes = True
    p.StartDoctypeDeclHandler = _no_doctype
    p.EntityDeclHandler = _no_doctype

    def declared(_version: str, encoding: str | None, _standalone: int) -> None:
        if encoding is not None and encoding.lower() not in ("utf-8", "utf8"):
            raise _Unrecognized

    def ns_start(prefix: str | None, uri: str) -> None:
        scope.setdefault(prefix or "", []).append(uri)

    def ns_end(prefix: str | None) -> None:
        scope[prefix or ""].pop()

    def start(name: str, _attrs: object) -> None:
        parts = name.split(_SEP)
        tag = _SEP.join(parts[:2])
        if tag in _MAIN_TAGS:  # cells outside the sheet data: expat reads them as it does
            raise _Unrecognized
        if tag == f"{_MAIN}{_SEP}sheetData":
            found[:] = [p.CurrentByteIndex, parts[2] + ":" if len(parts) > 2 else ""]
            raise _Found

    p.XmlDeclHandler = declared
    p.StartNamespaceDeclHandler = ns_start
    p.EndNamespaceDeclHandler = ns_end
    p.StartElementHandler = start
    head: list[bytes] = []
    try:
        while data := f.read(chunk):
            head.append(data)
            p.Parse(data, False)
        p.Parse(b"", True)
    except _Found:
        pass
    except (xml.parsers.expat.ExpatError, XlsxError):
        raise _Unrecognized from None
    if not found:
        raise _Unrecognized  # no sheet data: expat reads what there is
    at, prefix = found
    read = b"".join(head)
    if read.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unrecognized
    m = re.compile(rb"<" + re.escape(prefix.encode()) + rb"sheetData[ \t\r\n]*>").match(read, at)
    if m is None:
        raise _Unrecognized  # attributes, or <sheetData/>
    rest = _parser()

    def outside(name: str, _attrs: object) -> None:
        if name in _MAIN_TAGS:
            raise _Unrecognized

    rest.StartElementHandler = outside
    rest.Parse(read[:m.end()], False)
    names = {k: v[-1] for k, v in scope.items() if v}
    names["xml"] = "http://www.w3.org/XML/1998/namespace"
    return read, m.end(), prefix, names, rest


def _row_number(attrs: str, names: dict[str, str]) -> str | None:
    """The ``r`` of a row's attributes (``None`` without one), checked as expat checks
    them: well-formed names, bound prefixes, no attribute twice."""
    number = None
    seen: set[tuple[str, str]] = set()
    for name, double, single in _ROW_ATTR.findall(attrs):
        qname = _QNAME.fullmatch(name)
        if qname is None or name == "xmlns":
            raise _Unrecognized
        prefix, local = qname.groups()
        if prefix is not None and (prefix == "xmlns" or prefix not in names):
            raise _Unrecognized  # a namespace declared, or a prefix unbound
        key = (names[prefix] if prefix is not None else "", local)
        if key in seen:
            raise _Unrecognized
        seen.add(key)
        if name == "r":
            number = double or single
            if not number.isascii() or not number.isdigit():
                raise _Unrecognized
    return number


def _scan_rows(
    f: IO[bytes],
    shared: list[str] | None,
    sheet: str,
    max_rows: int,
    dates: frozenset[int],
    date1904: bool,
    shared_count: int,
    max_cells: int | None,
    chunk: int,
) -> Iterator[tuple[int, list[Any]]]:
    """The fast reader behind :func:`_stream_rows`: the part up to ``<sheetData>`` and
    after ``</sheetData>`` is read by expat (a few elements), the rows in between by one
    regular expression (:func:`_scanner`) over the decoded text, a Python step per cell
    rather than expat's five to seven callbacks. Everything it accepts is well-formed
    XML that expat reads to the same values; it raises :class:`_Unrecognized` for
    anything else, and every limit with expat's message at the same cell."""
    read, start, prefix, names, rest = _sheet_data_start(f, chunk)
    pattern = _scanner(prefix)
    row_end, data_end = f"</{prefix}row>".encode(), f"</{prefix}sheetData".encode()
    keep = shared is not None
    strings = len(shared) if shared is not None else shared_count
    count = slots = width = row_number = 0
    next_row = 1
    cells: list[Any] = []
    open_row = False
    columns: dict[str, int] = {}
    texts: dict[str, str] = {}
    numbers: dict[str, Any] = {}
    styles: dict[str, bool] = {}
    values: dict[tuple[str, str, str], Any] = {}
    row_attrs: set[str] = set()
    rows: list[tuple[int, list[Any]]] = []

    max_columns, max_chars = MAX_COLUMNS, MAX_CELL_CHARS
    buf = read[start:]
    del read
    done = False
    tail = b""
    while True:
        end = buf.find(data_end)
        if end >= 0:
            block, tail = buf[:end], buf[end:]
            done = True
        else:
            cut = buf.rfind(row_end)
            if cut < 0:
                block = b""
            else:
                cut += len(row_end)
                block, buf = buf[:cut], buf[cut:]
        if block:
            # The block ends before a "<": no character is split.
            if b"\0" in block.translate(_CONTROL) or b"]]>" in block or (
                not block.isascii() and any(bad in block for bad in _NOT_XML)
            ):
                raise _Unrecognized
            try:
                text_block = block.decode()
            except UnicodeDecodeError:
                raise _Unrecognized from None
            for (c, letters, digits, style, kind, v, t, f_attrs, formula, fv, row, r_attrs,
                 empty, r_end, junk) in pattern.findall(text_block):
                if c:
                    if not open_row:
                        raise _Unrecognized
                    if letters:
                        col = columns.get(letters)
                        if col is None:
                            col = columns[letters] = _column(letters)
                    else:
                        col = len(cells)
                    if col >= width:  # the limits change only when the row widens
                        ref = letters + digits if letters else f"{_letters(col)}{row_number}"
                        if col >= max_columns:
                            raise _too_far(col, sheet, ref)
                        width = col + 1
                        if max_cells is not None and slots + width > max_cells:
                            raise _too_many_cells(max_cells, sheet, ref)
                    if formula or f_attrs:
                        attr_names = _F_ATTR.findall(f_attrs)
                        if len(set(attr_names)) != len(attr_names):
                            raise _Unrecognized
                        if "&" in formula:
                            _unescape(formula)  # not a value, but its references must be XML's
                    raw = v or t or fv
                    if keep:
                        # A value met before with the same type and style is the same value:
                        # one look-up instead of unescaping, an index or a number parsed.
                        key = (kind, style, raw)
                        value: Any = values.get(key, _MISSING)
                        if value is not _MISSING:
                            if col > len(cells):
                                cells.extend([None] * (col - len(cells)))
                            cells.append(value)
                            continue
                    if raw:
                        text = texts.get(raw)
                        if text is None:
                            text = _unescape(raw)
                            if len(text) > max_chars:
                                raise _too_long(sheet, col, row_number)
                            if len(raw) < 100 and len(texts) < 50_000:  # names, kinds: repeated
                                texts[raw] = text
                    else:
                        text = ""
                    if not keep:  # only the limits checked (a shared string's index among them)
                        if kind == "s" and text:
                            index = text.strip()
                            if not (index.isascii() and index.isdigit() and int(index) < strings):
                                raise _bad_shared_index(index, strings, sheet, col, row_number)
                        continue
                    if kind in _TEXT_KINDS:
                        value = text
                    elif not text:
                        value = None
                    elif kind == "s":
                        index = text.strip()
                        if not (index.isascii() and index.isdigit() and int(index) < strings):
                            raise _bad_shared_index(index, strings, sheet, col, row_number)
                        value = shared[int(index)]  # type: ignore[index]
                    elif kind == "b":
                        value = text == "1"
                    else:
                        value = numbers.get(text)
                        if value is None:
                            value = _number(text)
                            if len(numbers) < 50_000 and len(text) < 100:
                                numbers[text] = value
                        if style and dates:
                            is_date = styles.get(style)
                            if is_date is None:
                                is_date = styles[style] = int(style) in dates
                            if is_date:
                                value = excel_date(value, date1904)
                    if len(raw) < 100 and len(values) < 100_000:  # names, kinds: repeated
                        values[key] = value
                    if col > len(cells):
                        cells.extend([None] * (col - len(cells)))
                    cells.append(value)
                elif row:
                    if open_row:
                        raise _Unrecognized
                    number = None
                    # Office programs write the same attributes on every row but its number
                    # (LibreOffice seven): the others are checked once.
                    lead = _ROW_NUMBER.match(r_attrs)
                    if lead is not None and r_attrs[lead.end():] in row_attrs:
                        number = lead[1]
                    else:
                        number = _row_number(r_attrs, names)
                        if lead is not None and len(row_attrs) < 1_000:
                            row_attrs.add(r_attrs[lead.end():])
                    # "r" is optional: rows without it follow the previous one.
                    row_number = int(number) if number is not None else next_row
                    count += 1
                    if count > max_rows or row_number > max_rows + 1_000_000:
                        raise _too_many_rows(max_rows, sheet, row_number)
                    cells = []
                    width = 0
                    open_row = True
                    if empty:
                        r_end = "/"
                if r_end:
                    if not open_row:
                        raise _Unrecognized
                    open_row = False
                    if keep:
                        rows.append((row_number, cells))
                    slots += width
                    next_row = row_number + 1
                elif junk:
                    raise _Unrecognized
        if rows:
            yield from rows
            rows.clear()
        if done:
            break
        data = f.read(chunk)
        if not data:
            raise _Unrecognized  # the part ends inside its sheet data: expat says how
        buf += data
        if len(buf) > (1 << 22) and buf.rfind(row_end) < 0:
            raise _Unrecognized  # no row end for long: not the shape this scanner reads
    if open_row:
        raise _Unrecognized
    try:
        rest.Parse(tail, False)
        while data := f.read(chunk):
            rest.Parse(data, False)
        rest.Parse(b"", True)
    except (xml.parsers.expat.ExpatError, XlsxError):
        raise _Unrecognized from None


def _expat_rows(
    f: IO[bytes],
    shared: list[str] | None,
    sheet: str,
    max_rows: int,
    dates: frozenset[int],
    date1904: bool,
    shared_count: int,
    max_cells: int | None,
    chunk: int,
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of one sheet read with expat's callbacks: any well-formed sheet."""
    keep = shared is not None
    strings = len(shared) if shared is not None else shared_count
    count = 0
    slots = 0  # the cells the rows' lists hold, empty ones before a row's last cell included
    width = 0  # of the current row
    text_size = 0
    rows: list[tuple[int, list[Any]]] = []
    cells: list[Any] = []
    buf: list[str] = []
    row_number = 0
    next_row = 1
    kind: str | None = None
    is_date = False
    col = 0
    in_text = False
    c_tag, row_tag = f"{_MAIN}{_SEP}c", f"{_MAIN}{_SEP}row"
    text_tags = {f"{_MAIN}{_SEP}v", f"{_MAIN}{_SEP}t"}
    rph_tag = f"{_MAIN}{_SEP}rPh"
    in_rph = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal kind, col, in_text, row_number, next_row, in_rph, count, text_size, is_date
        nonlocal width
        if name == c_tag:
            kind = attrs.get("t")
            style = attrs.get("s")
            is_date = bool(dates) and style is not None and style.isdigit() and int(style) in dates
            ref = attrs.get("r")
            col = _column(ref) if ref else len(cells)
            if not 0 <= col < MAX_COLUMNS:
                raise _too_far(col, sheet, ref or f"{_letters(col)}{row_number}")
            width = max(width, col + 1)
            if max_cells is not None and slots + width > max_cells:
                raise _too_many_cells(max_cells, sheet, ref or f"{_letters(col)}{row_number}")
            buf.clear()
            text_size = 0
        elif name in text_tags:
            in_text = not in_rph
        elif name == row_tag:
            # "r" is optional: rows without it follow the previous one.
            row_number = int(attrs["r"]) if "r" in attrs else next_row
            count += 1
            if count > max_rows or row_number > max_rows + 1_000_000:
                raise _too_many_rows(max_rows, sheet, row_number)
            cells.clear()
            width = 0
        elif name == rph_tag:
            in_rph = True

    def end(name: str) -> None:
        nonlocal in_text, next_row, in_rph, slots
        if name == c_tag:
            text = "".join(buf)
            value: Any
            if kind in ("inlineStr", "str", "e"):
                value = text
            elif not text:
                value = None
            elif kind == "s":
                index = text.strip()
                if not (index.isascii() and index.isdigit() and int(index) < strings):
                    raise _bad_shared_index(index, strings, sheet, col, row_number)
                value = shared[int(index)] if shared is not None else None
            elif kind == "b":
                value = text == "1"
            else:
                value = _number(text)
                if is_date:
                    value = excel_date(value, date1904)
            if not keep:  # only the limits checked (a shared string's index among them)
                return
            while len(cells) < col:
                cells.append(None)
            cells.append(value)
        elif name in text_tags:
            in_text = False
        elif name == row_tag:
            if keep:
                rows.append((row_number, list(cells)))
            slots += width
            next_row = row_number + 1
        elif name == rph_tag:
            in_rph = False

    def data(text: str) -> None:
        nonlocal text_size
        if in_text:
            text_size += len(text)
            if text_size > MAX_CELL_CHARS:
                raise _too_long(sheet, col, row_number)
            if keep or kind == "s":  # a shared string's index is checked either way
                buf.append(text)

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = data
    while part := f.read(chunk):
        p.Parse(part, False)
        if rows:
            yield from rows
            rows.clear()
    p.Parse(b"", True)
    yield from rows


# --- dates, merged cells: what a reviewer's workbook holds beyond plain values ----------

# Built-in number formats that show a date (ECMA-376 18.8.30, with the zh-CN ones 27-36
# and 50-58); 18-21 and 45-47 show only a time.
_DATE_FORMATS = frozenset((14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date (its year, month or day)."""
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "yde年月日") and "general" not in bare


def excel_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime | float:
    """The date a serial number shows (the 1900 system counts the 29 Feb 1900 Excel
    believes in); a serial out of range stays the number."""
    if not 0 < serial < 2_958_466:
        return serial
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 31) if serial < 60 else dt.datetime(1899, 12, 30)
    moment = base + dt.timedelta(days=serial)
    return moment.date() if moment.time() == dt.time() else moment


def _date_styles(z: zipfile.ZipFile, path: str | None) -> frozenset[int]:
    """Indexes into ``cellXfs`` whose number format shows a date."""
    if path is None or path not in z.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    depth = {"cellXfs": False}
    num_fmt, xf, cell_xfs = f"{_MAIN}{_SEP}numFmt", f"{_MAIN}{_SEP}xf", f"{_MAIN}{_SEP}cellXfs"

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == num_fmt:
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif name == cell_xfs:
            depth["cellXfs"] = True
        elif name == xf and depth["cellXfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    def end(name: str) -> None:
        if name == cell_xfs:
            depth["cellXfs"] = False

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.Parse(z.read(path), True)
    return frozenset(
        i for i, fid in enumerate(xfs)
        if (is_date_format(custom[fid]) if fid in custom else fid in _DATE_FORMATS)
    )


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)"')


def _merged_ranges(z: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """``(first row, first column, last row, last column)`` of every merged range of a
    sheet (rows 1-based, columns 0-based). ``<mergeCells>`` follows the cells in the
    XML, so the part is scanned once for it, as bytes, before its rows are read."""
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with z.open(member) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            last = 0
            if b"mergeCell" in data:  # a plain search first: most of a sheet is its cells
                for m in _MERGE.finditer(data):
                    found.append((int(m[2]), _column(m[1].decode()), int(m[4]), _column(m[3].decode())))
                    last = m.end()
            tail = data[max(last, len(data) - 200):]
    return found


def _fill_merged(
    rows: Iterable[tuple[int, list[Any]]], merges: list[tuple[int, int, int, int]]
) -> Iterator[tuple[int, list[Any]]]:
    """Every cell of a merged range given the range's top-left value, as a person reads
    the sheet (an applicant's 编号 merged down over the rows of their records)."""
    starts: dict[int, list[tuple[int, int, int]]] = {}
    for r1, c1, r2, c2 in merges:
        starts.setdefault(r1, []).append((c1, r2, c2))
    pending = sorted(starts)
    at = 0
    active: list[tuple[int, int, int, Any]] = []  # (last row, first col, last col, value)
    for number, cells in rows:
        if active:
            active = [a for a in active if a[0] >= number]
        while at < len(pending) and pending[at] <= number:
            first = pending[at]
            for c1, r2, c2 in starts[first]:
                value = cells[c1] if first == number and c1 < len(cells) else None
                if value is not None and r2 >= number:
                    active.append((r2, c1, c2, value))
            at += 1
        for _last, c1, c2, value in active:
            if len(cells) <= c2:
                cells.extend([None] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                if cells[c] is None or cells[c] == "":
                    cells[c] = value
        yield number, cells


class Workbook:
    """A workbook read sheet by sheet as its XML streams, for the batch audit: dates
    shown as dates, merged cells filled with their top-left value. Use as a context
    manager; :meth:`rows` raises :class:`XlsxError` for a broken part."""

    def __init__(
        self,
        path: str | Path,
        max_rows: int = MAX_ROWS,
        max_member: int = MAX_MEMBER_BYTES,
        max_total: int = MAX_TOTAL_BYTES,
    ) -> None:
        self.max_rows = max_rows
        self.z = _open(path)
        try:
            check_sizes(self.z, max_member, max_total)
            self.sheets, shared_path = sheet_paths(self.z)
            self.shared: list[str] = []
            if shared_path is not None and shared_path in self.z.namelist():
                with self.z.open(shared_path) as f:
                    self.shared = _shared_strings(f)
            workbook = self.z.read("xl/workbook.xml")
            self.date1904 = b'date1904="1"' in workbook or b'date1904="true"' in workbook
            self.dates = _date_styles(self.z, _styles_path(self.z))
        except XlsxError:
            self.z.close()
            raise
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, Deflate64
            self.z.close()
            raise _unreadable(exc) from None
        except (KeyError, IndexError, ValueError, zipfile.BadZipFile,
                xml.parsers.expat.ExpatError) as exc:
            self.z.close()
            raise XlsxError(f"不是有效的 .xlsx 工作簿（{exc}）") from None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.z.close()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.sheets]

    def rows(self, index: int) -> Iterator[tuple[int, list[Any]]]:
        """``(row number, values)`` of sheet ``index``, streamed."""
        name, member = self.sheets[index]
        try:
            if member not in self.z.namelist():
                return
            merges = _merged_ranges(self.z, member)
            with self.z.open(member) as f:
                rows = _stream_rows(f, self.shared, name, self.max_rows, self.dates,
                                    self.date1904, max_cells=STREAM_MAX_CELLS)
                yield from (_fill_merged(rows, merges) if merges else rows)
        except XlsxError:
            raise
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, Deflate64
            raise _unreadable(exc) from None
        except (KeyError, IndexError, ValueError, zipfile.BadZipFile,
                xml.parsers.expat.ExpatError) as exc:
            raise XlsxError(f"不是有效的 .xlsx 工作簿（{exc}）") from None


def _styles_path(z: zipfile.ZipFile) -> str | None:
    found: list[str] = []

    def on_rels(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_PKG_REL}{_SEP}Relationship" and attrs.get("Type", "").endswith("/styles"):
            target = attrs["Target"]
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            found.append(posixpath.normpath(path))

    p = _parser()
    p.StartElementHandler = on_rels
    p.Parse(z.read("xl/_rels/workbook.xml.rels"), True)
    return found[0] if found else None
