"""The one reader of request text, in-process (the CLI tests run it through the console
script, the parity tests in Pyodide)."""

from __future__ import annotations

import pytest

from generator.rules import MAX_DEPTH, RequestError, read_request


def refused(text: str) -> str:
    with pytest.raises(RequestError) as info:
        read_request(text)
    return str(info.value)


def test_exactly_32_levels_are_read_33_are_not() -> None:
    assert read_request("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert refused("[" * 33 + "]" * 33) == "请求嵌套超过32层（第1行第33列），不是学时记录的格式"


def test_brackets_inside_strings_do_not_count_even_after_an_escaped_quote() -> None:
    text = '{"label": "\\" ' + "[" * 40 + '", "x": [' + "[" * 3 + "]" * 3 + "]}"
    assert read_request(text)["label"] == '" ' + "[" * 40
    assert read_request('{"a": "' + "[" * 40 + '"}') == {"a": "[" * 40}


def test_the_first_repeated_key_is_named_by_its_path() -> None:
    assert refused('{"records": [{"year": 1}, [{"a": 1, "a": 2}]]}') == "records[1][0].a: 字段重复"
    assert refused('[{"hours": 1, "hours": 1}]') == "[0].hours: 字段重复"


def test_a_byte_order_mark_is_not_part_of_the_request() -> None:
    assert read_request('\ufeff{"kind": "cycle"}') == {"kind": "cycle"}


def test_numbers_keep_their_json_types() -> None:
    request = read_request('{"a": [8, 8.5, 1e2, -0.0, 12345678901234567890]}')
    assert request == {"a": [8, 8.5, 100.0, -0.0, 12345678901234567890]}
    assert [type(v) for v in request["a"]] == [int, float, float, float, int]
