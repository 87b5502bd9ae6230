"""The one reader of request text: the CLI, the calculator's file import and ``#r=``
links, and ``window.ceHours.evaluate`` (through the worker's bridge) all read a request
with :func:`read_request`, so a bad text gets the same Chinese reason everywhere.

Standard library only, no I/O. Python's ``json`` does the parsing; this module adds what
JSON readers usually leave out: duplicate keys are refused (the last one would silently
win), nesting is limited before the parser recurses (Pyodide has a small stack), numbers
too long or too large to hold are shown as written, and the parser's English becomes
Chinese with the line and column.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from itertools import accumulate
from typing import Any

from ._request import RequestError, shown_key

MAX_DEPTH = 32
# The most bytes of request text any reader takes (a file, a pipe, standard input): a
# request of the calculator's 500 records is some 50 kB, one of 10,000 records 1 MB.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
# Python refuses to convert longer digit strings to int (CVE-2020-10735); so do we.
_MAX_INT_DIGITS = 4000
_JSON_SPACE = " \t\n\r"
_INF = float("inf")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_CONSTANT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN)')
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Python's messages (3.11 to 3.14: CPython here, Pyodide in the browser) in Chinese.
_MESSAGES = (
    ("Expecting value", "此处缺少一个值"),
    ("Expecting property name enclosed in double quotes", "此处应为用双引号括起的字段名"),
    ("Expecting ':' delimiter", "字段名后应为冒号“:”"),
    ("Expecting ',' delimiter", "此处应为逗号“,”或结束的括号"),
    ("Extra data", "JSON 已经结束，其后还有多余的内容"),
    ("Unterminated string", "文字缺少结尾的双引号"),
    ("Invalid control character", "文字中有未转义的控制字符（如换行应写作 \\n）"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义（应为 \\u 加4位十六进制数）"),
    ("Invalid \\escape", "无效的转义（反斜杠后只能是 \" \\ / b f n r t u）"),
)
_TRAILING_COMMA = "结束的括号前多了一个逗号"


class _Duplicated(dict[str, Any]):
    """An object in which ``key`` appeared twice (found again after parsing, for its path)."""

    key: str


class _LongInt(int):
    """An integer too long to convert: its value only compares (far beyond any limit)."""

    shown: str


class _WrittenFloat(float):
    """A number a double cannot hold as written (1e999, 1e-400, 16.0000000000000000000001):
    shown as written; ``held`` when the double is close, but not it."""

    shown: str
    held: bool


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    return f"第{line}行第{column}列"


def _invalid(text: str, pos: int, problem: str) -> RequestError:
    return RequestError("", f"请求不是有效的JSON（{_where(text, pos)}）：{problem}")


def _long_int(digits: str) -> int:
    if len(digits) <= _MAX_INT_DIGITS:
        return int(digits)
    negative = digits.startswith("-")
    value = _LongInt(-(10**30) if negative else 10**30)
    value.shown = f"{digits[: 21 if negative else 20]}…（共{len(digits.lstrip('-'))}位）"
    return value


def _float(text: str) -> float:
    value = float(text)
    written: _WrittenFloat | None = None
    if value == 0 or value in (_INF, -_INF):
        mantissa = text.replace("E", "e").split("e")[0]
        if value != 0 or any(c in "123456789" for c in mantissa):
            written = _WrittenFloat(value)
            written.held = False
    # Fifteen significant digits always survive a double; more may not. The rules sum the
    # number a double holds (its shortest text), so a longer one must be that number.
    elif len(text) > 16 and Decimal(text) != Decimal(repr(value)):
        written = _WrittenFloat(value)
        written.held = True
    if written is None:
        return value
    written.shown = text if len(text) <= 24 else f"{text[:20]}…"
    return written


class _Constant(Exception):
    pass


def _constant(name: str) -> Any:
    raise _Constant(name)


def _too_deep(text: str) -> int | None:
    """Where the text opens its 33rd level, or None; cheap when it is shallow."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    # Outside strings: splitting at quotes is several times faster than a string pattern,
    # and right unless a quote is escaped.
    outside = _STRING.sub("", text) if "\\" in text else "".join(text.split('"')[::2])
    brackets = _NOT_BRACKET.sub("", outside)
    if max(accumulate(map(_STEP.__getitem__, brackets)), default=0) <= MAX_DEPTH:
        return None
    depth = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif token in "]}":
            depth -= 1
    return None  # pragma: no cover - the two scans agree


def _decode_error(text: str, exc: json.JSONDecodeError) -> RequestError:
    pos = exc.pos
    if exc.msg.startswith("Illegal trailing comma"):  # Python 3.13 and later
        return _invalid(text, pos, _TRAILING_COMMA)
    if pos < len(text) and text[pos] in "]}":  # Python 3.11, 3.12: said at the bracket
        before = text[:pos].rstrip(_JSON_SPACE)
        if before.endswith(","):
            return _invalid(text, len(before) - 1, _TRAILING_COMMA)
    for english, chinese in _MESSAGES:
        if exc.msg.startswith(english):
            return _invalid(text, pos, chinese)
    return _invalid(text, pos, "格式错误")


def _path_of_duplicate(value: Any, path: str) -> str | None:
    if isinstance(value, dict):
        if isinstance(value, _Duplicated):
            return f"{path}.{shown_key(value.key)}" if path else shown_key(value.key)
        for key, item in value.items():
            found = _path_of_duplicate(item, f"{path}.{shown_key(key)}" if path else shown_key(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _path_of_duplicate(item, f"{path}[{i}]")
            if found:
                return found
    return None


def read_request(text: str) -> Any:
    """The request that ``text`` (JSON) holds; raises :class:`RequestError` with a Chinese
    one-line reason when it is empty, not JSON, nested deeper than 32 levels or repeats a
    key (``records[1].hours: 字段重复``)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip(_JSON_SPACE):
        raise RequestError("", "请求为空")
    deep = _too_deep(text)
    if deep is not None:
        raise RequestError("", f"请求嵌套超过{MAX_DEPTH}层（{_where(text, deep)}），不是学时记录的格式")
    duplicated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        seen: set[str] = set()
        for key, _value in items:  # noqa: B007 - the loop finds the first repeated key
            if key in seen:
                break
            seen.add(key)
        marked = _Duplicated(obj)
        marked.key = key
        duplicated.append(True)
        return marked

    try:
        try:
            request = json.loads(
                text, object_pairs_hook=pairs, parse_float=_float, parse_constant=_constant
            )
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer too long for int(): read it again, holding it apart
            request = json.loads(
                text,
                object_pairs_hook=pairs,
                parse_float=_float,
                parse_int=_long_int,
                parse_constant=_constant,
            )
    except json.JSONDecodeError as exc:
        raise _decode_error(text, exc) from None
    except _Constant as exc:
        found = next((m.start() for m in _CONSTANT.finditer(text) if m.group(1)), 0)
        raise _invalid(text, found, f"{exc.args[0]} 不是JSON允许的数字") from None
    if duplicated:
        raise RequestError(_path_of_duplicate(request, "") or "", "字段重复")
    return request
