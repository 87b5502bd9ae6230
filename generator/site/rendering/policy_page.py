"""The policy page: the rules explained, every figure computed by :mod:`generator.rules`
from the policy, each cell or sentence that rests on an assumption marked as such.

Names come from the typed :class:`~generator.catalog.policy_model.Policy`; the figures, the
windows and the assumptions they rest on are the rules' own data, read with the rules'
functions (:func:`~generator.rules.figure`, :func:`~generator.rules.assumed`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from generator.catalog.policy_model import Policy
from generator.rules import (
    Requirement,
    assumed,
    cycle_requirement,
    figure,
    other_reading_policy,
    promotion_requirement,
)
from generator.site.model import Page

from . import urls
from .context import meta, render
from .markup import hours

log = logging.getLogger(__name__)


class _Notes:
    """The policy's assumptions, numbered in policy order; ``mark`` gives the link that a
    cell or a sentence resting on one carries (and nothing for a stated figure)."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        self.items = [
            {"id": aid, "anchor": urls.assumption_anchor(aid), "n": str(n), "text": str(a["text"]),
             "reason": str(a["reason"]), "clause": str(a["clause"])}
            for n, (aid, a) in enumerate(policy["assumptions"].items(), start=1)
        ]
        self._by_id = {item["id"]: item for item in self.items}
        self.used: set[str] = set()

    def mark(self, *ids: str | None) -> list[dict[str, str]]:
        marks = []
        for aid in dict.fromkeys(i for i in ids if i):
            self.used.add(aid)
            marks.append(self._by_id[aid])
        return marks


# What an other reading changes, in the words of the page's tables: (label, unit) of a
# cycle's figures and of a promotion's.
_CYCLE_FIGURES = {"years": ("周期", "年"), "total": ("周期内学时", "学时"),
                  "public": ("周期内公共必修课", "学时")}
_PROMOTION_FIGURES = {"total": ("须完成学时", "学时"), "public": ("公共必修课", "学时")}


def _changed(label: str, unit: str, new: set[str], old: set[str]) -> str:
    return f"{label}为{'、'.join(sorted(new, key=float))}{unit}（本门户按{'、'.join(sorted(old, key=float))}{unit}）"


def _span(changed: list[int], years: list[int]) -> str:
    """The years of the promotion table a change touches (its last column is 及以后)."""
    if changed == years:
        return "各年度"
    if changed == years[years.index(changed[0]):]:
        return f"{changed[0]}年度起"
    return "、".join(f"{y}年度" for y in changed)


def _other_reading(
    typed: Policy, aid: str, years: list[int], later_year: int
) -> str | None:
    """One line for assumption ``aid``'s other reading (policy.yaml ``other_reading``):
    its condition, then what it would change on this page, as the rules compute it from
    the policy read the other way (:func:`generator.rules.other_reading_policy`): the
    cycles' figures, the promotion table's, the windows of an application in
    ``later_year`` and the modules counted. None when the assumption has no other reading."""
    policy = typed.as_rules_data()
    other = other_reading_policy(policy, aid)
    if other is None:
        return None
    first = typed.start_year
    changes: list[str] = []
    for title in policy["titles"]:
        now, then = cycle_requirement(policy, title, first), cycle_requirement(other, title, first)
        values = {"years": (figure(policy["titles"][title]["cycle_years"]),
                            figure(other["titles"][title]["cycle_years"])),
                  "total": (now.total, then.total), "public": (now.public, then.public)}
        changes += [
            typed.titles[title] + _changed(label, unit, {hours(new)}, {hours(old)})
            for key, (label, unit) in _CYCLE_FIGURES.items()
            if (old := values[key][0]) != (new := values[key][1])
        ]
    windows: list[tuple[str, Requirement, Requirement]] = []
    for target in policy["promotion"]["targets"]:
        pairs = {y: (promotion_requirement(policy, target, y), promotion_requirement(other, target, y))
                 for y in years}
        for key, (label, unit) in _PROMOTION_FIGURES.items():
            moved = [y for y, (a, b) in pairs.items() if getattr(a, key) != getattr(b, key)]
            if moved:
                changes.append(typed.targets[target] + _span(moved, years) + _changed(
                    label, unit, {hours(getattr(pairs[y][1], key)) for y in moved},
                    {hours(getattr(pairs[y][0], key)) for y in moved}))
        now, then = (promotion_requirement(policy, target, later_year),
                     promotion_requirement(other, target, later_year))
        if (now.window_from, now.window_to) != (then.window_from, then.window_to):
            windows.append((typed.targets[target], now, then))
    # The windows of an application in later_year, grouped by what the other reading counts.
    for span in dict.fromkeys((t.window_from, t.window_to) for _n, _a, t in windows):
        group = [(name, now) for name, now, then in windows if (then.window_from, then.window_to) == span]
        who = "" if len(group) == len(windows) else "、".join(name for name, _now in group)
        ours = "，".join(f"{name}计入{now.window_from}—{now.window_to}年度" for name, now in group)
        changes.append(f"{later_year}年度{who}申报晋升计入{span[0]}—{span[1]}年度的学时（本门户：{ours}）")
    for module, spec in policy["modules"].items():
        counted, then_counted = spec.get("counted", True), other["modules"][module].get("counted", True)
        if counted != then_counted:
            verb = ("计入", "不计入") if counted else ("不计入", "计入")
            changes.append(f"{typed.modules[module]}的学时{verb[1]}总学时（本门户{verb[0]}）")
    text = str(policy["assumptions"][aid]["other_reading"]["text"])
    return f"另一种理解：{text}，则{'；'.join(changes)}。" if changes else f"另一种理解：{text}。"


def _figure_cell(value: Any, marks: list[dict[str, str]]) -> dict[str, Any]:
    return {"value": hours(value) if isinstance(value, (int, float)) else str(value),
            "notes": marks}


def policy_page(typed: Policy) -> Page:
    """The rules explained, every figure computed by :mod:`generator.rules` from the policy;
    exactly the cells and sentences that rest on an assumption carry its mark."""
    policy = typed.as_rules_data()
    notes = _Notes(policy)
    first = typed.start_year
    cycles = []
    for title_id, title in policy["titles"].items():
        req = cycle_requirement(policy, title_id, first)
        cycles.append({
            "id": title_id,
            "name": typed.titles[title_id],
            "years": _figure_cell(figure(title["cycle_years"]), notes.mark(assumed(title["cycle_years"]))),
            "total": _figure_cell(req.total, notes.mark(assumed(title["cycle_hours"]))),
            "public": _figure_cell(req.public, notes.mark(assumed(title["public_hours"]))),
        })
    targets = policy["promotion"]["targets"]
    longest = max(int(figure(t["cycle_years"])) for t in policy["titles"].values())
    years = list(range(first, first + longest))
    promotion = []
    windows: dict[str, list[str]] = {}  # window rule -> the assumptions it rests on
    for target_id, spec in targets.items():
        current = typed.current_titles.get(target_id)
        window = assumed(spec["window"])
        windows.setdefault(spec["window"]["rule"], [])
        if window and window not in windows[spec["window"]["rule"]]:
            windows[spec["window"]["rule"]].append(window)
        row = {"id": target_id, "name": typed.targets[target_id], "clause": spec.get("clause", ""),
               "current": typed.titles[current] if current else "—", "cells": []}
        for year in years:
            req = promotion_requirement(policy, target_id, year)
            text = hours(req.total) + (f"（{hours(req.public)}）" if req.public else "")
            # The cell shows figures: the window's assumption belongs to the window's sentence.
            row["cells"].append(_figure_cell(text, notes.mark(*(a for a in req.assumptions if a != window))))
        promotion.append(row)
    modules = [
        {"id": m_id, "name": typed.modules[m_id], "public": m_id in typed.public_modules,
         "clause": m.get("clause", ""), "notes": notes.mark(assumed(m))}
        for m_id, m in policy["modules"].items()
    ]
    example = promotion_requirement(policy, "engineer", first + 2)
    later_year = first + longest + 1  # after the transition: the window slides
    for item in notes.items:
        item["other_reading"] = _other_reading(typed, item["id"], years, later_year)
    later = promotion_requirement(policy, "senior_engineer", later_year)
    cycle_window = policy["cycle"]["window"]
    page = render(
        "policy.md.j2",
        urls.POLICY,
        meta("policy", "学时政策解读", "各级职称继续教育周期、学时要求及2009—2013年过渡办法，数据与学时自查使用同一规则；通知未规定之处标明本门户的推定及理由。", nav=True),
        document=typed.document_info,
        first=first,
        cycles=cycles,
        years=years,
        promotion=promotion,
        modules=modules,
        per_year=hours(figure(policy["promotion"]["public_per_year"])),
        example={"year": first + 2, "from": example.window_from, "to": example.window_to,
                 "total": hours(example.total), "public": hours(example.public),
                 "name": typed.applies_for["engineer"]},
        later={"year": later_year, "from": later.window_from, "to": later.window_to,
               "name": typed.applies_for["senior_engineer"],
               "current": typed.titles[typed.current_titles["senior_engineer"]],
               "years": later.window_to - later.window_from + 1},
        sliding=notes.mark(*windows.get("last_cycle", [])),
        since_start=notes.mark(*windows.get("since_start", [])),
        since_start_names="、".join(typed.targets[k] for k, t in targets.items()
                                   if t["window"]["rule"] == "since_start"),
        cycle_window=notes.mark(assumed(cycle_window)),
        notes=[n for n in notes.items if n["id"] in notes.used],
        u=urls,
    )
    return page
