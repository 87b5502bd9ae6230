"""The rules never crash: arbitrary JSON-like requests give a response or a RequestError,
and every valid request gives a well-formed response."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog.policy import load_policy
from generator.rules import RequestError, evaluate
from tests.conftest import CATALOG
from tests.hardening.common import REPORT
from tests.hardening.naughty import NAUGHTY

pytestmark = pytest.mark.slow  # thousands of generated examples

POLICY = load_policy(CATALOG)
TEXT = st.one_of(st.sampled_from(NAUGHTY), st.text(max_size=30))
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSONISH = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)
FIELDS = {
    "kind": st.one_of(st.sampled_from(["promotion", "cycle"]), JSONISH),
    "target": st.one_of(st.sampled_from(list(POLICY["promotion"]["targets"])), JSONISH),
    "title": st.one_of(st.sampled_from(list(POLICY["titles"])), JSONISH),
    "year": st.one_of(st.integers(min_value=2000, max_value=2050), JSONISH),
    "cycle_start": st.one_of(st.integers(min_value=2000, max_value=2050), JSONISH),
}
RECORD = st.one_of(
    st.fixed_dictionaries(
        {
            "year": st.one_of(st.integers(min_value=2000, max_value=2050), JSONISH),
            "module": st.one_of(st.sampled_from(["public", "elective", "other"]), JSONISH),
            "hours": st.one_of(st.floats(), st.integers(), JSONISH),
        },
        optional={"label": JSONISH, "extra": JSONISH, "planned": st.one_of(st.booleans(), JSONISH)},
    ),
    JSONISH,
)
REQUEST = st.one_of(
    st.fixed_dictionaries(
        {}, optional={**FIELDS, "records": st.one_of(st.lists(RECORD, max_size=5), JSONISH)}
    ),
    JSONISH,
)


def check_response(response: dict[str, Any]) -> None:
    planned = {"planned", "with_planned"} if "planned" in response else set()
    assert set(response) == {
        "met",
        "required",
        "counted",
        "shortfall",
        "window",
        "ignored",
        "basis",
        "assumptions",
        "readings",
        "warnings",
    } | planned
    assert all(set(a) == {"id", "text"} for a in response["assumptions"])
    assert all(set(r) == {"assumption", "text", "met", "shortfall"} for r in response["readings"])
    assert all(set(w) == {"record", "text"} for w in response["warnings"])
    json.dumps(response, allow_nan=False)  # always valid JSON
    for key in ("required", "counted", "shortfall"):
        assert set(response[key]) == {"total", "public"}
        assert all(v >= 0 for v in response[key].values())
    assert response["window"]["from"] <= response["window"]["to"]
    assert isinstance(response["basis"], str) and response["basis"].startswith(
        "按温经贸培训〔2009〕74号"
    )


@settings(max_examples=1500, deadline=None)
@given(REQUEST)
def test_any_request_gives_a_response_or_a_request_error(request: Any) -> None:
    REPORT["fuzz_examples"]["rules"] += 1
    try:
        response = evaluate(POLICY, request)
    except RequestError as error:
        message = str(error)
        assert "\n" not in message and message.strip() == message and message
        return
    check_response(response)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["target", "title", "kind"]), TEXT)
def test_reasons_are_one_line_for_naughty_values(field: str, value: str) -> None:
    REPORT["fuzz_examples"]["rules (naughty reasons)"] += 1
    base: dict[str, Any] = {"kind": "promotion", "target": "engineer", "year": 2011, "records": []}
    if field == "title":
        base = {
            "kind": "cycle",
            "title": "engineer",
            "cycle_start": 2009,
            "year": 2011,
            "records": [],
        }
    try:
        evaluate(POLICY, {**base, field: value})
    except RequestError as error:
        assert "\n" not in str(error) and "\r" not in str(error)
