"""A year's catalog as open data: JSON (the YAML file's own shape) and CSV (for Excel)."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

from generator.catalog.format import Field, Format, View
from generator.catalog.format.kinds import Record, Records
from generator.catalog.model import FORMAT, YearCatalog
from generator.catalog.policy_model import Policy, as_policy
from generator.common.celltext import csv_field

log = logging.getLogger(__name__)


def _record(record: Any, spec: dict[str, Field], fmt: Format) -> dict[str, Any]:
    """A record's open-data fields, in the table's order; an optional field left empty is
    left out rather than written as null, as in the YAML files."""
    out: dict[str, Any] = {}
    for name, f in spec.items():
        if View.OPEN_DATA not in f.views:
            continue
        value = getattr(record, name)
        if f.left_out(value):
            continue
        if isinstance(f.kind, Records):
            out[name] = [_record(r, fmt[f.kind.record], fmt) for r in value]
        elif isinstance(f.kind, Record):
            part = _record(value, fmt[f.kind.record], fmt)
            if part:
                out[name] = part
        else:
            out[name] = f.kind.data(value)
    return out


def year_data(year: YearCatalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """The year as plain data, keys and ids as in ``catalog/<year>.yaml`` (DESIGN.md): the
    year's own fields first, then its courses and classes (as the YAML writer orders them)."""
    spec = fmt["year"]
    own = {n: f for n, f in spec.items() if not isinstance(f.kind, Records)}
    lists = {n: f for n, f in spec.items() if isinstance(f.kind, Records)}
    return {**_record(year, own, fmt), **_record(year, lists, fmt)}


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
