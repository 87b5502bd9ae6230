"""The public surface of generator.rules stays small and explicit."""

from __future__ import annotations

import generator.rules


def test_public_names() -> None:
    assert sorted(generator.rules.__all__) == [
        "KINDS",
        "RequestError",
        "Requirement",
        "cycle_requirement",
        "evaluate",
        "plan",
        "promotion_requirement",
        "start_year",
    ]
    for name in generator.rules.__all__:
        assert hasattr(generator.rules, name)


def test_request_error_carries_path_and_problem() -> None:
    error = generator.rules.RequestError("records[2].hours", "学时必须是大于0的数字")
    assert str(error) == "records[2].hours: 学时必须是大于0的数字"
    assert (error.path, error.problem) == ("records[2].hours", "学时必须是大于0的数字")
    assert isinstance(error, ValueError)
