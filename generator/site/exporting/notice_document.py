"""The notice as a Word download, laid out like the official document (GB/T 9704-2012)."""

from __future__ import annotations

import logging

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from generator.site.rendering.notice import Notice

from .documents import (
    FANGSONG,
    HEI,
    RED,
    SIZE,
    SONG,
    Font,
    fit_widths,
    new_document,
    new_paragraph,
    save,
    style,
    type_width,
)

log = logging.getLogger(__name__)

BODY_SIZE = SIZE["三号"]
BODY_LINE = Pt(29)  # 22 lines in the 225 mm type area (GB/T 9704-2012 5.2.3)
def _body(doc: DocxDocument, text: str, font: Font = FANGSONG, *, indent: bool = True) -> Paragraph:
    para = new_paragraph(doc, text, font, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = BODY_LINE
    if indent:  # 首行缩进二字, in characters so it follows the font size
        ind = para._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
        ind.set(qn("w:firstLine"), str(round(BODY_SIZE * 40)))
    return para


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """GB/T 9704 7.5: 4号半角宋体阿拉伯数字, a dash either side, odd pages on the right and
    even pages on the left, one character in from the edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIZE["四号"])
    else:
        fmt.left_indent = Pt(SIZE["四号"])
    style(paragraph.add_run("— "), SONG, SIZE["四号"])
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = paragraph.add_run("1")
    style(run, SONG, SIZE["四号"])
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)
    style(paragraph.add_run(" —"), SONG, SIZE["四号"])


def _issuer_mark(doc: DocxDocument, issuers: tuple[str, ...]) -> None:
    """发文机关标志 of a joint document (GB/T 9704 7.2.4): the issuers one above the other,
    "文件" to their right, centred on them, in red."""
    widths = [round(type_width() * 0.78), 0]
    widths[1] = type_width() - widths[0]
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    names, word = table.rows[0].cells
    size = 26
    for i, issuer in enumerate(issuers):
        para = names.paragraphs[0] if i == 0 else names.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        style(para.add_run(issuer), SONG, size, bold=True, color=RED)
    word.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    word.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    style(word.paragraphs[0].add_run("文件"), SONG, size + 10, bold=True, color=RED)
    fit_widths(table, widths)


def _rule(paragraph: Paragraph) -> None:
    """The red line under the document number, as wide as the type area."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "12"), ("color", "FF0000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                              "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                              "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def title_lines(notice_text: str, title: str) -> list[str]:
    """The title as the notice's own lines (a title breaks between words, GB/T 9704
    7.3.1): the run of consecutive lines whose text is the title, else the title whole."""
    lines = [line.strip() for line in notice_text.splitlines() if line.strip()]
    for start in range(len(lines)):
        joined = ""
        for end in range(start, len(lines)):
            joined += lines[end]
            if joined == title:
                return lines[start:end + 1]
            if not title.startswith(joined):
                break
    return [title]


def notice_docx(notice: Notice, epoch: int, notice_text: str = "") -> bytes:
    """The notice laid out like the official document (GB/T 9704-2012): issuer mark, number
    and red rule, the title in 黑体 二号, body in 仿宋 三号 at 22 lines a page, 附件 list,
    page numbers."""
    doc = new_document(notice.title, epoch, FANGSONG, BODY_SIZE)
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    # GB/T 9704-2012 7.2: the mark 35 mm below the top of the type area, the number two
    # lines below it, the red rule 4 mm under the number, the title two lines below that.
    top = new_paragraph(doc, "", FANGSONG, BODY_SIZE)
    top.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    top.paragraph_format.line_spacing = Pt(35 * 72 / 25.4)
    _issuer_mark(doc, notice.issuers)
    _body(doc, "")
    _body(doc, "")
    number = _body(doc, notice.number, indent=False)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rule(number)
    _body(doc, "")
    _body(doc, "")
    for line in title_lines(notice_text, notice.title):
        title = new_paragraph(doc, line, HEI, SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        title.paragraph_format.line_spacing = Pt(36)
    _body(doc, "")
    _body(doc, notice.salutation, indent=False)
    for text in notice.preamble:
        _body(doc, text)
    for section_ in notice.sections:
        _body(doc, section_.heading, HEI)
        for item in section_.paragraphs:
            _body(doc, item.text)
    if notice.attachments:
        _body(doc, "")  # 正文下空一行
        for i, line in enumerate(notice.attachments):
            para = _body(doc, line, indent=i == 0)
            if i:  # later attachments align with the first one's name, after "附件："
                para._p.get_or_add_pPr().get_or_add_ind().set(qn("w:leftChars"), "500")
                para.paragraph_format.left_indent = Pt(BODY_SIZE * 5)
    return save(doc, epoch)
