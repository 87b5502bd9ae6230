"""The calculator worker's Python side (calculator_wasm/worker.js): JSON text in, JSON
text out, so numbers cross exactly as CPython's ``json`` prints them and a refused
request carries exactly the reason ``ceportal hours`` prints, with its field path.

Tested in CPython (tests/calculator/test_parity.py) and run unchanged in Pyodide.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._engine import RequestError, evaluate
from ._reading import read_request
from .planner import plan


def _refused(exc: RequestError) -> str:
    return json.dumps({"error": str(exc), "path": exc.path})


def evaluate_json(policy: Mapping[str, Any], text: str) -> str:
    """``{"response": …}`` for the request ``text``, or ``{"error": reason, "path": …}``."""
    try:
        response = evaluate(policy, read_request(text))
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"response": response})


def read_json(policy: Mapping[str, Any], text: str) -> str:
    """``{"request": …}`` as :func:`read_request` reads ``text`` (an imported file, a
    ``#r=`` link) when the rules accept it, or ``{"error": reason, "path": …}`` with the
    reason ``ceportal hours`` would print for the same text."""
    try:
        request = read_request(text)
        evaluate(policy, request)  # the same reasons as the CLI; no number it cannot carry
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"request": request})


def plan_json(policy: Mapping[str, Any], catalogs: Mapping[str, Any], text: str, options: str) -> str:
    """The worker's side of ``ceHours.plan``: the request as text (read by the one reader)
    and the options ``{"specialty", "today"}`` as JSON; ``{"response": …}``, or
    ``{"error": reason, "path": field}`` with the reason ``ceportal plan`` prints."""
    chosen = json.loads(options)
    try:
        response = plan(
            policy,
            catalogs,
            read_request(text),
            specialty=chosen.get("specialty"),
            today=chosen.get("today"),
        )
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"response": response})
