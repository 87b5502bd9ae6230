"""The hours rules of 温经贸培训〔2009〕74号, section 二.

Standard library only and no I/O: the same file runs in CPython (CLI, build, batch
audit) and in Pyodide (the calculator page). The policy is plain data, the dict
that ``generator.catalog.policy`` makes of ``catalog/policy.yaml`` (the browser gets the
same dict as ``policy.json``); every figure, every counting window and every
assumption used here comes from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from ._basis import _basis
from ._request import (
    _REQUEST_KEYS,
    KINDS,
    RequestError,
    _check_keys,
    _choice,
    _cycle_start,
    _Record,
    _records,
    _show,
    _year,
)
from ._requirements import (
    Requirement,
    _decimal,
    _number,
    assumed,
    cycle_requirement,
    figure,
    promotion_requirement,
    start_year,
)

# Exact sums: a float's shortest repr has at most 17 digits and its exponent is at least
# -324; with hours <= 10000 and at most 100,000 records a total needs fewer than 360
# digits, so at this precision no addition ever rounds.
_EXACT = Context(prec=1000)


def _requirement(
    policy: Mapping[str, Any], request: Mapping[str, Any]
) -> tuple[Requirement, int]:
    """What ``request`` requires under ``policy``, and its year (the request is checked)."""
    first = start_year(policy)
    kind = request["kind"]
    if kind == "promotion":
        _check_keys(request, _REQUEST_KEYS[kind], ("target", "year", "records"), "")
        target = _choice(request["target"], "target", policy["promotion"]["targets"], "申报目标")
        year = _year(request["year"], "year", first)
        return promotion_requirement(policy, target, year), year
    _check_keys(request, _REQUEST_KEYS[kind], ("title", "cycle_start", "year", "records"), "")
    title = _choice(request["title"], "title", policy["titles"], "现任职称")
    spec = policy["titles"][title]
    cycle_start = _cycle_start(
        request["cycle_start"], first, spec["name"], int(figure(spec["cycle_years"]))
    )
    year = _year(request["year"], "year", first)
    if year < cycle_start:
        raise RequestError("year", f"验审年度（{year}）不能早于周期起始年度（{cycle_start}）")
    return cycle_requirement(policy, title, cycle_start), year


@dataclass
class _Tally:
    """What the records add up to: the done records' sums, and the planned ones' apart."""

    done_total: Decimal = Decimal(0)
    done_public: Decimal = Decimal(0)
    planned_total: Decimal = Decimal(0)
    planned_public: Decimal = Decimal(0)
    ignored: list[int] = field(default_factory=list)
    planned: list[int] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    done_modules: set[str] = field(default_factory=set)
    planned_modules: set[str] = field(default_factory=set)


def _copies(records: list[_Record], low: int, high: int) -> dict[str, int]:
    """The record that counts for each course named more than once: the first done copy
    inside the window, else the first planned copy inside it, else the first copy (which
    counts in neither; the others are still repeats of it). Codes compare case-insensitively."""
    first: dict[str, int] = {}
    done: dict[str, int] = {}
    planned: dict[str, int] = {}
    repeated = False
    for i, (year, _module, _hours, course, is_planned) in enumerate(records):
        if course is None:
            continue
        key = course.upper()
        if key in first:
            repeated = True
        else:
            first[key] = i
        if low <= year <= high:
            (planned if is_planned else done).setdefault(key, i)
    if not repeated:
        return {}
    return {key: done.get(key, planned.get(key, i)) for key, i in first.items()}


def _tally(
    records: list[_Record], low: int, high: int, public: set[str], counts: set[str]
) -> _Tally:
    """Sum the records dated ``low``..``high`` of the modules in ``counts`` (``public``: the
    ones that also count toward the public quota); each course once (see :func:`_copies`)."""
    out = _Tally()
    add = _EXACT.add  # every sum in the exact context: no addition rounds
    copies = _copies(records, low, high)
    for i, (rec_year, module, hours, course, planned) in enumerate(records):
        if planned:
            out.planned.append(i)
        if copies and course is not None:
            kept = copies[course.upper()]
            if kept != i:
                out.warnings.append(
                    {"record": i, "text": f"与第{kept + 1}条记录是同一门课程（{course}），不重复计入"}
                )
                if not planned:
                    out.ignored.append(i)
                continue
        if not low <= rec_year <= high:
            if not planned:
                out.ignored.append(i)
            continue
        if module not in counts:
            continue
        if planned:
            out.planned_total = add(out.planned_total, hours)
            if module in public:
                out.planned_public = add(out.planned_public, hours)
            out.planned_modules.add(module)
        else:
            out.done_total = add(out.done_total, hours)
            if module in public:
                out.done_public = add(out.done_public, hours)
            out.done_modules.add(module)
    return out


def _summed(
    tallies: dict[tuple[int, int, frozenset[str], frozenset[str]], _Tally],
    records: list[_Record], low: int, high: int, public: set[str], counts: set[str],
) -> _Tally:
    """:func:`_tally`, once per window and modules within one evaluation."""
    key = (low, high, frozenset(public), frozenset(counts))
    if key not in tallies:
        tallies[key] = _tally(records, low, high, public, counts)
    return tallies[key]


def _outcome(req: Requirement, total: Decimal, public: Decimal) -> dict[str, Any]:
    """``met``, ``counted`` and ``shortfall`` of ``total`` (``public``) against ``req``."""
    short_total = max(Decimal(0), _EXACT.subtract(_decimal(req.total), total))
    short_public = max(Decimal(0), _EXACT.subtract(_decimal(req.public), public))
    return {
        "met": short_total == 0 and short_public == 0,
        "counted": {"total": _number(total), "public": _number(public)},
        "shortfall": {"total": _number(short_total), "public": _number(short_public)},
    }


def _modules(policy: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """(the modules that count toward the public quota, the modules that count at all)."""
    modules = policy["modules"]
    return (
        {m for m, spec in modules.items() if spec.get("counts_toward_public")},
        {m for m, spec in modules.items() if spec.get("counted", True)},
    )


def _reread(node: Any, aid: str, reading: Mapping[str, Any]) -> Any:
    """``node`` of the policy with every entry resting on assumption ``aid`` read the other
    way (policy.yaml, ``other_reading``): a window takes its ``window`` rule, a figure its
    ``value``, a module its ``counted``."""
    if isinstance(node, list):
        return [_reread(item, aid, reading) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _reread(item, aid, reading) for key, item in node.items()}
    if out.get("assumption") == aid:
        del out["assumption"]
        if "rule" in out and "window" in reading:
            out["rule"] = reading["window"]
        if "value" in out and "value" in reading:
            out["value"] = reading["value"]
        if "counts_toward_public" in out and "counted" in reading:
            out["counted"] = reading["counted"]
    return out


def other_reading_policy(policy: Mapping[str, Any], aid: str) -> dict[str, Any] | None:
    """The policy (without its ``assumptions``) as assumption ``aid``'s other reading has it
    (policy.yaml, ``other_reading``), or None when the assumption has no other reading: what
    a result's ``readings`` and the policy page's other-reading lines are computed from."""
    reading = policy.get("assumptions", {}).get(aid, {}).get("other_reading")
    if not isinstance(reading, Mapping):
        return None
    return {key: _reread(value, aid, reading) for key, value in policy.items() if key != "assumptions"}


# The other-reading policies of the last policies evaluated against: (id, aid) -> (the
# policy, its other reading). A batch audit evaluates thousands of requests against one
# policy; re-reading it for each was a fifth of the audit's time (cProfile, 10,000
# applicants). The policy object itself is kept and compared, so an id reused by another
# object never matches; the rules never change a policy they are given.
_OTHER_READINGS: dict[tuple[int, str], tuple[Mapping[str, Any], dict[str, Any] | None]] = {}
_OTHER_READINGS_KEPT = 32


def _other_reading_of(policy: Mapping[str, Any], aid: str) -> dict[str, Any] | None:
    """:func:`other_reading_policy`, remembered for the policy object it was made from."""
    key = (id(policy), aid)
    kept = _OTHER_READINGS.get(key)
    if kept is not None and kept[0] is policy:
        return kept[1]
    other = other_reading_policy(policy, aid)
    if len(_OTHER_READINGS) >= _OTHER_READINGS_KEPT:
        _OTHER_READINGS.clear()
    _OTHER_READINGS[key] = (policy, other)
    return other


def _gap(shortfall: Mapping[str, Any]) -> str:
    total, public = shortfall["total"], shortfall["public"]
    if not total:
        return f"尚差公共必修课{public}学时"
    return f"尚差{total}学时（公共必修课{public}学时）" if public else f"尚差{total}学时"


def _readings(
    policy: Mapping[str, Any],
    request: Mapping[str, Any],
    records: list[_Record],
    assumptions: list[str],
    done: Mapping[str, Any],
    tallies: dict[tuple[int, int, frozenset[str], frozenset[str]], _Tally],
) -> list[dict[str, Any]]:
    """The other reading of each assumption in ``assumptions`` that has one and that would
    change ``met`` or the shortfall of the done records (``done``). ``tallies``: the records
    already summed, by window and modules (a reading that changes only a figure sums the
    records as the result did)."""
    out = []
    catalog = policy.get("assumptions", {})
    for aid in assumptions:
        other = _other_reading_of(policy, aid)
        if other is None:
            continue
        reading = catalog[aid]["other_reading"]
        req, _year = _requirement(other, request)
        public, counts = _modules(other)
        tally = _summed(tallies, records, req.window_from, min(req.window_to, _year), public, counts)
        result = _outcome(req, tally.done_total, tally.done_public)
        if (result["met"], result["shortfall"]) == (done["met"], done["shortfall"]):
            continue
        verdict = "则已达标" if result["met"] else f"则{_gap(result['shortfall'])}"
        out.append(
            {
                "assumption": aid,
                "text": f"{reading['text']}，{verdict}",
                "met": result["met"],
                "shortfall": result["shortfall"],
            }
        )
    return out


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
    req, year = _requirement(policy, request)
    modules = policy["modules"]
    records = _records(request["records"], modules, start_year(policy))
    public, counts = _modules(policy)
    tallies: dict[tuple[int, int, frozenset[str], frozenset[str]], _Tally] = {}
    tally = _summed(tallies, records, req.window_from, min(req.window_to, year), public, counts)

    # What the result rests on: the requirement's assumptions, and a module's for any
    # module that counts (done, or planned and counted as if done).
    used_modules = tally.done_modules | tally.planned_modules
    module_assumptions = [
        a for m in modules if m in used_modules and (a := assumed(modules[m])) is not None
    ]
    used = set(req.assumptions) | set(module_assumptions)
    catalog = policy.get("assumptions", {})
    ids = [aid for aid in catalog if aid in used]
    done = _outcome(req, tally.done_total, tally.done_public)
    response: dict[str, Any] = {
        "met": done["met"],
        "required": {"total": req.total, "public": req.public},
        "counted": done["counted"],
        "shortfall": done["shortfall"],
        "window": {"from": req.window_from, "to": req.window_to},
        "ignored": tally.ignored,
    }
    if tally.planned:
        response["planned"] = tally.planned
        response["with_planned"] = _outcome(
            req,
            _EXACT.add(tally.done_total, tally.planned_total),
            _EXACT.add(tally.done_public, tally.planned_public),
        )
    response["basis"] = _basis(policy, request, req, used_modules)
    response["assumptions"] = [{"id": aid, "text": str(catalog[aid]["text"])} for aid in ids]
    # Readings come from the done records, as the verdict does.
    response["readings"] = _readings(policy, request, records, ids, done, tallies)
    response["warnings"] = tally.warnings
    return response
