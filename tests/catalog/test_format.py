"""The catalog format is declared once (generator.catalog.format): the checker, the Excel
sheets and the JSON Schema cover exactly its fields with its constraints, and the checker
and the schema give the same verdict on the same text (README, "Catalog files")."""

from __future__ import annotations

import math
from typing import Any

import jsonschema
import openpyxl
import pytest

from generator.catalog.format import (
    CLASS_FIELDS,
    CLASS_SHEET,
    COURSE_FIELDS,
    COURSE_SHEET,
    REGISTRATION_FIELDS,
    YEAR_FIELDS,
    YEAR_SHEET,
    Field,
)
from generator.catalog.loading import load_yaml
from generator.catalog.policy_model import enum_names
from generator.catalog.schema import KEYWORDS, year_schema
from generator.catalog.spreadsheets import WorkbookError, catalog_workbook, read_workbook
from generator.catalog.validating import check_year_text

from .conftest import BASE, SOURCE, replaced
from .yaml12 import as_vscode_reads

TABLES = {"year": YEAR_FIELDS, "course": COURSE_FIELDS, "class": CLASS_FIELDS,
          "registration": REGISTRATION_FIELDS}  # fmt: skip


@pytest.fixture(scope="module")
def schema(policy: dict[str, Any]) -> dict[str, Any]:
    return year_schema(policy)


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _object(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return schema if name == "year" else schema["$defs"][name]


def _branches(schema: dict[str, Any], fragment: dict[str, Any]) -> list[dict[str, Any]]:
    """A property's schema as its alternatives, references resolved."""
    if "$ref" in fragment:
        return _branches(schema, schema["$defs"][fragment["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in fragment:
        return [b for alt in fragment["anyOf"] for b in _branches(schema, alt)]
    return [fragment]


def _accepts_null(schema: dict[str, Any], fragment: dict[str, Any]) -> bool:
    for branch in _branches(schema, fragment):
        types = branch.get("type", [])
        if "null" in ([types] if isinstance(types, str) else types):
            return True
    return False


@pytest.mark.parametrize("table", list(TABLES))
def test_the_schema_has_exactly_the_declared_fields(schema: dict[str, Any], table: str) -> None:
    spec = TABLES[table]
    obj = _object(schema, table)
    assert list(obj["properties"]) == list(spec)
    assert obj["required"] == [n for n, f in spec.items() if f.required]
    assert obj["additionalProperties"] is False


@pytest.mark.parametrize(
    "where", [(t, n) for t, spec in TABLES.items() for n in spec], ids="/".join
)
def test_the_schema_has_each_fields_constraints(
    schema: dict[str, Any], policy: dict[str, Any], where: tuple[str, str]
) -> None:
    table, name = where
    f = TABLES[table][name]
    fragment = _object(schema, table)["properties"][name]
    assert fragment["title"] == f.title
    assert _accepts_null(schema, fragment) is not f.required
    branches = _branches(schema, fragment)
    if f.kind.name in ("codes", "choices"):
        branches = [b for b in branches if b.get("type") != "null"]
        items = [i for b in branches for i in _branches(schema, b["items"])]
    else:
        items = []
    for constraint, value in f.limits.items():
        assert any(b.get(KEYWORDS[constraint]) == value for b in branches), constraint
    if f.enum is not None:
        ids = list(enum_names(policy)[f.enum])
        assert any(b.get("enum") == ids for b in [*branches, *items])
    if f.kind.name == "codes":  # each item is a code, with a code's constraints
        code = COURSE_FIELDS["code"].limits
        assert any(b.get("pattern") == code["pattern"] for b in items)


def test_the_workbook_has_exactly_the_declared_fields() -> None:
    assert {f.name for f in COURSE_SHEET.fields} == set(COURSE_FIELDS)
    assert {f.name for f in CLASS_SHEET.fields} == set(CLASS_FIELDS)
    records = {"courses", "classes", "registration"}
    assert {f.name for f in YEAR_SHEET.fields} == (set(YEAR_FIELDS) - records) | set(
        REGISTRATION_FIELDS
    )
    for sheet in (COURSE_SHEET, CLASS_SHEET, YEAR_SHEET):
        headers = [f.header for f in sheet.fields]
        assert len(set(headers)) == len(headers) and all(headers), sheet.name
    # What the import may leave out: the optional fields, and the year (from --year).
    assert [f.name for f in YEAR_SHEET.fields if f.required and not YEAR_SHEET.required(f)] == [
        "year"
    ]


def test_the_exported_workbook_is_the_declaration(policy: dict[str, Any]) -> None:
    book = catalog_workbook(None, 2011, policy)
    names = enum_names(policy)
    for sheet in (COURSE_SHEET, CLASS_SHEET):
        ws = book[sheet.name]
        assert [c.value for c in ws[2]] == [f.header for f in sheet.fields]
        lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation}
        letters = {f.name: chr(ord("A") + i) for i, f in enumerate(sheet.fields)}
        assert lists == {
            letters[f.name]: '"' + ",".join(names[f.enum].values()) + '"'
            for f in sheet.fields if f.enum
        }  # fmt: skip
    items = [row[0].value for row in book[YEAR_SHEET.name].iter_rows(min_row=3)]
    assert items == [f.header for f in YEAR_SHEET.fields]


@pytest.mark.parametrize(
    "missing",
    [(COURSE_SHEET, f) for f in COURSE_SHEET.fields if f.required]
    + [(CLASS_SHEET, f) for f in CLASS_SHEET.fields if f.required],
    ids=lambda m: f"{m[0].name}-{m[1].name}",
)
def test_the_import_requires_the_required_columns(
    policy: dict[str, Any], tmp_path: Any, missing: tuple[Any, Field]
) -> None:
    sheet, gone = missing
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = COURSE_SHEET.name
    book.create_sheet(CLASS_SHEET.name)
    for s in (COURSE_SHEET, CLASS_SHEET):
        book[s.name].append([f.header for f in s.fields if not (s is sheet and f is gone)])
    path = tmp_path / "cols.xlsx"
    book.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, 2011, policy)
    if gone is sheet.fields[0]:  # the column the header row is found by
        assert f"前10行中没有“{gone.header}”列" in str(caught.value)
    else:
        assert f"{sheet.name}表缺少必填的列：{gone.header}" in str(caught.value)


# -- one verdict from the checker and the schema -----------------------------------------

# Where each probed field is written in BASE, with {} for the value.
PLACES = {
    "hours": ("hours: 16", "hours: {}"),
    "year": ("year: 2009", "year: {}"),
    "capacity": ("    location: 培训中心", "    location: 培训中心\n    capacity: {}"),
    "title": ("title: 数控技术", "title: {}"),
    "teacher": ("    form: training", "    form: training\n    teacher: {}"),
    "start": ("start: 2009-05-21", "start: {}"),
}


def _verdicts(text: str, policy: dict[str, Any],
              validator: jsonschema.Draft202012Validator) -> tuple[bool, bool]:  # fmt: skip
    _, problems = check_year_text(text, policy, source=SOURCE)
    checked = not [p for p in problems if p.severity == "error"]
    schema = not list(validator.iter_errors(as_vscode_reads(load_yaml(text))))
    return checked, schema


def test_the_base_file_passes_both(
    policy: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    assert _verdicts(BASE, policy, validator) == (True, True)


# value: the fields that accept it (both the checker and the schema).
TRICKY = {
    '"8"': {"title", "teacher"},  # a quoted number is text
    "8.0": {"hours", "capacity", "title", "teacher"},
    "2009.0": {"hours", "year", "capacity", "title", "teacher"},
    "０８": {"title", "teacher"},  # full-width: a YAML string
    "1e1": {"hours", "capacity", "title", "teacher"},
    "0": {"title", "teacher"},
    "-1": {"title", "teacher"},
    "10001": {"capacity", "title", "teacher"},
    '"2009"': {"title", "teacher"},
    "true": {"title", "teacher"},
    "0x1F": {"hours", "capacity", "title", "teacher"},  # YAML 1.2: 31
    ".inf": {"title", "teacher"},
    # (.nan is left out: JSON has no NaN, and JSON Schema says nothing about it.)
    "2009-05-11": {"start", "title", "teacher"},
    '"2009-05-11"': {"start", "title", "teacher"},
    "2009-02-30": {"title", "teacher"},
    "''": {"capacity", "teacher"},  # left empty: fine where optional
    "' '": {"capacity", "teacher"},
    # `~` reads as null: left empty where optional. A required text field written `~` is
    # the one difference: the checker keeps the text "~", an editor sees null.
    "~": {"capacity", "teacher"},
}


@pytest.mark.parametrize("field", list(PLACES))
@pytest.mark.parametrize("value", list(TRICKY))
def test_tricky_values_get_one_verdict(
    policy: dict[str, Any], validator: jsonschema.Draft202012Validator, value: str, field: str
) -> None:
    old, new = PLACES[field]
    text = replaced(old, new.format(value))
    if (value, field) == ("~", "title"):
        # The documented difference (README, Catalog files): `check` keeps the text "~",
        # the schema (and an editor) reads null.
        assert _verdicts(text, policy, validator) == (True, False)
        return
    expected = field in TRICKY[value]
    assert _verdicts(text, policy, validator) == (expected, expected)


def _limit_probes() -> list[tuple[str, str, bool]]:
    """(field, value, accepted) at each declared limit of the probed fields."""
    probes = []
    for name, spec in (("hours", COURSE_FIELDS), ("capacity", CLASS_FIELDS),
                       ("title", COURSE_FIELDS), ("teacher", COURSE_FIELDS)):  # fmt: skip
        limits = spec[name].limits
        if "maximum" in limits:
            top = limits["maximum"]
            probes += [(name, str(top), True), (name, str(top + 1), False),
                       (name, f"{top}.5", False), (name, "0.5", name == "hours")]  # fmt: skip
        if "exclusive_minimum" in limits:
            probes.append((name, str(limits["exclusive_minimum"]), False))
        if "max_length" in limits:
            n = limits["max_length"]
            probes += [(name, "长" * n, True), (name, "长" * (n + 1), False)]
    return probes


@pytest.mark.parametrize(("field", "value", "accepted"), _limit_probes(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None)
def test_every_limit_is_the_same_for_both(
    policy: dict[str, Any], validator: jsonschema.Draft202012Validator,
    field: str, value: str, accepted: bool,
) -> None:  # fmt: skip
    old, new = PLACES[field]
    assert _verdicts(replaced(old, new.format(value)), policy, validator) == (accepted, accepted)


@pytest.mark.parametrize("code", ["E 01", "E_01", "Ｅ-01", "A" * 41, "E-02", "0123"])
def test_codes_get_one_verdict(
    policy: dict[str, Any], validator: jsonschema.Draft202012Validator, code: str
) -> None:
    text = replaced("[G-01, E-01]", f"[G-01, {code}]", replaced("code: E-01", f"code: {code}"))
    ok = code in ("E-02", "0123")
    assert _verdicts(text, policy, validator) == (ok, ok)


def test_the_yaml12_reading_of_the_tests_is_yaml12() -> None:
    # The reference the verdicts are compared through (tests/catalog/yaml12.py).
    tree = as_vscode_reads(load_yaml("a: [8, '8', 8.0, 1e1, 0x1F, 0o17, ~, true, ０８, .inf, 1_0]\n"))
    assert tree["a"][:-2] == [8, "8", 8.0, 10.0, 31, 15, None, True, "０８"]
    assert math.isinf(tree["a"][-2]) and tree["a"][-1] == "1_0"
