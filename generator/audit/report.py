"""The batch audit's report: one row per applicant, as CSV (UTF-8 with BOM) or XLSX,
text always text (never a formula), and the one-line summary.

Runs in the browser too (the /audit/ page's wheel): standard library only, apart from
openpyxl for an XLSX report.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from generator.common.celltext import csv_field, set_text

from .reading import AuditError

log = logging.getLogger(__name__)

REPORT_COLUMNS = (
    "编号",
    "姓名",
    "是否达标",
    "应修总学时",
    "应修公需学时",
    "已计总学时",
    "已计公需学时",
    "总学时缺口",
    "公需学时缺口",
    "依据",
    "推定依据",
    "提示",
    "错误",
)

@dataclass
class AuditResult:
    """One applicant's outcome: the rules' response, or the reason it could not be evaluated."""

    id: str
    name: str
    response: dict[str, Any] | None = None
    error: str | None = None
    request: dict[str, Any] | None = field(default=None, repr=False)

    def report_row(self) -> list[Any]:
        """The row of the report, in :data:`REPORT_COLUMNS` order (numbers stay numbers)."""
        r = self.response
        if r is None:
            return [self.id, self.name, "", "", "", "", "", "", "", "", "", "", self.error or ""]
        return [
            self.id,
            self.name,
            "是" if r["met"] else "否",
            r["required"]["total"],
            r["required"]["public"],
            r["counted"]["total"],
            r["counted"]["public"],
            r["shortfall"]["total"],
            r["shortfall"]["public"],
            r["basis"],
            "；".join(a["text"] for a in r["assumptions"]),
            "；".join(w["text"] for w in r["warnings"]),
            "",
        ]


# Control characters: shown as their symbols, refused in the cells they came from.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as their symbols (U+0001 as ␁), which every
    spreadsheet can hold (XLSX cannot hold most control characters at all)."""
    return CONTROL_CHARS.sub(lambda m: chr(0x2421 if m[0] == "\x7f" else 0x2400 + ord(m[0])), text)



def _csv_value(value: Any) -> Any:
    """A report value for CSV: text that could run as a formula gets a leading ``'``."""
    if isinstance(value, str):
        return csv_field(visible(value))
    return repr(value) if isinstance(value, float) else value


def report_rows(results: Iterable[AuditResult]) -> Iterator[list[Any]]:
    """The report as rows, header first."""
    yield list(REPORT_COLUMNS)
    for r in results:
        yield r.report_row()


def write_report_csv(results: Iterable[AuditResult], out: io.TextIOBase | Any) -> None:
    """Write the report as CSV text to an open text stream (no BOM: the caller decides)."""
    writer = csv.writer(out, lineterminator="\r\n")
    for row in report_rows(results):
        writer.writerow([_csv_value(v) for v in row])


def write_report(results: Sequence[AuditResult], path: str | Path) -> None:
    """Write the report to ``path``: ``.csv`` (UTF-8 with BOM, so Excel reads the
    Chinese right) or ``.xlsx``. Written beside and renamed, so a failed run never
    leaves half a report."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AuditError(f"{path}：报告只能是 .csv 或 .xlsx 文件")
    from generator.common.safefiles import atomic_write, through_memory

    def save(tmp: str) -> None:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                write_report_csv(results, f)
        else:
            through_memory(lambda out: _write_xlsx(results, out))(tmp)

    atomic_write(path, save)


def _write_xlsx(results: Sequence[AuditResult], path: Path | IO[bytes]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("核算结果")
    sheet.freeze_panes = "A2"
    for letter, width in zip(
        "ABCDEFGHIJKLM", (12, 10, 8, 10, 12, 10, 12, 10, 12, 60, 50, 30, 40), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for title in REPORT_COLUMNS:
        c = WriteOnlyCell(sheet, value=title)
        c.font = bold
        header.append(c)
    sheet.append(header)
    for r in results:
        # Typed as text: "=HYPERLINK(…)" in a name stays the name, never a formula.
        sheet.append([
            set_text(WriteOnlyCell(sheet), visible(v) if isinstance(v, str) else v)
            for v in r.report_row()
        ])
    book.save(path)


def summary(results: Sequence[AuditResult]) -> str:
    """One Chinese line for the terminal: how many met, did not, could not be evaluated."""
    met = sum(1 for r in results if r.response is not None and r.response["met"])
    failed = sum(1 for r in results if r.error is not None)
    return (
        f"共核算 {len(results)} 人：达标 {met} 人，未达标 {len(results) - met - failed} 人，"
        f"出错 {failed} 人"
    )

