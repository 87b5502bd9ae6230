"""Word downloads (python-docx): the registration form and the notice."""

from __future__ import annotations

import io
import logging

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..rendering.notice import Notice
from .forms import Form
from .reproducible import build_time, normalize_zip

log = logging.getLogger(__name__)

_AUTHOR = "温州市工程技术（一）系列继续教育门户"


def _new_document(title: str, epoch: int) -> DocxDocument:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(12)
    # Chinese text takes the East Asian font slot, not w:ascii.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    props = doc.core_properties
    when = build_time(epoch).replace(tzinfo=None)
    props.title = title
    props.author = _AUTHOR
    props.last_modified_by = _AUTHOR
    props.created = when
    props.modified = when
    props.revision = 1
    props.language = "zh-CN"
    return doc


def _save(doc: DocxDocument, epoch: int) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return normalize_zip(out.getvalue(), epoch)


def _centered(doc: DocxDocument, text: str, size: int, bold: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold


def form_docx(form: Form, epoch: int) -> bytes:
    """The registration form: a two-column table, one row per field, then the approval box."""
    doc = _new_document(form.title, epoch)
    _centered(doc, form.title, 16, bold=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field in form.fields:
        cells = table.add_row().cells
        cells[0].text = field.label
        cells[1].text = "□" + "　□".join(field.choices) if field.choices else ""
    approval = table.add_row().cells
    approval[0].text = form.approval
    approval[1].text = "\n\n（盖章）　　　年　　月　　日"
    for row in table.rows:
        row.cells[0].width = Cm(4)
        row.cells[1].width = Cm(11)
    doc.add_paragraph(form.instructions)
    return _save(doc, epoch)


def notice_docx(notice: Notice, epoch: int) -> bytes:
    """The notice as a Word document, laid out like the original."""
    doc = _new_document(notice.title, epoch)
    for issuer in notice.issuers:
        _centered(doc, issuer, 18, bold=True)
    _centered(doc, notice.number, 12)
    _centered(doc, notice.title, 16, bold=True)
    doc.add_paragraph(notice.salutation)
    for text in notice.preamble:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(24)
    for section in notice.sections:
        doc.add_paragraph().add_run(section.heading).bold = True
        for para in section.paragraphs:
            doc.add_paragraph(para.text).paragraph_format.first_line_indent = Pt(24)
    for line in notice.attachments:
        doc.add_paragraph(line)
    return _save(doc, epoch)
