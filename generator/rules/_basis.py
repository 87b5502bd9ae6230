"""The basis sentence of a response: which clause of the notice the figures come from,
and which of them the portal infers (本门户推定).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._requirements import (
    Number,
    Requirement,
    _after_stated,
    _decimal,
    _number,
    _span,
    assumed,
    figure,
    start_year,
)

_ASSUMED = "本门户推定"


# A clause reference: 第二条, 第二条第（三）项, 第二条第（一）至（三）项.
_CLAUSE = re.compile(r"第[一二三四五六七八九十]+条(?:第（[一二三四五六七八九十]+）(?:至（[一二三四五六七八九十]+）)?项)?")


def _clause(entry: Any) -> str:
    """A clause reference without its quotation: 第二条（“…”） -> 第二条,
    第二条第（三）项（“…”） -> 第二条第（三）项."""
    text = str(entry["clause"] if isinstance(entry, Mapping) else entry)
    found = _CLAUSE.match(text)
    return found.group() if found else text.split("（")[0]


def _entry(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _public(value: Number, inferred: bool, cited: str = "") -> str:
    mark = f"，{_ASSUMED}" if inferred else f"，见{cited}" if cited else ""
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
        if m in used_modules and assumed(modules[m])
    )
    if request["kind"] == "cycle":
        t = policy["titles"][request["title"]]
        window = assumed(policy["cycle"]["window"])
        # The cycle sentence of 第二条 states the years and the hours, not the public part:
        # a stated public figure cites its own clause (第二条第（二）项 or 第（三）项).
        own = _clause(t["public_hours"]) if "clause" in _entry(t["public_hours"]) else ""
        cited = own if own and own != _clause(t["cycle_hours"]) else ""
        return (
            f"按{doc}{_clause(t['cycle_hours'])}，{t['name']}{figure(t['cycle_years'])}年一个周期，"
            f"周期内须完成{req.total}学时{_public(req.public, bool(assumed(t['public_hours'])), cited)}；"
            f"本周期为{_span(req.window_from, req.window_to)}，"
            f"计入其中截至{min(year, req.window_to)}年度的学时"
            f"{f'（{_ASSUMED}）' if window else ''}{tail}。"
        )
    spec = policy["promotion"]["targets"][request["target"]]
    slides = assumed(spec["window"]) in req.assumptions
    counted = f"计入{_span(req.window_from, req.window_to)}的学时{f'（{_ASSUMED}）' if slides else ''}"
    if "current_title" not in spec:
        return (
            f"按{doc}{_clause(spec['hours'])}，{spec['name']}须完成{req.total}学时"
            f"{_public(req.public, bool(assumed(spec['public_hours'])))}；{counted}{tail}。"
        )
    cur = policy["titles"][spec["current_title"]]
    years = int(figure(cur["cycle_years"]))
    cycle_hours = figure(cur["cycle_hours"])
    per_year = _number(_decimal(cycle_hours) / years)
    first = start_year(policy)
    full = req.total == cycle_hours and req.public == figure(cur["public_hours"])
    how = (
        f"即{cur['name']}一个周期（{years}年）的要求"
        if full
        else f"按{cur['name']}周期每年{per_year}学时、公共必修课每年"
        f"{figure(policy['promotion']['public_per_year'])}学时，自{first}年度起累计{year - first + 1}年"
    )
    applying = f"{year}年度申报晋升{spec['applies_for']}任职资格须完成{req.total}学时"
    if _after_stated(policy, request["target"], year):
        # Not the target's clause: it states earlier years only. The figure is the
        # current title's cycle (第二条), read by the portal.
        stated = int(figure(spec["stated_through"]))
        return (
            f"按{doc}{_clause(cur['cycle_hours'])}（{cur['name']}{years}年一个周期，"
            f"周期内{cycle_hours}学时），{applying}{_public(req.public, False)}，{how}"
            f"（{_ASSUMED}：{spec['clause']}只规定了{stated}年度及以前的要求）；{counted}{tail}。"
        )
    return f"按{doc}{spec['clause']}，{applying}{_public(req.public, False)}，{how}；{counted}{tail}。"
