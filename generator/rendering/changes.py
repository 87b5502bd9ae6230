"""What changed in a year's catalog against the previous year's (issue 8, item 5).

Courses are matched by code, with the year written inside a code treated as the same
code (``2009-JX-01`` in 2009 is ``2010-JX-01`` in 2010, as ``ceportal new-year`` renames
them); courses still unmatched are then matched by identical title.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..model import Course, YearCatalog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    before: Course
    after: Course
    fields: tuple[str, ...]  # "hours" and/or "module"


@dataclass(frozen=True)
class YearChanges:
    year: int
    previous: int | None  # None: the first catalog year, nothing to compare with
    added: tuple[Course, ...]
    removed: tuple[Course, ...]
    changed: tuple[Changed, ...]


def _key(course: Course, year: int) -> str:
    return course.code.replace(str(year), "{year}")


def year_changes(previous: YearCatalog | None, current: YearCatalog) -> YearChanges:
    """Courses added, removed, and changed in hours or module, in the current catalog's order
    (removed ones in the previous catalog's order)."""
    if previous is None:
        return YearChanges(current.year, None, (), (), ())
    before = {_key(c, previous.year): c for c in previous.courses}
    pairs: dict[str, Course] = {}  # current code -> previous course
    for course in current.courses:
        match = before.get(_key(course, current.year))
        if match is not None:
            pairs[course.code] = match
    taken = {c.code for c in pairs.values()}
    by_title = {c.title: c for c in previous.courses if c.code not in taken}
    for course in current.courses:
        if course.code not in pairs and course.title in by_title:
            pairs[course.code] = by_title.pop(course.title)
    taken = {c.code for c in pairs.values()}
    changed = []
    for course in current.courses:
        old = pairs.get(course.code)
        if old is None:
            continue
        fields = tuple(f for f in ("hours", "module") if getattr(old, f) != getattr(course, f))
        if fields:
            changed.append(Changed(old, course, fields))
    return YearChanges(
        year=current.year,
        previous=previous.year,
        added=tuple(c for c in current.courses if c.code not in pairs),
        removed=tuple(c for c in previous.courses if c.code not in taken),
        changed=tuple(changed),
    )
