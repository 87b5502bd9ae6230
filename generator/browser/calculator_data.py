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


def _class(session: ClassSession) -> dict[str, Any]:
    return {
        "code": session.code,
        "name": session.name,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "courses": list(session.courses),
        "registration_closes": _date(session.registration_closes),
        "location": session.location,
        "level": session.level,
        "county": session.county,
    }


def _year(year: YearCatalog) -> dict[str, Any]:
    registration = year.registration
    return {
        "year": year.year,
        "title": year.title,
        "registration": (
            {"opens": _date(registration.opens), "closes": _date(registration.closes)}
            if registration
            else None
        ),
        "courses": [_course(c) for c in year.courses],
        "classes": [_class(s) for s in year.classes],
    }


def catalogs_data(catalog: Catalog) -> dict[str, Any]:
    """Every year's courses and classes, oldest year first."""
    return {"years": [_year(y) for y in catalog.years]}
