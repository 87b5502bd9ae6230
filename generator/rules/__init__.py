"""The hours rules: one implementation for the CLI, the build, the batch audit and the
browser (Pyodide). Standard library only, no I/O: data in, data out.

>>> evaluate(policy, {"kind": "promotion", "target": "engineer", "year": 2011, "records": []})
>>> evaluate(policy, read_request(text))  # request text: the one reader (CLI, browser)
"""

from __future__ import annotations

from ._engine import evaluate, other_reading_policy
from ._reading import MAX_DEPTH, read_request
from ._request import HOURS_STEP, KINDS, MAX_HOURS, RequestError
from ._requirements import (
    Requirement,
    assumed,
    cycle_requirement,
    figure,
    promotion_requirement,
    start_year,
)
from .planner import plan

__all__ = [
    "HOURS_STEP",
    "KINDS",
    "MAX_DEPTH",
    "MAX_HOURS",
    "RequestError",
    "Requirement",
    "assumed",
    "cycle_requirement",
    "evaluate",
    "figure",
    "other_reading_policy",
    "plan",
    "promotion_requirement",
    "read_request",
    "start_year",
]
