"""The fast sheet-data scanner of xlsx_rows reads every sheet to the rows expat reads,
raises every limit with expat's message, and hands what it does not recognise to expat."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.common import xlsx_rows as X

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
SHARED = ["编号", "学时 ", "张三"]


def _stream(xml: bytes, fast: bool, chunk: int = X._CHUNK, **kw: Any) -> list[Any]:
    kw.setdefault("shared", SHARED)
    shared = kw.pop("shared")
    return list(X._stream_rows(io.BytesIO(xml), shared, "表", chunk=chunk, fast=fast, **kw))


def _scan(xml: bytes, chunk: int = X._CHUNK, **kw: Any) -> list[Any]:
    """The scanner alone: raises X._Unrecognized where _stream_rows would read with expat."""
    args = {"shared": SHARED, "sheet": "表", "max_rows": X.MAX_ROWS, "dates": frozenset(),
            "date1904": False, "shared_count": 0, "max_cells": X.MAX_CELLS, "chunk": chunk}
    args.update(kw)
    return list(X._scan_rows(io.BytesIO(xml), **args))


def _sheet(rows: str, prefix: str = "", head: str = "", tail: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns} '
        f'xmlns:x14ac="{X14AC}">{head}<{p}sheetData>{rows}</{p}sheetData>{tail}</{p}worksheet>'
    ).encode()


# --- shapes office programs write: read by the scanner itself, to expat's values ----------

EXCEL = _sheet(
    '<row r="1" spans="1:4" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c>'
    '<c r="B1" s="2" t="s"><v>1</v></c><c r="C1" s="1"/></row>'
    '<row r="2" spans="1:4"><c r="A2" s="3"><v>45292</v></c><c r="B2"><v>8.5</v></c>'
    '<c r="C2" t="b"><v>1</v></c><c r="D2" t="str"><f>A1&amp;"x"</f><v>编号x</v></c>'
    '<c r="E2"><f t="shared" ref="E2:E3" si="0">B2*2</f><v>17</v></c></row>'
    '<row r="3"><c r="E3"><f t="shared" si="0"/><v>3.30303199202118E+17</v></c>'
    '<c r="F3" t="e"><v>#DIV/0!</v></c></row>',
    tail='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    '<extLst><ext uri="{x}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    "<x14:id>1</x14:id></ext></extLst>",
)
OPENPYXL = _sheet(
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#32534;&#21495;</t></is></c>'
    '<c r="B1" t="inlineStr"></c><c r="C1" t="n"><v>2010</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a &lt;b&gt; &amp; &quot;c&apos; </t></is></c></row>'
)
LIBREOFFICE = _sheet(
    '<row r="1" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
    'outlineLevel="0" collapsed="false"><c r="A1" s="0" t="s"><v>2</v></c>'
    '<c r="B1" s="0" t="n"><v>4</v></c></row><row r="4" customFormat="false"/>',
)
PREFIXED = _sheet(
    '<x:row r="1"><x:c r="A1" t="s"><x:v>2</x:v></x:c><x:c r="B1" t="inlineStr"><x:is>'
    '<x:t>内联</x:t></x:is></x:c></x:row>',
    prefix="x",
)


@pytest.mark.parametrize(
    "xml", [EXCEL, OPENPYXL, LIBREOFFICE, PREFIXED, b"\xef\xbb\xbf" + EXCEL.replace(b"\n", b"\r\n")],
    ids=["excel", "openpyxl", "libreoffice", "x:", "bom-crlf"],
)
@pytest.mark.parametrize("chunk", [7, 64, X._CHUNK])
def test_office_shapes_are_scanned_to_expat_values(xml: bytes, chunk: int) -> None:
    dates = frozenset({3})
    assert _scan(xml, chunk, dates=dates) == _stream(xml, False, chunk, dates=dates)


def test_office_shapes_values() -> None:
    assert _scan(EXCEL, dates=frozenset({3})) == [
        (1, ["编号", "学时 ", None]),
        (2, [dt.date(2024, 1, 1), 8.5, True, "编号x", 17]),
        (3, [None, None, None, None, 330303199202118000, "#DIV/0!"]),
    ]
    assert _scan(OPENPYXL) == [(1, ["编号", "", 2010]), (2, [' a <b> & "c\' '])]
    assert _scan(LIBREOFFICE) == [(1, ["张三", 4]), (4, [])]
    assert _scan(PREFIXED) == [(1, ["张三", "内联"])]


# --- generated sheets with every tricky shape: the same rows whichever reader -----------------

TEXTS = st.text(alphabet="ab 学时\t\r\n<>&\"'", max_size=6)


def _escaped(text: str, draw: Any) -> str:
    out = []
    for ch in text:
        how = draw(st.sampled_from(["raw", "dec", "hex", "named"]))
        if ch in "<&" and how == "raw":
            how = "named"
        if how == "dec":
            out.append(f"&#{ord(ch)};")
        elif how == "hex":
            out.append(f"&#x{ord(ch):X};")
        elif how == "named" and ch in "<>&\"'":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}[ch])
        else:
            out.append(ch)
    return "".join(out)


RECOGNISED = ["number", "shared", "bool", "inline", "str", "empty", "selfclosed", "formula"]
OTHERS = ["rich", "phonetic", "cdata", "comment", "t-first", "space"]


@st.composite
def sheets(draw: Any, shapes: list[str]) -> bytes:
    prefix = draw(st.sampled_from(["", "x"]))
    p = f"{prefix}:" if prefix else ""
    ws = draw(st.sampled_from(["", "\n  "]))
    rows = []
    number = 0
    for _ in range(draw(st.integers(0, 6))):
        number += draw(st.integers(1, 3))
        row_attrs = draw(st.sampled_from([
            f' r="{number}"', "", f' r="{number}" spans="1:3" x14ac:dyDescent="0.25"',
            f" spans='1:3'  r = '{number}'",
        ]))
        if draw(st.integers(0, 9)) == 0:
            rows.append(f"<{p}row{row_attrs}/>")
            continue
        cells = []
        for col in range(draw(st.integers(0, 5))):
            ref = f' r="{"ABCDEF"[col]}{number}"' if draw(st.booleans()) else ""
            style = draw(st.sampled_from(["", ' s="1"', ' s="3"']))
            text = _escaped(draw(TEXTS), draw)
            shape = draw(st.sampled_from(shapes))
            cell = {
                "number": f'<{p}c{ref}{style}><{p}v>{draw(st.sampled_from(["2011", "8.5", "1E3", " 4 "]))}</{p}v></{p}c>',
                "shared": f'<{p}c{ref}{style} t="s"><{p}v>{draw(st.integers(0, 2))}</{p}v></{p}c>',
                "bool": f'<{p}c{ref} t="b"><{p}v>{draw(st.sampled_from(["0", "1"]))}</{p}v></{p}c>',
                "inline": f'<{p}c{ref} t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>',
                "rich": f'<{p}c{ref} t="inlineStr"><{p}is><{p}r><{p}t>{text}</{p}t></{p}r>'
                        f'<{p}r><{p}rPr><{p}b/></{p}rPr><{p}t xml:space="preserve"> 时</{p}t></{p}r></{p}is></{p}c>',
                "phonetic": f'<{p}c{ref} t="inlineStr"><{p}is><{p}t>{text}</{p}t>'
                            f'<{p}rPh sb="0" eb="1"><{p}t>ちょう</{p}t></{p}rPh></{p}is></{p}c>',
                "str": f'<{p}c{ref} t="str"><{p}f>A1</{p}f><{p}v>{text}</{p}v></{p}c>',
                "empty": f"<{p}c{ref}{style}></{p}c>",
                "selfclosed": f"<{p}c{ref}{style}/>",
                "cdata": f'<{p}c{ref} t="inlineStr"><{p}is><{p}t><![CDATA[a<b]]>{text}</{p}t></{p}is></{p}c>',
                "comment": f"<!-- <{p}c r=\"A1\"><{p}v>9</{p}v></{p}c> --><{p}c{ref}><{p}v>1</{p}v></{p}c>",
                "t-first": f'<{p}c t="n"{ref}{style}><{p}v>7</{p}v></{p}c>',
                "space": f'<{p}c{ref} t="inlineStr">{ws}<{p}is>{ws}<{p}t>{text}</{p}t>{ws}</{p}is>{ws}</{p}c>',
                "formula": f'<{p}c{ref}><{p}f t="shared" si="0"/><{p}v>3</{p}v></{p}c>',
            }[shape]
            cells.append(cell)
        rows.append(f"<{p}row{row_attrs}>{ws}{ws.join(cells)}{ws}</{p}row>")
    return _sheet(ws.join(rows), prefix)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(sheets(RECOGNISED), st.sampled_from([1, 5, 17, 64, 4096]))
def test_scanner_reads_the_shapes_it_knows_as_expat_does(xml: bytes, chunk: int) -> None:
    dates = frozenset({3})
    assert _scan(xml, chunk, dates=dates) == _stream(xml, False, chunk, dates=dates)


@FUZZ
@given(sheets(RECOGNISED + OTHERS), st.sampled_from([1, 5, 17, 64, 4096]))
def test_scanner_reads_what_expat_reads(xml: bytes, chunk: int) -> None:
    dates = frozenset({3})
    expected = _stream(xml, False, chunk, dates=dates)
    assert _stream(xml, True, chunk, dates=dates) == expected
    try:
        scanned = _scan(xml, chunk, dates=dates)
    except X._Unrecognized:
        return  # _stream_rows read it with expat: compared above
    assert scanned == expected


# --- what the scanner hands to expat ---------------------------------------------------------


@pytest.mark.parametrize("rows", [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&foo;</t></is></c></row>',  # undefined entity
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#1;</t></is></c></row>',  # not an XML character
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>',
    '<row r="1" r="2"><c r="A1"><v>1</v></c></row>',  # an attribute twice
    '<row r="1" y:z="2"><c r="A1"><v>1</v></c></row>',  # an unbound prefix
    '<row r="1"><c r="A1"><v>1</v></c></row></row>',
    '<row r="1"><c r="A1"><v>1</v></c>',  # never closed
    '<row r="1"><c r="A1"><f t="shared" t="x"/><v>1</v></c></row>',
    # A row's other attributes are checked once per shape: a later row's differ.
    '<row r="1" spans="1:2"><c r="A1"><v>1</v></c></row>'
    '<row r="2" spans="1:2" spans="1:2"><c r="A2"><v>1</v></c></row>',
    '<row r="1" ht="15"><c r="A1"><v>1</v></c></row><row r="2" ht="15" r="3"><c r="A2"><v>1</v></c></row>',
    '<row r="1" ht="15"><c r="A1"><v>1</v></c></row><row r="2" ht="15" y:z="2"><c r="A2"><v>1</v></c></row>',
])
def test_unrecognised_goes_to_expat(rows: str) -> None:
    xml = _sheet(rows)
    with pytest.raises(X._Unrecognized):
        _scan(xml)
    try:
        expected: Any = _stream(xml, False)
    except X.xml.parsers.expat.ExpatError as exc:
        expected = str(exc)
    try:
        got: Any = _stream(xml, True)
    except X.xml.parsers.expat.ExpatError as exc:
        got = str(exc)
    assert got == expected
    assert isinstance(expected, str)  # every one of these is malformed XML


@pytest.mark.parametrize("rows", [
    '<row r="1" xmlns:y="urn:y" y:z="1"><c r="A1"><v>1</v></c></row>',  # a namespace declared
    '<row r="1"><c r="A1" t="s" s="1"><v>1</v></c></row>',  # attributes in another order
    '<row r="1"><c r="A1" cm="1"><v>1</v></c></row>',  # another attribute
    '<row r="1"><c r="A1B"><v>1</v></c></row>',  # a reference expat's reader reads as A
    '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>]]></t></is></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c><?pi x?></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>',
])
def test_well_formed_but_unrecognised(rows: str) -> None:
    xml = _sheet(rows)
    with pytest.raises(X._Unrecognized):
        _scan(xml)
    assert _stream(xml, True) == _stream(xml, False) != []


def test_row_outside_sheet_data_read_as_expat_reads_it() -> None:
    xml = _sheet('<row r="1"><c r="A1"><v>1</v></c></row>',
                 tail='<row r="9"><c r="B9"><v>2</v></c></row>')
    with pytest.raises(X._Unrecognized):
        _scan(xml)
    assert _stream(xml, True) == _stream(xml, False) == [(1, [1]), (9, [None, 2])]


def test_rows_given_before_a_fallback_are_not_given_twice() -> None:
    plain = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 400))
    odd = '<row r="400"><c r="A400" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>'
    xml = _sheet(plain + odd)
    got = _stream(xml, True, chunk=256)
    assert got == _stream(xml, False, chunk=256)
    assert [n for n, _ in got] == list(range(1, 401)) and got[-1] == (400, ["ab"])


def test_doctype_refused() -> None:
    xml = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "x">]>'
           f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           "</sheetData></worksheet>").encode()
    with pytest.raises(X.XlsxUnreadable) as exc:
        _stream(xml, True)
    assert str(exc.value) == ("工作簿的 XML 含有文档类型声明（DOCTYPE，可用于读取本机文件或"
                              "无限膨胀的实体），Excel 不会写出这样的文件：拒绝读取")


def test_other_encodings_read_by_expat() -> None:
    text = f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN}"><sheetData>' \
           '<row r="1"><c r="A1" t="inlineStr"><is><t>学时</t></is></c></row></sheetData></worksheet>'
    xml = text.encode("utf-16")
    with pytest.raises(X._Unrecognized):
        _scan(xml)
    assert _stream(xml, True) == [(1, ["学时"])]


# --- every limit, raised by the scanner itself with expat's message ---------------------------


def _both(xml: bytes, **kw: Any) -> str:
    with pytest.raises(X.XlsxError) as slow:
        _stream(xml, False, **kw)
    with pytest.raises(X.XlsxError) as fast:
        _scan(xml, **kw)
    assert type(fast.value) is type(slow.value)
    assert str(fast.value) == str(slow.value)
    return str(fast.value)


def test_limit_rows() -> None:
    xml = _sheet("".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 5)))
    assert _both(xml, max_rows=3) == "表!A4：行数超出上限：最多 3 行；请拆分成几个工作簿"
    far = _sheet('<row r="2000005"><c r="A2000005"><v>1</v></c></row>')
    assert _both(far, max_rows=3) == "表!A2000005：行数超出上限：最多 3 行；请拆分成几个工作簿"


def test_limit_columns() -> None:
    xml = _sheet('<row r="2"><c r="A2"><v>1</v></c><c r="IW2"><v>1</v></c></row>')
    assert _both(xml) == "表!IW2：列数超出上限：这个单元格在第 257 列，最多 256 列（到 IV 列）"
    far = _sheet('<row r="2"><c r="zzzzzz2"><v>1</v></c></row>')
    assert _both(far) == "表!zzzzzz2：列数超出上限：这个单元格在第 321272406 列，最多 256 列（到 IV 列）"
    without_ref = _sheet('<row r="2">' + '<c><v>1</v></c>' * 257 + "</row>")
    # without "r", a kept row's cells follow one another; checked alone, they all sit in A
    assert _both(without_ref) == "表!IW2：列数超出上限：这个单元格在第 257 列，最多 256 列（到 IV 列）"


def test_limit_cells() -> None:
    xml = _sheet("".join(f'<row r="{n}"><c r="J{n}"><v>1</v></c></row>' for n in range(1, 5)))
    assert _both(xml, max_cells=35) == (
        "表!J4：单元格超出上限：最多 35 个（空单元格计到每行最后一个有内容的单元格）；"
        "请删除远处的零散单元格，或拆分成几个工作簿"
    )


def test_limit_cell_text() -> None:
    long = "学" * (X.MAX_CELL_CHARS + 1)
    xml = _sheet(f'<row r="3"><c r="B3" t="inlineStr"><is><t>{long}</t></is></c></row>')
    assert _both(xml) == "表!B3：单元格文字过长：超过 32767 个字符（Excel 单元格的上限）"
    refs = "&#23398;" * (X.MAX_CELL_CHARS + 1)  # counted as the characters they stand for
    xml = _sheet(f'<row r="3"><c r="B3" t="inlineStr"><is><t>{refs}</t></is></c></row>')
    assert _both(xml) == "表!B3：单元格文字过长：超过 32767 个字符（Excel 单元格的上限）"
    fits = _sheet(f'<row r="3"><c r="B3" t="inlineStr"><is><t>{long[1:]}</t></is></c></row>')
    assert _scan(fits) == _stream(fits, False) == [(3, [None, long[1:]])]


@pytest.mark.parametrize("shared", [SHARED, None])
def test_limit_shared_index(shared: list[str] | None) -> None:
    xml = _sheet('<row r="5"><c r="A5" t="s"><v>0</v></c><c r="C5" t="s"><v>3</v></c></row>')
    assert _both(xml, shared=shared, shared_count=3) == (
        "表!C5：共享字符串编号“3”无效（应为 0 到 2 之间的整数）：文件已损坏或被改动"
    )


def test_a_value_met_again_is_the_same_value_only_with_the_same_type_and_style() -> None:
    """The scanner remembers each (type, style, text) it has read: one look-up for a
    repeated value, never another type's or style's value."""
    rows = ('<row r="1"><c r="A1" s="3"><v>40000</v></c><c r="B1"><v>40000</v></c>'
            '<c r="C1" t="s"><v>1</v></c><c r="D1" t="str"><v>1</v></c></row>'
            '<row r="2"><c r="A2"><v>40000</v></c><c r="B2" s="3"><v>40000</v></c>'
            '<c r="C2" t="str"><v>1</v></c><c r="D2" t="s"><v>1</v></c></row>')
    xml = _sheet(rows)
    dates = frozenset({3})
    got = _scan(xml, dates=dates, shared=["零", "一"])
    assert got == _stream(xml, False, dates=dates, shared=["零", "一"])
    day = X.excel_date(40000)
    assert [cells for _, cells in got] == [[day, 40000, "一", "1"], [40000, day, "1", "一"]]
