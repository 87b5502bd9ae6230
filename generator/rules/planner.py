"""The gap planner, v3 (DESIGN.md, ``ceportal plan``): the classes one can still book that
close a request's shortfall, chosen public first, then the total, with the fewest classes.

Standard library only and no I/O, like the rest of ``generator.rules``: the CLI and
the calculator's worker (Pyodide) call :func:`plan` with the same plain data, the
policy dict and the catalogs as ``calculator/catalogs.json`` holds them::

    {"years": [{"year": 2010, "registration": {"closes": "2010-03-31", "contact": …} | null,
                "courses": [{"code", "title", "module", "hours", "specialties", ...}],
                "classes": [{"code", "name", "start", "end", "courses", "status",
                             "sessions", "registration_closes", "level", "county",
                             "location", "contact", ...}]}]}

A class dict without ``status`` is open; without ``sessions``, one session from its start
to its end; without ``registration_closes``, the year's ``registration.closes``, else its
start (never later than its start).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._engine import evaluate
from ._request import RequestError, _show
from ._requirements import _decimal, _number

_NOTE_MET = "已达标，无需补充学时。"
_NOTE_MET_PLANNED = "已计划的课程完成后即可达标，无需再报名其他办班。"
_NOTE_OTHER_FORMS = "可通过其他形式（专业学历教育、研修专修学习、课题研究等）取得"
# Up to this many candidate classes the choice is exact (every combination, fewest first:
# a catalog year has a handful of classes); beyond it, greedy, then pruned.
EXACT_CLASSES = 12


def _span(years: Sequence[int]) -> str:
    if len(years) == 1:
        return f"{years[0]}年度"
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}年度"
    return "、".join(str(y) for y in years) + "年度"


def parse_today(value: Any) -> dt.date:
    """``today`` as the planner takes it: a date, or its text ``YYYY-MM-DD``."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RequestError("today", f"日期应写作 YYYY-MM-DD（如 2026-03-01），收到 {_show(value)}")


def _specialty(policy: Mapping[str, Any], value: Any) -> str | None:
    if value is None or value == "":
        return None
    options = policy["specialties"]
    if not isinstance(value, str) or value not in options:
        names = "、".join(f"{key}（{options[key]}）" for key in options)
        raise RequestError("specialty", f"未知的专业 {_show(value)}，应为 {names} 之一")
    return value


def _county(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.strip():
        raise RequestError("county", f"县（市、区）应写作名称（如 瑞安市），收到 {_show(value)}")
    return value.strip()


def _recorded(request: Mapping[str, Any]) -> set[str]:
    """The courses the request's records name (done or planned), upper-cased."""
    return {
        r["course"].upper()
        for r in request["records"]
        if isinstance(r, Mapping) and isinstance(r.get("course"), str)
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _sessions(cls: Mapping[str, Any]) -> list[dict[str, str]]:
    sessions = cls.get("sessions") or ()
    out = [{"start": str(s["start"]), "end": str(s["end"])} for s in sessions]
    return out or [{"start": str(cls["start"]), "end": str(cls["end"])}]


def _closes(cls: Mapping[str, Any], year: Mapping[str, Any]) -> str:
    """When a class stops taking registrations: its own date, else the year's, else its
    start; never after its start (ISO dates compare as text)."""
    registration = year.get("registration") or {}
    closes = cls.get("registration_closes") or registration.get("closes") or cls["start"]
    return min(str(closes), str(cls["start"]))


@dataclass(frozen=True)
class _Class:
    """A bookable class the applicant may attend, and what of it would count."""

    key: tuple[str, str, int, str]  # (deadline, start, year, code): deadline order
    out: Mapping[str, Any]  # the class as the response shows it, without courses/covers
    courses: tuple[tuple[str, Mapping[str, Any]], ...]  # (course key, course entry)


def counties(catalogs: Mapping[str, Any]) -> list[str]:
    """The counties the catalogs' county classes name, each once, newest year first (then
    in catalog order): what ``county`` may name to keep a county's classes (the page's
    choice; ``ceportal plan --county``)."""
    names = (
        cls.get("county")
        for year in sorted(catalogs["years"], key=lambda y: -int(y["year"]))
        for cls in year.get("classes", ())
        if cls.get("level") == "county"
    )
    return list(dict.fromkeys(name for name in names if isinstance(name, str) and name))


def junior_choices(policy: Mapping[str, Any]) -> dict[str, list[str]]:
    """The promotion targets and the titles held that are junior (policy.yaml ``junior``):
    whose applicants may attend county classes (notice 第四条), in policy order."""
    return {
        "targets": [k for k, t in policy["promotion"]["targets"].items() if t.get("junior")],
        "titles": [k for k, t in policy["titles"].items() if t.get("junior")],
    }


def _junior(policy: Mapping[str, Any], request: Mapping[str, Any]) -> bool:
    """Notice 第四条: counties run the classes of junior titles (技术员、助理工程师) of their
    own area; 市本级 classes serve everyone. Junior: the title applied for, or the title held."""
    junior = junior_choices(policy)
    if request["kind"] == "promotion":
        return request["target"] in junior["targets"]
    return request["title"] in junior["titles"]


def _may_attend(cls: Mapping[str, Any], junior: bool, county: str | None) -> bool:
    if (cls.get("level") or "city") == "city":
        return True
    if not junior:
        return False
    return county is None or cls.get("county") == county


def _bookable(
    sources: Sequence[Mapping[str, Any]],
    today: str,
    junior: bool,
    county: str | None,
    counts: Any,
) -> tuple[list[_Class], set[str]]:
    """The classes that can be booked on ``today`` and attended, with the courses of
    each that would count (``counts(course)``); and the keys of every such course."""
    found: list[_Class] = []
    offered: set[str] = set()
    for year in sources:
        by_code = {c["code"]: c for c in year["courses"]}
        for cls in year.get("classes", ()):
            closes = _closes(cls, year)
            if (
                (cls.get("status") or "open") != "open"
                or closes < today
                or str(cls["start"]) <= today
                or not _may_attend(cls, junior, county)
            ):
                continue
            courses = []
            for code in cls["courses"]:
                course = by_code.get(code)
                key = f"{year['year']}/{code}"
                if course is not None and counts(key, course):
                    courses.append((key, course))
                    offered.add(key)
            if not courses:
                continue
            registration = year.get("registration") or {}
            out = {
                "year": int(year["year"]),
                "code": cls["code"],
                "name": cls["name"],
                "start": str(cls["start"]),
                "end": str(cls["end"]),
                "sessions": _sessions(cls),
                "registration_closes": closes,
                "level": cls.get("level") or "city",
                "county": cls.get("county"),
                "location": _text(cls.get("location")),
                "contact": _text(cls.get("contact") or registration.get("contact")),
            }
            found.append(
                _Class(
                    (closes, str(cls["start"]), int(year["year"]), cls["code"]), out, tuple(courses)
                )
            )
    found.sort(key=lambda c: c.key)
    return found, offered


class _Need:
    """What a choice of classes leaves of the shortfall, and by how much it overshoots."""

    def __init__(self, total: Decimal, public: Decimal, public_modules: set[str]) -> None:
        self.total = total
        self.public = public
        self.public_modules = public_modules

    def covers(self, chosen: Sequence[_Class]) -> tuple[Decimal, Decimal]:
        seen: set[str] = set()
        total = public = Decimal(0)
        for cls in chosen:
            for key, course in cls.courses:
                if key in seen:
                    continue
                seen.add(key)
                hours = _decimal(course["hours"])
                total += hours
                if course["module"] in self.public_modules:
                    public += hours
        return total, public

    def rank(self, chosen: Sequence[_Class]) -> tuple[Any, ...]:
        """Smaller is better: public left, total left, classes, overshoot, deadlines."""
        total, public = self.covers(chosen)
        return (
            max(Decimal(0), self.public - public),
            max(Decimal(0), self.total - total),
            len(chosen),
            max(Decimal(0), total - self.total),
            sorted(c.key for c in chosen),
        )


def _choose(candidates: list[_Class], need: _Need) -> list[_Class]:
    """The classes to book (DESIGN.md): cover the public shortfall first, then the total,
    with the fewest classes, then the least overshoot, then the earliest deadlines."""
    if not candidates:
        return []
    best_left = need.rank(candidates)[:2]  # what every class together leaves: the best
    if len(candidates) <= EXACT_CLASSES:
        for size in range(len(candidates) + 1):
            fits = [
                list(combo)
                for combo in itertools.combinations(candidates, size)
                if need.rank(combo)[:2] == best_left
            ]
            if fits:
                return min(fits, key=need.rank)
    # Greedy: add the class that leaves least (then overshoots least, closes first), then
    # drop any class the others do without.
    chosen: list[_Class] = []
    rest = list(candidates)
    while need.rank(chosen)[:2] != best_left:
        pick = min(rest, key=lambda c: need.rank([*chosen, c]))
        chosen.append(pick)
        rest.remove(pick)
    for cls in sorted(chosen, key=lambda c: c.key, reverse=True):
        others = [c for c in chosen if c is not cls]
        if need.rank(others)[:2] == best_left:
            chosen = others
    return chosen


def _entry(key: str, course: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "course": key,
        "title": course["title"],
        "module": course["module"],
        "hours": course["hours"],
    }


def _covers(courses: Sequence[Mapping[str, Any]], public_modules: set[str]) -> dict[str, Any]:
    total = sum((_decimal(c["hours"]) for c in courses), Decimal(0))
    public = sum(
        (_decimal(c["hours"]) for c in courses if c["module"] in public_modules), Decimal(0)
    )
    return {"total": _number(total), "public": _number(public)}


def plan(
    policy: Mapping[str, Any],
    catalogs: Mapping[str, Any],
    request: Any,
    *,
    specialty: str | None = None,
    county: str | None = None,
    today: dt.date | str,
) -> dict[str, Any]:
    """The classes to book for what ``request`` still lacks (DESIGN.md, ``ceportal plan``).

    The shortfall planned for is what remains once the request's own planned records
    are done (its ``with_planned``), which is its shortfall when it has none.
    Raises :class:`RequestError` for an invalid request (as :func:`evaluate` does) or
    option (path ``specialty``, ``county`` or ``today``).
    """
    response = evaluate(policy, request)
    chosen_specialty = _specialty(policy, specialty)
    chosen_county = _county(county)
    day = parse_today(today)
    ahead = response.get("with_planned", response)
    shortfall = ahead["shortfall"]
    window = response["window"]
    # Hours still to be earned count from today's year to the request's year, inside the window.
    first = max(day.year, window["from"])
    last = min(window["to"], request["year"])
    published = {int(y["year"]): y for y in catalogs["years"]}
    years = [y for y in sorted(published) if first <= y <= last]
    out: dict[str, Any] = {
        "shortfall": shortfall,
        "years": years,
        "classes": [],
        "courses_without_class": [],
        "covers": {"total": 0, "public": 0},
        "met_after": bool(ahead["met"]),
        "note": "",
    }
    if ahead["met"]:
        out["note"] = _NOTE_MET if response["met"] else _NOTE_MET_PLANNED
        return out
    if first > last:
        span = _span(list(range(window["from"], last + 1)))
        out["note"] = (
            f"只计入{span}的学时，今天（{day.isoformat()}）起取得的学时已不能计入，无法再补足差额。"
        )
        return out
    if not years:
        out["note"] = f"尚未公布{_span(list(range(first, last + 1)))}课程目录，暂无可报名的办班。"
        return out

    modules = policy["modules"]
    public_modules = {m for m, spec in modules.items() if spec.get("counts_toward_public")}
    # Courses expected in classes: public ones and those of modules taught in classes.
    class_modules = public_modules | {
        m for m, spec in modules.items() if spec.get("taught_in_classes")
    }
    recorded = _recorded(request)

    def counts(key: str, course: Mapping[str, Any]) -> bool:
        if key.upper() in recorded:
            return False
        open_to = course.get("specialties") or ()
        return course["module"] in public_modules or not open_to or chosen_specialty in open_to

    sources = [published[y] for y in years]
    candidates, offered = _bookable(
        sources, day.isoformat(), _junior(policy, request), chosen_county, counts
    )
    need = _Need(_decimal(shortfall["total"]), _decimal(shortfall["public"]), public_modules)
    chosen = sorted(_choose(candidates, need), key=lambda c: c.key)

    classes = []
    taken: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    for cls in chosen:  # a course two chosen classes teach counts in the first
        courses = [_entry(key, course) for key, course in cls.courses if key not in seen]
        seen.update(key for key, _course in cls.courses)
        taken += courses
        classes.append({**cls.out, "courses": courses, "covers": _covers(courses, public_modules)})
    helps = {m for m in class_modules if need.total > 0 or m in public_modules}
    out["courses_without_class"] = [
        _entry(key, course)
        for year in sources
        for course in year["courses"]
        if (key := f"{year['year']}/{course['code']}") not in offered
        and course["module"] in helps
        and counts(key, course)
    ]
    out["classes"] = classes
    out["covers"] = _covers(taken, public_modules)
    after = evaluate(
        policy,
        {
            **request,
            "records": [
                *request["records"],
                *(
                    {
                        "year": int(c["course"].split("/")[0]),
                        "module": c["module"],
                        "hours": c["hours"],
                        "course": c["course"],
                        "planned": True,
                    }
                    for c in taken
                ),
            ],
        },
    )
    result = after.get("with_planned", after)
    out["met_after"] = bool(result["met"])
    out["note"] = _note(years, chosen_specialty, classes, out["courses_without_class"], result, day)
    return out


def _note(
    years: Sequence[int],
    chosen: str | None,
    classes: Sequence[Mapping[str, Any]],
    without_class: Sequence[Mapping[str, Any]],
    after: Mapping[str, Any],
    day: dt.date,
) -> str:
    source = f"按{_span(years)}课程目录"
    if after["met"]:
        return f"{source}，报名参加以上{len(classes)}个办班可补足差额。"
    left = after["shortfall"]
    rest = [f"总学时{left['total']}学时"] if left["total"] else []
    if left["public"]:
        rest.append(f"公共必修课{left['public']}学时")
    head = (
        f"{source}，报名参加以上{len(classes)}个办班后仍差{'、'.join(rest)}"
        if classes
        else f"{source}，今天（{day.isoformat()}）起没有可报名的办班，仍差{'、'.join(rest)}"
    )
    notes = []
    if without_class:
        notes.append(f"另有{len(without_class)}门课程暂无可报名的办班，可留意以后公布的办班")
    if chosen is None:
        notes.append("选择专业后可列出本专业选修课的办班")
    notes.append("公共必修课须参加温州市人事局指定的课程" if left["public"] else _NOTE_OTHER_FORMS)
    return f"{head}；{'；'.join(notes)}。"
