"""The hours rules of 温经贸培训〔2009〕74号, section 二.

Standard library only and no I/O: the same file runs in CPython (CLI, build, batch
audit) and in Pyodide (the calculator page). The policy is plain data, the dict
that ``generator.policy`` makes of ``catalog/policy.yaml`` (the browser gets the
same dict as ``policy.json``); every figure, every counting window and every
assumption used here comes from it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any

Number = int | float

KINDS = ("promotion", "cycle")
_REQUEST_KEYS = {
    "promotion": {"kind", "target", "year", "records"},
    "cycle": {"kind", "title", "cycle_start", "year", "records"},
}
_RECORD_KEYS = {"year", "module", "hours", "label", "course"}
# Far beyond any real request; keeps a pasted or generated request from tying up a phone.
MAX_RECORDS = 100_000
# A record may be dated any year in this range: one before the start year is not an
# error, it simply does not count (a reviewer pastes a whole history).
MIN_RECORD_YEAR = 1900
MAX_YEAR = 9999
# A year has 8,760 hours: more in one record is a typing error, not a training.
MAX_HOURS = 10_000
# "<catalog year>/<course code>", the code as catalog files write it.
_COURSE = re.compile(r"[0-9]{4}/[A-Za-z0-9-]+")
# Exact sums: a float's shortest repr has at most 17 digits and its exponent is at least
# -324; with hours <= 10000 and at most 100,000 records a total needs fewer than 360
# digits, so at this precision no addition ever rounds.
_EXACT = Context(prec=1000)


class RequestError(ValueError):
    """An invalid request. ``str(error)`` is the one-line reason shown to users:
    ``"<field path>: <problem in Chinese>"``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True)
class Requirement:
    """What an application or a cycle requires, the hours window that counts, and the
    ids of the policy's assumptions these figures and this window rest on."""

    total: Number
    public: Number
    window_from: int
    window_to: int
    assumptions: tuple[str, ...] = ()


def _figure(entry: Any) -> Any:
    return entry["value"] if isinstance(entry, Mapping) else entry


def _assumed(entry: Any) -> str | None:
    """The assumption id a figure (or a window, a module) rests on, if any."""
    return entry.get("assumption") if isinstance(entry, Mapping) else None


def _number(value: Decimal) -> Number:
    """A Decimal as the JSON number users expect: 96, not 96.0; 8.5 stays 8.5."""
    integral = value.to_integral_value()
    return int(integral) if value == integral else float(value)


def _decimal(value: Number) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 + 0.2 sums to 0.3.
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _ids(*ids: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in ids if i))


# --- requirements -----------------------------------------------------------


def start_year(policy: Mapping[str, Any]) -> int:
    return int(_figure(policy["start_year"]))


def _window(
    spec: Mapping[str, Any], first: int, year: int, years: int, cycle_start: int
) -> tuple[int, int, str | None]:
    """``(from, to, assumption id or None)`` of a window rule of policy.yaml."""
    rule = spec["rule"]
    if rule == "since_start":
        return first, year, _assumed(spec)
    if rule == "cycle":
        return cycle_start, cycle_start + years - 1, _assumed(spec)
    if rule == "last_cycle":
        start = max(first, year - years + 1)
        # The transition's cumulative window (first..year) is stated; a sliding one is not.
        return start, year, _assumed(spec) if start > first else None
    raise ValueError(f"unknown window rule {rule!r}")  # policy.py refuses it first


def cycle_requirement(policy: Mapping[str, Any], title: str, cycle_start: int) -> Requirement:
    """The full-cycle figures of ``title`` for a cycle starting in ``cycle_start``."""
    t = policy["titles"][title]
    years = int(_figure(t["cycle_years"]))
    start, end, window = _window(
        policy["cycle"]["window"], start_year(policy), cycle_start, years, cycle_start
    )
    return Requirement(
        total=_figure(t["cycle_hours"]),
        public=_figure(t["public_hours"]),
        window_from=start,
        window_to=end,
        assumptions=_ids(
            _assumed(t["cycle_years"]),
            _assumed(t["cycle_hours"]),
            _assumed(t["public_hours"]),
            window,
        ),
    )


def promotion_requirement(policy: Mapping[str, Any], target: str, year: int) -> Requirement:
    """What an application for ``target`` in ``year`` requires (transitional rule included)."""
    first = start_year(policy)
    spec = policy["promotion"]["targets"][target]
    if "current_title" not in spec:  # junior_first: a fixed figure
        start, end, window = _window(spec["window"], first, year, 1, first)
        return Requirement(
            total=_figure(spec["hours"]),
            public=_figure(spec["public_hours"]),
            window_from=start,
            window_to=end,
            assumptions=_ids(_assumed(spec["hours"]), _assumed(spec["public_hours"]), window),
        )
    t = policy["titles"][spec["current_title"]]
    years = int(_figure(t["cycle_years"]))
    cycle_hours = _decimal(_figure(t["cycle_hours"]))
    cycle_public = _decimal(_figure(t["public_hours"]))
    elapsed = year - first + 1
    per_year = cycle_hours / years
    public_per_year = _decimal(_figure(policy["promotion"]["public_per_year"]))
    start, end, window = _window(spec["window"], first, year, years, first)
    beyond = _after_stated(policy, target, year)
    return Requirement(
        total=_number(min(cycle_hours, per_year * elapsed)),
        public=_number(min(cycle_public, public_per_year * elapsed)),
        window_from=start,
        window_to=end,
        assumptions=_ids(spec["after_stated"] if beyond else None, window),
    )


def _after_stated(policy: Mapping[str, Any], target: str, year: int) -> bool:
    """Whether ``year`` is after the last one the target's clause states (``stated_through``;
    without it the clause states every year, "…及以后")."""
    spec = policy["promotion"]["targets"][target]
    return "stated_through" in spec and year > int(_figure(spec["stated_through"]))


# --- request checking -------------------------------------------------------


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 20 else value[:20] + "…"
        # JSON escapes keep the reason on one line whatever the text holds (\n, \t, controls).
        return f"“{json.dumps(text, ensure_ascii=False)[1:-1]}”"
    if isinstance(value, (int, float)):
        shown = getattr(value, "shown", None)  # a number too long to print (see _reading)
        if shown is not None:
            return str(shown)
        text = repr(value)
        return text if len(text) <= 24 else f"{text[:20]}…（共{len(text)}位）"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, Mapping):
        return "对象"
    return type(value).__name__


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _year(value: Any, path: str, first: int) -> int:
    """The application year, the as-of year: not before the start year."""
    if not _int(value):
        raise RequestError(path, f"年度必须是整数（如 {first}），收到 {_show(value)}")
    if value < first:
        raise RequestError(
            path, f"年度不能早于{first}年（继续教育自{first}年开始），收到 {_show(value)}"
        )
    if value > MAX_YEAR:
        raise RequestError(path, f"年度不能晚于{MAX_YEAR}年，收到 {_show(value)}")
    return int(value)


def _cycle_start(value: Any, first: int, name: str, years: int) -> int:
    """``cycle_start``: a cycle that began before the start year has no requirement
    under the notice; say which year to enter instead."""
    if _int(value) and MIN_RECORD_YEAR <= value < first:
        end = value + years - 1
        following = value + years * math.ceil((first - value) / years)
        if following == first:
            instead = f"请填写下一个周期的起始年度 {first}"
        else:
            instead = (
                f"请填写下一个周期的起始年度 {following}；"
                f"若本单位自{first}年起重新计算周期，请填写 {first}"
            )
        raise RequestError(
            "cycle_start",
            f"周期起始年度不能早于{first}年（继续教育自{first}年开始）："
            f"{name}{years}年一个周期，始于{value}年的周期（{_span(value, end)}）"
            f"开始于继续教育之前，无法按通知核算，{instead}",
        )
    return _year(value, "cycle_start", first)


def _choice(value: Any, path: str, options: Mapping[str, Any], what: str) -> str:
    if not isinstance(value, str) or value not in options:
        names = "、".join(f"{key}（{_name(options[key])}）" for key in options)
        raise RequestError(path, f"未知的{what} {_show(value)}，应为 {names} 之一")
    return value


def _name(entry: Any) -> str:
    return str(entry["name"]) if isinstance(entry, Mapping) else str(entry)


def _check_keys(
    obj: Mapping[str, Any], allowed: set[str], required: Sequence[str], prefix: str
) -> None:
    for key in required:
        if key not in obj:
            raise RequestError(f"{prefix}{key}", "缺少必填字段")
    for key in obj:
        if key not in allowed:
            raise RequestError(
                f"{prefix}{key}", f"不认识的字段，可用字段：{'、'.join(sorted(allowed))}"
            )


_Record = tuple[int, str, Decimal, "str | None"]


def _records(value: Any, modules: Mapping[str, Any], first: int) -> list[_Record]:
    if not isinstance(value, list):
        raise RequestError("records", f"必须是学时记录的列表，收到 {_show(value)}")
    if len(value) > MAX_RECORDS:
        raise RequestError("records", f"学时记录不能超过{MAX_RECORDS}条，收到 {len(value)} 条")
    out: list[_Record] = []
    append = out.append
    # Requests repeat a few figures (2, 4, 8, 1.5…): convert each once. 8 and 8.0 share
    # a key, and a value, which is all the sums need.
    exact: dict[Number, Decimal] = {}
    for i, rec in enumerate(value):
        # Fast path for the common, valid record; the checks below name the field on error.
        if (
            type(rec) is dict
            and rec.keys() <= _RECORD_KEYS
            and type(year := rec.get("year", 0)) is int
            and MIN_RECORD_YEAR <= year <= MAX_YEAR
            and type(module := rec.get("module", "")) is str
            and module in modules
            and type(hours := rec.get("hours", 0)) in (int, float)
            and 0 < hours <= MAX_HOURS
            and type(rec.get("label", "")) is str
            and (
                (course := rec.get("course")) is None
                or (type(course) is str and _COURSE.fullmatch(course))
            )
        ):
            d = exact.get(hours)
            if d is None:
                d = exact[hours] = _decimal(hours)
            append((year, module, d, course))
            continue
        append(_record(rec, f"records[{i}]", modules, first))
    return out


def _record(rec: Any, path: str, modules: Mapping[str, Any], first: int) -> _Record:
    if not isinstance(rec, Mapping):
        raise RequestError(path, f"每条学时记录必须是对象，收到 {_show(rec)}")
    _check_keys(rec, _RECORD_KEYS, ("year", "module", "hours"), path + ".")
    year = rec["year"]
    if not _int(year):
        raise RequestError(path + ".year", f"年度必须是整数（如 {first}），收到 {_show(year)}")
    if not MIN_RECORD_YEAR <= year <= MAX_YEAR:
        raise RequestError(
            path + ".year",
            f"年度必须在{MIN_RECORD_YEAR}年至{MAX_YEAR}年之间，收到 {_show(year)}",
        )
    module = _choice(rec["module"], path + ".module", modules, "学时类别")
    hours = rec["hours"]
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or math.isnan(hours)
        or hours <= 0
    ):
        tiny = "（小于可以计算的最小数）" if hours == 0 and hasattr(hours, "shown") else ""
        raise RequestError(path + ".hours", f"学时必须是大于0的数字，收到 {_show(hours)}{tiny}")
    if getattr(hours, "held", False):  # see _reading._WrittenFloat
        raise RequestError(
            path + ".hours",
            f"学时的有效数字过多，无法精确计算（请保留不超过15位有效数字），收到 {_show(hours)}",
        )
    if hours > MAX_HOURS:
        raise RequestError(
            path + ".hours",
            f"学时不能超过{MAX_HOURS}（一年只有8760小时），收到 {_show(hours)}",
        )
    label = rec.get("label")
    if label is not None and not isinstance(label, str):
        raise RequestError(path + ".label", f"说明必须是文字，收到 {_show(label)}")
    course = rec.get("course")
    if course is not None and not (isinstance(course, str) and _COURSE.fullmatch(course)):
        raise RequestError(
            path + ".course",
            f"课程应写作“目录年度/课程代码”（如 2010/E-M11），收到 {_show(course)}",
        )
    return int(year), module, _decimal(hours), course


# --- evaluation -------------------------------------------------------------


def evaluate(policy: Mapping[str, Any], request: Any) -> dict[str, Any]:
    """Evaluate one request (see DESIGN.md, ``ceportal hours``) and return the response dict.

    Raises :class:`RequestError` when the request is invalid.
    """
    if not isinstance(request, Mapping):
        raise RequestError("", f"请求必须是JSON对象，收到 {_show(request)}")
    if "kind" not in request:
        raise RequestError("kind", "缺少必填字段（promotion 申报晋升 或 cycle 周期验审）")
    kind = request["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        raise RequestError(
            "kind", f"未知的类型 {_show(kind)}，应为 promotion（申报晋升）或 cycle（周期验审）"
        )
    first = start_year(policy)
    if kind == "promotion":
        _check_keys(request, _REQUEST_KEYS[kind], ("target", "year", "records"), "")
        target = _choice(request["target"], "target", policy["promotion"]["targets"], "申报目标")
        year = _year(request["year"], "year", first)
        req = promotion_requirement(policy, target, year)
    else:
        _check_keys(request, _REQUEST_KEYS[kind], ("title", "cycle_start", "year", "records"), "")
        title = _choice(request["title"], "title", policy["titles"], "现任职称")
        spec = policy["titles"][title]
        cycle_start = _cycle_start(
            request["cycle_start"], first, spec["name"], int(_figure(spec["cycle_years"]))
        )
        year = _year(request["year"], "year", first)
        if year < cycle_start:
            raise RequestError("year", f"验审年度（{year}）不能早于周期起始年度（{cycle_start}）")
        req = cycle_requirement(policy, title, cycle_start)
    modules = policy["modules"]
    records = _records(request["records"], modules, first)

    public_modules = {m for m, spec in modules.items() if spec.get("counts_toward_public")}
    counted_total = Decimal(0)
    counted_public = Decimal(0)
    ignored: list[int] = []
    warnings: list[dict[str, Any]] = []
    used_modules: set[str] = set()
    courses: dict[str, int] = {}  # course -> index of the record that counted it
    low = req.window_from
    high = min(req.window_to, year)
    add = _EXACT.add  # every sum in the exact context: no addition rounds
    for i, (rec_year, module, hours, course) in enumerate(records):
        if not low <= rec_year <= high:
            ignored.append(i)
            continue
        if course is not None:
            earlier = courses.get(course)
            if earlier is not None:
                ignored.append(i)
                warnings.append(
                    {
                        "record": i,
                        "text": f"与第{earlier + 1}条记录是同一门课程（{course}），不重复计入",
                    }
                )
                continue
            courses[course] = i
        counted_total = add(counted_total, hours)
        if module in public_modules:
            counted_public = add(counted_public, hours)
        used_modules.add(module)

    module_assumptions = [
        a for m in modules if m in used_modules and (a := _assumed(modules[m])) is not None
    ]
    used = set(req.assumptions) | set(module_assumptions)
    catalog = policy.get("assumptions", {})
    assumptions = [
        {"id": aid, "text": str(entry["text"])} for aid, entry in catalog.items() if aid in used
    ]

    required_total = _decimal(req.total)
    required_public = _decimal(req.public)
    short_total = max(Decimal(0), _EXACT.subtract(required_total, counted_total))
    short_public = max(Decimal(0), _EXACT.subtract(required_public, counted_public))
    return {
        "met": short_total == 0 and short_public == 0,
        "required": {"total": req.total, "public": req.public},
        "counted": {"total": _number(counted_total), "public": _number(counted_public)},
        "shortfall": {"total": _number(short_total), "public": _number(short_public)},
        "window": {"from": req.window_from, "to": req.window_to},
        "ignored": ignored,
        "basis": _basis(policy, request, req, used_modules),
        "assumptions": assumptions,
        "warnings": warnings,
    }


# --- the basis sentence -------------------------------------------------------

_ASSUMED = "本门户推定"


def _span(a: int, b: int) -> str:
    return f"{a}年度" if a == b else f"{a}—{b}年度"


def _clause(entry: Any) -> str:
    """A clause reference without its quotation: 第二条（“…”） -> 第二条."""
    return str(entry["clause"] if isinstance(entry, Mapping) else entry).split("（")[0]


def _public(value: Number, assumed: bool) -> str:
    mark = f"，{_ASSUMED}" if assumed else ""
    if not value:
        return f"（未单列公共必修课要求{mark}）"
    return f"（其中公共必修课{value}学时{mark}）"


def _basis(
    policy: Mapping[str, Any],
    request: Mapping[str, Any],
    req: Requirement,
    used_modules: set[str],
) -> str:
    doc = policy["document"]["number"]
    year = request["year"]
    modules = policy["modules"]
    tail = "".join(
        f"；{modules[m]['name']}的学时按所填学时计入总学时（{_ASSUMED}）"
        for m in modules
        if m in used_modules and _assumed(modules[m])
    )
    if request["kind"] == "cycle":
        t = policy["titles"][request["title"]]
        window = _assumed(policy["cycle"]["window"])
        return (
            f"按{doc}{_clause(t['cycle_hours'])}，{t['name']}{_figure(t['cycle_years'])}年一个周期，"
            f"周期内须完成{req.total}学时{_public(req.public, bool(_assumed(t['public_hours'])))}；"
            f"本周期为{_span(req.window_from, req.window_to)}，"
            f"计入其中截至{min(year, req.window_to)}年度的学时"
            f"{f'（{_ASSUMED}）' if window else ''}{tail}。"
        )
    spec = policy["promotion"]["targets"][request["target"]]
    slides = _assumed(spec["window"]) in req.assumptions
    counted = f"计入{_span(req.window_from, req.window_to)}的学时{f'（{_ASSUMED}）' if slides else ''}"
    if "current_title" not in spec:
        return (
            f"按{doc}{_clause(spec['hours'])}，{spec['name']}须完成{req.total}学时"
            f"{_public(req.public, bool(_assumed(spec['public_hours'])))}；{counted}{tail}。"
        )
    cur = policy["titles"][spec["current_title"]]
    years = int(_figure(cur["cycle_years"]))
    cycle_hours = _figure(cur["cycle_hours"])
    per_year = _number(_decimal(cycle_hours) / years)
    first = start_year(policy)
    full = req.total == cycle_hours and req.public == _figure(cur["public_hours"])
    how = (
        f"即{cur['name']}一个周期（{years}年）的要求"
        if full
        else f"按{cur['name']}周期每年{per_year}学时、公共必修课每年"
        f"{_figure(policy['promotion']['public_per_year'])}学时，自{first}年度起累计{year - first + 1}年"
    )
    applying = f"{year}年度申报晋升{spec['applies_for']}任职资格须完成{req.total}学时"
    if _after_stated(policy, request["target"], year):
        # Not the target's clause: it states earlier years only. The figure is the
        # current title's cycle (第二条), read by the portal.
        stated = int(_figure(spec["stated_through"]))
        return (
            f"按{doc}{_clause(cur['cycle_hours'])}（{cur['name']}{years}年一个周期，"
            f"周期内{cycle_hours}学时），{applying}{_public(req.public, False)}，{how}"
            f"（{_ASSUMED}：{spec['clause']}只规定了{stated}年度及以前的要求）；{counted}{tail}。"
        )
    if full:
        how = f"已达{cur['name']}一个周期（{years}年）的要求"
    return f"按{doc}{spec['clause']}，{applying}{_public(req.public, False)}，{how}；{counted}{tail}。"
