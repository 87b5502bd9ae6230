"""The gap planner (DESIGN.md, ``ceportal plan``): which catalog courses would close a
request's shortfall, and which of their classes can still be registered for.

Standard library only and no I/O, like the rest of ``generator.rules``: the CLI and
the calculator's worker (Pyodide) call :func:`plan` with the same plain data, the
policy dict and the catalogs as ``calculator/catalogs.json`` holds them::

    {"years": [{"year": 2010, "registration": {"closes": "2010-03-31"} | null,
                "courses": [{"code", "title", "module", "hours", "specialties", ...}],
                "classes": [{"code", "name", "start", "end", "courses",
                             "registration_closes", ...}]}]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ._engine import evaluate
from ._request import RequestError

Number = int | float

_NOTE_MET = "已达标，无需补充学时。"
_NOTE_OTHER_FORMS = "可通过其他形式（专业学历教育、研修专修学习、课题研究等）取得"


def _decimal(value: Number) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 + 0.2 sums to 0.3.
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _number(value: Decimal) -> Number:
    integral = value.to_integral_value()
    return int(integral) if value == integral else float(value)


def _span(years: Sequence[int]) -> str:
    if len(years) == 1:
        return f"{years[0]}年度"
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}年度"
    return "、".join(str(y) for y in years) + "年度"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value if len(value) <= 20 else value[:20] + '…'}”"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return repr(value) if isinstance(value, (int, float)) else type(value).__name__


def parse_today(value: Any) -> dt.date:
    """``today`` as the planner takes it: a date, or its text ``YYYY-MM-DD``."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RequestError("today", f"日期应写作 YYYY-MM-DD（如 2026-03-01），收到 {_shown(value)}")


def _specialty(policy: Mapping[str, Any], value: Any) -> str | None:
    if value is None or value == "":
        return None
    options = policy["specialties"]
    if not isinstance(value, str) or value not in options:
        names = "、".join(f"{key}（{options[key]}）" for key in options)
        raise RequestError("specialty", f"未知的专业 {_shown(value)}，应为 {names} 之一")
    return value


def _recorded(request: Mapping[str, Any]) -> set[str]:
    records = request.get("records")
    return (
        {
            r["course"]
            for r in records
            if isinstance(r, Mapping) and isinstance(r.get("course"), str)
        }
        if isinstance(records, list)
        else set()
    )


def _closes(session: Mapping[str, Any], year: Mapping[str, Any]) -> str:
    """When a class stops taking registrations: its own date, else the year's, else its start."""
    if session.get("registration_closes"):
        return str(session["registration_closes"])
    registration = year.get("registration") or {}
    if registration.get("closes"):
        return str(registration["closes"])
    return str(session["start"])


def _open_classes(year: Mapping[str, Any], code: str, today: str) -> list[dict[str, Any]]:
    found = []
    for session in year.get("classes", ()):
        if code not in session["courses"]:
            continue
        closes = _closes(session, year)
        if closes >= today:  # ISO dates compare as text
            found.append(
                {
                    "code": session["code"],
                    "name": session["name"],
                    "start": session["start"],
                    "end": session["end"],
                    "registration_closes": closes,
                }
            )
    found.sort(key=lambda c: (c["registration_closes"], c["start"], c["code"]))
    return found


def _suggestion(year: Mapping[str, Any], course: Mapping[str, Any], today: str) -> dict[str, Any]:
    return {
        "course": f"{year['year']}/{course['code']}",
        "title": course["title"],
        "module": course["module"],
        "hours": course["hours"],
        "specialties": list(course.get("specialties") or ()),
        "classes": _open_classes(year, course["code"], today),
    }


def _candidates(
    years: Iterable[Mapping[str, Any]], recorded: set[str], keep: Any
) -> Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    for year in years:
        for course in year["courses"]:
            if f"{year['year']}/{course['code']}" not in recorded and keep(course):
                yield year, course


def plan(
    policy: Mapping[str, Any],
    catalogs: Mapping[str, Any],
    request: Any,
    *,
    specialty: str | None = None,
    today: dt.date | str,
) -> dict[str, Any]:
    """Suggest catalog courses for what ``request`` still lacks (DESIGN.md, ``ceportal plan``).

    Raises :class:`RequestError` for an invalid request (as :func:`evaluate` does) or
    option (path ``specialty`` or ``today``).
    """
    response = evaluate(policy, request)
    chosen = _specialty(policy, specialty)
    day = parse_today(today)
    shortfall = response["shortfall"]
    window = response["window"]
    # Hours still to be earned count from today's year to the request's year, inside the window.
    first = max(day.year, window["from"])
    last = min(window["to"], request["year"])
    published = {int(y["year"]): y for y in catalogs["years"]}
    years = [y for y in sorted(published) if first <= y <= last]
    out: dict[str, Any] = {
        "shortfall": shortfall,
        "years": years,
        "suggestions": [],
        "covers": {"total": 0, "public": 0},
        "note": "",
    }
    if response["met"]:
        out["note"] = _NOTE_MET
        return out
    if first > last:
        span = _span(list(range(window["from"], last + 1)))
        out["note"] = (
            f"只计入{span}的学时，今天（{day.isoformat()}）起取得的学时已不能计入，无法再补足差额。"
        )
        return out
    if not years:
        out["note"] = f"尚未公布{_span(list(range(first, last + 1)))}课程目录，暂无可建议的课程。"
        return out

    public_modules = {
        m for m, spec in policy["modules"].items() if spec.get("counts_toward_public")
    }
    # The electives: the modules the catalog's classes teach (policy.yaml's taught_in_classes).
    class_modules = {
        m for m, spec in policy["modules"].items() if spec.get("taught_in_classes")
    }
    need_public = _decimal(shortfall["public"])
    need_total = _decimal(shortfall["total"])
    recorded = _recorded(request)
    sources = [published[y] for y in years]
    today_text = day.isoformat()
    suggestions = []
    for year, course in _candidates(sources, recorded, lambda c: c["module"] in public_modules):
        if need_public <= 0:
            break
        suggestions.append(_suggestion(year, course, today_text))
        need_public -= _decimal(course["hours"])
        need_total -= _decimal(course["hours"])

    def elective(course: Mapping[str, Any]) -> bool:
        if course["module"] not in class_modules:
            return False
        open_to = course.get("specialties") or ()
        return not open_to or chosen in open_to

    for year, course in _candidates(sources, recorded, elective):
        if need_total <= 0:
            break
        suggestions.append(_suggestion(year, course, today_text))
        need_total -= _decimal(course["hours"])

    covers_total = sum((_decimal(s["hours"]) for s in suggestions), Decimal(0))
    covers_public = sum(
        (_decimal(s["hours"]) for s in suggestions if s["module"] in public_modules), Decimal(0)
    )
    out["suggestions"] = suggestions
    out["covers"] = {"total": _number(covers_total), "public": _number(covers_public)}
    out["note"] = _note(
        policy,
        years,
        chosen,
        suggestions,
        max(need_total, Decimal(0)),
        max(need_public, Decimal(0)),
    )
    return out


def _note(
    policy: Mapping[str, Any],
    years: Sequence[int],
    chosen: str | None,
    suggestions: Sequence[Mapping[str, Any]],
    left_total: Decimal,
    left_public: Decimal,
) -> str:
    source = f"按{_span(years)}课程目录"
    who = (
        f"{policy['specialties'][chosen]}专业及不限专业的选修课"
        if chosen
        else "不限专业的选修课（选择专业后可列出本专业的选修课）"
    )
    if not suggestions:
        head = f"{source}，已无可补选的公共必修课或{who}（已记录的课程不再列出）"
    elif left_total == 0 and left_public == 0:
        return f"{source}，公共必修课优先、再选{who}，以上课程可补足差额。"
    else:
        head = f"{source}，公共必修课优先、再选{who}，以上课程不足以补足差额"
    rest = [f"总学时{_number(left_total)}学时"] if left_total else []
    if left_public:
        rest.append(f"公共必修课{_number(left_public)}学时")
    gap = f"：仍差{'、'.join(rest)}" if rest else ""
    how = "；公共必修课须参加温州市人事局指定的课程" if left_public else f"，{_NOTE_OTHER_FORMS}"
    return f"{head}{gap}{how}。"
