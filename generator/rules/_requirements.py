"""What the notice requires: the hours, the public quota and the counting window of an
application (第二条第（一）至（三）项) or of a cycle (第二条), read from the policy's plain data.

Standard library only and no I/O, like every module of ``generator.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Number = int | float


@dataclass(frozen=True)
class Requirement:
    """What an application or a cycle requires, the hours window that counts, and the
    ids of the policy's assumptions these figures and this window rest on."""

    total: Number
    public: Number
    window_from: int
    window_to: int
    assumptions: tuple[str, ...] = ()


def figure(entry: Any) -> Any:
    """A policy figure's value: ``8`` and ``{"value": 8, "assumption": …}`` are both 8."""
    return entry["value"] if isinstance(entry, Mapping) else entry


def assumed(entry: Any) -> str | None:
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


def _span(a: int, b: int) -> str:
    return f"{a}年度" if a == b else f"{a}—{b}年度"


def start_year(policy: Mapping[str, Any]) -> int:
    return int(figure(policy["start_year"]))


def _window(
    spec: Mapping[str, Any], first: int, year: int, years: int, cycle_start: int
) -> tuple[int, int, str | None]:
    """``(from, to, assumption id or None)`` of a window rule of policy.yaml."""
    rule = spec["rule"]
    if rule == "since_start":
        return first, year, assumed(spec)
    if rule == "cycle":
        return cycle_start, cycle_start + years - 1, assumed(spec)
    if rule == "last_cycle":
        start = max(first, year - years + 1)
        # The transition's cumulative window (first..year) is stated; a sliding one is not.
        return start, year, assumed(spec) if start > first else None
    raise ValueError(f"unknown window rule {rule!r}")  # policy.py refuses it first


def cycle_requirement(policy: Mapping[str, Any], title: str, cycle_start: int) -> Requirement:
    """The full-cycle figures of ``title`` for a cycle starting in ``cycle_start``."""
    t = policy["titles"][title]
    years = int(figure(t["cycle_years"]))
    start, end, window = _window(
        policy["cycle"]["window"], start_year(policy), cycle_start, years, cycle_start
    )
    return Requirement(
        total=figure(t["cycle_hours"]),
        public=figure(t["public_hours"]),
        window_from=start,
        window_to=end,
        assumptions=_ids(
            assumed(t["cycle_years"]),
            assumed(t["cycle_hours"]),
            assumed(t["public_hours"]),
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
            total=figure(spec["hours"]),
            public=figure(spec["public_hours"]),
            window_from=start,
            window_to=end,
            assumptions=_ids(assumed(spec["hours"]), assumed(spec["public_hours"]), window),
        )
    t = policy["titles"][spec["current_title"]]
    years = int(figure(t["cycle_years"]))
    cycle_hours = _decimal(figure(t["cycle_hours"]))
    cycle_public = _decimal(figure(t["public_hours"]))
    elapsed = year - first + 1
    per_year = cycle_hours / years
    public_per_year = _decimal(figure(policy["promotion"]["public_per_year"]))
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
    return "stated_through" in spec and year > int(figure(spec["stated_through"]))
