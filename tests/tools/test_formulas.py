"""No formula nobody wrote (issue 19, item 2): text that begins with = + - @, a tab or a
CR is written as text at every spreadsheet boundary of the tools (the audit reports,
``export-xlsx``), and the export -> import round trip keeps it exactly."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog.model import Course, YearCatalog
from generator.catalog.spreadsheets import export_workbook, read_workbook
from generator.catalog.validating import load_catalog, load_year_text

CAT = str(Path(__file__).resolve().parents[2] / "catalog")
HOSTILE = ['=HYPERLINK("http://x.example","点我")', "=cmd|' /C calc'!A0", "+1+2", "-2+3",
           "@SUM(1,1)"]
HEADER = "编号,姓名,类型,拟申报,现职称,年度,周期起始,学时年度,类别,学时\r\n"


def _no_formulas(data: bytes) -> None:
    """No cell of any sheet of the workbook ``data`` holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_audit_reports_write_hostile_text_as_text(
    tmp_path: Path, ceportal: Callable[..., Any]
) -> None:
    rows = [HEADER]
    # A leading tab or space (which defuses a formula in some readers) is stripped from
    # the cell, and the text is still neutralised.
    names = [*HOSTILE, "\t=1+2", " =1+3"]
    for name in names:
        rows.append(f"{_csv_field(name)},{_csv_field(name)},申报晋升,工程师,,2011,,2011,"
                    "公共必修课,16\r\n")
    (tmp_path / "in.csv").write_text("".join(rows), encoding="utf-8")
    stripped = [n.strip() for n in names]
    ids = ["".join(n.split()) for n in names]  # an 编号 loses its spaces (DESIGN.md, v3)
    assert ceportal("audit", "--catalog", CAT, str(tmp_path / "in.csv"),
                    "-o", str(tmp_path / "r.csv")).code == 0
    table = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    pairs = list(zip(ids, stripped, strict=True))
    assert [(r[0], r[1]) for r in table[1:]] == [("'" + i, "'" + n) for i, n in pairs]
    assert ceportal("audit", "--catalog", CAT, str(tmp_path / "in.csv"),
                    "-o", str(tmp_path / "r.xlsx")).code == 0
    data = (tmp_path / "r.xlsx").read_bytes()
    _no_formulas(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    # Row 1 is the report's title line, row 2 its header.
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=3)] == pairs
    # Standard output is CSV too: the same neutralised text.
    run = ceportal("audit", "--catalog", CAT, str(tmp_path / "in.csv"))
    assert [r[:2] for r in csv.reader(io.StringIO(run.out))][1:] == [
        ["'" + i, "'" + n] for i, n in pairs
    ]


def test_a_control_character_in_a_name_goes_to_that_applicants_error(
    tmp_path: Path, ceportal: Callable[..., Any]
) -> None:
    (tmp_path / "in.csv").write_text(
        HEADER
        + "A01,张\x01三,申报晋升,工程师,,2011,,2011,公共必修课,16\r\n"
        + "A02,李四,申报晋升,工程师,,2011,,2011,公共必修课,16\r\n",
        encoding="utf-8",
    )
    before = (tmp_path / "in.csv").read_bytes()
    run = ceportal("audit", "--catalog", CAT, str(tmp_path / "in.csv"), "-o",
                   str(tmp_path / "r.xlsx"))
    assert run.code == 1
    assert run.err == (
        "ceportal audit: 共核算 2 人：达标 0 人，未达标 1 人，出错 1 人（UTF-8 编码，第1行为表头）\n"
    )
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert rows[0][:5] == ["A01", "张␁三", "助理工程师晋升工程师", 2011, "出错"]
    assert rows[0][-1] == "第2行 姓名：含有控制字符 ␁（U+0001），请删除后再核算"
    assert rows[1][:5] == ["A02", "李四", "助理工程师晋升工程师", 2011, "未达标"]
    assert (tmp_path / "in.csv").read_bytes() == before


# --- export-xlsx -> import-xlsx ------------------------------------------------------


def _year(title: str, description: str | None = None) -> YearCatalog:
    return YearCatalog(
        year=2011,
        title=title,
        courses=(Course(code="G-01", title=title, module="public", hours=8,
                        description=description, teacher=title),),
    )


def test_catalog_text_that_looks_like_a_formula_round_trips(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any], catalog_copy: Path
) -> None:
    for i, text in enumerate(HOSTILE):
        path = tmp_path / f"{i}.xlsx"
        export_workbook(_year(text, text), 2011, policy, path)
        _no_formulas(path.read_bytes())
        model, _text, _warnings = read_workbook(path, 2011, policy)
        assert model == _year(text, text)
    # and through the commands, as the README promises
    (catalog_copy / "2011.yaml").write_text(
        "year: 2011\ntitle: \"=1+1\"\ncourses:\n  - code: G-01\n    title: \"=HYPERLINK(1)\"\n"
        "    module: public\n    hours: 8\nclasses: []\n", encoding="utf-8")
    before = (catalog_copy / "2011.yaml").read_bytes()
    out = tmp_path / "plan.xlsx"
    assert ceportal("export-xlsx", "--year", "2011", "--catalog", str(catalog_copy),
                    "-o", str(out)).code == 0
    _no_formulas(out.read_bytes())
    run = ceportal("import-xlsx", str(out), "--year", "2011", "--catalog", str(catalog_copy),
                   "-o", str(tmp_path / "back.yaml"))
    assert run.code == 0, run
    back, _warnings = load_year_text((tmp_path / "back.yaml").read_bytes(), policy, year=2011)
    assert (back.title, back.courses[0].title) == ("=1+1", "=HYPERLINK(1)")
    assert back == load_catalog(catalog_copy)[0].year(2011)
    assert (catalog_copy / "2011.yaml").read_bytes() == before


# Text the catalog accepts in a one-line field: no control characters, no surrounding
# space (the validator strips it), not empty; formula starts are likely.
_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                           blacklist_characters="\ufeff\ufffe\uffff"),
    min_size=1, max_size=40,
)
_TEXT = st.tuples(st.sampled_from(["", "=", "+", "-", "@", "=1+", "'"]), _LINE).map(
    lambda t: (t[0] + t[1]).strip()
).filter(bool)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, description=_TEXT)
def test_random_text_round_trips_and_never_becomes_a_formula(
    tmp_path: Path, policy: dict[str, Any], title: str, description: str
) -> None:
    path = tmp_path / "r.xlsx"
    path.unlink(missing_ok=True)
    year = _year(title, description)
    export_workbook(year, 2011, policy, path)
    _no_formulas(path.read_bytes())
    model, _text, _warnings = read_workbook(path, 2011, policy)
    assert model == year


# --- the published downloads ------------------------------------------------------------


def test_published_csv_and_class_plan_write_formula_like_text_as_text(
    policy: dict[str, Any]
) -> None:
    from generator.site.exporting.opendata import year_csv
    from generator.site.exporting.workbooks import class_plan_xlsx

    for text in HOSTILE:
        year = _year(text, text)
        rows = list(csv.reader(io.StringIO(year_csv(year, policy).decode("utf-8-sig"))))
        assert rows[1][1] == rows[1][6] == rows[1][7] == "'" + text
        _no_formulas(class_plan_xlsx(year, policy, 0))
