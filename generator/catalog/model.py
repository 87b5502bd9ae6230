"""The validated catalog model: what every later step (pages, exports, tools) reads.

Plain frozen dataclasses rather than pydantic: the validation has to report
YAML line/column marks for every value and collect every problem at once, which
our own validator does directly from the marked node tree; the model then needs no
validation machinery of its own and no extra dependency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .policy_model import Policy

Hours = int | float  # 8 or 8.5; whole numbers are ints so they print as "8"


@dataclass(frozen=True)
class Mark:
    """Where a value was written: file (as given), 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    module: str  # policy module id: public | elective | other
    hours: Hours
    specialties: tuple[str, ...] = ()  # policy specialty ids; empty = all specialties
    form: str | None = None  # training | lecture | seminar
    description: str | None = None
    teacher: str | None = None
    mark: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ClassSession:
    """A class (办班): a run of courses on given dates."""

    code: str
    name: str
    start: dt.date
    end: dt.date
    courses: tuple[str, ...]  # course codes of the same year
    location: str | None = None
    organizer: str | None = None
    level: str | None = None  # city | county
    county: str | None = None
    capacity: int | None = None
    fee: str | None = None
    registration_closes: dt.date | None = None
    contact: str | None = None
    mark: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Registration:
    opens: dt.date | None = None
    closes: dt.date | None = None
    contact: str | None = None


@dataclass(frozen=True)
class YearCatalog:
    year: int
    title: str
    courses: tuple[Course, ...]
    classes: tuple[ClassSession, ...] = ()
    publisher: str | None = None
    published: dt.date | None = None
    registration: Registration | None = None
    notes: str | None = None
    source: str | None = field(default=None, compare=False)  # the file it was read from

    @cached_property
    def _courses_by_code(self) -> dict[str, Course]:
        # Pages and exports look courses up by code once per class entry: with hundreds
        # of courses and classes a linear search dominated the site build (bench/).
        return {c.code: c for c in self.courses}

    def course(self, code: str) -> Course:
        """The course with ``code`` (``KeyError`` if the year has none)."""
        return self._courses_by_code[code]


@dataclass(frozen=True)
class Catalog:
    """The policy (plain dict, as the rules take it) and every year, oldest first."""

    policy: dict[str, Any]
    years: tuple[YearCatalog, ...]

    @cached_property
    def typed_policy(self) -> Policy:
        """The policy's typed view (names by id…), made once per catalog."""
        return Policy.from_data(self.policy)

    @property
    def latest(self) -> YearCatalog | None:
        return self.years[-1] if self.years else None

    def year(self, year: int) -> YearCatalog:
        return next(y for y in self.years if y.year == year)
