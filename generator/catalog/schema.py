"""The JSON Schema (draft 2020-12) of a year file, for editors (VS Code's YAML extension).

Walked from the field table (:mod:`generator.catalog.format`: each field's kind describes
its value, with its constraints and labels), with the policy's ids for
module/specialty/form and the class levels; descriptions are Chinese, as editors show them on hover. The checker
(:func:`generator.catalog.validating.load_catalog`) stays the authority: the schema catches
most slips while typing, ``ceportal check`` catches the rest (unique codes, dates
that exist, class courses that exist…).

Regenerate the committed copy with ``ceportal schema -o catalog/schema.json``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from .format import Field, Format
from .format.kinds import KEYWORDS, Code, Date, Text
from .model import FORMAT
from .policy_model import Policy, as_policy, enum_names

log = logging.getLogger(__name__)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
__all__ = ["DRAFT", "EMPTY", "KEYWORDS", "schema_text", "year_schema"]

# A value left empty: `key:` or `key: ~` (null to an editor) or blank text; the checker
# takes it as not given.
EMPTY = {"type": ["null", "string"], "pattern": r"^\s*$"}


def _field_schema(f: Field, ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    value = f.kind.schema(f, ids)
    if not f.required:
        types: Any = value.get("type")
        if isinstance(f.kind, Text):  # blank text is a string already; `~` stays text "~"
            value = {**value, "type": [*types, "null"]}
        elif isinstance(types, str) and types != "string":
            # One schema rather than anyOf, so that an editor points inside a bad list.
            value = {**value, "type": [types, *EMPTY["type"]], "pattern": EMPTY["pattern"]}
        else:
            value = {"anyOf": [value, EMPTY]}
    default = {} if f.default is None else {"default": f.default}
    return {"title": f.title, "description": f.description, **default, **value}


def _object(spec: dict[str, Field], ids: dict[str, dict[str, str]], title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "properties": {n: _field_schema(f, ids) for n, f in spec.items()},
        "required": [n for n, f in spec.items() if f.required],
        "additionalProperties": False,
    }


def _first(fmt: Format, kind: type) -> Field:
    """The first field of ``kind`` in the format: the one its shared definition is made from."""
    return next(f for spec in fmt.tables.values() for f in spec.values() if type(f.kind) is kind)


# What each record is called in the schema, by record name.
TITLES = {"course": "课程", "class": "办班", "session": "上课时段", "registration": "报名"}


def year_schema(policy: Policy | dict[str, Any], fmt: Format = FORMAT) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``catalog/<year>.yaml`` for this policy."""
    ids = enum_names(policy)
    code, date = _first(fmt, Code), _first(fmt, Date)
    assert isinstance(code.kind, Code) and isinstance(date.kind, Date)
    defs = {"code": code.kind.definition(code), "date": date.kind.definition(date)}
    for record, title in TITLES.items():
        defs[record] = _object(fmt[record], ids, title)
    top = _object(fmt["year"], ids, "工程技术（一）系列继续教育年度目录")
    number = as_policy(policy).document
    return {
        "$schema": DRAFT,
        "title": top["title"],
        "description": f"catalog/<年度>.yaml 的格式（{number}）。用 ceportal check 做完整检查。",
        "type": "object",
        "properties": top["properties"],
        "required": top["required"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text(policy: Policy | dict[str, Any], fmt: Format = FORMAT) -> str:
    """:func:`year_schema` as the text written to ``catalog/schema.json``."""
    return json.dumps(year_schema(policy, fmt), ensure_ascii=False, indent=2) + "\n"
