"""The input template of the batch audit, as CSV and XLSX: headers, a note row, two examples.

The headers are :data:`generator.audit.evaluation.COLUMNS`' (the columns ``ceportal audit``
reads, in its order); the note row starts with :data:`~generator.audit.evaluation.NOTE_MARK`, so
the audit skips it and the template itself audits cleanly (a test runs it through the CLI).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from typing import Any

from generator.audit.evaluation import COLUMNS, KIND_NAMES, NOTE_MARK
from generator.catalog.policy_model import Policy, as_policy
from generator.common.celltext import csv_field, set_text

log = logging.getLogger(__name__)

CSV_NAME = "audit-template.csv"
XLSX_NAME = "audit-template.xlsx"
# The names a download gets on the reviewer's machine.
DOWNLOAD_STEM = "学时核查输入模板"
SHEET = "学时记录"


def _names(names: Mapping[str, str]) -> str:
    return "、".join(names.values())


def notes(policy: Policy | Mapping[str, Any]) -> dict[str, str]:
    """How to fill each column (field id -> text), in the words of the CLI's help."""
    typed = as_policy(policy)
    first = typed.start_year
    return {
        "id": f"{NOTE_MARK}：本行可删除。同一申报人的各行编号相同",
        "name": "可留空",
        "kind": "、".join(KIND_NAMES.values()),
        "target": f"申报晋升填写：{_names(typed.targets)}（或代号）",
        "title": f"周期验审填写：{_names(typed.titles)}",
        "year": f"申报年度或验审年度，如 {first + 3}",
        "cycle_start": f"周期验审填写周期起始年度，如 {first}",
        "record_year": "每行一条学时记录；没有学时的申报人占一行，学时三列留空",
        "module": _names(typed.modules),
        "hours": "大于0的数字，如 8 或 2.5",
    }


def example_rows(policy: Policy | Mapping[str, Any]) -> list[dict[str, Any]]:
    """Two applicants: an engineer's promotion that is met, an engineer's cycle that falls
    short (field id -> value, one row per record)."""
    typed = as_policy(policy)
    first = typed.start_year
    target = typed.targets["engineer"]
    title = typed.titles["engineer"]
    modules = typed.modules
    promotion = {"id": "A001", "name": "张三", "kind": KIND_NAMES["promotion"], "target": target,
                 "year": first + 3}
    cycle = {"id": "A002", "name": "李四", "kind": KIND_NAMES["cycle"], "title": title,
             "year": first + 4, "cycle_start": first}
    records = [
        (promotion, first + 1, "public", 16),
        (promotion, first + 2, "public", 16),
        (promotion, first + 2, "elective", 72),
        (promotion, first + 3, "other", 24),
        (cycle, first, "public", 32),
        (cycle, first + 2, "elective", 120),
        (cycle, first + 4, "other", 8.5),
    ]
    return [
        {**head, "record_year": year, "module": modules[module], "hours": hours}
        for head, year, module, hours in records
    ]


def rows(policy: Policy | Mapping[str, Any]) -> list[list[Any]]:
    """The template's rows: headers, the note row, the examples."""
    ids = list(COLUMNS)
    note = notes(policy)
    out: list[list[Any]] = [[COLUMNS[f][0] for f in ids], [note[f] for f in ids]]
    out += [[row.get(f, "") for f in ids] for row in example_rows(policy)]
    return out


def template_csv(policy: Policy | Mapping[str, Any]) -> bytes:
    """UTF-8 with BOM (Excel then reads the Chinese right), CRLF, as the reports."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows(policy):
        writer.writerow([csv_field(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Rows the template's formats and drop-downs cover (an office's year of applicants).
TEMPLATE_ROWS = 2000


def choices(policy: Policy | Mapping[str, Any]) -> dict[str, list[str]]:
    """The drop-down lists of the template (field id -> names), from the policy."""
    typed = as_policy(policy)
    return {
        "kind": list(KIND_NAMES.values()),
        "target": list(typed.targets.values()),
        "title": list(typed.titles.values()),
        "module": list(typed.modules.values()),
    }


def template_xlsx(policy: Policy | Mapping[str, Any], epoch: int) -> bytes:
    """One sheet: bold headers, the note row wrapped in grey, the examples; the 编号 column
    formatted as text (an 18-digit 公民身份号码 typed into it stays whole), drop-downs for
    类型, 拟申报, 现职称 and 类别 from the policy; reproducible."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from generator.common.reproducible import new_workbook, save_workbook

    wb = new_workbook("继续教育学时核查输入表", epoch)
    ws = wb.active
    ws.title = SHEET
    grey = Font(color="595959", size=9)
    for r, row in enumerate(rows(policy), start=1):
        for c, value in enumerate(row, start=1):
            cell = set_text(ws.cell(r, c), value) if isinstance(value, str) else ws.cell(r, c, value)
            if r == 1:
                cell.font = Font(bold=True)
            elif r == 2:
                cell.font = grey
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = (14, 10, 12, 22, 14, 12, 14, 18, 14, 10)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "A2"
    ids = list(COLUMNS)
    id_letter = get_column_letter(ids.index("id") + 1)
    # Text, never a number: Excel keeps 15 digits of a number (330303199202118297 would
    # become 330303199202118000). The column's own format covers rows typed later.
    ws.column_dimensions[id_letter].number_format = "@"
    for r in range(1, TEMPLATE_ROWS + 1):
        ws[f"{id_letter}{r}"].number_format = "@"
    for fid, names in choices(policy).items():
        letter = get_column_letter(ids.index(fid) + 1)
        check = DataValidation(
            type="list",
            formula1='"' + ",".join(names) + '"',
            allow_blank=True,
            errorStyle="warning",
            errorTitle=COLUMNS[fid][0],
            error=f"请从列表中选择（{'、'.join(names)}），或填写 ceportal audit 认得的别名",
        )
        check.add(f"{letter}3:{letter}{TEMPLATE_ROWS}")
        ws.add_data_validation(check)
    return save_workbook(wb, epoch)
