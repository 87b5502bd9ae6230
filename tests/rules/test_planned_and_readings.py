"""Planned records, the other readings of the assumptions, and the precision of hours
(DESIGN.md, ``ceportal hours``: planned records, readings; the README's hours section)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.rules import RequestError, evaluate


def rec(year: int, module: str, hours: float, **extra: Any) -> dict[str, Any]:
    return {"year": year, "module": module, "hours": hours, **extra}


def promotion(target: str, year: int, *records: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "promotion", "target": target, "year": year, "records": list(records)}


SLIDING = "过渡期后申报晋升只计入申报年度及之前、现任职称一个周期年数内的学时"
OTHER_FORMS = "其他形式（专业学历教育、研修专修学习、课题研究等）的学时按所填学时计入总学时"
BASIS_2027 = (
    "按温经贸培训〔2009〕74号第二条第（二）项，2027年度申报晋升工程师任职资格须完成128学时"
    "（其中公共必修课32学时），即助理工程师一个周期（4年）的要求；计入2024—2027年度的学时（本门户推定）。"
)


# --- planned records ---------------------------------------------------------------------


def test_planned_records_are_not_done(policy: dict[str, Any]) -> None:
    # The engineer of issue 28: 80 of 128, 16 of 32 public, two 2027 courses still to take.
    request = promotion(
        "engineer",
        2027,
        rec(2024, "public", 16),
        rec(2025, "elective", 64),
        rec(2027, "public", 16, course="2027/G-21", planned=True),
        rec(2027, "elective", 32, course="2027/E-M1", planned=True),
    )
    assert evaluate(policy, request) == {
        "met": False,
        "required": {"total": 128, "public": 32},
        "counted": {"total": 80, "public": 16},
        "shortfall": {"total": 48, "public": 16},
        "window": {"from": 2024, "to": 2027},
        "ignored": [],
        "planned": [2, 3],
        "with_planned": {
            "met": True,
            "counted": {"total": 128, "public": 32},
            "shortfall": {"total": 0, "public": 0},
        },
        "basis": BASIS_2027,
        "assumptions": [{"id": "sliding_window", "text": SLIDING}],
        "readings": [],
        "warnings": [],
    }


def test_without_planned_records_neither_key_appears(policy: dict[str, Any]) -> None:
    done = promotion("engineer", 2027, rec(2024, "public", 16))
    explicit = promotion("engineer", 2027, rec(2024, "public", 16, planned=False))
    assert list(evaluate(policy, done)) == [
        "met", "required", "counted", "shortfall", "window", "ignored", "basis", "assumptions",
        "readings", "warnings",
    ]
    assert evaluate(policy, explicit) == evaluate(policy, done)


def test_a_planned_record_outside_the_window_counts_in_neither(policy: dict[str, Any]) -> None:
    request = promotion(
        "engineer",
        2027,
        rec(2024, "public", 32),
        rec(2023, "elective", 48, planned=True),  # before the window
        rec(2028, "elective", 48, planned=True),  # after the application year
        rec(2026, "elective", 40, planned=True),
    )
    result = evaluate(policy, request)
    assert (result["ignored"], result["planned"]) == ([], [1, 2, 3])
    assert result["counted"] == {"total": 32, "public": 32}
    assert result["with_planned"] == {
        "met": False,
        "counted": {"total": 72, "public": 32},
        "shortfall": {"total": 56, "public": 0},
    }


def test_a_planned_copy_of_a_done_course_counts_once(policy: dict[str, Any]) -> None:
    request = promotion(
        "engineer",
        2027,
        rec(2027, "public", 16, course="2027/g-21", planned=True),
        rec(2025, "public", 16, course="2027/G-21"),
    )
    result = evaluate(policy, request)
    assert (result["ignored"], result["planned"]) == ([], [0])
    assert result["counted"] == {"total": 16, "public": 16}
    assert result["with_planned"]["counted"] == {"total": 16, "public": 16}
    assert result["warnings"] == [
        {"record": 0, "text": "与第2条记录是同一门课程（2027/g-21），不重复计入"}
    ]


def test_planned_must_be_a_boolean(policy: dict[str, Any]) -> None:
    for value, shown in (("yes", "“yes”"), (1, "1"), (None, "null")):
        with pytest.raises(RequestError) as caught:
            evaluate(policy, promotion("engineer", 2027, rec(2027, "public", 8, planned=value)))
        assert str(caught.value) == (
            f"records[0].planned: 必须是 true（计划参加、尚未完成）或 false，收到 {shown}"
        )


# --- readings ------------------------------------------------------------------------------


def test_the_sliding_window_read_the_other_way(policy: dict[str, Any]) -> None:
    # 2023's 16 public hours fall outside 2024–2027; counted since 2009 they would meet it.
    request = promotion(
        "engineer",
        2027,
        rec(2023, "public", 16),
        rec(2024, "public", 16),
        rec(2025, "elective", 96),
    )
    result = evaluate(policy, request)
    assert (result["met"], result["shortfall"]) == (False, {"total": 16, "public": 16})
    assert result["readings"] == [
        {
            "assumption": "sliding_window",
            "text": "若按2009年度以来的全部学时计算，则已达标",
            "met": True,
            "shortfall": {"total": 0, "public": 0},
        }
    ]


def test_other_forms_read_the_other_way(policy: dict[str, Any]) -> None:
    request = promotion(
        "engineer",
        2012,
        rec(2010, "public", 32),
        rec(2011, "elective", 64),
        rec(2012, "other", 32),
    )
    result = evaluate(policy, request)
    assert result["met"] is True
    assert result["readings"] == [
        {
            "assumption": "other_forms",
            "text": "若其他形式的学时在计算办法另行规定前不予计入，则尚差32学时",
            "met": False,
            "shortfall": {"total": 32, "public": 0},
        }
    ]


def test_both_readings_in_policy_order(policy: dict[str, Any]) -> None:
    request = promotion(
        "engineer",
        2027,
        rec(2020, "public", 32),
        rec(2026, "other", 40),
        rec(2026, "elective", 56),
    )
    result = evaluate(policy, request)
    assert (result["counted"], result["shortfall"]) == (
        {"total": 96, "public": 0},
        {"total": 32, "public": 32},
    )
    assert [a["id"] for a in result["assumptions"]] == ["sliding_window", "other_forms"]
    assert result["readings"] == [
        {
            "assumption": "sliding_window",
            "text": "若按2009年度以来的全部学时计算，则已达标",
            "met": True,
            "shortfall": {"total": 0, "public": 0},
        },
        {
            "assumption": "other_forms",
            "text": "若其他形式的学时在计算办法另行规定前不予计入，则尚差72学时（公共必修课32学时）",
            "met": False,
            "shortfall": {"total": 72, "public": 32},
        },
    ]


def test_a_stated_figure_read_the_other_way(policy: dict[str, Any]) -> None:
    # 高级工程师's 32 public hours are the portal's reading (the notice is silent).
    request = {
        "kind": "cycle",
        "title": "senior_engineer",
        "cycle_start": 2009,
        "year": 2013,
        "records": [rec(2010, "public", 16), rec(2012, "elective", 184)],
    }
    result = evaluate(policy, request)
    assert result["shortfall"] == {"total": 0, "public": 16}
    assert result["readings"] == [
        {
            "assumption": "senior_engineer_public",
            "text": "若高级工程师周期内不单列公共必修课学时，则已达标",
            "met": True,
            "shortfall": {"total": 0, "public": 0},
        }
    ]


def test_no_reading_when_the_other_way_changes_nothing(policy: dict[str, Any]) -> None:
    # Sliding window, nothing before it; no 其他形式 record.
    result = evaluate(policy, promotion("engineer", 2027, rec(2024, "public", 16)))
    assert [a["id"] for a in result["assumptions"]] == ["sliding_window"]
    assert result["readings"] == []


def test_readings_come_from_the_done_records(policy: dict[str, Any]) -> None:
    # A planned 其他形式 record: with_planned rests on other_forms, but the verdict (done
    # records) does not change without it, so there is no reading.
    request = promotion(
        "engineer",
        2027,
        rec(2024, "public", 32),
        rec(2025, "elective", 64),
        rec(2027, "other", 32, planned=True),
    )
    result = evaluate(policy, request)
    assert result["with_planned"]["met"] is True
    assert [a["id"] for a in result["assumptions"]] == ["sliding_window", "other_forms"]
    assert result["readings"] == []
    # A planned record dated before the window is not brought in by the other reading.
    request["records"].append(rec(2015, "elective", 32, planned=True))
    assert evaluate(policy, request)["readings"] == []


# --- the precision of hours ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "message"),
    [
        # Issue 24: this gave met: false with a shortfall of 1e-24.
        (
            [rec(2011, "public", 24), rec(2011, "elective", 71.9999999999999),
             rec(2011, "elective", 9.9999999999e-14)],
            "records[1].hours: 学时最多保留两位小数（按0.01学时计算），收到 71.9999999999999",
        ),
        ([rec(2011, "public", 5e-324)], "records[0].hours: 学时最多保留两位小数（按0.01学时计算），收到 5e-324"),
        ([rec(2011, "public", 0.005)], "records[0].hours: 学时最多保留两位小数（按0.01学时计算），收到 0.005"),
        (
            [rec(2011, "public", 8), rec(2011, "public", 8.125, planned=True)],
            "records[1].hours: 学时最多保留两位小数（按0.01学时计算），收到 8.125",
        ),
    ],
)
def test_hours_finer_than_a_hundredth_are_refused(
    policy: dict[str, Any], records: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(RequestError) as caught:
        evaluate(policy, promotion("engineer", 2011, *records))
    assert str(caught.value) == message


def test_hundredths_are_accepted_and_agree(policy: dict[str, Any]) -> None:
    result = evaluate(
        policy,
        promotion("engineer", 2011, rec(2011, "public", 24), rec(2011, "elective", 71.99),
                  rec(2011, "elective", 0.01)),
    )
    assert (result["met"], result["counted"], result["shortfall"]) == (
        True, {"total": 96, "public": 24}, {"total": 0, "public": 0},
    )
    short = evaluate(policy, promotion("engineer", 2011, rec(2011, "public", 24),
                                       rec(2011, "elective", 71.99)))
    assert (short["met"], short["shortfall"]) == (False, {"total": 0.01, "public": 0})
