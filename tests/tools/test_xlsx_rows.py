"""The fast sheet reader of the audit gives the values openpyxl gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.common.xlsx_rows import XlsxError, read_first_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _excel_like(path: Path) -> Path:
    """A workbook as Excel writes it: shared strings (one rich, one with phonetic runs),
    a prefixed namespace, a second sheet listed first in the zip, a relative target."""
    workbook = (
        f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheets>'
        '<x:sheet name="学时" sheetId="1" r:id="rId7"/><x:sheet name="其他" sheetId="2" r:id="rId8"/>'
        "</x:sheets></x:workbook>"
    )
    rels = (
        f'<Relationships xmlns="{PKG}">'
        '<Relationship Id="rId8" Type="x/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId7" Type="x/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    shared = (
        f'<sst xmlns="{MAIN}"><si><t>编号</t></si><si><r><t>学</t></r><r><t xml:space="preserve">时 </t></r></si>'
        "<si><t>张三</t><rPh><t>ちょう</t></rPh></si></sst>"
    )
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>2011</v></c><c r="C3"><v>8.5</v></c>'
        '<c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A1</f><v>编号</v></c>'
        '<c r="F3" t="inlineStr"><is><t>内联</t></is></c><c r="G3" s="1"/></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
        )
        z.writestr("xl/worksheets/sheet2.xml", sheet)
    return path


def test_excel_like_workbook(tmp_path: Path) -> None:
    assert read_first_sheet(_excel_like(tmp_path / "excel.xlsx")) == [
        (1, ["编号", None, "学时 "]),
        (3, ["张三", 2011, 8.5, True, "编号", "内联", None]),
    ]


def test_same_values_as_openpyxl(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    rows = [
        ["编号", "姓名", "学时"],
        ["A1", None, 8],
        [None, "李四", 2.25],
        ["0123", "=1+1", -3],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)
    ours = read_first_sheet(path)
    theirs = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    expected = [(n, list(v)) for n, v in enumerate(theirs.iter_rows(values_only=True), start=1)]
    # A formula without a cached result reads as None (data_only). openpyxl pads every row to the sheet's width; ours stops at the last cell.
    assert [(n, v + [None] * (3 - len(v))) for n, v in ours] == expected


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("编号,姓名\n", encoding="utf-8")
    with pytest.raises(XlsxError) as caught:
        read_first_sheet(path)
    assert str(caught.value) == "不是有效的 .xlsx 工作簿（File is not a zip file）"
