"""The catalogs as plain data, as the gap planner takes them (``generator.rules.plan``).

One shape for both sides: ``calculator/catalogs.json`` (the page's course picker and the
worker's planner) and ``ceportal plan`` in CPython. The fields are those the table
(:mod:`generator.catalog.format.fields`) publishes to the planner, every one written
(null when not given), in :data:`~generator.catalog.format.fields.PLANNER_ORDER`, and
what the planner takes resolved (:data:`DERIVED`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.catalog.format import Field, Format
from generator.catalog.format.fields import PLANNER_ORDER
from generator.catalog.format.kinds import Record, Records
from generator.catalog.model import FORMAT, Catalog, ClassSession, YearCatalog


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _sessions(session: ClassSession, year: YearCatalog) -> list[dict[str, Any]]:
    # The days a class meets: its sessions, else start…end.
    return [{"start": _date(p.start), "end": _date(p.end)} for p in session.periods]


def _closes(session: ClassSession, year: YearCatalog) -> str:
    # The date registration closes, resolved (the class's own, else the year's), never
    # after the class starts (DESIGN.md, ceportal plan).
    registration = year.registration
    closes = session.registration_closes or (registration.closes if registration else None)
    return min(closes, session.start).isoformat() if closes else session.start.isoformat()


# What the planner takes resolved rather than as written, by record and key.
DERIVED: dict[str, dict[str, Callable[[Any, YearCatalog], Any]]] = {
    "class": {"sessions": _sessions, "registration_closes": _closes},
}


def _record(record: Any, name: str, fmt: Format, year: YearCatalog) -> dict[str, Any]:
    fields: dict[str, Field] = {f.name: f for f in fmt.planner(name)}
    derived = DERIVED.get(name, {})
    keys = [k for k in PLANNER_ORDER.get(name, ()) if k in fields or k in derived]
    keys += [k for k in fields if k not in keys]
    out: dict[str, Any] = {}
    for key in keys:
        if key in derived:
            out[key] = derived[key](record, year)
            continue
        f, value = fields[key], getattr(record, key)
        if isinstance(f.kind, Records):
            out[key] = [_record(r, f.kind.record, fmt, year) for r in value]
        elif isinstance(f.kind, Record):
            out[key] = None if value is None else _record(value, f.kind.record, fmt, year)
        else:
            out[key] = f.kind.data(value)
    return out


def year_data(year: YearCatalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """One year's courses and classes."""
    return _record(year, "year", fmt, year)


def catalogs_data(catalog: Catalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """Every year's courses and classes, oldest year first."""
    return {"years": [year_data(y, fmt) for y in catalog.years]}
