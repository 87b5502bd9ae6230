"""Word downloads (python-docx): the registration form and the notice, as printed A4 pages.

Both follow the conventions of Chinese official documents (GB/T 9704-2012): A4 paper, a
156 × 225 mm type area (margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right),
宋体/仿宋/黑体 with their English names as alternates for Word's font substitution, and
East Asian language zh-CN throughout (python-docx's template says en-US and Japanese
theme fonts, which Word and LibreOffice then use for Chinese text).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..rendering.notice import Notice
from .forms import Cell, Form, grid, option_lines
from .reproducible import build_time, normalize_zip

log = logging.getLogger(__name__)

_AUTHOR = "温州市工程技术（一）系列继续教育门户"

A4_TWIPS = (11906, 16838)  # 210 × 297 mm
# GB/T 9704-2012 5.2.2: 天头 37 mm, 订口 28 mm, type area 156 × 225 mm.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CELL_MARGIN_TWIPS = 108  # Word's default left/right cell padding (0.19 cm)


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@dataclass(frozen=True)
class Font:
    """A Chinese font by the name Word shows, with what it falls back to."""

    name: str
    alternate: str  # the English name: Word finds the font under either
    panose: str
    family: str  # roman (serif) or modern: guides substitution when the font is missing
    pitch: str


SONG = Font("宋体", "SimSun", "02010600030101010101", "roman", "variable")
FANGSONG = Font("仿宋", "FangSong", "02010609060101010101", "modern", "fixed")
HEI = Font("黑体", "SimHei", "02010609060101010101", "modern", "fixed")
KAI = Font("楷体", "KaiTi", "02010609060101010101", "modern", "fixed")
LATIN = "Times New Roman"  # digits and Latin letters in official documents
_FONTS = (SONG, FANGSONG, HEI, KAI)

# Chinese type sizes (字号) in points.
SIZE = {"二号": 22, "小二": 18, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}
RED = RGBColor(0xFF, 0x00, 0x00)


def _lang(rpr: BaseOxmlElement) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _set_fonts(rpr: BaseOxmlElement, font: Font, latin: str = LATIN) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]  # a theme font would win over the explicit names
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), font.name)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(run: Run, font: Font, size: float, bold: bool = False,
           color: RGBColor | None = None) -> Run:
    # □ and “√” are symbols that word processors may take from the Latin font, where
    # they are small; runs holding them use the Chinese font for every slot.
    latin = font.name if any(ch in run.text for ch in "□√“”") else LATIN
    _set_fonts(run._r.get_or_add_rPr(), font, latin)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _font_table() -> bytes:
    """word/fontTable.xml: the fonts used, with alternates, panose and charset 86 (GB2312),
    so a machine without one of them substitutes a Chinese font of the same kind."""
    entries = [
        f'<w:font w:name="{f.name}"><w:altName w:val="{f.alternate}"/>'
        f'<w:panose1 w:val="{f.panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{f.family}"/><w:pitch w:val="{f.pitch}"/></w:font>'
        for f in _FONTS]
    entries.append(f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/>'
                   '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
                   '</w:font>')
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(entries) + "</w:fonts>").encode("utf-8")


def _fix_part(name: str, content: bytes) -> bytes:
    if name == "word/fontTable.xml":
        return _font_table()
    if name == "word/theme/theme1.xml":
        # The template's East Asian theme fonts are Japanese (ＭＳ 明朝 / ＭＳ ゴシック).
        return (content.replace("ＭＳ 明朝".encode(), SONG.name.encode())
                .replace("ＭＳ ゴシック".encode(), HEI.name.encode()))
    if name == "word/settings.xml":
        return re.sub(rb'(<w:themeFontLang\b[^>]*w:eastAsia=")[^"]*', rb"\1zh-CN", content)
    return content


def _page(section: Section) -> None:
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    section.top_margin = Twips(twips(MARGINS_MM["top"]))
    section.bottom_margin = Twips(twips(MARGINS_MM["bottom"]))
    section.left_margin = Twips(twips(MARGINS_MM["left"]))
    section.right_margin = Twips(twips(MARGINS_MM["right"]))
    section.header_distance = Twips(twips(15))
    section.footer_distance = Twips(twips(18))


def _type_width() -> int:
    return A4_TWIPS[0] - twips(MARGINS_MM["left"]) - twips(MARGINS_MM["right"])


def _new_document(title: str, epoch: int, body: Font, size: float) -> DocxDocument:
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, body)
    _lang(rpr)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), body)
    _lang(normal.element.get_or_add_rPr())
    normal.font.size = Pt(size)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = False
    _page(doc.sections[0])
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
    return normalize_zip(out.getvalue(), epoch, _fix_part)


def _paragraph(container: DocxDocument | _Cell, text: str, font: Font, size: float, *,
               align: WD_ALIGN_PARAGRAPH | None = None, bold: bool = False,
               color: RGBColor | None = None) -> Paragraph:
    para = container.add_paragraph()
    if align is not None:
        para.alignment = align
    if text:
        _style(para.add_run(text), font, size, bold, color)
    return para


# --- the registration form -------------------------------------------------------------

FORM_SIZE = SIZE["小四"]


def _grid_widths(form: Form) -> list[int]:
    """Column widths in twips, the last one absorbing rounding so they add up to the type
    area exactly."""
    widths = [twips(mm) for mm in form.layout.columns_mm]
    widths[-1] += _type_width() - sum(widths)
    return widths


def _fit_widths(table: Table, widths: list[int]) -> None:
    """``w:gridCol`` and every ``w:tcW`` from one list: a cell is as wide as the grid
    columns it spans (Word and LibreOffice otherwise draw the table differently)."""
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            tc.width = Twips(sum(widths[column:column + tc.grid_span]))
            column += tc.grid_span


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
        _style(first.add_run(spec.field.label), SONG, FORM_SIZE)
    elif spec.kind == "value":
        assert spec.field is not None
        field = spec.field
        if field.id == "signed_on":
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _style(first.add_run("年\u3000\u3000月\u3000\u3000日"), SONG, FORM_SIZE)
        elif field.choices:
            capacity = (width - 2 * CELL_MARGIN_TWIPS) // round(FORM_SIZE * 20) - 1
            for i, line in enumerate(option_lines(field.choices, capacity)):
                para = first if i == 0 else cell.add_paragraph()
                _style(para.add_run(line), SONG, FORM_SIZE)
    elif spec.kind == "photo":
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _style(first.add_run(form.layout.photo.label), SONG, FORM_SIZE)
        _paragraph(cell, form.layout.photo.note, SONG, SIZE["五号"],
                   align=WD_ALIGN_PARAGRAPH.CENTER)
    else:  # the unit's approval
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        _style(first.add_run(form.approval + "："), SONG, FORM_SIZE)
        first.paragraph_format.space_before = Pt(6)
        date = _paragraph(cell, "年\u3000\u3000月\u3000\u3000日", SONG, FORM_SIZE,
                          align=WD_ALIGN_PARAGRAPH.RIGHT)
        date.paragraph_format.space_before = Pt(form.layout.approval_height_mm * 72 / 25.4 - 48)
        date.paragraph_format.right_indent = Pt(FORM_SIZE * 2)


def form_docx(form: Form, epoch: int) -> bytes:
    """The registration form for one person: title, the table (photo box, signature and
    date, the unit's approval) and how to hand it in, on one A4 page."""
    doc = _new_document(form.title, epoch, SONG, FORM_SIZE)
    title = _paragraph(doc, form.title, HEI, SIZE["小二"], align=WD_ALIGN_PARAGRAPH.CENTER)
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
    _fit_widths(table, widths)
    note = _paragraph(doc, "填表说明：" + form.choose_on_paper + form.instructions, SONG,
                      SIZE["五号"])
    note.paragraph_format.space_before = Pt(6)
    return _save(doc, epoch)


# --- the notice ---------------------------------------------------------------------------

BODY_SIZE = SIZE["三号"]
BODY_LINE = Pt(29)  # 22 lines in the 225 mm type area (GB/T 9704-2012 5.2.3)
# 28 characters a line in the 156 mm type area: 三号 (16 pt) set 0.25 pt tighter.
BODY_TRACKING = -5  # twentieths of a point (w:spacing of a run)


def _body(doc: DocxDocument, text: str, font: Font = FANGSONG, *, indent: bool = True) -> Paragraph:
    para = _paragraph(doc, text, font, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = BODY_LINE
    for run in para.runs:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_TRACKING))
        run._r.get_or_add_rPr().insert_element_before(
            spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
            "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
            "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
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
    _style(paragraph.add_run("— "), SONG, SIZE["四号"])
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = paragraph.add_run("1")
    _style(run, SONG, SIZE["四号"])
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)
    _style(paragraph.add_run(" —"), SONG, SIZE["四号"])


def _issuer_mark(doc: DocxDocument, issuers: tuple[str, ...]) -> None:
    """发文机关标志 of a joint document (GB/T 9704 7.2.4): the issuers one above the other,
    "文件" to their right, centred on them, in red."""
    widths = [round(_type_width() * 0.78), 0]
    widths[1] = _type_width() - widths[0]
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    names, word = table.rows[0].cells
    size = 26
    for i, issuer in enumerate(issuers):
        para = names.paragraphs[0] if i == 0 else names.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        _style(para.add_run(issuer), SONG, size, bold=True, color=RED)
    word.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    word.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style(word.paragraphs[0].add_run("文件"), SONG, size + 10, bold=True, color=RED)
    _fit_widths(table, widths)


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
    doc = _new_document(notice.title, epoch, FANGSONG, BODY_SIZE)
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    # GB/T 9704-2012 7.2: the mark 35 mm below the top of the type area, the number two
    # lines below it, the red rule 4 mm under the number, the title two lines below that.
    top = _paragraph(doc, "", FANGSONG, BODY_SIZE)
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
        title = _paragraph(doc, line, HEI, SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER)
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
    return _save(doc, epoch)
