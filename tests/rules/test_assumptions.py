"""What the notice states and what the portal infers (DESIGN.md, the table with the
assumption ids), line by line: every result names exactly the assumptions it rests on."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.catalog.policy import PolicyError, policy_from_text
from generator.rules import evaluate
from tests.conftest import ROOT

AFTER = "assistant_engineer_after_transition"
JUNIOR = ["junior_first_public", "junior_first_window"]


def expected_promotion(target: str, year: int) -> list[str]:
    """DESIGN.md's table, written out by hand (not computed like the rules do)."""
    if target == "junior_first":
        return JUNIOR
    if target == "assistant_engineer":  # (一) states 2009 and 2010 only; window: 2 years
        return [] if year <= 2010 else [AFTER, "sliding_window"]
    if target == "engineer":  # (二) states 2009-2012 and later; window: 4 years
        return [] if year <= 2012 else ["sliding_window"]
    return [] if year <= 2013 else ["sliding_window"]  # (三); window: 5 years


TARGETS = ["junior_first", "assistant_engineer", "engineer", "senior_engineer"]
CASES = [(t, y) for t in TARGETS for y in range(2009, 2017)]


def promotion(target: str, year: int, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"kind": "promotion", "target": target, "year": year, "records": records or []}


@pytest.mark.parametrize(("target", "year"), CASES)
def test_promotion_assumptions(policy: dict[str, Any], target: str, year: int) -> None:
    result = evaluate(policy, promotion(target, year))
    ids = [a["id"] for a in result["assumptions"]]
    assert ids == expected_promotion(target, year)
    for a in result["assumptions"]:
        assert a["text"] == policy["assumptions"][a["id"]]["text"]
    assert result["warnings"] == []
    # basis says "本门户推定" exactly where an assumption is used.
    assert ("本门户推定" in result["basis"]) is bool(ids)


@pytest.mark.parametrize(("target", "year"), [c for c in CASES if not expected_promotion(*c)])
def test_stated_cases_cite_the_clause_that_states_them(
    policy: dict[str, Any], target: str, year: int
) -> None:
    basis = evaluate(policy, promotion(target, year))["basis"]
    clause = {"assistant_engineer": "第（一）项", "engineer": "第（二）项",
              "senior_engineer": "第（三）项"}[target]
    assert basis.startswith(f"按温经贸培训〔2009〕74号第二条{clause}，{year}年度申报晋升")
    assert "推定" not in basis


@pytest.mark.parametrize("year", range(2011, 2017))
def test_technician_promotion_after_2010_cites_the_technician_cycle(
    policy: dict[str, Any], year: int
) -> None:
    basis = evaluate(policy, promotion("assistant_engineer", year))["basis"]
    assert basis.startswith("按温经贸培训〔2009〕74号第二条（技术员2年一个周期，周期内64学时），")
    assert "第二条第（一）项只规定了2010年度及以前的要求" in basis


CYCLE = {
    "senior_engineer": ["senior_engineer_public"],
    "engineer": [],
    "assistant_engineer": [],
    "technician": ["technician_public"],
}


@pytest.mark.parametrize("title", CYCLE)
@pytest.mark.parametrize("start", [2009, 2012, 2016])
def test_cycle_assumptions(policy: dict[str, Any], title: str, start: int) -> None:
    request = {"kind": "cycle", "title": title, "cycle_start": start, "year": start + 1,
               "records": []}
    result = evaluate(policy, request)
    assert [a["id"] for a in result["assumptions"]] == CYCLE[title]
    assert ("本门户推定" in result["basis"]) is bool(CYCLE[title])


@pytest.mark.parametrize(("target", "year"), [("engineer", 2011), ("assistant_engineer", 2012)])
def test_other_forms_only_when_such_a_record_counts(
    policy: dict[str, Any], target: str, year: int
) -> None:
    other = {"year": year, "module": "other", "hours": 8}
    outside = {"year": 2001, "module": "other", "hours": 8}
    plain = [a["id"] for a in evaluate(policy, promotion(target, year, [outside]))["assumptions"]]
    assert "other_forms" not in plain
    counted = evaluate(policy, promotion(target, year, [other]))
    ids = [a["id"] for a in counted["assumptions"]]
    assert ids == [*plain, "other_forms"]  # policy order: other_forms comes last
    assert counted["basis"].endswith("；其他形式的学时按所填学时计入总学时（本门户推定）。")


def test_every_assumption_has_its_reason_and_clause(policy: dict[str, Any]) -> None:
    assert list(policy["assumptions"]) == [
        "senior_engineer_public", "technician_public", AFTER, *JUNIOR, "sliding_window",
        "other_forms",
    ]
    for entry in policy["assumptions"].values():
        assert entry["text"] and entry["reason"] and entry["clause"].startswith("第")


def test_the_windows_are_data(policy: dict[str, Any]) -> None:
    changed = copy.deepcopy(policy)
    changed["promotion"]["targets"]["engineer"]["window"] = {"rule": "since_start",
                                                             "clause": "x"}
    result = evaluate(changed, promotion("engineer", 2015))
    assert result["window"] == {"from": 2009, "to": 2015}
    assert result["assumptions"] == []


POLICY = (ROOT / "catalog" / "policy.yaml").read_text(encoding="utf-8")


def errors(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        policy_from_text(text, "policy.yaml")
    return [p.message for p in info.value.problems]


def test_policy_refuses_an_unknown_assumption_id() -> None:
    text = POLICY.replace("{value: 32, assumption: senior_engineer_public}",
                          "{value: 32, assumption: senior_public}")
    assert errors(text) == [
        "titles.senior_engineer.public_hours.assumption: assumptions 中没有“senior_public”，"
        "可选：senior_engineer_public、technician_public、assistant_engineer_after_transition、"
        "junior_first_public、junior_first_window、sliding_window、other_forms",
        # Its other reading changed the 32: nothing rests on the assumption any more.
        "assumptions.senior_engineer_public.other_reading.value: "
        "没有以“senior_engineer_public”为依据的数字，value 无从改变",
    ]


def test_policy_refuses_an_unknown_window_rule_and_an_assumption_without_reason() -> None:
    text = POLICY.replace("window: {rule: since_start,", "window: {rule: always,").replace(
        "    reason: 第二条规定初次申报初级的人员须完成16学时，未规定其中的公共必修课学时。\n", "")
    assert errors(text) == [
        "promotion.targets.junior_first.window.rule: 未知的计入规则“always”，可选：since_start、last_cycle",
        "assumptions.junior_first_public.reason: 缺少必填项",
    ]


def test_other_readings_are_data_beside_their_assumptions(policy: dict[str, Any]) -> None:
    readings = {aid: a.get("other_reading") for aid, a in policy["assumptions"].items()}
    assert readings["sliding_window"] == {
        "text": "若按2009年度以来的全部学时计算", "window": "since_start"
    }
    assert readings["other_forms"] == {
        "text": "若其他形式的学时在计算办法另行规定前不予计入", "counted": False
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "window: since_start}",
            "window: always}",
            "assumptions.sliding_window.other_reading.window: 未知的计入规则“always”，"
            "可选：since_start、last_cycle、cycle",
        ),
        (
            "{text: 若按2009年度以来的全部学时计算, window: since_start}",
            "{text: 按2009年度以来的全部学时计算, window: since_start}",
            "assumptions.sliding_window.other_reading.text: 应以“若”开头（结果显示为“若……，则已达标”），"
            "收到“按2009年度以来的全部学时计算”",
        ),
        (
            "{text: 若按2009年度以来的全部学时计算, window: since_start}",
            "{text: 若按2009年度以来的全部学时计算}",
            "assumptions.sliding_window.other_reading: 要写明另一种理解改变什么：window、value、counted 之一",
        ),
        (
            "{text: 若按2009年度以来的全部学时计算, window: since_start}",
            "{text: 若按2009年度以来的全部学时计算, window: since_start, weight: 2}",
            "assumptions.sliding_window.other_reading.weight: 不认识的项，可用：text、window、value、counted",
        ),
        (
            "{text: 若按2009年度以来的全部学时计算, window: since_start}",
            "{text: 若按2009年度以来的全部学时计算, value: 0}",
            "assumptions.sliding_window.other_reading.value: 没有以“sliding_window”为依据的数字，value 无从改变",
        ),
        (
            "counted: false}",
            "counted: maybe}",
            "assumptions.other_forms.other_reading.counted: 必须是 true 或 false，收到“maybe”",
        ),
        (
            "{text: 若技术员周期内不单列公共必修课学时, value: 0}",
            "{text: 若技术员周期内不单列公共必修课学时, value: none}",
            "assumptions.technician_public.other_reading.value: 必须是数字，收到“none”",
        ),
    ],
)
def test_policy_checks_other_readings(old: str, new: str, message: str) -> None:
    assert old in POLICY
    assert errors(POLICY.replace(old, new)) == [message]
