"""The public surface of generator.rules stays small and explicit."""

from __future__ import annotations

import json
from typing import Any

import generator.rules


def test_public_names() -> None:
    assert sorted(generator.rules.__all__) == [
        "KINDS",
        "MAX_DEPTH",
        "MAX_HOURS",
        "RequestError",
        "Requirement",
        "cycle_requirement",
        "evaluate",
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
    from generator.rules import bridge

    ok = json.loads(bridge.evaluate_json(policy, '{"kind": "promotion", "target": "engineer", '
                                                 '"year": 2011, "records": []}'))
    assert ok["response"]["required"] == {"total": 96, "public": 24}
    assert json.loads(bridge.evaluate_json(policy, '{"kind": "promotion", "kind": "cycle"}')) == {
        "error": "kind: 字段重复", "path": "kind"}
    assert json.loads(bridge.read_json('{"a": [1, 2.5]}')) == {"request": {"a": [1, 2.5]}}
    assert json.loads(bridge.read_json("")) == {"error": "请求为空", "path": ""}
