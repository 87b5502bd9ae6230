"""Properties that hold for every valid request (hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog.policy import load_policy
from generator.rules import RequestError, evaluate
from tests.conftest import CATALOG

pytestmark = pytest.mark.slow  # thousands of generated examples

POLICY = load_policy(CATALOG)
YEARS = st.integers(min_value=2009, max_value=2040)
HOURS = st.one_of(
    st.integers(min_value=1, max_value=300),
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("300"), places=1).map(float),
)
RECORD = st.fixed_dictionaries(
    {"year": YEARS, "module": st.sampled_from(["public", "elective", "other"]), "hours": HOURS}
)


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    records = draw(st.lists(RECORD, max_size=12))
    if draw(st.booleans()):
        target = draw(st.sampled_from(list(POLICY["promotion"]["targets"])))
        return {"kind": "promotion", "target": target, "year": draw(YEARS), "records": records}
    start = draw(YEARS)
    year = draw(st.integers(min_value=start, max_value=2045))
    title = draw(st.sampled_from(list(POLICY["titles"])))
    return {"kind": "cycle", "title": title, "cycle_start": start, "year": year, "records": records}


def full_cycle(request: dict[str, Any]) -> tuple[float, float]:
    if request["kind"] == "cycle":
        title = POLICY["titles"][request["title"]]
    else:
        spec = POLICY["promotion"]["targets"][request["target"]]
        if "current_title" not in spec:
            return spec["hours"]["value"], spec["public_hours"]["value"]
        title = POLICY["titles"][spec["current_title"]]
    return title["cycle_hours"]["value"], title["public_hours"]["value"]


@settings(max_examples=300, deadline=None)
@given(requests())
def test_required_never_exceeds_one_full_cycle(request: dict[str, Any]) -> None:
    result = evaluate(POLICY, request)
    total, public = full_cycle(request)
    assert 0 < result["required"]["total"] <= total
    assert 0 <= result["required"]["public"] <= public
    assert result["required"]["public"] <= result["required"]["total"]


@settings(max_examples=300, deadline=None)
@given(requests(), RECORD)
def test_adding_a_record_never_raises_a_shortfall(
    request: dict[str, Any], extra: dict[str, Any]
) -> None:
    before = evaluate(POLICY, request)
    after = evaluate(POLICY, {**request, "records": [*request["records"], extra]})
    assert after["shortfall"]["total"] <= before["shortfall"]["total"]
    assert after["shortfall"]["public"] <= before["shortfall"]["public"]
    assert after["met"] >= before["met"]


@settings(max_examples=300, deadline=None)
@given(requests(), st.randoms(use_true_random=False))
def test_record_order_does_not_change_the_result(request: dict[str, Any], rnd: Any) -> None:
    shuffled = list(request["records"])
    rnd.shuffle(shuffled)
    a = evaluate(POLICY, request)
    b = evaluate(POLICY, {**request, "records": shuffled})
    for key in ("met", "required", "counted", "shortfall", "window", "basis"):
        assert a[key] == b[key]
    assert len(a["ignored"]) == len(b["ignored"])


@settings(max_examples=300, deadline=None)
@given(requests())
def test_counted_is_at_most_the_sum_of_hours(request: dict[str, Any]) -> None:
    result = evaluate(POLICY, request)
    total = sum(Decimal(repr(r["hours"])) for r in request["records"])
    public = sum(Decimal(repr(r["hours"])) for r in request["records"] if r["module"] == "public")
    assert Decimal(repr(result["counted"]["total"])) <= total
    assert Decimal(repr(result["counted"]["public"])) <= public
    assert result["counted"]["public"] <= result["counted"]["total"]
    counted = [r for i, r in enumerate(request["records"]) if i not in result["ignored"]]
    assert Decimal(repr(result["counted"]["total"])) == sum(
        Decimal(repr(r["hours"])) for r in counted
    )
    assert result["met"] == (result["shortfall"] == {"total": 0, "public": 0})


# Hours as a record may hold them: multiples of 0.01 (the precision of hours, README).
ANY_HOURS = st.one_of(
    st.integers(min_value=1, max_value=10_000),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000), places=2).map(float),
)
# Any double in range: the ones finer than 0.01 are refused.
ANY_FLOAT = st.floats(min_value=5e-324, max_value=10_000, allow_nan=False, allow_infinity=False)
ANY_RECORD = st.fixed_dictionaries(
    {"year": YEARS, "module": st.sampled_from(["public", "elective", "other"]), "hours": ANY_HOURS},
    optional={"planned": st.booleans()},
)


@st.composite
def any_requests(draw: st.DrawFn) -> dict[str, Any]:
    request = draw(requests())
    request["records"] = draw(st.lists(ANY_RECORD, max_size=30))
    return request


def exact(value: int | float) -> Fraction:
    """A number as the request writes it (its shortest text), exactly."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@settings(max_examples=500, deadline=None)
@given(any_requests())
def test_sums_are_exact(request: dict[str, Any]) -> None:
    result = evaluate(POLICY, request)
    done = [
        r for i, r in enumerate(request["records"])
        if i not in result["ignored"] and not r.get("planned")
    ]
    total = sum((exact(r["hours"]) for r in done), Fraction(0))
    public = sum((exact(r["hours"]) for r in done if r["module"] == "public"), Fraction(0))
    required = result["required"]
    assert result["met"] == (total >= exact(required["total"]) and public >= exact(required["public"]))
    assert (result["shortfall"]["total"] == 0) == (total >= exact(required["total"]))
    # The printed figures are the exact sums, rounded only once, to the nearest double.
    assert result["counted"]["total"] == float(total)
    assert result["counted"]["public"] == float(public)


def prints_as_zero(shortfall: dict[str, Any]) -> bool:
    return json.dumps(shortfall["total"]) == "0" and json.dumps(shortfall["public"]) == "0"


@settings(max_examples=500, deadline=None)
@given(any_requests())
def test_met_is_false_only_with_a_shortfall_that_prints(request: dict[str, Any]) -> None:
    """`counted`, `shortfall` and `met` agree: met exactly when both shortfalls print as 0
    (done records, with the planned ones, and under every other reading); a shortfall that
    is not 0 is at least one hundredth."""
    result = evaluate(POLICY, request)
    outcomes = [result, *result["readings"]]
    if "with_planned" in result:
        outcomes.append(result["with_planned"])
    for outcome in outcomes:
        assert outcome["met"] == prints_as_zero(outcome["shortfall"])
        for value in outcome["shortfall"].values():
            assert value == 0 or value >= 0.01
            assert exact(value) * 100 == int(exact(value) * 100)
    for key in ("total", "public"):
        gap = exact(result["required"][key]) - exact(result["counted"][key])
        assert exact(result["shortfall"][key]) == max(gap, Fraction(0))


@settings(max_examples=500, deadline=None)
@given(requests(), st.lists(ANY_FLOAT, min_size=1, max_size=5))
def test_hours_finer_than_a_hundredth_are_refused(request: dict[str, Any], hours: list[float]) -> None:
    request["records"] = [{"year": 2009, "module": "elective", "hours": h} for h in hours]
    fine = [i for i, h in enumerate(hours) if exact(h) * 100 != int(exact(h) * 100)]
    if not fine:
        assert evaluate(POLICY, request)["counted"]["total"] >= 0
        return
    with pytest.raises(RequestError) as caught:
        evaluate(POLICY, request)
    assert str(caught.value) == (
        f"records[{fine[0]}].hours: 学时最多保留两位小数（按0.01学时计算），收到 {hours[fine[0]]!r}"
    )


@settings(max_examples=300, deadline=None)
@given(any_requests(), st.data())
def test_a_record_before_the_window_never_changes_the_result(
    request: dict[str, Any], data: st.DataObject
) -> None:
    before = evaluate(POLICY, request)
    early = data.draw(st.integers(min_value=1900, max_value=before["window"]["from"] - 1))
    extra = data.draw(ANY_RECORD.map(lambda r: {**r, "year": early}))
    where = data.draw(st.integers(min_value=0, max_value=len(request["records"])))
    records = [*request["records"][:where], extra, *request["records"][where:]]
    after = evaluate(POLICY, {**request, "records": records})
    for key in ("met", "required", "counted", "shortfall", "window", "basis", "assumptions"):
        assert after[key] == before[key]
    # A planned record is listed as planned, never as ignored (DESIGN.md).
    assert where in (after["planned"] if extra.get("planned") else after["ignored"])
