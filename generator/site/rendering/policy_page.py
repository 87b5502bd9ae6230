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
from generator.rules import assumed, cycle_requirement, figure, promotion_requirement
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
