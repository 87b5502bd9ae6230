"""The JSON Schema of a year file: committed copy current, valid, agrees with the checker."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.catalog.format import CLASS_FIELDS, COURSE_FIELDS, REGISTRATION_FIELDS, YEAR_FIELDS
from generator.catalog.loading import load_yaml
from generator.catalog.model import ClassSession, Course, Registration, YearCatalog
from generator.catalog.schema import schema_text, year_schema
from generator.cli import main

from .conftest import ROOT, replaced
from .yaml12 import as_vscode_reads

COMMITTED = ROOT / "catalog" / "schema.json"


@pytest.fixture(scope="module")
def validator(policy: dict[str, Any]) -> jsonschema.Draft202012Validator:
    schema = year_schema(policy)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_current(policy: dict[str, Any]) -> None:
    # Regenerate with: ceportal schema -o catalog/schema.json
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(policy)


def test_schema_command_prints_and_writes_it(
    policy: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text(policy)
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == year_schema(policy)
    assert capsys.readouterr().err == f"已写入 {tmp_path / 's.json'}\n"


@pytest.mark.parametrize(
    ("model", "spec"),
    [
        (YearCatalog, YEAR_FIELDS),
        (Course, COURSE_FIELDS),
        (ClassSession, CLASS_FIELDS),
        (Registration, REGISTRATION_FIELDS),
    ],
)
def test_the_format_covers_the_model(model: type, spec: dict[str, Any]) -> None:
    fields = [f.name for f in dataclasses.fields(model) if f.name not in ("mark", "source")]
    assert fields == list(spec)


def test_enums_come_from_the_policy(policy: dict[str, Any]) -> None:
    schema = year_schema(policy)
    course = schema["$defs"]["course"]["properties"]
    assert course["module"]["enum"] == ["public", "elective", "other"]
    assert course["specialties"]["items"]["enum"] == list(policy["specialties"])
    assert course["specialties"]["items"]["enumDescriptions"] == list(
        policy["specialties"].values()
    )
    # Optional fields may also be left empty (null, or blank text).
    assert course["form"]["anyOf"] == [
        {"enum": ["training", "lecture", "seminar"], "enumDescriptions": ["培训班", "专题讲座", "学术研讨"]},
        {"type": ["null", "string"], "pattern": "^\\s*$"},
    ]
    level = schema["$defs"]["class"]["properties"]["level"]["anyOf"][0]
    assert level == {"enum": ["city", "county"], "enumDescriptions": ["市本级", "县（市、区）"]}
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["year", "title", "courses", "classes"]
    assert schema["$defs"]["course"]["required"] == ["code", "title", "module", "hours"]


@pytest.mark.parametrize("name", ["2009.yaml", "2010.yaml"])
def test_schema_accepts_the_bundled_catalogs(
    validator: jsonschema.Draft202012Validator, name: str
) -> None:
    tree = as_vscode_reads(load_yaml((ROOT / "catalog" / name).read_bytes(), name))
    assert [e.message for e in validator.iter_errors(tree)] == []


def test_schema_accepts_text_the_checker_accepts(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # `fee: 480`, `title: 2009`, `code: 0123` are read as text by the checker: no red squiggle.
    text = replaced("title: 数控技术", "title: 2009", replaced("code: B-1", "code: 0123"))
    text = replaced("    location: 培训中心", "    location: 培训中心\n    fee: 480", text)
    assert list(validator.iter_errors(as_vscode_reads(load_yaml(text)))) == []


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("hours: 16", "hours: 十六", ["courses", 1, "hours"]),
        ("hours: 16", "hours: 0", ["courses", 1, "hours"]),
        ("module: elective", "module: required", ["courses", 1, "module"]),
        ("[mechanical]", "[mechanics]", ["courses", 1, "specialties", 0]),
        ("    form: training", "    from: training", ["courses", 1]),
        ("start: 2009-05-21", "start: 2009/5/21", ["classes", 0, "start"]),
        ("code: E-01", "code: E 01", ["courses", 1, "code"]),
        ("[G-01, E-01]", "[]", ["classes", 0, "courses"]),
    ],
)
def test_schema_flags_what_editors_should_see(
    validator: jsonschema.Draft202012Validator, old: str, new: str, path: list[Any]
) -> None:
    errors = list(validator.iter_errors(as_vscode_reads(load_yaml(replaced(old, new)))))
    assert [list(e.absolute_path) for e in errors] == [path]
