"""The hours rules of 温经贸培训〔2009〕74号, section 二.

Standard library only and no I/O: the same file runs in CPython (CLI, build, batch
audit) and in Pyodide (the calculator page). The policy is plain data, the dict
that ``generator.policy`` makes of ``catalog/policy.yaml`` (the browser gets the
same dict as ``policy.json``); every figure, every counting window and every
assumption used here comes from it.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    _records,
    _show,
    _year,
)
from ._requirements import (
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
            request["cycle_start"], first, spec["name"], int(figure(spec["cycle_years"]))
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
        a for m in modules if m in used_modules and (a := assumed(modules[m])) is not None
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
