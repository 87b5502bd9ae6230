"""Checking a request before it is evaluated: every refusal is a :class:`RequestError`
with the field's path and a one-line Chinese reason, the same in the CLI and the browser.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ._requirements import Number, _decimal, _span

KINDS = ("promotion", "cycle")
_REQUEST_KEYS = {
    "promotion": {"kind", "target", "year", "records"},
    "cycle": {"kind", "title", "cycle_start", "year", "records"},
}
_RECORD_KEYS = {"year", "module", "hours", "label", "course", "planned"}
# Far beyond any real request; keeps a pasted or generated request from tying up a phone.
MAX_RECORDS = 100_000
# A record may be dated any year in this range: one before the start year is not an
# error, it simply does not count (a reviewer pastes a whole history).
MIN_RECORD_YEAR = 1900
MAX_YEAR = 9999
# A year has 8,760 hours: more in one record is a typing error, not a training.
MAX_HOURS = 10_000
# The precision of hours: a record is counted in hundredths of an hour, and a finer value is
# refused, not rounded. A training is counted in 学时 (whole hours, sometimes halves or
# quarters), so 0.01 is far below any real record, while a finer value is a spreadsheet's
# float noise (71.9999999999999) or a typing error (5e-324): rounding it silently would
# count what the user did not write. With every record a multiple of 0.01, every sum and
# every shortfall is one too (summed exactly, see _engine), so a shortfall is either 0 or
# at least 0.01 and `met` is false only with a shortfall that prints as more than 0.
HOURS_STEP = Decimal("0.01")
# "<catalog year>/<course code>", the code as catalog files write it.
_COURSE = re.compile(r"[0-9]{4}/[A-Za-z0-9-]+")


class RequestError(ValueError):
    """An invalid request. ``str(error)`` is the one-line reason shown to users:
    ``"<field path>: <problem in Chinese>"``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


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


def shown_key(key: str) -> str:
    """A key as a field path shows it: at most 40 characters, JSON escapes for control
    characters (``\u001b``), so no key can act on a terminal or hide the rest of a line."""
    text = key if len(key) <= 40 else key[:40] + "…"
    return json.dumps(text, ensure_ascii=False)[1:-1]


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
                f"{prefix}{shown_key(key)}", f"不认识的字段，可用字段：{'、'.join(sorted(allowed))}"
            )


def check_fields(request: Any) -> None:
    """Refuse the first field that ``evaluate`` would refuse as unknown, with its reason
    (:class:`RequestError`), leaving missing fields and the values alone: what the
    calculator page needs of an imported file or a link, whose other problems the rules
    show next to the form's fields once it is open. A request of no known kind, or records
    that are no list of objects, pass here (the page refuses them by their shape)."""
    if not isinstance(request, Mapping) or request.get("kind") not in KINDS:
        return
    _check_keys(request, _REQUEST_KEYS[request["kind"]], (), "")
    records = request.get("records")
    if isinstance(records, list):
        for i, rec in enumerate(records):
            if isinstance(rec, Mapping):
                _check_keys(rec, _RECORD_KEYS, (), f"records[{i}].")


# (year, module, hours, course as written or None, planned)
_Record = tuple[int, str, Decimal, "str | None", bool]


def _precise(hours: Decimal) -> bool:
    """Whether ``hours`` is a multiple of :data:`HOURS_STEP` (two decimal places at most)."""
    exponent = hours.as_tuple().exponent  # an int: hours are finite here
    return (isinstance(exponent, int) and exponent >= -2) or hours == hours.quantize(HOURS_STEP)


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
            and ((planned := rec.get("planned", False)) is False or planned is True)
        ):
            d = exact.get(hours)
            if d is None:
                d = _decimal(hours)
                if not _precise(d):  # the slow path names the field
                    append(_record(rec, f"records[{i}]", modules, first))
                    continue
                exact[hours] = d
            append((year, module, d, course, planned))
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
    exact = _decimal(hours)
    if not _precise(exact):
        raise RequestError(
            path + ".hours",
            f"学时最多保留两位小数（按0.01学时计算），收到 {_show(hours)}",
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
    planned = rec.get("planned", False)
    if not isinstance(planned, bool):
        raise RequestError(
            path + ".planned",
            f"必须是 true（计划参加、尚未完成）或 false，收到 {_show(planned)}",
        )
    return int(year), module, exact, course, planned
