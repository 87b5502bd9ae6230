"""A year's catalog as open data: JSON (the YAML file's own shape) and CSV (for Excel)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable
from typing import Any

from generator.catalog.format import CLASS_FIELDS, LEVELS, STATUSES, Field, Format, View
from generator.catalog.format.kinds import Record, Records, periods_text
from generator.catalog.model import FORMAT, ClassSession, YearCatalog
from generator.catalog.policy_model import Policy, as_policy
from generator.common.celltext import csv_field

log = logging.getLogger(__name__)


# What data users get instead of the value written, by record and field: the deadline
# that applies (the class's, else the year's) and the days a class meets (its sessions,
# else start…end).
Resolved = dict[str, dict[str, Callable[[Any], Any]]]


def _resolved(year: YearCatalog) -> Resolved:
    return {"class": {"registration_closes": year.deadline,
                      "sessions": lambda s: s.periods}}  # fmt: skip


def _record(record: Any, name: str, fmt: Format, resolved: Resolved,
            only: Callable[[Field], bool] = lambda f: True) -> dict[str, Any]:  # fmt: skip
    """A record's open-data fields, in the table's order; an optional field left empty is
    left out rather than written as null, as in the YAML files (a default is data)."""
    out: dict[str, Any] = {}
    for key, f in fmt[name].items():
        if View.OPEN_DATA not in f.views or not only(f):
            continue
        resolve = resolved.get(name, {}).get(key)
        value = resolve(record) if resolve else getattr(record, key)
        if not f.required and f.kind.is_empty(value):
            continue
        if isinstance(f.kind, Records):
            out[key] = [_record(r, f.kind.record, fmt, resolved) for r in value]
        elif isinstance(f.kind, Record):
            part = _record(value, f.kind.record, fmt, resolved)
            if part:
                out[key] = part
        else:
            out[key] = f.kind.data(value)
    return out


def year_data(year: YearCatalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """The year as plain data, keys and ids as in ``catalog/<year>.yaml`` (DESIGN.md): the
    year's own fields first, then its courses and classes (as the YAML writer orders them)."""
    resolved = _resolved(year)

    def lists(f: Field) -> bool:
        return isinstance(f.kind, Records)

    return {**_record(year, "year", fmt, resolved, lambda f: not lists(f)),
            **_record(year, "year", fmt, resolved, lists)}  # fmt: skip


def year_json(year: YearCatalog, fmt: Format = FORMAT) -> bytes:
    data = year_data(year, fmt)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csv_columns(fmt: Format = FORMAT) -> tuple[Field, ...]:
    """The CSV's columns: the course's open-data fields, headed as in the workbook."""
    return tuple(f for f in fmt["course"].values() if View.OPEN_DATA in f.views)


def year_csv(year: YearCatalog, policy: Policy | dict[str, Any], fmt: Format = FORMAT) -> bytes:
    """One row per course, Chinese headers and names; UTF-8 with BOM so Excel reads Chinese.
    Catalog text that a spreadsheet could take for a formula gets a leading ``'``."""
    names = as_policy(policy).enum_names()
    columns = csv_columns(fmt)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.header or f.title for f in columns])
    for c in year.courses:
        cells = (f.kind.cell(getattr(c, f.name), names) for f in columns)
        writer.writerow([csv_field("" if value is None else value) for value in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


CSV_COLUMNS = tuple(f.header or f.title for f in csv_columns())  # the CSV's header row


# The schedule's open data (/schedule/<year>.csv): one row per class, declared once as
# (header, value); the headers are the format's Excel columns where the field has one.
def _level(s: ClassSession) -> str:
    return LEVELS.get(s.level or "", "")


SCHEDULE_COLUMNS: tuple[tuple[str, Callable[[YearCatalog, ClassSession], Any]], ...] = (
    (CLASS_FIELDS["code"].header, lambda y, s: s.code),
    (CLASS_FIELDS["name"].header, lambda y, s: s.name),
    (CLASS_FIELDS["start"].header, lambda y, s: s.start.isoformat()),
    (CLASS_FIELDS["end"].header, lambda y, s: s.end.isoformat()),
    (CLASS_FIELDS["sessions"].header, lambda y, s: periods_text(s.periods)),
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
