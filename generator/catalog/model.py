"""The validated catalog model: what every later step (pages, exports, tools) reads.

The dataclasses are written out (so that type checkers and readers see each field) and
held to the field table (:mod:`generator.catalog.format.fields`): :data:`FORMAT` binds each
table to its class and refuses to bind a class whose fields differ from the table's.

Plain frozen dataclasses rather than pydantic: the validation has to report
YAML line/column marks for every value and collect every problem at once, which
our own validator does directly from the marked node tree; the model then needs no
validation machinery of its own and no extra dependency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .format.fields import TABLES, Format
from .memo import digest
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
class Period:
    """One session of a class (v3): the days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date


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
    sessions: tuple[Period, ...] = ()  # empty: one session, start…end
    status: str = "open"  # open | full | cancelled | postponed (format.STATUSES)
    status_note: str | None = None
    note: str | None = None
    mark: Mark | None = field(default=None, compare=False, repr=False)

    @property
    def periods(self) -> tuple[Period, ...]:
        """The days the class meets: its sessions, or start…end when it lists none."""
        return self.sessions or (Period(self.start, self.end),)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def takes_registrations(self) -> bool:
        """Whether the class still takes applicants (not full, cancelled or postponed)."""
        return self.status == "open"


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
    draft: bool = False  # checked, never published by `build` (DESIGN.md, v3)
    source: str | None = field(default=None, compare=False)  # the file it was read from

    @cached_property
    def fingerprint(self) -> str:
        """The :func:`~generator.catalog.memo.digest` of the year (every field as its
        ``repr`` shows it): the key of what is made from it. Taken once per year object,
        which is immutable all the way down; a preview rebuild keys several outputs of
        every year by it."""
        return digest(self)

    @cached_property
    def _courses_by_code(self) -> dict[str, Course]:
        # Pages and exports look courses up by code once per class entry: with hundreds
        # of courses and classes a linear search dominated the site build (bench/).
        return {c.code: c for c in self.courses}

    def course(self, code: str) -> Course:
        """The course with ``code`` (``KeyError`` if the year has none)."""
        return self._courses_by_code[code]

    def deadline(self, klass: ClassSession) -> dt.date | None:
        """The class's registration deadline as published: its own, else the year's."""
        if klass.registration_closes:
            return klass.registration_closes
        return self.registration.closes if self.registration else None


@dataclass(frozen=True)
class Catalog:
    """The policy (typed: :class:`~generator.catalog.policy_model.Policy`, whose
    ``as_rules_data()`` the rules take) and every year, oldest first."""

    policy: Policy
    years: tuple[YearCatalog, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.policy, Policy):  # a checked policy dict (tools, tests)
            object.__setattr__(self, "policy", Policy.from_data(self.policy))

    @property
    def latest(self) -> YearCatalog | None:
        return self.years[-1] if self.years else None

    @property
    def current(self) -> YearCatalog | None:
        """The home page's year: the newest that is not a draft."""
        return next((y for y in reversed(self.years) if not y.draft), None)

    def published(self) -> Catalog:
        """The catalog a build publishes: every year but the drafts (DESIGN.md, v3)."""
        if not any(y.draft for y in self.years):
            return self
        return Catalog(self.policy, tuple(y for y in self.years if not y.draft))

    def year(self, year: int) -> YearCatalog:
        return next(y for y in self.years if y.year == year)


# Fields of the model that are not written in the file: where a record was read.
NOT_IN_FILE = frozenset({"mark", "source"})


def file_fields(model: type) -> list[str]:
    """The names of ``model``'s fields that a year file holds, in order."""
    return [f.name for f in dataclasses.fields(model) if f.name not in NOT_IN_FILE]


def bind(fmt: Format, models: dict[str, type]) -> Format:
    """``fmt`` with its model classes, each checked against its table."""
    for record, model in models.items():
        names, table = file_fields(model), list(fmt[record])
        if sorted(names) != sorted(table):
            raise ValueError(f"{model.__name__}: model fields {names} != format fields {table}")
    return dataclasses.replace(fmt, models=models)


FORMAT = bind(Format(TABLES), {
    "year": YearCatalog, "course": Course, "class": ClassSession, "session": Period,
    "registration": Registration,
})
