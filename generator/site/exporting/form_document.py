"""The registration form as a Word download: one A4 page, as printed government forms."""

from __future__ import annotations

import logging

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table, _Cell

from .documents import (
    CELL_MARGIN_TWIPS,
    HEI,
    SIZE,
    SONG,
    fit_widths,
    new_document,
    new_paragraph,
    save,
    style,
    twips,
    type_width,
)
from .forms import Cell, Form, grid, option_lines

log = logging.getLogger(__name__)

FORM_SIZE = SIZE["小四"]


def _grid_widths(form: Form) -> list[int]:
    """Column widths in twips, the last one absorbing rounding so they add up to the type
    area exactly."""
    widths = [twips(mm) for mm in form.layout.columns_mm]
    widths[-1] += type_width() - sum(widths)
    return widths


def _borders(table: Table) -> None:
    """Single lines, the frame heavier (1.5 pt), as on printed government forms."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4" if edge.startswith("inside") else "12")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    # Schema order matters: Word and LibreOffice ignore a tblBorders after tblLook.
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription")


def _fill(cell: _Cell, spec: Cell, form: Form, width: int) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    if spec.kind == "label":
        assert spec.field is not None
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style(first.add_run(spec.field.label), SONG, FORM_SIZE)
    elif spec.kind == "value":
        assert spec.field is not None
        field = spec.field
        if field.id == "signed_on":
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            style(first.add_run("年\u3000\u3000月\u3000\u3000日"), SONG, FORM_SIZE)
        elif field.choices:
            capacity = (width - 2 * CELL_MARGIN_TWIPS) // round(FORM_SIZE * 20) - 1
            for i, line in enumerate(option_lines(field.choices, capacity)):
                para = first if i == 0 else cell.add_paragraph()
                style(para.add_run(line), SONG, FORM_SIZE)
    elif spec.kind == "photo":
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style(first.add_run(form.layout.photo.label), SONG, FORM_SIZE)
        new_paragraph(cell, form.layout.photo.note, SONG, SIZE["五号"],
                   align=WD_ALIGN_PARAGRAPH.CENTER)
    else:  # the unit's approval
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        style(first.add_run(form.approval + "："), SONG, FORM_SIZE)
        first.paragraph_format.space_before = Pt(6)
        date = new_paragraph(cell, "年\u3000\u3000月\u3000\u3000日", SONG, FORM_SIZE,
                          align=WD_ALIGN_PARAGRAPH.RIGHT)
        date.paragraph_format.space_before = Pt(form.layout.approval_height_mm * 72 / 25.4 - 48)
        date.paragraph_format.right_indent = Pt(FORM_SIZE * 2)


def form_docx(form: Form, epoch: int) -> bytes:
    """The registration form for one person: title, the table (photo box, signature and
    date, the unit's approval) and how to hand it in, on one A4 page."""
    doc = new_document(form.title, epoch, SONG, FORM_SIZE)
    title = new_paragraph(doc, form.title, HEI, SIZE["小二"], align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(12)
    cells = grid(form)
    widths = _grid_widths(form)
    table = doc.add_table(rows=len(cells), cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the widths below are the widths
    _borders(table)
    heights = [r.height_mm for r in form.layout.rows] + [form.layout.approval_height_mm]
    for row, height in zip(table.rows, heights, strict=True):
        row.height = Twips(twips(height))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().insert(0, cant_split)
    for row_cells in cells:
        for spec in row_cells:
            cell = table.cell(spec.row, spec.column)
            if spec.span > 1 or spec.row_span > 1:
                cell = cell.merge(table.cell(spec.row + spec.row_span - 1,
                                             spec.column + spec.span - 1))
            _fill(cell, spec, form, sum(widths[spec.column:spec.column + spec.span]))
    fit_widths(table, widths)
    note = new_paragraph(doc, "填表说明：" + form.choose_on_paper + form.instructions, SONG,
                      SIZE["五号"])
    note.paragraph_format.space_before = Pt(6)
    return save(doc, epoch)


