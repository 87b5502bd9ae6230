"""What the Word downloads (python-docx) share: A4 pages, fonts, styles, saving.

The registration form (:mod:`.form_document`) and the notice (:mod:`.notice_document`)
both follow the conventions of Chinese official documents (GB/T 9704-2012): A4 paper, a
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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from generator.common.reproducible import (
    OFFICE_CREATOR,
    OFFICE_DESCRIPTION,
    build_time,
    normalize_zip,
    office_app_xml,
)

log = logging.getLogger(__name__)

_AUTHOR = OFFICE_CREATOR

A4_TWIPS = (11906, 16838)  # 210 × 297 mm
# GB/T 9704-2012 5.2.2: 天头 37 mm, 订口 28 mm, type area 156 × 225 mm.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CELL_MARGIN_TWIPS = 108  # Word's default left/right cell padding (0.19 cm)


def twips(mm: float) -> int:
    """Millimetres in twentieths of a point, rounded."""
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


def style(run: Run, font: Font, size: float, bold: bool = False,
           color: RGBColor | None = None) -> Run:
    """``run`` in ``font`` at ``size`` points."""
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
    if name == "docProps/app.xml":
        return office_app_xml()
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


def type_width() -> int:
    """The type area's width in twips."""
    return A4_TWIPS[0] - twips(MARGINS_MM["left"]) - twips(MARGINS_MM["right"])


def new_document(title: str, epoch: int, body: Font, size: float) -> DocxDocument:
    """An empty A4 document whose text is ``body`` at ``size``, dated ``epoch``."""
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
    props.comments = OFFICE_DESCRIPTION  # python-docx's template says "generated by python-docx"
    # The template's thumbnail shows another document: drop it (the part goes with it).
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package.rels[rel_id]
    return doc


def save(doc: DocxDocument, epoch: int) -> bytes:
    """The document's bytes, the same for the same content and epoch."""
    out = io.BytesIO()
    doc.save(out)
    return normalize_zip(out.getvalue(), epoch, _fix_part)


def new_paragraph(container: DocxDocument | _Cell, text: str, font: Font, size: float, *,
               align: WD_ALIGN_PARAGRAPH | None = None, bold: bool = False,
               color: RGBColor | None = None) -> Paragraph:
    """A new paragraph of ``container`` holding ``text`` (if any) in one styled run."""
    para = container.add_paragraph()
    if align is not None:
        para.alignment = align
    if text:
        style(para.add_run(text), font, size, bold, color)
    return para


def fit_widths(table: Table, widths: list[int]) -> None:
    """``w:gridCol`` and every ``w:tcW`` from one list: a cell is as wide as the grid
    columns it spans (Word and LibreOffice otherwise draw the table differently)."""
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            tc.width = Twips(sum(widths[column:column + tc.grid_span]))
            column += tc.grid_span
