"""A year's catalog as open data: JSON (the YAML file's own shape) and CSV (for Excel)."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

from generator.catalog.model import ClassSession, Course, YearCatalog
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


def _class(session: ClassSession) -> dict[str, Any]:
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
        "registration_closes": (session.registration_closes.isoformat()
                                if session.registration_closes else None),
        "contact": session.contact,
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
        "classes": [_class(s) for s in year.classes],
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
