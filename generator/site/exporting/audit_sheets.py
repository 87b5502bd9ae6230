"""One 核查单 per applicant, as Word documents a reviewer prints and signs
(``ceportal audit FILE --sheets DIR``).

Each A4 page gives the applicant's figures, the counting window, the basis, the
assumptions and notes, every record with 计入 or the reason it was not counted, and
lines for the reviewers' signatures and the date. The same content as the page's printed
核查单 (``/audit/``, from :meth:`generator.browser.worker.audit.BrowserAudit.sheet`).
CLI only (python-docx is not in the browser's wheel, so this is not in generator/audit/).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from generator.audit.report import AuditResult, ReportInfo, record_lines
from generator.common.celltext import cell_text

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
RECORD_HEAD = ("行号", "学时年度", "类别", "学时", "计入", "说明")


def sheet_name(number: int, result: AuditResult) -> str:
    """``0001-编号-姓名.docx``: in the table's order, safe on every file system."""
    parts = [f"{number:04d}", result.id or "无编号", result.name]
    stem = "-".join(_UNSAFE.sub("_", p)[:40] for p in parts if p)
    return f"{stem}.docx"


def _figures(result: AuditResult) -> list[tuple[str, str]]:
    r = result.response
    rows = [("编号", result.id or "（无编号）"), ("姓名", result.name or "—")]
    if result.unit:
        rows.append(("单位", result.unit))
    rows += [("拟申报/周期", result.program or "—"), ("年度", cell_text(result.year) or "—"),
             ("结论", result.verdict)]
    if r is None:
        rows.append(("错误", result.error or ""))
        return rows
    for label, key in (("总学时", "total"), ("公需学时", "public")):
        rows.append((
            f"{label}（已计 / 应修，差额）",
            f"{cell_text(r['counted'][key])} / {cell_text(r['required'][key])}，"
            f"差额 {cell_text(r['shortfall'][key])}",
        ))
    rows += [("计算窗口", result.window()), ("依据", r["basis"])]
    return rows


def sheet_document(result: AuditResult, info: ReportInfo) -> bytes:
    """The 核查单 of one applicant as .docx bytes (the same for the same input and day)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from .documents import (
        FANGSONG,
        HEI,
        SIZE,
        SONG,
        fit_widths,
        new_document,
        new_paragraph,
        save,
        type_width,
    )

    epoch = calendar.timegm(info.today.timetuple())
    doc = new_document("继续教育学时核查单", epoch, SONG, SIZE["五号"])
    new_paragraph(doc, "继续教育学时核查单", HEI, SIZE["小二"], align=WD_ALIGN_PARAGRAPH.CENTER)
    source = new_paragraph(doc, info.title(), FANGSONG, 9)
    source.paragraph_format.space_after = Pt(6)

    width = type_width()
    figures = _figures(result)
    table = doc.add_table(rows=len(figures), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, figures, strict=True):
        for cell, text, bold in ((row.cells[0], label, True), (row.cells[1], value, False)):
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
    fit_widths(table, [width * 3 // 10, width - width * 3 // 10])

    new_paragraph(doc, "学时记录", HEI, SIZE["小四"]).paragraph_format.space_before = Pt(10)
    lines = list(record_lines(result))
    records = doc.add_table(rows=1 + max(1, len(lines)), cols=len(RECORD_HEAD))
    records.style = "Table Grid"
    for cell, text in zip(records.rows[0].cells, RECORD_HEAD, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    if not lines:
        records.rows[1].cells[0].paragraphs[0].add_run("（没有学时记录）")
    for row, line in zip(records.rows[1:], lines, strict=False):
        for cell, value in zip(row.cells, line[2:], strict=True):
            cell.paragraphs[0].add_run(cell_text(value))
    unit = width // 20
    fit_widths(records, [2 * unit, 3 * unit, 3 * unit, 2 * unit, 2 * unit, width - 12 * unit])

    r = result.response
    for title, items in (
        ("推定", [a["text"] for a in r["assumptions"]] if r else []),
        ("提示", [w["text"] for w in r["warnings"]] + result.notes if r else result.notes),
    ):
        if items:
            new_paragraph(doc, title, HEI, SIZE["小四"]).paragraph_format.space_before = Pt(10)
            for item in items:
                new_paragraph(doc, f"· {item}", SONG, SIZE["五号"])

    sign = new_paragraph(doc, "审核人（签名）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
                         SONG, SIZE["小四"])
    sign.paragraph_format.space_before = Pt(28)
    again = new_paragraph(doc, "复核人（签名）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
                          SONG, SIZE["小四"])
    again.paragraph_format.space_before = Pt(18)
    return save(doc, epoch)


def write_sheets(results: Sequence[AuditResult], folder: str | Path, info: ReportInfo) -> list[Path]:
    """One .docx per applicant in ``folder`` (made if missing), each written beside and
    renamed; the paths written, in the table's order."""
    from generator.common.safefiles import atomic_write

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number, result in enumerate(results, start=1):
        path = out / sheet_name(number, result)
        data = sheet_document(result, info)

        def save(tmp: str, data: bytes = data) -> None:
            Path(tmp).write_bytes(data)

        atomic_write(path, save)
        written.append(path)
    return written
