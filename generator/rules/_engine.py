"""The hours rules of 温经贸培训〔2009〕74号, section 二.

Standard library only and no I/O: the same file runs in CPython (CLI, build, batch
audit) and in Pyodide (the calculator page). The policy is plain data, the dict
that ``generator.policy`` makes of ``catalog/policy.yaml`` (the browser gets the
same dict as ``policy.json``); every figure used here comes from it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
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
MAX_YEAR = 9999


class RequestError(ValueError):
    """An invalid request. ``str(error)`` is the one-line reason shown to users:
    ``"<field path>: <problem in Chinese>"``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True)
class Requirement:
    """What an application or a cycle requires, and the hours window that counts."""

    total: Number
    public: Number
    window_from: int
    window_to: int


def _figure(entry: Any) -> Any:
    return entry["value"] if isinstance(entry, Mapping) else entry


def _is_assumed(entry: Any) -> bool:
    return isinstance(entry, Mapping) and "assumption" in entry


def _number(value: Decimal) -> Number:
    """A Decimal as the JSON number users expect: 96, not 96.0; 8.5 stays 8.5."""
    integral = value.to_integral_value()
    return int(integral) if value == integral else float(value)


def _decimal(value: Number) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 + 0.2 sums to 0.3.
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


# --- requirements -----------------------------------------------------------


def start_year(policy: Mapping[str, Any]) -> int:
    return int(_figure(policy["start_year"]))


def cycle_requirement(policy: Mapping[str, Any], title: str, cycle_start: int) -> Requirement:
    """The full-cycle figures of ``title`` for a cycle starting in ``cycle_start``."""
    t = policy["titles"][title]
    years = int(_figure(t["cycle_years"]))
    return Requirement(
        total=_figure(t["cycle_hours"]),
        public=_figure(t["public_hours"]),
        window_from=cycle_start,
        window_to=cycle_start + years - 1,
    )


def promotion_requirement(policy: Mapping[str, Any], target: str, year: int) -> Requirement:
    """What an application for ``target`` in ``year`` requires (transitional rule included)."""
    first = start_year(policy)
    spec = policy["promotion"]["targets"][target]
    if "current_title" not in spec:  # junior_first: a fixed figure, counted since the start
        return Requirement(
            total=_figure(spec["hours"]),
            public=_figure(spec["public_hours"]),
            window_from=first,
            window_to=year,
        )
    t = policy["titles"][spec["current_title"]]
    years = int(_figure(t["cycle_years"]))
    cycle_hours = _decimal(_figure(t["cycle_hours"]))
    cycle_public = _decimal(_figure(t["public_hours"]))
    elapsed = year - first + 1
    per_year = cycle_hours / years
    public_per_year = _decimal(_figure(policy["promotion"]["public_per_year"]))
    return Requirement(
        total=_number(min(cycle_hours, per_year * elapsed)),
        public=_number(min(cycle_public, public_per_year * elapsed)),
        window_from=max(first, year - years + 1),
        window_to=year,
    )


# --- request checking -------------------------------------------------------


def _year(value: Any, path: str, first: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(path, f"年度必须是整数（如 {first}），收到 {_show(value)}")
    if value < first:
        raise RequestError(path, f"年度不能早于{first}年（继续教育自{first}年开始），收到 {value}")
    if value > MAX_YEAR:
        raise RequestError(path, f"年度不能晚于{MAX_YEAR}年，收到 {value}")
    return value


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
        return repr(value)
    if isinstance(value, list):
        return "列表"
    if isinstance(value, Mapping):
        return "对象"
    return type(value).__name__


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


def _records(value: Any, policy: Mapping[str, Any], first: int) -> list[tuple[int, str, Decimal]]:
    if not isinstance(value, list):
        raise RequestError("records", f"必须是学时记录的列表，收到 {_show(value)}")
    if len(value) > MAX_RECORDS:
        raise RequestError("records", f"学时记录不能超过{MAX_RECORDS}条，收到 {len(value)} 条")
    modules = policy["modules"]
    out = []
    for i, rec in enumerate(value):
        # Fast path for the common, valid record; the checks below name the field on error.
        if (
            type(rec) is dict
            and rec.keys() <= _RECORD_KEYS
            and type(year := rec.get("year", 0)) is int
            and first <= year <= MAX_YEAR
            and type(module := rec.get("module", "")) is str
            and module in modules
            and type(hours := rec.get("hours", 0)) in (int, float)
            and 0 < hours < math.inf
            and isinstance(rec.get("label", ""), str)
        ):
            out.append((year, module, _decimal(hours)))
            continue
        out.append(_record(rec, f"records[{i}]", modules, first))
    return out


def _record(
    rec: Any, path: str, modules: Mapping[str, Any], first: int
) -> tuple[int, str, Decimal]:
    if not isinstance(rec, Mapping):
        raise RequestError(path, f"每条学时记录必须是对象，收到 {_show(rec)}")
    _check_keys(rec, _RECORD_KEYS, ("year", "module", "hours"), path + ".")
    year = _year(rec["year"], path + ".year", first)
    module = _choice(rec["module"], path + ".module", modules, "学时类别")
    hours = rec["hours"]
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or not math.isfinite(hours)
        or hours <= 0
    ):
        raise RequestError(path + ".hours", f"学时必须是大于0的数字，收到 {_show(hours)}")
    label = rec.get("label")
    if label is not None and not isinstance(label, str):
        raise RequestError(path + ".label", f"说明必须是文字，收到 {_show(label)}")
    return year, module, _decimal(hours)


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
    if kind not in KINDS:
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
        cycle_start = _year(request["cycle_start"], "cycle_start", first)
        year = _year(request["year"], "year", first)
        if year < cycle_start:
            raise RequestError("year", f"验审年度（{year}）不能早于周期起始年度（{cycle_start}）")
        req = cycle_requirement(policy, title, cycle_start)
    records = _records(request["records"], policy, first)

    counted_total = Decimal(0)
    counted_public = Decimal(0)
    ignored = []
    last = min(req.window_to, year)
    public_modules = {
        m for m, spec in policy["modules"].items() if spec.get("counts_toward_public")
    }
    for i, (rec_year, module, hours) in enumerate(records):
        if not req.window_from <= rec_year <= last:
            ignored.append(i)
            continue
        counted_total += hours
        if module in public_modules:
            counted_public += hours

    required_total = _decimal(req.total)
    required_public = _decimal(req.public)
    short_total = max(Decimal(0), required_total - counted_total)
    short_public = max(Decimal(0), required_public - counted_public)
    return {
        "met": short_total == 0 and short_public == 0,
        "required": {"total": req.total, "public": req.public},
        "counted": {"total": _number(counted_total), "public": _number(counted_public)},
        "shortfall": {"total": _number(short_total), "public": _number(short_public)},
        "window": {"from": req.window_from, "to": req.window_to},
        "ignored": ignored,
        "basis": _basis(policy, request, req),
    }


# --- the basis sentence -------------------------------------------------------


def _span(a: int, b: int) -> str:
    return f"{a}年度" if a == b else f"{a}—{b}年度"


def _assumption_note(entries: Sequence[tuple[str, Any]]) -> str:
    notes = [
        f"{what}{_figure(e)}学时系通知未明确规定、由本门户推定"
        for what, e in entries
        if _is_assumed(e)
    ]
    return f"（{'；'.join(notes)}）" if notes else ""


def _basis(policy: Mapping[str, Any], request: Mapping[str, Any], req: Requirement) -> str:
    doc = policy["document"]["number"]
    public = f"（其中公共必修课{req.public}学时）" if req.public else "（未单列公共必修课要求）"
    year = request["year"]
    if request["kind"] == "cycle":
        t = policy["titles"][request["title"]]
        note = _assumption_note([("公共必修课", t["public_hours"])])
        return (
            f"按{doc}第二条，{t['name']}{_figure(t['cycle_years'])}年一个周期，"
            f"周期内须完成{req.total}学时{public}{note}；本周期为{_span(req.window_from, req.window_to)}，"
            f"计入其中截至{min(year, req.window_to)}年度的学时。"
        )
    spec = policy["promotion"]["targets"][request["target"]]
    if "current_title" not in spec:
        note = _assumption_note([("公共必修课", spec["public_hours"])])
        return (
            f"按{doc}{spec['clause']}，初次申报初级须完成{req.total}学时{public}{note}；"
            f"计入{_span(req.window_from, req.window_to)}的学时。"
        )
    cur = policy["titles"][spec["current_title"]]
    years = int(_figure(cur["cycle_years"]))
    per_year = _number(_decimal(_figure(cur["cycle_hours"])) / years)
    first = start_year(policy)
    full = req.total == _figure(cur["cycle_hours"]) and req.public == _figure(cur["public_hours"])
    how = (
        f"已达{cur['name']}一个周期（{years}年）的要求"
        if full
        else f"按{cur['name']}周期每年{per_year}学时、公共必修课每年"
        f"{_figure(policy['promotion']['public_per_year'])}学时，自{first}年度起累计{year - first + 1}年"
    )
    note = _assumption_note([("公共必修课", cur["public_hours"])])
    return (
        f"按{doc}{spec['clause']}，{year}年度申报晋升{spec['name']}任职资格须完成{req.total}学时"
        f"{public}，{how}{note}；计入{_span(req.window_from, req.window_to)}的学时。"
    )
