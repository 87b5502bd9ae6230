"""The catalog format, declared once: :mod:`.fields` (the fields of a year file, their
Excel columns and sheets) and :mod:`.scalars` (patterns, limits, what a number is).

Standard library only; the checker, the Excel import and export, the JSON Schema and
the YAML writer are derived from it.
"""

from __future__ import annotations

from .fields import (
    CLASS_FIELDS,
    CLASS_SHEET,
    COURSE_FIELDS,
    COURSE_SHEET,
    ENUM_TITLES,
    LEVEL_ALIASES,
    LEVELS,
    REGISTRATION_FIELDS,
    SHEETS,
    YEAR_FIELDS,
    YEAR_SHEET,
    Field,
    Sheet,
)

__all__ = [
    "CLASS_FIELDS",
    "CLASS_SHEET",
    "COURSE_FIELDS",
    "COURSE_SHEET",
    "ENUM_TITLES",
    "LEVELS",
    "LEVEL_ALIASES",
    "REGISTRATION_FIELDS",
    "SHEETS",
    "YEAR_FIELDS",
    "YEAR_SHEET",
    "Field",
    "Sheet",
]
