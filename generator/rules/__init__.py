"""The hours rules: one implementation for the CLI, the build, the batch audit and the
browser (Pyodide). Standard library only, no I/O: data in, data out.

>>> evaluate(policy, {"kind": "promotion", "target": "engineer", "year": 2011, "records": []})
"""

from __future__ import annotations

from ._engine import (
    KINDS,
    RequestError,
    Requirement,
    cycle_requirement,
    evaluate,
    promotion_requirement,
    start_year,
)
from .planner import plan

__all__ = [
    "KINDS",
    "RequestError",
    "Requirement",
    "cycle_requirement",
    "evaluate",
    "promotion_requirement",
    "start_year",
    "plan",
]
