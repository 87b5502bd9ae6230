"""A year's catalog as open data: JSON (the YAML file's own shape) and CSV (for Excel)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable
from typing import Any

from generator.catalog.format import CLASS_FIELDS, LEVELS, STATUSES
from generator.catalog.model import ClassSession, Course, YearCatalog
from generator.catalog.spreadsheets.export import session_text
from generator.common.celltext import csv_field

log = logging.getLogger(__name__)

CSV_COLUMNS = ("课程编号", "课程名称", "类别", "学时", "适用专业", "形式", "简介", "授课教师")


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    # Optional keys are left out rather than written as null, as in the YAML files.
    return {k: v for k, v in data.items() if v is not None}


def _course(course: Course) -> dict[str, Any]:
    return _drop_empty({
        "code": course.code,
        "title": course.title,
        "module": course.module,
        "hours": course.hours,
        "specialties": list(course.specialties) or None,
        "form": course.form,
        "description": course.description,
        "teacher": course.teacher,
    })


def _class(year: YearCatalog, session: ClassSession) -> dict[str, Any]:
    # Resolved for data users: the deadline that applies (the class's, else the year's),
    # the days it meets (its sessions, else start…end) and its status (open by default).
    deadline = year.deadline(session)
    return _drop_empty({
        "code": session.code,
        "name": session.name,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "courses": list(session.courses),
        "location": session.location,
        "organizer": session.organizer,
        "level": session.level,
        "county": session.county,
        "capacity": session.capacity,
        "fee": session.fee,
        "registration_closes": deadline.isoformat() if deadline else None,
        "contact": session.contact,
        "sessions": [{"start": p.start.isoformat(), "end": p.end.isoformat()}
                     for p in session.periods],
        "status": session.status,
        "status_note": session.status_note,
        "note": session.note,
    })


def year_data(year: YearCatalog) -> dict[str, Any]:
    """The year as plain data, keys and ids as in ``catalog/<year>.yaml`` (DESIGN.md)."""
    reg = year.registration
    registration = None
    if reg is not None:
        registration = _drop_empty({
            "opens": reg.opens.isoformat() if reg.opens else None,
            "closes": reg.closes.isoformat() if reg.closes else None,
            "contact": reg.contact,
        }) or None
    return _drop_empty({
        "year": year.year,
        "title": year.title,
        "publisher": year.publisher,
        "published": year.published.isoformat() if year.published else None,
        "registration": registration,
        "notes": year.notes,
        "courses": [_course(c) for c in year.courses],
        "classes": [_class(year, s) for s in year.classes],
        "draft": True if year.draft else None,  # only in a `build --drafts` preview
    })


def year_json(year: YearCatalog) -> bytes:
    return (json.dumps(year_data(year), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def year_csv(year: YearCatalog, policy: dict[str, Any]) -> bytes:
    """One row per course, Chinese headers and names; UTF-8 with BOM so Excel reads Chinese.
    Catalog text that a spreadsheet could take for a formula gets a leading ``'``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in year.courses:
        writer.writerow([csv_field(value) for value in (
            c.code,
            c.title,
            policy["modules"][c.module]["name"],
            c.hours,
            "、".join(policy["specialties"][s] for s in c.specialties),
            policy["forms"][c.form] if c.form else "",
            c.description or "",
            c.teacher or "",
        )])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# The schedule's open data (/schedule/<year>.csv): one row per class, declared once as
# (header, value); the headers are the format's Excel columns where the field has one.
def _level(s: ClassSession) -> str:
    return LEVELS.get(s.level or "", "")


SCHEDULE_COLUMNS: tuple[tuple[str, Callable[[YearCatalog, ClassSession], Any]], ...] = (
    (CLASS_FIELDS["code"].header, lambda y, s: s.code),
    (CLASS_FIELDS["name"].header, lambda y, s: s.name),
    (CLASS_FIELDS["start"].header, lambda y, s: s.start.isoformat()),
    (CLASS_FIELDS["end"].header, lambda y, s: s.end.isoformat()),
    (CLASS_FIELDS["sessions"].header, lambda y, s: session_text(s.periods)),
    ("上课天数", lambda y, s: sum((p.end - p.start).days + 1 for p in s.periods)),
    (CLASS_FIELDS["registration_closes"].header,
     lambda y, s: d.isoformat() if (d := y.deadline(s)) else ""),
    (CLASS_FIELDS["status"].header, lambda y, s: STATUSES[s.status]),
    (CLASS_FIELDS["status_note"].header, lambda y, s: s.status_note or ""),
    (CLASS_FIELDS["level"].header, lambda y, s: _level(s)),
    (CLASS_FIELDS["county"].header, lambda y, s: s.county or ""),
    (CLASS_FIELDS["location"].header, lambda y, s: s.location or ""),
    (CLASS_FIELDS["courses"].header, lambda y, s: "、".join(s.courses)),
    ("课程学时合计", lambda y, s: sum(y.course(c).hours for c in s.courses)),
    (CLASS_FIELDS["capacity"].header, lambda y, s: s.capacity or ""),
    (CLASS_FIELDS["organizer"].header, lambda y, s: s.organizer or ""),
    (CLASS_FIELDS["fee"].header, lambda y, s: s.fee or ""),
    (CLASS_FIELDS["contact"].header,
     lambda y, s: s.contact or (y.registration.contact if y.registration else None) or ""),
    (CLASS_FIELDS["note"].header, lambda y, s: s.note or ""),
)


def schedule_csv(year: YearCatalog) -> bytes:
    """One row per class in schedule order (deadline first), UTF-8 with BOM for Excel;
    dates as 2009-05-11, sessions as ``开始至结束`` joined by "、", ids by Chinese name."""
    from generator.site.rendering.context import schedule_order

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in SCHEDULE_COLUMNS])
    for s in schedule_order(year):
        writer.writerow([csv_field(value(year, s)) for _, value in SCHEDULE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
