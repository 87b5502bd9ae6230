"""Parity: ``window.ceAudit.run`` in Chromium gives byte for byte the CSV report of
``ceportal audit FILE -o report.csv`` and its summary line, and the page's XLSX report the
same rows as ``-o report.xlsx``, for every input of the set (tests/audit/conftest.py); a
file the CLI cannot read is refused with the CLI's message."""

from __future__ import annotations

import base64
import random
from pathlib import Path
from typing import Any

import pytest

from tests.audit.conftest import (
    HELPED,
    HELPER_BYTES,
    ZH,
    Cli,
    bench_rows,
    run_cli,
    write_csv,
    xlsx_rows,
)
from tests.browser import Watch

pytestmark = pytest.mark.browser

RUN = """async ([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  try {
    return await window.ceAudit.run(name, bytes);
  } catch (error) {
    return {error: error.message};
  }
}"""
# The page's own XLSX report of the same file (what its download button saves).
XLSX = """async ([name, b64]) => {
  const engine = await import(document.querySelector('script[src*="engine.js"]').src);
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const done = await engine.call({op: "run", name, bytes, keep: true});
  const xlsx = await engine.call({op: "xlsx", run: done.run});
  await engine.call({op: "close", run: done.run});
  let text = "";
  for (const byte of xlsx) text += String.fromCharCode(byte);
  return btoa(text);
}"""



def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _summary(cli: Cli) -> str:
    line = cli.stderr.strip().splitlines()[-1]
    assert line.startswith("ceportal audit: ")
    return line.removeprefix("ceportal audit: ")


def test_every_input_gives_the_cli_bytes(audit_page: Any, watch: Watch, inputs: list[Path],
                                          cli_reports: dict[str, Cli]) -> None:
    kinds = {"csv": 0, "xlsx": 0, "refused": 0}
    for path in inputs:
        cli = cli_reports[path.name]
        got = audit_page.evaluate(RUN, [path.name, _b64(path)])
        if cli.code == 2:
            assert got == {"error": _summary(cli)}, path.name
            kinds["refused"] += 1
            continue
        assert cli.csv is not None
        assert got["csv"].encode("utf-8") == cli.csv, path.name
        assert got["csv"].startswith("\ufeff")
        assert got["summary"] == _summary(cli), path.name
        kinds[path.suffix[1:]] += 1
    assert kinds == {"csv": 6, "xlsx": 7, "refused": 3}


def test_the_set_covers_what_it_claims(cli_reports: dict[str, Cli]) -> None:
    invalid = cli_reports["invalid.csv"].csv
    assert invalid is not None
    text = invalid.decode("utf-8-sig")
    for message in (
        "第2行 学时：学时必须是大于0的数字，收到“十六”",
        "第3行 年度：年度必须是整数（如 2009），收到“二〇一二”",
        "第8行 编号：编号不能为空",
        "第13行 学时：学时不能超过10000（一年只有8760小时），收到 20000",
    ):
        assert message in text
    summaries = {name: cli.stderr.strip().splitlines()[-1] for name, cli in cli_reports.items()}
    assert summaries["invalid.xlsx"] == ("ceportal audit: 共核算 11 人：达标 0 人，未达标 0 人，出错 11 人"
                                         "（工作表“学时记录”第1行为表头）")
    assert summaries["no-hours.csv"] == ("ceportal audit: 共核算 3 人：达标 0 人，未达标 3 人，出错 0 人"
                                         "（UTF-8 编码，第1行为表头）")
    assert summaries["gbk.csv"] == ("ceportal audit: 共核算 6 人：达标 2 人，未达标 4 人，出错 0 人"
                                    "（GBK 编码，第2行为表头；跳过合计/小计/总计行 第13行）")
    for name in ("合并单元格.xlsx", "两行表头.xlsx", "同义列名.xlsx"):
        assert summaries[name].startswith("ceportal audit: 共核算 3 人：达标 2 人，未达标 1 人，出错 0 人（")
    assert summaries["big-1000.xlsx"].startswith("ceportal audit: 共核算 1000 人：")
    assert summaries["english.csv"] == summaries["申报人.csv"]


def test_xlsx_report_has_the_cli_rows(audit_page: Any, watch: Watch, inputs: list[Path],
                                      cli_reports: dict[str, Cli]) -> None:
    checked = 0
    for path in inputs:
        cli = cli_reports[path.name]
        if cli.code == 2:
            continue
        got = audit_page.evaluate(XLSX, [path.name, _b64(path)])
        assert xlsx_rows(base64.b64decode(got)) == cli.xlsx_rows, path.name
        checked += 1
    assert checked == 13


def test_search_filters_sort_and_the_printed_sheet(audit_page: Any, watch: Watch,
                                                   inputs: list[Path]) -> None:
    from tests.audit.office import LI, WANG, ZHANG

    page = audit_page
    path = next(p for p in inputs if p.name == "合并单元格.xlsx")
    page.set_input_files("#ce-audit-file", str(path))
    page.locator("#ce-audit-file-name").get_by_text("文件：合并单元格.xlsx", exact=True).wait_for()
    page.locator("input[name=ce-audit-filter][value=all]").check()

    def ids() -> list[str]:
        return page.locator("#ce-audit-rows .ce-audit-id").all_inner_texts()

    assert ids() == [ZHANG, LI, WANG]
    page.fill("#ce-audit-search", "李")
    assert ids() == [LI]
    page.fill("#ce-audit-search", WANG[:10])
    assert ids() == [WANG]
    page.fill("#ce-audit-search", "")
    page.select_option("#ce-audit-unit", "=市一院")
    assert ids() == [ZHANG, WANG]
    page.select_option("#ce-audit-unit", "")
    page.select_option("#ce-audit-program", "=工程师周期验审（2009年起）")
    assert ids() == [WANG]
    page.select_option("#ce-audit-program", "")
    page.select_option("#ce-audit-sort", "status")  # 出错, 未达标, then 达标 in table order
    assert ids() == [LI, ZHANG, WANG]
    page.locator("input[name=ce-audit-filter][value=met]").check()
    assert ids() == [ZHANG, WANG]
    page.locator("input[name=ce-audit-filter][value=all]").check()

    # The 核查单: shown under the table, printed alone (window.print stubbed here).
    # A function, not an assignment expression: Playwright calls a function that an
    # expression evaluates to, which would count one print that the page never made.
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.locator("#ce-audit-rows button.ce-audit-sheet-button").first.click()
    head = page.locator("#ce-audit-sheet-head tr")
    head.nth(0).locator("td").get_by_text(LI, exact=True).wait_for()
    page.locator("body.ce-audit-printing").wait_for(state="attached")
    assert page.evaluate("window.__printed") == 1
    head_lines = page.locator("#ce-audit-sheet-head").inner_text().splitlines()
    assert [line for line in head_lines if line.startswith("计算窗口")] == ["计算窗口\t2009—2011年"]
    first = page.locator("#ce-audit-sheet-records tr").first.locator("td").all_inner_texts()
    assert first == ["8", "2008", "专业课", "100", "不计入", "2008年100学时不在2009—2011年计算窗口内"]
    assert "审核人（签名）" in page.locator("#ce-audit-sheet").inner_text()


def test_a_large_table_is_shared_with_a_second_engine(audit_page: Any, watch: Watch,
                                                      tmp_path: Path) -> None:
    """From 1 MiB on, the applicants whose rows are read go to a second engine while the
    file is still being read: the same bytes as the CLI; every applicant answered there
    when each one's rows are together, only those whose rows did not change after their
    request went out when the rows come in no order; none for a small file."""
    rows = bench_rows(2600, 10, seed=23)
    together = write_csv(tmp_path / "大表.csv", ZH, rows)
    random.Random(1).shuffle(rows)
    shuffled = write_csv(tmp_path / "乱序.csv", ZH, rows)
    small = write_csv(tmp_path / "小表.csv", ZH, bench_rows(200, 10, seed=23))
    assert together.stat().st_size >= HELPER_BYTES > small.stat().st_size
    helped = {}
    for path in (together, shuffled, small):
        cli = run_cli(path)
        assert cli.csv is not None
        got = audit_page.evaluate(HELPED, [path.name, _b64(path)])
        assert got["csv"].encode("utf-8") == cli.csv, path.name
        assert got["summary"] == _summary(cli), path.name
        helped[path.name] = got["helped"]
    assert helped["大表.csv"] == 2600
    assert 0 <= helped["乱序.csv"] < 2600
    assert helped["小表.csv"] == 0
