"""The public surface of generator.rules stays small and explicit."""

from __future__ import annotations

import json
from typing import Any

import generator.rules


def test_public_names() -> None:
    assert sorted(generator.rules.__all__) == [
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
    for name in generator.rules.__all__:
        assert hasattr(generator.rules, name)


def test_request_error_carries_path_and_problem() -> None:
    error = generator.rules.RequestError("records[2].hours", "学时必须是大于0的数字")
    assert str(error) == "records[2].hours: 学时必须是大于0的数字"
    assert (error.path, error.problem) == ("records[2].hours", "学时必须是大于0的数字")
    assert isinstance(error, ValueError)


def test_the_worker_bridge_is_json_text_in_and_out(policy: dict[str, Any]) -> None:
    from generator.browser.worker import calculator as bridge

    ok = json.loads(bridge.evaluate_json(policy, '{"kind": "promotion", "target": "engineer", '
                                                 '"year": 2011, "records": []}'))
    assert ok["response"]["required"] == {"total": 96, "public": 24}
    assert json.loads(bridge.evaluate_json(policy, '{"kind": "promotion", "kind": "cycle"}')) == {
        "error": "kind: 字段重复", "path": "kind", "problem": "字段重复"}
    text = '{"kind": "promotion", "target": "junior_first", "year": 2010, "records": []}'
    assert json.loads(bridge.read_json(policy, text)) == {"request": json.loads(text)}
    assert json.loads(bridge.read_json(policy, "")) == {"error": "请求为空", "path": "", "problem": "请求为空"}
    # What the rules refuse is refused on reading, with the CLI's reason.
    huge = text.replace("2010", "9" * 5000)
    assert json.loads(bridge.read_json(policy, huge)) == {
        "error": "year: 年度不能晚于9999年，收到 99999999999999999999…（共5000位）", "path": "year",
        "problem": "年度不能晚于9999年，收到 99999999999999999999…（共5000位）"}
    # A number JavaScript would not hold as written: the rules' reason for it.
    beyond = text.replace("2010", "9007199254740993")
    assert json.loads(bridge.read_json(policy, beyond)) == {
        "error": "year: 年度不能晚于9999年，收到 9007199254740993", "path": "year",
        "problem": "年度不能晚于9999年，收到 9007199254740993"}
    # The figures are the form's to show with the rules' reasons: an unfinished request
    # (a year still empty, an unknown target) is read as it is.
    unfinished = '{"kind": "promotion", "target": "boss", "year": "", "records": [{"hours": -5}]}'
    assert json.loads(bridge.read_json(policy, unfinished)) == {"request": json.loads(unfinished)}
