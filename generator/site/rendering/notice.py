"""The notice (温经贸培训〔2009〕74号) as structured text, with a stable anchor per section.

The text is the portal's own content, kept in ``generator/data/notice.txt`` so the build
needs nothing outside the repository. Section anchors (``s1``… for 一、…, ``s2-1``… for
their numbered items, ``attachments``) are part of the site's URLs: the policy page and
people's bookmarks point at them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources

log = logging.getLogger(__name__)

_CN_DIGITS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN_DIGITS}]+)、(.*)$")
_ITEM = re.compile(rf"^[（(]\s*([{_CN_DIGITS}]+)\s*[）)]\s*(.*)$")
_NUMBER = re.compile(r"〔\d{4}〕\d+号$")


@dataclass(frozen=True)
class Paragraph:
    text: str
    anchor: str | None = None  # numbered items get one


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Notice:
    issuers: tuple[str, ...]
    number: str
    title: str
    salutation: str
    preamble: tuple[str, ...]
    sections: tuple[Section, ...]
    attachments: tuple[str, ...] = field(default=())


def notice_text() -> str:
    """The bundled notice text."""
    return resources.files("generator").joinpath("data/notice.txt").read_text(encoding="utf-8")


def _cn_number(digits: str) -> int:
    # 一 .. 十九 is plenty for a notice.
    if digits == "十":
        return 10
    if digits.startswith("十"):
        return 10 + _CN_DIGITS.index(digits[1]) + 1
    return _CN_DIGITS.index(digits) + 1


def parse_notice(text: str) -> Notice:
    """Split the notice into header, salutation, preamble, sections and attachments."""
    lines = [line.strip().replace("\u3000", " ").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    issuers: list[str] = []
    i = 0
    while i < len(lines) and not _NUMBER.search(lines[i]):
        issuers.append(lines[i])
        i += 1
    if i == len(lines):
        raise ValueError("通知文本缺少文号行（如“温经贸培训〔2009〕74号”）")
    number = lines[i]
    i += 1
    title_parts: list[str] = []
    while i < len(lines) and not lines[i].endswith(("：", ":")):
        title_parts.append(lines[i])
        i += 1
    salutation = lines[i] if i < len(lines) else ""
    i += 1
    preamble: list[str] = []
    sections: list[tuple[str, str, list[Paragraph]]] = []
    attachments: list[str] = []
    for line in lines[i:]:
        if attachments or line.startswith("附件"):
            attachments.append(line)
            continue
        head = _SECTION.match(line)
        if head:
            sections.append((f"s{_cn_number(head.group(1))}", line, []))
            continue
        if not sections:
            preamble.append(line)
            continue
        anchor, _, paragraphs = sections[-1]
        item = _ITEM.match(line)
        if item:
            paragraphs.append(Paragraph(line, f"{anchor}-{_cn_number(item.group(1))}"))
        else:
            paragraphs.append(Paragraph(line))
    return Notice(
        issuers=tuple(issuers),
        number=number,
        title="".join(title_parts),
        salutation=salutation,
        preamble=tuple(preamble),
        sections=tuple(Section(a, h, tuple(p)) for a, h, p in sections),
        attachments=tuple(attachments),
    )
