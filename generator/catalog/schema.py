"""The JSON Schema (draft 2020-12) of a year file, for editors (VS Code's YAML extension).

Generated from the model's fields (:mod:`generator.catalog.model`) and the format's one
declaration (:mod:`generator.catalog.format`: kinds, constraints, labels), with the policy's ids for module/specialty/form and the
class levels; descriptions are Chinese, as editors show them on hover. The checker
(:func:`generator.catalog.validating.load_catalog`) stays the authority: the schema catches
most slips while typing, ``ceportal check`` catches the rest (unique codes, dates
that exist, class courses that exist…).

Regenerate the committed copy with ``ceportal schema -o catalog/schema.json``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

from .format import (
    CLASS_FIELDS,
    COURSE_FIELDS,
    REGISTRATION_FIELDS,
    YEAR_FIELDS,
    Field,
)
from .format.fields import INTEGER_KINDS, NUMBER_KINDS
from .model import ClassSession, Course, Registration, YearCatalog
from .policy_model import enum_names

log = logging.getLogger(__name__)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Fields of the model that are not written in the file.
_NOT_IN_FILE = {"mark", "source"}

# Each constraint of a field (catalog_format.fields.Field.limits) as a JSON Schema keyword.
KEYWORDS = {
    "exclusive_minimum": "exclusiveMinimum",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
    "max_length": "maxLength",
    "min_items": "minItems",
    "unique": "uniqueItems",
}

# The JSON type of each kind's value, as YAML 1.2 (an editor) reads the file. What a text
# field accepts: the loader reads every scalar as text, so `fee: 480` or `title: 2009` are
# fine text; the schema must not flag what the checker accepts. A code may be read as a
# number (`code: 0123`, `code: -1`) and is still a fine code.
_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": ["string", "number", "boolean"]},
    "date": {"type": "string", "format": "date"},
}


def _constraints(f: Field) -> dict[str, Any]:
    return {KEYWORDS[name]: value for name, value in f.limits.items()}


def _code_schema(f: Field) -> dict[str, Any]:
    return {
        "description": "代码：只含字母、数字和“-”",
        "anyOf": [{"type": "string", **_constraints(f)}, {"type": "integer"}],
    }


def _date_schema(f: Field) -> dict[str, Any]:
    return {"description": "日期，写成 2009-05-11 的形式", **_TYPES["date"], **_constraints(f)}


def _choice(ids: dict[str, str]) -> dict[str, Any]:
    # enumDescriptions: VS Code's (and the YAML extension's) hover text for each id.
    return {"enum": list(ids), "enumDescriptions": list(ids.values())}


def _value_schema(f: Field, ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The schema of a field's value, by its kind and constraints (catalog_format)."""
    kind = f.kind
    if kind in ("code", "date"):
        return {"$ref": f"#/$defs/{kind}"}
    if kind == "choice":
        return _choice(ids[f.enum or ""])
    if kind == "choices":
        return {"type": "array", "items": _choice(ids[f.enum or ""]), **_constraints(f)}
    if kind == "codes":
        return {"type": "array", "items": {"$ref": "#/$defs/code"}, **_constraints(f)}
    if kind == "registration":
        return {"$ref": "#/$defs/registration"}
    if kind in ("courses", "classes"):
        record = "course" if kind == "courses" else "class"
        return {"type": "array", "items": {"$ref": f"#/$defs/{record}"}}
    if kind in NUMBER_KINDS:
        # A quoted number is a string, refused here as by the checker (YAML 1.2 reads
        # 8, 8.0 and 1e1 as numbers, and "integer" takes 2009.0).
        return {"type": "integer" if kind in INTEGER_KINDS else "number", **_constraints(f)}
    if kind in _TYPES:
        return {**_TYPES[kind], **_constraints(f)}
    raise ValueError(f"no schema for field kind {kind!r}")  # pragma: no cover - a new kind


# A value left empty: `key:` or `key: ~` (null to an editor) or blank text; the checker
# takes it as not given.
EMPTY = {"type": ["null", "string"], "pattern": r"^\s*$"}


def _field_schema(f: Field, ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    value = _value_schema(f, ids)
    if not f.required:
        types: Any = value.get("type")
        if f.kind == "text":  # blank text is a string already; `~` stays text "~"
            value = {**value, "type": [*types, "null"]}
        elif isinstance(types, str) and types != "string":
            # One schema rather than anyOf, so that an editor points inside a bad list.
            value = {**value, "type": [types, *EMPTY["type"]], "pattern": EMPTY["pattern"]}
        else:
            value = {"anyOf": [value, EMPTY]}
    return {"title": f.title, "description": f.description, **value}


def _object(
    model: type, spec: dict[str, Field], ids: dict[str, dict[str, str]], title: str
) -> dict[str, Any]:
    names = [f.name for f in dataclasses.fields(model) if f.name not in _NOT_IN_FILE]
    missing = [n for n in names if n not in spec]
    if missing or set(spec) - set(names):
        # The model and the field table must describe the same fields.
        raise ValueError(f"{model.__name__}: model fields {names} != format fields {list(spec)}")
    return {
        "title": title,
        "type": "object",
        "properties": {n: _field_schema(spec[n], ids) for n in names},
        "required": [n for n in names if spec[n].required],
        "additionalProperties": False,
    }


def year_schema(policy: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``catalog/<year>.yaml`` for this policy."""
    ids = enum_names(policy)
    defs = {
        "code": _code_schema(COURSE_FIELDS["code"]),
        "date": _date_schema(CLASS_FIELDS["start"]),
    }
    defs["course"] = _object(Course, COURSE_FIELDS, ids, "课程")
    defs["class"] = _object(ClassSession, CLASS_FIELDS, ids, "办班")
    defs["registration"] = _object(Registration, REGISTRATION_FIELDS, ids, "报名")
    top = _object(YearCatalog, YEAR_FIELDS, ids, "工程技术（一）系列继续教育年度目录")
    number = policy.get("document", {}).get("number", "")
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


def schema_text(policy: dict[str, Any]) -> str:
    """:func:`year_schema` as the text written to ``catalog/schema.json``."""
    return json.dumps(year_schema(policy), ensure_ascii=False, indent=2) + "\n"
