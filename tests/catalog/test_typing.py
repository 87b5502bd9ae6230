"""No implicit typing: scalars stay text unless the format asks for a number or date.

PyYAML's own loaders would turn ``0123`` into 83, ``NO``/``off`` into False, ``10:30``
into 630, ``1.10`` into 1.1 and ``2009-05-01`` into a date wherever they appear.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from generator.catalog.loading import parse_yaml, to_plain
from generator.catalog.validating import check_year_text, load_year_text

from .conftest import SOURCE, replaced

TRICKY = [
    "0123",
    "NO",
    "off",
    "10:30",
    "1.10",
    "2009-05-01",
    "yes",
    "~",
    "null",
    "0x1F",
    "1e3",
    ".inf",
    "true",
]


@pytest.mark.parametrize("value", TRICKY)
def test_the_loader_keeps_every_scalar_as_written(value: str) -> None:
    root, problems = parse_yaml(f"v: {value}\nlist: [{value}]\n")
    assert problems == []
    assert to_plain(root) == {"v": value, "list": [value]}


def test_pyyaml_would_have_retyped_them() -> None:
    # The reason this loader exists; if PyYAML changes, the table above loses its point.
    retyped = yaml.safe_load("a: 0123\nb: NO\nc: off\nd: 10:30\ne: 1.10\nf: 2009-05-01\n")
    assert retyped == {
        "a": 83,
        "b": False,
        "c": False,
        "d": 630,
        "e": 1.1,
        "f": dt.date(2009, 5, 1),
    }


@pytest.mark.parametrize("value", TRICKY)
def test_text_fields_keep_the_text(policy: dict[str, Any], value: str) -> None:
    text = replaced("title: 数控技术", f"title: {value}")
    text = replaced("    form: training", f"    form: training\n    teacher: {value}", text)
    text = replaced("    location: 培训中心", f"    location: 培训中心\n    fee: {value}", text)
    model, _ = load_year_text(text, policy, source=SOURCE)
    course = model.courses[1]
    assert (course.title, course.teacher, model.classes[0].fee) == (value, value, value)


@pytest.mark.parametrize("value", ["0123", "01", "2009"])
def test_codes_keep_leading_zeros(policy: dict[str, Any], value: str) -> None:
    text = replaced("code: B-1", f"code: {value}")
    model, _ = load_year_text(text, policy, source=SOURCE)
    assert model.classes[0].code == value


@pytest.mark.parametrize(
    ("value", "hours"),
    [("1.10", 1.1), ("16.0", 16), ("0123", 123), ("0.5", 0.5), ("200", 200),
     # YAML 1.2 numbers, as editors and the JSON Schema read them (README, "Catalog files").
     ("1e3", 1000), ("0x1F", 31), ("8.", 8), (".5", 0.5)],
)
def test_hours_become_numbers(policy: dict[str, Any], value: str, hours: float) -> None:
    model, _ = load_year_text(replaced("hours: 16", f"hours: {value}"), policy, source=SOURCE)
    assert model.courses[1].hours == hours
    assert type(model.courses[1].hours) is type(hours)


@pytest.mark.parametrize(
    "value", ["NO", "off", "10:30", ".inf", ".nan", "1,5", "1.5.0", "1_000", "0b11"]
)
def test_hours_that_are_not_plain_numbers_are_refused(policy: dict[str, Any], value: str) -> None:
    _, problems = check_year_text(replaced("hours: 16", f"hours: {value}"), policy, source=SOURCE)
    assert [p.message for p in problems] == [
        f"courses[1].hours: 学时必须是大于0的数字，收到“{value}”"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("hours: 16", "hours: '8'", "courses[1].hours: 学时要写成数字，不能加引号：请去掉“8”两边的引号"),
        ("hours: 16", 'hours: "1.5"', "courses[1].hours: 学时要写成数字，不能加引号：请去掉“1.5”两边的引号"),
        ("year: 2009", 'year: "2009"', "year: 年度要写成数字，不能加引号：请去掉“2009”两边的引号"),
        ("    location: 培训中心", '    location: 培训中心\n    capacity: "30"',
         "classes[0].capacity: 名额要写成数字，不能加引号：请去掉“30”两边的引号"),
    ],
)
def test_quoted_numbers_are_text_and_refused(
    policy: dict[str, Any], old: str, new: str, message: str
) -> None:
    _, problems = check_year_text(replaced(old, new), policy, source=SOURCE)
    assert [p.message for p in problems] == [message]


def test_whole_numbers_written_with_a_point_are_whole(policy: dict[str, Any]) -> None:
    text = replaced("year: 2009", "year: 2009.0")
    text = replaced("    location: 培训中心", "    location: 培训中心\n    capacity: 3e1", text)
    model, _ = load_year_text(text, policy, source=SOURCE)
    assert (model.year, model.classes[0].capacity) == (2009, 30)
    assert type(model.year) is int and type(model.classes[0].capacity) is int


def test_dates_become_dates(policy: dict[str, Any]) -> None:
    model, _ = load_year_text(
        replaced("start: 2009-05-21", "start: 2009-05-01"), policy, source=SOURCE
    )
    assert model.classes[0].start == dt.date(2009, 5, 1)
