"""The calculator worker's Python side (generator/browser/web/worker.js): JSON text in, JSON
text out, so numbers cross exactly as CPython's ``json`` prints them and a refused
request carries exactly the reason ``ceportal hours`` prints, with its field path.

Tested in CPython (tests/calculator/test_parity.py) and run unchanged in Pyodide.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.rules._engine import evaluate
from generator.rules._reading import read_request
from generator.rules._request import RequestError, check_fields
from generator.rules._requirements import start_year
from generator.rules.planner import plan


def _refused(exc: RequestError) -> str:
    # The fields as well as the line: the page places the problem by its path and never
    # parses the line back.
    return json.dumps({"error": str(exc), "path": exc.path, "problem": exc.problem})


def evaluate_json(policy: Mapping[str, Any], text: str) -> str:
    """``{"response": …}`` for the request ``text``, or ``{"error": reason, "path": …, "problem": …}``."""
    try:
        response = evaluate(policy, read_request(text))
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"response": response})


# JavaScript's numbers are doubles: an integer beyond 2**53 is not held as written.
_JS_EXACT_INT = 2**53


def _crosses(value: Any) -> bool:
    """Whether JavaScript holds every number in ``value`` exactly as it was read (not a
    number too long or too large to hold: see _reading)."""
    if isinstance(value, dict):
        return all(_crosses(item) for item in value.values())
    if isinstance(value, list):
        return all(_crosses(item) for item in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if hasattr(value, "shown"):
            return False
        return isinstance(value, float) or abs(value) <= _JS_EXACT_INT
    return True


def read_json(policy: Mapping[str, Any], text: str) -> str:
    """``{"request": …}`` as :func:`read_request` reads ``text`` (an imported file, a
    ``#r=`` link), or ``{"error": reason, "path": …, "problem": …}`` with the reason ``ceportal hours``
    prints for the same text: not JSON, nested too deep, a repeated key, an unknown field
    (the form would drop it silently), or a number the page could not hold as written (the
    rules' reason for it, e.g. a 5,000-digit year).

    The figures themselves are the rules' to judge once the request is in the form (the
    page shows their reasons next to the fields), so an incomplete request still opens."""
    try:
        request = read_request(text)
        check_fields(request)  # the form would drop an unknown field without a word
        if not _crosses(request):
            evaluate(policy, request)  # the CLI's reason for that number
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"request": request})


def plan_json(policy: Mapping[str, Any], catalogs: Mapping[str, Any], text: str, options: str) -> str:
    """The worker's side of ``ceHours.plan``: the request as text (read by the one reader)
    and the options ``{"specialty", "county", "today"}`` as JSON; ``{"response": …}``, or
    ``{"error": reason, "path": field, "problem": …}`` with the reason ``ceportal plan`` prints."""
    chosen = json.loads(options)
    try:
        response = plan(
            policy,
            catalogs,
            read_request(text),
            specialty=chosen.get("specialty"),
            county=chosen.get("county"),
            today=chosen.get("today"),
        )
    except RequestError as exc:
        return _refused(exc)
    return json.dumps({"response": response})


def exercise(policy: Mapping[str, Any], catalogs: Mapping[str, Any], rounds: int) -> int:
    """Run the page's own calls ``rounds`` times on requests made from the policy (each
    promotion target, a record of every module in each of the first three years, read,
    evaluated and planned); the number of calls made.

    The worker runs this in small slices once the page is idle. Chromium keeps the
    engine's compiled code for the next visit only once enough of it has been optimised,
    which a start from the snapshot alone does not reach (measured: warm start 1.70 s
    without, 1.25 s after about sixty evaluations, bench/bench_calculator.py)."""
    first = start_year(policy)
    records = [
        {"year": year, "module": module, "hours": 8}
        for year in range(first, first + 3)
        for module in policy["modules"]
    ]
    texts = [
        json.dumps({"kind": "promotion", "target": target, "year": first + 2, "records": records})
        for target in policy["promotion"]["targets"]
    ]
    calls = 0
    for _ in range(rounds):
        for text in texts:
            read_json(policy, text)
            evaluate_json(policy, text)
            calls += 2
        plan_json(policy, catalogs, texts[-1], json.dumps({"today": f"{first + 2}-03-01"}))
        calls += 1
    return calls
