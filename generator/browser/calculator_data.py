"""The catalogs as plain data, as the gap planner takes them (``generator.rules.plan``).

One shape for both sides: ``calculator/catalogs.json`` (the page's course picker and the
worker's planner) and ``ceportal plan`` in CPython.
"""

from __future__ import annotations

from typing import Any

from generator.catalog.model import Catalog, ClassSession, Course, YearCatalog


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _course(course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        "title": course.title,
        "module": course.module,
        "hours": course.hours,
        "form": course.form,
        "specialties": list(course.specialties),
    }


def _part(part: Any, key: str) -> Any:
    return part[key] if isinstance(part, dict) else getattr(part, key)


def _class(session: ClassSession, year: YearCatalog) -> dict[str, Any]:
    # status, sessions, status_note and note came into the model later: read them with a
    # default, so this works with a model that has them and one that has not.
    sessions = getattr(session, "sessions", None) or ()
    registration = year.registration
    # The date registration closes, resolved (the class's own, else the year's), never
    # after the class starts (DESIGN.md, ceportal plan).
    closes = session.registration_closes or (registration.closes if registration else None)
    return {
        "code": session.code,
        "name": session.name,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "sessions": [
            {"start": _date(_part(s, "start")), "end": _date(_part(s, "end"))} for s in sessions
        ]
        or [{"start": session.start.isoformat(), "end": session.end.isoformat()}],
        "courses": list(session.courses),
        "status": getattr(session, "status", None) or "open",
        "status_note": getattr(session, "status_note", None),
        "note": getattr(session, "note", None),
        "registration_closes": min(closes, session.start).isoformat()
        if closes
        else session.start.isoformat(),
        "location": session.location,
        "level": session.level,
        "county": session.county,
        "contact": session.contact,
    }


def _year(year: YearCatalog) -> dict[str, Any]:
    registration = year.registration
    return {
        "year": year.year,
        "title": year.title,
        "registration": (
            {
                "opens": _date(registration.opens),
                "closes": _date(registration.closes),
                "contact": registration.contact,
            }
            if registration
            else None
        ),
        "courses": [_course(c) for c in year.courses],
        "classes": [_class(s, year) for s in year.classes],
    }


def catalogs_data(catalog: Catalog) -> dict[str, Any]:
    """Every year's courses and classes, oldest year first."""
    return {"years": [_year(y) for y in catalog.years]}
