"""generator.common.celltext: text never becomes a formula in CSV or XLSX."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell

from generator.common.celltext import cell_text, csv_field, set_text

DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "+1+2", "-1", "@SUM(1,1)",
             "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_field_prefixes_formula_starts(text: str) -> None:
    assert csv_field(text) == "'" + text


@pytest.mark.parametrize("value", ["普通文本", "8 学时", "", 16, -5, 2.5, None])
def test_csv_field_leaves_the_rest(value: object) -> None:
    assert csv_field(value) == value


@pytest.mark.parametrize("write_only", [False, True])
def test_set_text_round_trips_through_xlsx(write_only: bool) -> None:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    if write_only:
        ws.append([set_text(WriteOnlyCell(ws), t) for t in DANGEROUS])
    else:
        for i, t in enumerate(DANGEROUS, start=1):
            set_text(ws.cell(row=1, column=i), t)
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = back["s"] if write_only else back.active
    assert [c.value for c in sheet[1]] == DANGEROUS
    assert all(c.data_type == "s" for c in sheet[1])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""), ("  G-01 \r\n", "G-01"), ("a\r\nb\rc", "a\nb\nc"), (2011.0, "2011"),
        (1.5, "1.5"), (8, "8"), (True, "TRUE"), (False, "FALSE"),
        (dt.datetime(2011, 5, 1), "2011-05-01"), (dt.datetime(2011, 5, 1, 9, 30), "2011-05-01 09:30:00"),
        (dt.date(2011, 5, 1), "2011-05-01"), (dt.time(9, 30), "09:30:00"),
    ],
)
def test_a_cells_text_is_the_same_for_the_import_and_the_audit(value: object, text: str) -> None:
    assert cell_text(value) == text
