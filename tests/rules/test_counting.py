"""Which hours count, and toward which quota."""

from __future__ import annotations

from typing import Any

from generator.rules import evaluate


def rec(year: int, module: str, hours: float) -> dict[str, Any]:
    return {"year": year, "module": module, "hours": hours}


def test_contract_example(policy: dict[str, Any]) -> None:
    request = {
        "kind": "promotion",
        "target": "engineer",
        "year": 2011,
        "records": [
            rec(2009, "public", 8),
            rec(2010, "public", 8),
            rec(2012, "elective", 40),  # after the application year
            rec(2011, "elective", 40),
            rec(2010, "other", 30),
        ],
    }
    assert evaluate(policy, request) == {
        "met": False,
        "required": {"total": 96, "public": 24},
        "counted": {"total": 86, "public": 16},
        "shortfall": {"total": 10, "public": 8},
        "window": {"from": 2009, "to": 2011},
        "ignored": [2],
        "basis": evaluate(policy, {**request, "records": []})["basis"],
    }


def test_public_counts_toward_both_quotas(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "promotion",
            "target": "engineer",
            "year": 2009,
            "records": [rec(2009, "public", 32)],
        },
    )
    assert result["counted"] == {"total": 32, "public": 32}
    assert result["met"] is True


def test_elective_and_other_count_toward_total_only(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "promotion",
            "target": "engineer",
            "year": 2009,
            "records": [rec(2009, "elective", 20), rec(2009, "other", 20)],
        },
    )
    assert result["counted"] == {"total": 40, "public": 0}
    assert result["shortfall"] == {"total": 0, "public": 8}
    assert result["met"] is False


def test_hours_may_be_concentrated_in_one_year(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "cycle",
            "title": "engineer",
            "cycle_start": 2009,
            "year": 2013,
            "records": [rec(2013, "public", 32), rec(2013, "elective", 168)],
        },
    )
    assert result["met"] is True
    assert result["shortfall"] == {"total": 0, "public": 0}


def test_half_hours(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "promotion",
            "target": "junior_first",
            "year": 2010,
            "records": [
                rec(2009, "elective", 7.5),
                rec(2010, "public", 0.5),
                rec(2010, "other", 0.1),
                rec(2010, "other", 0.2),
            ],
        },
    )
    assert result["counted"] == {"total": 8.3, "public": 0.5}
    assert result["shortfall"] == {"total": 7.7, "public": 0}


def test_whole_sums_print_as_integers(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "promotion",
            "target": "junior_first",
            "year": 2010,
            "records": [rec(2009, "elective", 7.5), rec(2010, "elective", 8.5)],
        },
    )
    assert result["counted"]["total"] == 16
    assert isinstance(result["counted"]["total"], int)
    assert result["met"] is True


def test_cycle_ignores_records_after_as_of_year_and_outside_cycle(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "cycle",
            "title": "technician",
            "cycle_start": 2010,
            "year": 2010,
            "records": [
                rec(2009, "public", 8),
                rec(2010, "public", 8),
                rec(2011, "elective", 8),
                rec(2012, "elective", 8),
            ],
        },
    )
    assert result["window"] == {"from": 2010, "to": 2011}
    assert result["ignored"] == [0, 2, 3]
    assert result["counted"] == {"total": 8, "public": 8}


def test_cycle_as_of_after_the_cycle_ends(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        {
            "kind": "cycle",
            "title": "technician",
            "cycle_start": 2010,
            "year": 2014,
            "records": [
                rec(2011, "elective", 48),
                rec(2011, "public", 16),
                rec(2012, "public", 16),
            ],
        },
    )
    assert result["window"] == {"from": 2010, "to": 2011}
    assert result["ignored"] == [2]
    assert result["met"] is True


def test_label_is_accepted_and_ignored(policy: dict[str, Any]) -> None:
    records = [
        {"year": 2009, "module": "public", "hours": 32, "label": "公需课：专业技术人员职业道德"}
    ]
    result = evaluate(
        policy, {"kind": "promotion", "target": "engineer", "year": 2009, "records": records}
    )
    assert result["met"] is True
