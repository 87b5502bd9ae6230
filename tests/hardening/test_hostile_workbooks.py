"""Limits on every reader (issue 19, item 3): hostile workbooks and tables are refused
after bounded work, under 500 MB of memory, with a Chinese message that names the place.

The commands run in a subprocess whose address space is capped with
``resource.setrlimit(RLIMIT_AS)``: an allocation past the cap would end in MemoryError
(and a traceback), which the tests would see. The subprocess also counts its work: the
bytes it took out of zip members and the bytes it read from files; each test bounds them
by what the refusal needs, far below what the hostile file holds. (How long a refusal
takes is a benchmark's business, not a test's.)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.cli

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MEMORY = 500 * 1024 * 1024
MB = 1024 * 1024
# `ceportal ARGS` with its work counted; at exit, written as JSON to $CEPORTAL_WORK:
# "unzipped", the bytes read out of zip members (decompressed), and "read", the bytes the
# process read from files (Linux's rchar, imports included).
COUNTED = """
import atexit, json, os, runpy, sys, zipfile
unzipped = 0
def counted(method):
    def read(self, *args):
        global unzipped
        data = method(self, *args)
        unzipped += len(data)
        return data
    return read
zipfile.ZipExtFile.read = counted(zipfile.ZipExtFile.read)
zipfile.ZipExtFile.read1 = counted(zipfile.ZipExtFile.read1)
def report():
    with open("/proc/self/io") as f:
        rchar = int(dict(line.split(": ") for line in f.read().splitlines())["rchar"])
    with open(os.environ["CEPORTAL_WORK"], "w") as out:
        json.dump({"unzipped": unzipped, "read": rchar}, out)
atexit.register(report)
runpy.run_module("generator.cli", run_name="__main__", alter_sys=True)
"""
HEADER = ("编号", "姓名", "类型", "拟申报", "现职称", "年度", "周期起始", "学时年度", "类别", "学时")


def _workbook(path: Path, sheet_name: str, rows: object, *, level: int = 6) -> Path:
    """A minimal .xlsx whose one sheet's XML comes from ``rows`` (an iterable of str
    chunks), streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml",
                   f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                   f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="x/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for chunk in rows:  # type: ignore[attr-defined]
                f.write(chunk.encode())
            f.write(b"</sheetData></worksheet>")
    return path


def _header_row() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                    for i, h in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'


def _run(*args: str) -> tuple[int, str, dict[str, int]]:
    """``ceportal ARGS`` in a subprocess limited to MEMORY; (exit code, stderr+stdout, work)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "work.json"
        done = subprocess.run(
            [sys.executable, "-c", COUNTED, *args], capture_output=True, text=True,
            preexec_fn=limit, cwd=ROOT, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT), "CEPORTAL_WORK": str(report)},
        )
        work = json.loads(report.read_text(encoding="utf-8"))
    return done.returncode, done.stderr + done.stdout, work


def _unzipped_size(path: Path) -> int:
    """What reading every member of the zip ``path`` once takes out of it."""
    with zipfile.ZipFile(path) as z:
        return sum(info.file_size for info in z.infolist())


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A zip of about a megabyte whose sheet decompresses to about 300 MB."""
    row = '<row><c t="inlineStr"><is><t>' + "0" * 2000 + "</t></is></c></row>"
    block = row * 512  # about 1 MB
    folder = tmp_path_factory.mktemp("bomb")
    return _workbook(folder / "bomb.xlsx", "Sheet1", (block for _ in range(300)), level=9)


def test_a_far_column_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "far.xlsx", "Sheet1", [
        _header_row(), '<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
    ])
    assert path.stat().st_size < 2000
    code, out, work = _run("audit", str(path), "--catalog", str(CATALOG))
    assert (code, out) == (2, f"ceportal audit: {path}：Sheet1!ZZZZZZ2：列数超出上限：这个单元格在"
                              "第 321272406 列，最多 256 列（到 IV 列）\n")
    # The workbook read twice at most: the audit scans a sheet for its merged ranges
    # (<mergeCells> follow the rows) before it streams the rows.
    assert work["unzipped"] <= 2 * _unzipped_size(path)
    code, out, work = _run("import-xlsx", str(path), "--year", "2011", "--catalog",
                           str(CATALOG), "-o", str(tmp_path / "2011.yaml"))
    assert code == 1
    assert work["unzipped"] <= _unzipped_size(path)
    assert out == (f"{path}:Sheet1!ZZZZZZ2: error: 列数超出上限：这个单元格在第 321272406 列，"
                   "最多 256 列（到 IV 列）\n导入未通过：1 个错误；未写入任何文件\n")
    assert sorted(os.listdir(tmp_path)) == ["far.xlsx"]  # nothing written


def test_a_zip_bomb_is_refused_from_its_directory(bomb: Path, tmp_path: Path) -> None:
    assert bomb.stat().st_size < 3 * 1024 * 1024
    before = bomb.read_bytes()
    code, out, work = _run("audit", str(bomb), "--catalog", str(CATALOG))
    assert code == 2
    assert out == (f"ceportal audit: {bomb}：工作簿解压后过大：其中 xl/worksheets/sheet1.xml 有 "
                   "300 MB，上限 256 MB；请检查文件，或拆分成几个工作簿\n")
    # Refused from the zip's directory: not a megabyte of the 300 taken out of it.
    assert work["unzipped"] < MB
    code, out, work = _run("import-xlsx", str(bomb), "--year", "2011", "--catalog",
                              str(CATALOG), "-o", str(tmp_path / "2011.yaml"))
    assert code == 1
    assert out == (f"{bomb}:课程!A1: error: 工作簿解压后过大：其中 xl/worksheets/sheet1.xml 有 "
                   "300 MB，上限 32 MB；请检查文件，或拆分成几个工作簿\n导入未通过：1 个错误；未写入任何文件\n")
    assert work["unzipped"] < MB
    assert bomb.read_bytes() == before and os.listdir(tmp_path) == []


def test_too_many_rows_are_refused_while_streaming(tmp_path: Path) -> None:
    row = '<row><c t="inlineStr"><is><t>A</t></is></c></row>'
    path = _workbook(tmp_path / "rows.xlsx", "学时", [_header_row(), *([row * 1000] * 1100)])
    code, out, work = _run("audit", str(path), "--catalog", str(CATALOG))
    assert (code, out) == (2, f"ceportal audit: {path}：学时!A1048577：行数超出上限：最多 1048576 行；"
                              "请拆分成几个工作簿\n")
    # Two passes at most, the second stopped at the limit: the merged ranges' scan (the
    # sheet's <mergeCells> follow its rows), then the rows (the last 51,424 never read).
    assert work["unzipped"] < 2 * _unzipped_size(path)


def test_a_long_cell_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "long.xlsx", "课程", [
        _header_row(), '<row r="2"><c r="B2" t="inlineStr"><is><t>' + "长" * 40000 + "</t></is></c></row>"
    ])
    code, out, _ = _run("audit", str(path), "--catalog", str(CATALOG))
    assert (code, out) == (2, f"ceportal audit: {path}：课程!B2：单元格文字过长：超过 32767 个字符"
                              "（Excel 单元格的上限）\n")
    code, out, _ = _run("import-xlsx", str(path), "--year", "2011", "--catalog",
                        str(CATALOG), "-o", str(tmp_path / "2011.yaml"))
    assert (code, out) == (1, f"{path}:课程!B2: error: 单元格文字过长：超过 32767 个字符"
                              "（Excel 单元格的上限）\n导入未通过：1 个错误；未写入任何文件\n")
    assert sorted(os.listdir(tmp_path)) == ["long.xlsx"]


def test_a_large_csv_is_refused_before_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.write(",".join(HEADER).encode() + b"\n")
        f.truncate(257 * MB)  # sparse: 257 MB without writing them
    code, out, work = _run("audit", str(path), "--catalog", str(CATALOG))
    assert (code, out) == (2, f"ceportal audit: {path}：文件过大（超过 256 MB）：请拆分成几个文件\n")
    # What it read beyond auditing a one-line file: nothing of the 257 MB (the size is
    # the file system's; the CSV is streamed, never held).
    small = tmp_path / "small.csv"
    small.write_bytes(",".join(HEADER).encode() + b"\n")
    code, _out, baseline = _run("audit", str(small), "--catalog", str(CATALOG))
    assert code == 0
    assert work["read"] - baseline["read"] < MB


def test_the_memory_cap_is_real() -> None:
    """The cap the tests above run under does stop a process that needs more."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    done = subprocess.run([sys.executable, "-c", "b = bytearray(600 * 1024 * 1024)"],
                          capture_output=True, text=True, preexec_fn=limit, timeout=60)
    assert done.returncode != 0 and "MemoryError" in done.stderr



# --- issue 24, item 4: shared strings, sparse sheets, encrypted parts, DTDs ---------------

def _full_workbook(path: Path, sheet: list[str], *, shared: object = None,
                   extra: dict[str, str] | None = None, doctype: str = "") -> Path:
    """A workbook with a shared-strings part (``shared``: str chunks) and ``extra`` parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml",
                   f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                   '<sheet name="学时" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="x/worksheet" '
                   'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                   'Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'{doctype}<worksheet xmlns="{MAIN}"><sheetData>'
                   + "".join(sheet) + "</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<sst xmlns="{MAIN}">'.encode())
            for chunk in shared or ["<si><t>x</t></si>"]:  # type: ignore[attr-defined]
                f.write(chunk.encode())
            f.write(b"</sst>")
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return path


def _both(path: Path, tmp_path: Path) -> tuple[tuple[int, str, float], tuple[int, str, float]]:
    """``audit`` and ``import-xlsx`` of ``path``; the output folder stays empty."""
    out = tmp_path / "out"
    out.mkdir()
    audit = _run("audit", str(path), "--catalog", str(CATALOG))
    imported = _run("import-xlsx", str(path), "--year", "2011", "--catalog", str(CATALOG),
                    "-o", str(out / "2011.yaml"))
    assert os.listdir(out) == []
    return audit, imported


def test_a_shared_strings_table_of_millions_of_empty_entries_is_refused(tmp_path: Path) -> None:
    """A 388 KB file whose shared strings were 250 MB of ``<si/>``: 24 s and 434 MB."""
    path = _full_workbook(tmp_path / "si.xlsx", [_header_row()],
                          shared=("<si/>" * 100_000 for _ in range(30)))
    assert path.stat().st_size < 100_000
    (code, out, _), (icode, iout, _) = _both(path, tmp_path)
    message = "共享字符串表超出上限：最多 1,000,000 项（不多于一张工作表的单元格）；请检查文件，或拆分成几个工作簿"
    assert (code, out) == (2, f"ceportal audit: {path}：{message}\n")
    assert (icode, iout) == (1, f"{path}:课程!A1: error: {message}\n导入未通过：1 个错误；未写入任何文件\n")


def test_sparse_rows_far_to_the_right_are_refused(tmp_path: Path) -> None:
    """200,000 rows with one cell in column IV took 555 MB."""
    rows = [f'<row r="{n}"><c r="IV{n}"><v>1</v></c></row>' for n in range(2, 20_000)]
    path = _full_workbook(tmp_path / "sparse.xlsx", [_header_row(), *rows])
    (code, out, _), (icode, iout, _) = _both(path, tmp_path)
    def message(cap: str) -> str:
        return (f"单元格超出上限：最多 {cap} 个（空单元格计到每行最后一个有内容的单元格）；"
                "请删除远处的零散单元格，或拆分成几个工作簿")

    # The audit streams (each row dropped once read): its bound is larger, the import's is
    # the bound of what openpyxl may then load.
    assert (code, out) == (2, f"ceportal audit: {path}：学时!IV15626：{message('4,000,000')}\n")
    assert (icode, iout) == (1, f"{path}:学时!IV7814: error: {message('2,000,000')}\n"
                                "导入未通过：1 个错误；未写入任何文件\n")


@pytest.mark.parametrize("index", ["-1", "5", "1e3"])
def test_a_shared_string_index_out_of_range_is_an_error(tmp_path: Path, index: str) -> None:
    """A negative index silently read another cell."""
    path = _full_workbook(tmp_path / "index.xlsx", [
        _header_row(), f'<row r="2"><c r="A2" t="s"><v>{index}</v></c></row>'])
    (code, out, _), (icode, iout, _) = _both(path, tmp_path)
    message = f"学时!A2：共享字符串编号“{index}”无效（应为 0 到 0 之间的整数）：文件已损坏或被改动"
    assert (code, out) == (2, f"ceportal audit: {path}：{message}\n")
    assert icode == 1 and message in iout


def _patch(path: Path, member: str, *, flags: int = 0, method: int | None = None) -> None:
    """Set ``flags`` and the compression ``method`` of ``member`` in its local header and
    its central directory entry (zipfile writes neither encryption nor Deflate64)."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at != -1:
            if data[at + name_at: at + name_at + len(name)] == name:
                old_flags, old_method = struct.unpack_from("<HH", data, at + flag_at)
                struct.pack_into("<HH", data, at + flag_at, old_flags | flags,
                                 old_method if method is None else method)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


ENCRYPTED = ("工作簿设有打开密码或已加密，无法读取：请在 Excel 中取消密码保护"
             "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx")


@pytest.mark.parametrize("kind", ["encrypted", "deflate64", "ole"])
def test_an_unreadable_workbook_is_one_line(tmp_path: Path, kind: str) -> None:
    """An encrypted or Deflate64 workbook ended in a traceback (and the /audit/ page showed
    核查出错：Traceback …)."""
    path = _full_workbook(tmp_path / f"{kind}.xlsx", [_header_row()])
    if kind == "encrypted":
        _patch(path, "xl/worksheets/sheet1.xml", flags=0x1)
        message = ENCRYPTED
    elif kind == "deflate64":
        _patch(path, "xl/worksheets/sheet1.xml", method=9)
        message = "工作簿使用了不支持的压缩方式（如 Deflate64），无法读取：请在 Excel 中打开后另存为 .xlsx"
    else:  # what Excel writes for a workbook with a password to open: an OLE file
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
        message = ENCRYPTED + "；若是旧版 .xls 文件，请另存为 .xlsx"
    (code, out, _), (icode, iout, _) = _both(path, tmp_path)
    assert (code, out) == (2, f"ceportal audit: {path}：{message}\n")
    assert (icode, iout) == (2, f"ceportal import-xlsx: {path}：{message}；未写入任何文件\n")


XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="200" '
       'formatCode="&e;"/></numFmts></styleSheet>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
          + f']><styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="200" '
          'formatCode="&j;"/></numFmts></styleSheet>')


@pytest.mark.parametrize("styles", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_xml_with_a_doctype_is_refused(tmp_path: Path, styles: str) -> None:
    path = _full_workbook(tmp_path / "dtd.xlsx", [_header_row()],
                          extra={"xl/styles.xml": styles})
    message = ("工作簿的 XML 含有文档类型声明（DOCTYPE，可用于读取本机文件或无限膨胀的实体），"
               "Excel 不会写出这样的文件：拒绝读取")
    (_, _, _), (icode, iout, _) = _both(path, tmp_path)
    assert (icode, iout) == (2, f"ceportal import-xlsx: {path}：{message}；未写入任何文件\n")
    # The audit reads the sheet, not the styles: the same declaration there.
    doctype = styles[len('<?xml version="1.0"?>'):styles.index("]>") + 2]
    path = _full_workbook(tmp_path / "dtd-sheet.xlsx", [_header_row()], doctype=doctype)
    code, out, _ = _run("audit", str(path), "--catalog", str(CATALOG))
    assert (code, out) == (2, f"ceportal audit: {path}：{message}\n")
