"""The JSON Schema (draft 2020-12) of a year file, for editors (VS Code's YAML extension).

Generated from the model's fields (:mod:`generator.model`) and the field table of
:mod:`generator.validating`, with the policy's ids for module/specialty/form and the
class levels; descriptions are Chinese, as editors show them on hover. The checker
(:func:`generator.validating.load_catalog`) stays the authority: the schema catches
most slips while typing, ``ceportal check`` catches the rest (unique codes, dates
that exist, class courses that exist…).

Regenerate the committed copy with ``ceportal schema -o catalog/schema.json``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

from .model import ClassSession, Course, Registration, YearCatalog
from .validating import (
    CLASS_FIELDS,
    COURSE_FIELDS,
    REGISTRATION_FIELDS,
    YEAR_FIELDS,
    Field,
    enums,
)

log = logging.getLogger(__name__)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Fields of the model that are not written in the file.
_NOT_IN_FILE = {"mark", "source"}

# What a text field accepts: the loader reads every scalar as text, so `fee: 480` or
# `title: 2009` are fine text; the schema must not flag what the checker accepts.
_TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}


def _defs() -> dict[str, Any]:
    return {
        "code": {
            "description": "代码：只含字母、数字和“-”",
            "anyOf": [
                {"type": "string", "pattern": "^[A-Za-z0-9-]+$"},
                {"type": "integer", "minimum": 0},
            ],
        },
        "date": {
            "description": "日期，写成 2009-05-11 的形式",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date",
        },
    }


def _choice(ids: dict[str, str]) -> dict[str, Any]:
    # enumDescriptions: VS Code's (and the YAML extension's) hover text for each id.
    return {"enum": list(ids), "enumDescriptions": list(ids.values())}


def _field_schema(f: Field, ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    kind = f.kind
    schema: dict[str, Any]
    if kind == "text":
        schema = dict(_TEXT)
    elif kind == "code":
        schema = {"$ref": "#/$defs/code"}
    elif kind == "year":
        schema = {"type": "integer", "minimum": 1000, "maximum": 9999}
    elif kind == "date":
        schema = {"$ref": "#/$defs/date"}
    elif kind == "hours":
        schema = {"type": "number", "exclusiveMinimum": 0}
    elif kind == "count":
        schema = {"type": "integer", "exclusiveMinimum": 0}
    elif kind == "choice":
        schema = _choice(ids[f.enum or ""])
    elif kind == "choices":
        schema = {"type": "array", "items": _choice(ids[f.enum or ""]), "uniqueItems": True}
    elif kind == "codes":
        schema = {
            "type": "array",
            "items": {"$ref": "#/$defs/code"},
            "minItems": 1,
            "uniqueItems": True,
        }
    elif kind == "registration":
        schema = {"$ref": "#/$defs/registration"}
    elif kind == "courses":
        schema = {"type": "array", "items": {"$ref": "#/$defs/course"}}
    elif kind == "classes":
        schema = {"type": "array", "items": {"$ref": "#/$defs/class"}}
    else:  # pragma: no cover - a new kind must be given a schema here
        raise ValueError(f"no schema for field kind {kind!r}")
    return {"title": f.title, "description": f.description, **schema}


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
    ids = enums(policy)
    defs = _defs()
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
