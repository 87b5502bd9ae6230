"""Fixtures of the batch-audit suite: the audit inputs of the parity tests, the CLI's
reports for them, and the calculator + audit pages served bare on 127.0.0.1 in the
session's watched context (tests/pages.py)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bench.bench_audit import rows as bench_rows
from generator.browser import EnginePage, audit_files, calculator_files
from generator.catalog.model import Catalog
from generator.catalog.validating import load_catalog
from generator.site import calculator_preview as preview
from tests.audit.office import merged_layout, synonyms_layout, two_row_header
from tests.browser import Watch
from tests.pages import base_url as base_url
from tests.pages import shared as shared
from tests.pages import watch as watch

ROOT = Path(__file__).resolve().parents[2]
ZH = ["编号", "姓名", "类型", "拟申报", "现职称", "年度", "周期起始", "学时年度", "类别", "学时"]
EN = ["id", "name", "kind", "target", "title", "year", "cycle_start", "record_year", "module",
      "hours"]

# Chinese names, an extra column, half hours, an applicant without hours, a blank line.
GOOD = [
    ["A01", "张三", "申报晋升", "工程师", "", 2011, "", 2009, "公共必修课", 8],
    ["A01", "", "", "", "", "", "", 2010, "专业选修课", 40.5],
    ["A01", "", "", "", "", "", "", 2011, "其他形式", 24],
    ["A02", "李四", "周期验审", "", "工程师", 2013, 2009, 2009, "公共必修课", 32],
    ["A02", "李四", "周期验审", "", "工程师", 2013, 2009, 2012, "专业选修课", 168],
    ["A03", "王五", "申报晋升", "初次申报初级", "", 2010, "", "", "", ""],
    ["A04", "赵六", "周期验审", "", "技术员", 2012, 2011, 2011, "公共必修课", 16],
    ["A04", "", "", "", "", "", "", 2012, "专业选修课", 48],
    ["A05", "钱七", "申报晋升", "senior_engineer", "", 2014, "", 2008, "public", 8],
    ["A05", "钱七", "申报晋升", "senior_engineer", "", 2014, "", 2013, "elective", 200],
]
# One problem a row, each a different cell; the others of the same applicant still count.
INVALID = [
    ["B01", "孙一", "申报晋升", "工程师", "", 2012, "", 2011, "公共必修课", "十六"],
    ["B02", "孙二", "申报晋升", "工程师", "", "二〇一二", "", 2011, "公共必修课", 8],
    ["B03", "孙三", "申报晋升", "工程师", "", 2012, "", 2011, "讲座", 8],
    ["B04", "孙四", "申报晋升", "助理工程师", "", 2012, "", 2011, "公共必修课", 8],
    ["B05", "孙五", "申报晋升", "工程师", "", 2012, "", 2011, "公共必修课", 0],
    ["B05", "孙五改", "申报晋升", "工程师", "", 2012, "", 2011, "专业选修课", 8],
    ["", "无编号", "申报晋升", "工程师", "", 2012, "", 2011, "公共必修课", 8],
    ["B06", "孙六", "", "", "", 2012, "", 2011, "公共必修课", 8],
    ["B07", "孙七", "周期验审", "", "工程师", 2012, "", 2011, "公共必修课", 8],
    ["B08", "孙八", "申报晋升", "工程师", "", 2005, "", 2004, "公共必修课", 8],
    ["B09", "孙九", "申报晋升", "工程师", "", 2012, "", 2011, "", 8],
    ["B10", "=HYPERLINK(\"x\")", "申报晋升", "工程师", "", 2012, "", 2011, "专业选修课", 20000],
]
NO_HOURS = [
    ["C01", "周一", "申报晋升", "junior_first", "", 2009, "", "", "", ""],
    ["C02", "周二", "周期验审", "", "助理工程师", 2012, 2009, "", "", ""],
    ["C03", "周三", "申报晋升", "技术员晋升助理工程师", "", 2011, "", "", "", ""],
]


def write_csv(path: Path, headers: list[str], rows: list[list[Any]], *, bom: bool = True) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "学时记录"
    sheet.append(headers)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def english(rows: list[list[Any]]) -> list[list[Any]]:
    """The same rows with the English headers' column order reversed (order is free)."""
    return [list(reversed(r)) for r in rows]


@dataclass(frozen=True)
class Cli:
    """What ``ceportal audit NAME -o report.csv`` and ``-o report.xlsx`` gave, run in
    the input's folder (so messages name the file as the page does)."""

    path: Path
    code: int
    stderr: str
    csv: bytes | None
    xlsx_rows: list[list[Any]] | None


def run_cli(path: Path) -> Cli:
    folder = path.parent
    out_csv, out_xlsx = folder / f"{path.name}.report.csv", folder / f"{path.name}.report.xlsx"
    command = [sys.executable, "-m", "generator.cli", "audit", path.name]
    first = subprocess.run([*command, "-o", out_csv.name], cwd=folder, capture_output=True,
                           text=True, check=False)
    second = subprocess.run([*command, "-o", out_xlsx.name], cwd=folder, capture_output=True,
                            text=True, check=False)
    assert first.returncode == second.returncode
    if first.returncode == 2:
        return Cli(path, 2, first.stderr, None, None)
    return Cli(path, first.returncode, first.stderr, out_csv.read_bytes(), xlsx_rows(out_xlsx.read_bytes()))


# The audit worker's own call, waiting for its helper (audit-worker.js): what the second
# engine takes on is then the same on every run, however busy the machine.
HELPED = """async ([name, b64]) => {
  const engine = await import(document.querySelector('script[src*="engine.js"]').src);
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const done = await engine.call({op: "run", name, bytes, waitForHelper: true});
  return {csv: done.csv, summary: done.summary, helped: done.helped};
}"""
HELPER_BYTES = 1024 * 1024  # audit-worker.js: from this size on a file is shared


def xlsx_rows(data: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def make_inputs(folder: Path) -> list[Path]:
    """The parity set: CSV and XLSX, Chinese and English headers, invalid cells,
    applicants without hours, 1,000 applicants, and files that cannot be read."""
    folder.mkdir(parents=True, exist_ok=True)
    big = bench_rows(1000, 4, seed=17)
    made = [
        write_csv(folder / "申报人.csv", ZH, GOOD),
        write_csv(folder / "english.csv", list(reversed(EN)), english(GOOD), bom=False),
        write_csv(folder / "invalid.csv", ZH, INVALID),
        write_csv(folder / "no-hours.csv", ZH, NO_HOURS),
        write_csv(folder / "big-1000.csv", ZH, big),
        write_xlsx(folder / "申报人.xlsx", ZH, GOOD),
        write_xlsx(folder / "english.xlsx", list(reversed(EN)), english(GOOD + NO_HOURS)),
        write_xlsx(folder / "invalid.xlsx", ZH, INVALID),
        write_xlsx(folder / "big-1000.xlsx", ZH, big),
    ]
    # Office layouts (tests/audit/office.py): merged cells, a two-row header, synonyms and
    # date cells; a GBK CSV with a title row, full-width digits and a 合计 row.
    made += [merged_layout(folder / "合并单元格.xlsx"), two_row_header(folder / "两行表头.xlsx"),
             synonyms_layout(folder / "同义列名.xlsx")]
    gbk = folder / "gbk.csv"
    lines = ["2011年度学时登记表", ",".join(ZH)]
    lines += [",".join(str(v) for v in row) for row in GOOD]
    lines += ["合计,,,,,,,,,", "Ｂ０１,全角,申报晋升,中级,,２０１１,,２０１１,公需课,２４．５"]
    gbk.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    made.append(gbk)
    missing = write_csv(folder / "missing.csv", ZH[:5], [["A01", "张三", "申报晋升", "工程师", ""]])
    text = folder / "notes.txt"
    text.write_text("编号\n", encoding="utf-8")
    broken = folder / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    return [*made, missing, text, broken]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    bundled, _warnings = load_catalog(ROOT / "catalog")
    return bundled


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_inputs(tmp_path_factory.mktemp("audit-inputs"))


@pytest.fixture(scope="session")
def cli_reports(inputs: list[Path]) -> dict[str, Cli]:
    return {p.name: run_cli(p) for p in inputs}


@pytest.fixture(scope="session")
def produced(catalog: Catalog, fixed_epoch: None) -> dict[str, bytes | Path | EnginePage]:
    """Built at SOURCE_DATE_EPOCH (tests/conftest.py): the deployment date is fixed."""
    return {**calculator_files(catalog), **audit_files(catalog)}


def write_preview(out: Path, produced: dict[str, bytes | Path | EnginePage]) -> Path:
    """The calculator's bare preview, ``audit/index.html`` made the same way."""
    preview.write(out, produced)
    return out


@pytest.fixture(scope="session")
def site_dir(produced: dict[str, bytes | Path | EnginePage], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_preview(tmp_path_factory.mktemp("audit-site"), produced)


@pytest.fixture(scope="session")
def audit_page(shared: tuple[Any, Watch], base_url: str) -> Any:
    """The bare audit page, engine ready (one Pyodide boot for the parity tests)."""
    context, _watch = shared
    page = context.new_page()
    page.goto(base_url + "audit/index.html")
    page.evaluate("window.ceAudit.ready")
    return page
