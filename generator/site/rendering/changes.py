"""What changed in a year's catalog against the previous year's.

Courses are paired in three passes, each over the courses still unpaired:

1. by code, with the year written inside a code treated as the same code (``2009-JX-01``
   in 2009 is ``2010-JX-01`` in 2010, as ``ceportal new-year`` renames them);
2. by identical title (a course renumbered, ``编号由 X 改为 Y``);
3. by nearly the same title in the same module (renumbered and retitled: "数控加工技术"
   and "数控加工技术及应用"), the most similar pairs first.

A pair whose code, title, hours, module or specialties differ is a change; only courses
left unpaired are new or dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from difflib import SequenceMatcher

from generator.catalog.model import ClassSession, Course, Period, YearCatalog

log = logging.getLogger(__name__)

# How alike two titles must be (difflib's ratio, 0..1) for courses of the same module to be
# taken for one course renumbered. "数控加工技术" / "数控加工技术及应用" is 0.8; unrelated
# titles that share a stock phrase ("专业技术人员……") stay near 0.5.
SIMILAR_TITLES = 0.75

# What a pair is compared on, in the order a page lists the differences.
FIELDS = ("code", "title", "hours", "module", "specialties", "form", "teacher")


@dataclass(frozen=True)
class Changed:
    before: Course
    after: Course
    fields: tuple[str, ...]  # some of FIELDS

    @property
    def renumbered(self) -> bool:
        return "code" in self.fields


@dataclass(frozen=True)
class YearChanges:
    year: int
    previous: int | None  # None: the first catalog year, nothing to compare with
    added: tuple[Course, ...]
    removed: tuple[Course, ...]
    changed: tuple[Changed, ...]

    @property
    def renumbered(self) -> tuple[Changed, ...]:
        return tuple(c for c in self.changed if c.renumbered)

    @property
    def adjusted(self) -> tuple[Changed, ...]:
        """Pairs with the same code whose title, hours, module or specialties changed."""
        return tuple(c for c in self.changed if not c.renumbered)


def _key(course: Course, year: int) -> str:
    return course.code.replace(str(year), "{year}")


def title_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _differences(before: Course, after: Course, previous: int, current: int) -> tuple[str, ...]:
    fields = []
    for name in FIELDS:
        if name == "code":
            if _key(before, previous) != _key(after, current):
                fields.append(name)
        elif name == "specialties":
            if set(before.specialties) != set(after.specialties):
                fields.append(name)
        elif getattr(before, name) != getattr(after, name):
            fields.append(name)
    return tuple(fields)


def year_changes(previous: YearCatalog | None, current: YearCatalog) -> YearChanges:
    """Courses added, removed and changed, in the current catalog's order (removed ones in
    the previous catalog's order)."""
    if previous is None:
        return YearChanges(current.year, None, (), (), ())
    pairs: dict[str, Course] = {}  # current code -> previous course
    by_key = {_key(c, previous.year): c for c in previous.courses}
    for course in current.courses:
        match = by_key.get(_key(course, current.year))
        if match is not None:
            pairs[course.code] = match

    def unpaired_before() -> list[Course]:
        taken = {c.code for c in pairs.values()}
        return [c for c in previous.courses if c.code not in taken]

    by_title: dict[str, Course] = {}
    for course in unpaired_before():
        by_title.setdefault(course.title, course)
    for course in current.courses:
        if course.code not in pairs and course.title in by_title:
            pairs[course.code] = by_title.pop(course.title)

    candidates = sorted(
        ((title_similarity(old.title, new.title), i, j, old, new)
         for i, new in enumerate(current.courses) if new.code not in pairs
         for j, old in enumerate(unpaired_before()) if old.module == new.module),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    taken_before: set[str] = set()
    for ratio, _, _, old, new in candidates:
        if ratio < SIMILAR_TITLES:
            break
        if new.code in pairs or old.code in taken_before:
            continue
        pairs[new.code] = old
        taken_before.add(old.code)

    taken = {c.code for c in pairs.values()}
    changed = []
    for course in current.courses:
        paired = pairs.get(course.code)
        if paired is not None:
            fields = _differences(paired, course, previous.year, current.year)
            if fields:
                changed.append(Changed(paired, course, fields))
    return YearChanges(
        year=current.year,
        previous=previous.year,
        added=tuple(c for c in current.courses if c.code not in pairs),
        removed=tuple(c for c in previous.courses if c.code not in taken),
        changed=tuple(changed),
    )


# --- classes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassChanged:
    """A class of the current year paired with the previous year's (by code or name, the
    year written in them aside) that runs elsewhere or on other days of the year."""

    before: ClassSession
    after: ClassSession
    fields: tuple[str, ...]  # "location" (moved), "dates" (re-dated)


@dataclass(frozen=True)
class ClassChanges:
    added: tuple[ClassSession, ...]  # no counterpart in the previous year
    removed: tuple[ClassSession, ...]  # the previous year's classes not run again
    changed: tuple[ClassChanged, ...]
    not_open: tuple[ClassSession, ...]  # this year's cancelled, postponed or full classes


def _days_of_year(periods: tuple[Period, ...], year: int) -> tuple[tuple[int, int, int], ...]:
    # Dates compared within their catalog year: 2025-05-15 and 2026-05-15 are the same day.
    return tuple((d.year - year, d.month, d.day) for p in periods for d in (p.start, p.end))


def class_changes(previous: YearCatalog | None, current: YearCatalog) -> ClassChanges:
    """The classes added, no longer run, moved or re-dated against the previous year, and
    the current year's classes that do not take applicants (cancelled, postponed, full)."""
    not_open = tuple(c for c in current.classes if not c.takes_registrations)
    if previous is None:
        return ClassChanges((), (), (), not_open)

    def key(text: str, year: int) -> str:
        return text.replace(str(year), "{year}")

    by_code = {key(c.code, previous.year): c for c in previous.classes}
    by_name = {key(c.name, previous.year): c for c in previous.classes}
    pairs: dict[str, ClassSession] = {}
    for klass in current.classes:
        match = by_code.get(key(klass.code, current.year)) or by_name.get(
            key(klass.name, current.year))
        if match is not None and match not in pairs.values():
            pairs[klass.code] = match
    changed = []
    for klass in current.classes:
        before = pairs.get(klass.code)
        if before is None:
            continue
        fields = []
        if (before.location or "") != (klass.location or ""):
            fields.append("location")
        if (_days_of_year(before.periods, previous.year)
                != _days_of_year(klass.periods, current.year)):
            fields.append("dates")
        if fields:
            changed.append(ClassChanged(before, klass, tuple(fields)))
    paired = [id(c) for c in pairs.values()]
    return ClassChanges(
        added=tuple(c for c in current.classes if c.code not in pairs),
        removed=tuple(c for c in previous.classes if id(c) not in paired),
        changed=tuple(changed),
        not_open=not_open,
    )

