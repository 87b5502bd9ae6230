"""The catalog format, declared once: :mod:`.fields` (the field table: the fields of a year
file, where each is published, their Excel columns and sheets), :mod:`.kinds` (one class
per kind of value, which reads, writes, describes and shows it) and :mod:`.scalars`
(patterns, limits, what a number is).

Standard library only; the checker, the model's construction, the Excel import and
export, the JSON Schema, the YAML writer, the open data, the planner's catalogs and the
pages' context walk it.
"""

from __future__ import annotations

from .fields import (
    CLASS_FIELDS,
    CLASS_SHEET,
    COURSE_FIELDS,
    COURSE_SHEET,
    ENUM_TITLES,
    EVERYWHERE,
    LEVEL_ALIASES,
    LEVELS,
    PUBLISHED,
    REGISTRATION_FIELDS,
    SESSION_FIELDS,
    SHEETS,
    STATUSES,
    TABLES,
    YEAR_FIELDS,
    YEAR_SHEET,
    Field,
    Format,
    Sheet,
    View,
)
from .kinds import Kind, ReadContext, Refused

__all__ = [
    "CLASS_FIELDS",
    "CLASS_SHEET",
    "COURSE_FIELDS",
    "COURSE_SHEET",
    "ENUM_TITLES",
    "EVERYWHERE",
    "LEVELS",
    "LEVEL_ALIASES",
    "PUBLISHED",
    "REGISTRATION_FIELDS",
    "SESSION_FIELDS",
    "SHEETS",
    "TABLES",
    "STATUSES",
    "YEAR_FIELDS",
    "YEAR_SHEET",
    "Field",
    "Format",
    "Kind",
    "ReadContext",
    "Refused",
    "Sheet",
    "View",
]
