"""A field added to a copy of the table appears in every view it is flagged for (issue 25,
item 2): the checker, the JSON Schema, the Excel export and import, the YAML writer, the
open data, the planner's catalogs and the pages' context all walk the table, so adding a
field is one line there (and, for the real format, the model's dataclass, held to the
table by ``generator.catalog.model.bind``)."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest

from generator.browser.calculator_data import catalogs_data
from generator.catalog.format import (
    EVERYWHERE,
    PUBLISHED,
    TABLES,
    Field,
    Format,
    View,
)
from generator.catalog.format.kinds import Choice, Flag, Text
from generator.catalog.model import FORMAT, Catalog, ClassSession, Course, bind
from generator.catalog.policy_model import Policy
from generator.catalog.schema import year_schema
from generator.catalog.spreadsheets import catalog_workbook, read_workbook
from generator.catalog.validating import check_year_text
from generator.catalog.writing import year_to_yaml
from generator.site.exporting.opendata import year_csv, year_data
from generator.site.rendering.context import Names, class_entry, course_row

from .conftest import SOURCE, replaced

# The one line a new optional text field is, on the course.
LANGUAGE = Field("language", Text(), False, "授课语言", "授课语言，如 普通话", header="语言", width=10)


def _model(base: type, f: Field) -> type:
    """``base`` with ``f`` as one more field (what its line in model.py would add)."""
    return dataclasses.make_dataclass(
        base.__name__, [(f.name, Any, dataclasses.field(default=f.kind.missing))],
        bases=(base,), frozen=True,
    )  # fmt: skip


def _with(record: str, f: Field) -> Format:
    return FORMAT.with_field(record, f, _model(FORMAT.model(record), f))


def _course_text(line: str) -> str:
    return replaced("    hours: 8\n", f"    hours: 8\n    {line}\n")


def _problems(text: str, policy: dict[str, Any], fmt: Format) -> list[str]:
    return [p.format() for p in check_year_text(text, policy, source=SOURCE, fmt=fmt)[1]]


@pytest.fixture(scope="module")
def fmt() -> Format:
    return _with("course", LANGUAGE)


@pytest.fixture(scope="module")
def year(fmt: Format, policy: dict[str, Any]) -> Any:
    model, problems = check_year_text(_course_text("language: 普通话"), policy, source=SOURCE,
                                      fmt=fmt)  # fmt: skip
    assert model is not None, problems
    return model


def test_adding_a_field_is_one_line_of_the_copy(fmt: Format) -> None:
    assert list(fmt["course"]) == [*FORMAT["course"], "language"]
    assert {r: list(t) for r, t in fmt.tables.items() if r != "course"} == {
        r: list(t) for r, t in TABLES.items() if r != "course"
    }
    assert "language" not in FORMAT["course"]  # the format itself is untouched


def test_the_checker_reads_it(year: Any) -> None:
    assert year.courses[0].language == "普通话"
    assert year.courses[1].language is None  # optional: left out


def test_the_checker_refuses_a_bad_value(fmt: Format, policy: dict[str, Any]) -> None:
    assert _problems(_course_text("language: [普通话]"), policy, fmt) == [
        "catalog/2009.yaml:8:15: error: courses[0].language: 应为文本，收到列表"
    ]
    assert _problems(_course_text("language: " + "长" * 501), policy, fmt) == [
        "catalog/2009.yaml:8:15: error: courses[0].language: 授课语言太长（501 个字符）：不超过 500 个字符"
    ]


def test_the_format_without_it_refuses_it(policy: dict[str, Any]) -> None:
    assert _problems(_course_text("language: 普通话"), policy, FORMAT) == [
        "catalog/2009.yaml:8:5: error: courses[0].language: 未知字段，可用的字段：code、title、"
        "module、hours、specialties、form、description、teacher"
    ]


def test_the_schema_has_it(fmt: Format, policy: dict[str, Any]) -> None:
    course = year_schema(policy, fmt)["$defs"]["course"]
    assert list(course["properties"])[-1] == "language"
    assert course["properties"]["language"] == {
        "title": "授课语言", "description": "授课语言，如 普通话",
        "type": ["string", "number", "boolean", "null"], "maxLength": 500,
    }  # fmt: skip
    assert "language" not in course["required"]
    assert "language" not in year_schema(policy)["$defs"]["course"]["properties"]


def test_the_yaml_writer_writes_it_and_it_reads_back(
    fmt: Format, year: Any, policy: dict[str, Any]
) -> None:
    text = year_to_yaml(year, fmt)
    assert "    hours: 8\n    language: 普通话\n  - code: E-01\n" in text
    again, problems = check_year_text(text, policy, source=SOURCE, fmt=fmt)
    assert again == year and problems == []


def test_the_workbook_has_its_column_both_ways(
    fmt: Format, year: Any, policy: dict[str, Any], tmp_path: Path
) -> None:
    book = catalog_workbook(year, 2009, policy, fmt)
    ws = book["课程"]
    headers = [c.value for c in ws[2]]
    assert headers[-1] == "语言"
    assert ws.cell(3, len(headers)).value == "普通话"
    assert ws.column_dimensions["I"].width == 10
    path = tmp_path / "2009.xlsx"
    book.save(path)
    imported, text, _warnings = read_workbook(path, 2009, policy, fmt)
    assert imported.courses[0].language == "普通话"
    assert "language: 普通话" in text


def test_the_open_data_has_it(fmt: Format, year: Any, policy: dict[str, Any]) -> None:
    courses = year_data(year, fmt)["courses"]
    assert list(courses[0])[-1] == "language" and courses[0]["language"] == "普通话"
    assert "language" not in courses[1]  # left empty: left out, as in the file
    rows = list(csv.reader(io.StringIO(year_csv(year, policy, fmt).decode("utf-8-sig"))))
    assert rows[0][-1] == "语言" and rows[1][-1] == "普通话" and rows[2][-1] == ""


def test_the_page_context_has_it(fmt: Format, year: Any, policy: dict[str, Any]) -> None:
    names = Names(Policy.from_data(policy))
    assert course_row(names, 2009, year.courses[0], fmt)["language"] == "普通话"
    assert course_row(names, 2009, year.courses[1], fmt)["language"] == ""


def test_the_planner_has_it_only_when_flagged(policy: dict[str, Any]) -> None:
    published = _with("course", LANGUAGE)
    everywhere = _with("course", dataclasses.replace(LANGUAGE, views=EVERYWHERE))
    for fmt, expected in ((published, False), (everywhere, True)):
        model, _ = check_year_text(_course_text("language: 普通话"), policy, source=SOURCE,
                                   fmt=fmt)  # fmt: skip
        assert model is not None
        course = catalogs_data(Catalog(policy, (model,)), fmt)["years"][0]["courses"][0]
        assert ("language" in course) is expected
        assert list(course)[:6] == ["code", "title", "module", "hours", "form", "specialties"]


def test_a_field_only_in_the_file_is_in_no_published_view(
    policy: dict[str, Any], tmp_path: Path
) -> None:
    hidden = dataclasses.replace(LANGUAGE, header="", views=View(0))
    fmt = _with("course", hidden)
    year, problems = check_year_text(_course_text("language: 普通话"), policy, source=SOURCE,
                                     fmt=fmt)  # fmt: skip
    assert year is not None, problems
    assert "language: 普通话" in year_to_yaml(year, fmt)  # the file keeps every field
    assert "language" in year_schema(policy, fmt)["$defs"]["course"]["properties"]
    assert "language" not in year_data(year, fmt)["courses"][0]
    assert "language" not in course_row(Names(Policy.from_data(policy)), 2009,
                                        year.courses[0], fmt)  # fmt: skip
    assert "语言" not in [c.value for c in catalog_workbook(year, 2009, policy, fmt)["课程"][2]]


def test_other_kinds_appear_too(policy: dict[str, Any], tmp_path: Path) -> None:
    # A choice on the class and a flag on the course: names in cells and on pages.
    level2 = Field("kind", Choice("forms"), False, "办班形式", "training 等",
                   header="办班形式", views=PUBLISHED)  # fmt: skip
    online = Field("online", Flag(), False, "网上授课", "true 或 false", header="网上授课",
                   default=False)  # fmt: skip
    fmt = _with("class", level2)
    fmt = fmt.with_field("course", online, _model(FORMAT.model("course"), online))
    text = replaced("    location: 培训中心\n", "    location: 培训中心\n    kind: lecture\n",
                    _course_text("online: true"))  # fmt: skip
    year, problems = check_year_text(text, policy, source=SOURCE, fmt=fmt)
    assert year is not None, problems
    assert year.classes[0].kind == "lecture" and year.courses[0].online is True
    assert year.courses[1].online is False  # left out: its default
    assert _problems(_course_text("online: 是"), policy, fmt) == [
        "catalog/2009.yaml:8:13: error: courses[0].online: 网上授课应为 true 或 false，收到“是”"
        "：请写 true（不加引号）"
    ]
    assert _problems(_course_text("online: '1'"), policy, fmt) == [
        "catalog/2009.yaml:8:13: error: courses[0].online: 网上授课应为 true 或 false，收到“1”"
    ]
    names = Names(Policy.from_data(policy))
    entry = class_entry(names, year, year.classes[0], fmt)
    assert (entry["kind"], entry["kind_name"]) == ("lecture", policy["forms"]["lecture"])
    written = year_to_yaml(year, fmt)
    assert "    online: true\n" in written and "    kind: lecture\n" in written
    assert "online: false" not in written  # the default is left out
    assert check_year_text(written, policy, source=SOURCE, fmt=fmt)[0] == year
    book = catalog_workbook(year, 2009, policy, fmt)
    classes, courses = book["班次"], book["课程"]
    column = [c.value for c in classes[2]].index("办班形式") + 1  # after the table's others
    assert classes.cell(3, column).value == policy["forms"]["lecture"]
    column = [c.value for c in courses[2]].index("网上授课") + 1
    assert [courses.cell(row, column).value for row in (3, 4)] == ["是", None]  # default: empty
    path = tmp_path / "2009.xlsx"
    book.save(path)
    imported, _, _ = read_workbook(path, 2009, policy, fmt)
    assert imported == year


def test_the_models_are_held_to_the_table() -> None:
    for record, model in (FORMAT.models or {}).items():
        names = [f.name for f in dataclasses.fields(model) if f.name not in ("mark", "source")]
        assert names == list(TABLES[record]), record
    with pytest.raises(ValueError, match="Course: model fields .* != format fields"):
        bind(_with("course", LANGUAGE), {"course": Course})
    with pytest.raises(ValueError, match=r"format fields \['opens', 'closes', 'contact'\]"):
        bind(FORMAT, {"course": Course, "class": ClassSession, "registration": Course})
