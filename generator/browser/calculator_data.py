"""The catalogs as plain data, as the gap planner takes them (``generator.rules.plan``).

One shape for both sides: ``calculator/catalogs.json`` (the page's course picker and the
worker's planner) and ``ceportal plan`` in CPython. The fields are those the table
(:mod:`generator.catalog.format.fields`) publishes to the planner, every one written
(null when not given), in :data:`~generator.catalog.format.fields.PLANNER_ORDER`.
"""

from __future__ import annotations

from typing import Any

from generator.catalog.format import Format
from generator.catalog.format.kinds import Record, Records
from generator.catalog.model import FORMAT, Catalog

# What the planner gets instead of the value written: the days a class meets (its
# sessions, else start…end). It skips a class that takes no one (its status).
RESOLVED = {("class", "sessions"): lambda s: s.periods}


def _record(record: Any, name: str, fmt: Format) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fmt.planner(name):
        resolve = RESOLVED.get((name, f.name))
        value = resolve(record) if resolve else getattr(record, f.name)
        if isinstance(f.kind, Records):
            out[f.name] = [_record(r, f.kind.record, fmt) for r in value]
        elif isinstance(f.kind, Record):
            out[f.name] = None if value is None else _record(value, f.kind.record, fmt)
        else:
            out[f.name] = f.kind.data(value)
    return out


def catalogs_data(catalog: Catalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """Every year's courses and classes, oldest year first."""
    return {"years": [_record(y, "year", fmt) for y in catalog.years]}
