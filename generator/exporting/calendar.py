"""A year's classes as an iCalendar file (RFC 5545), one all-day VEVENT per class.

Written by hand (the format is small) so the runtime needs no calendar library; the
tests read it back with the ``icalendar`` package.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from ..model import YearCatalog
from ..rendering.markup import cn_date, hours
from .reproducible import build_time

log = logging.getLogger(__name__)

PRODID = "-//ceportal//温州市工程技术继续教育门户//ZH"
UID_DOMAIN = "ceportal.wzjmpx"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF + space,
    never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def uid(year: int, code: str) -> str:
    """Stable across builds and years' edits: the class is the same event as long as its
    year and code are."""
    return f"{year}-{code}@{UID_DOMAIN}"


def year_ics(year: YearCatalog, policy: Mapping[str, Any], epoch: int) -> bytes:
    stamp = build_time(epoch).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{year.year}年度工程技术（一）系列继续教育办班计划')}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for s in year.classes:
        courses = [year.course(code) for code in s.courses]
        details = ["课程：" + "；".join(
            f"{c.title}（{policy['modules'][c.module]['name']}，{hours(c.hours)}学时）" for c in courses)]
        closes = s.registration_closes or (year.registration.closes if year.registration else None)
        if closes:
            details.append(f"报名截止：{cn_date(closes)}")
        if s.organizer:
            details.append(f"主办单位：{s.organizer}")
        if s.contact:
            details.append(f"联系方式：{s.contact}")
        if year.notes:
            details.append(year.notes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(uid(year.year, s.code))}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(s.start)}",
            # All-day events end on the day after the last day (DTEND is exclusive).
            f"DTEND;VALUE=DATE:{_date(s.end + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(s.name)}",
        ]
        if s.location:
            lines.append(f"LOCATION:{escape_text(s.location)}")
        lines += [f"DESCRIPTION:{escape_text(chr(10).join(details))}", "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
