"""The YAML writer: bundled years round-trip, text that YAML would retype stays text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalog.model import Catalog, ClassSession, Course, Registration, YearCatalog
from generator.catalog.validating import load_year_text
from generator.catalog.writing import MODELINE, double_quoted, scalar, year_to_yaml


def _reload(year: YearCatalog, policy: dict[str, Any]) -> YearCatalog:
    model, warnings = load_year_text(year_to_yaml(year), policy, source=f"{year.year}.yaml")
    return model


@pytest.mark.parametrize("number", [2009, 2010])
def test_bundled_years_load_back_equal(bundled: Catalog, number: int) -> None:
    year = bundled.year(number)
    assert _reload(year, bundled.policy) == year


def test_output_is_deterministic_and_starts_with_the_modeline(bundled: Catalog) -> None:
    text = year_to_yaml(bundled.year(2010))
    assert text == year_to_yaml(bundled.year(2010))
    assert text.splitlines()[0] == MODELINE
    assert text.endswith("\n    registration_closes: 2010-04-30\n")


def _one_course_year(**course: Any) -> YearCatalog:
    fields = {"code": "G-01", "title": "课程", "module": "public", "hours": 8, **course}
    return YearCatalog(year=2011, title="2011年度目录", courses=(Course(**fields),))


def test_field_order_and_layout() -> None:
    year = YearCatalog(
        year=2011,
        title="2011年度目录",
        courses=(
            Course(
                code="E-01",
                title="数控",
                module="elective",
                hours=1.5,
                specialties=("mechanical", "electrical"),
                form="training",
                description="第一行\n第二行",
                teacher="王工",
            ),
        ),
        classes=(
            ClassSession(
                code="2011-1",
                name="第一期",
                start=dt.date(2011, 5, 11),
                end=dt.date(2011, 5, 13),
                courses=("E-01",),
                location="温州",
                level="city",
                capacity=120,
                registration_closes=dt.date(2011, 4, 30),
            ),
        ),
        publisher="温州市工业科学研究院",
        published=dt.date(2011, 3, 1),
        registration=Registration(closes=dt.date(2011, 4, 30), contact="电话 88888888"),
        notes="说明",
    )
    assert year_to_yaml(year) == "\n".join(
        [
            MODELINE,
            "# 2011年度课程目录。格式见 DESIGN.md“Catalog files”；修改后运行 ceportal check。",
            "year: 2011",
            "title: 2011年度目录",
            "publisher: 温州市工业科学研究院",
            "published: 2011-03-01",
            "registration:",
            "  closes: 2011-04-30",
            "  contact: 电话 88888888",
            "notes: 说明",
            "",
            "courses:",
            "  - code: E-01",
            "    title: 数控",
            "    module: elective",
            "    hours: 1.5",
            "    specialties: [mechanical, electrical]",
            "    form: training",
            "    description: |-",
            "      第一行",
            "      第二行",
            "    teacher: 王工",
            "",
            "classes:",
            '  - code: "2011-1"',
            "    name: 第一期",
            "    start: 2011-05-11",
            "    end: 2011-05-13",
            "    courses: [E-01]",
            "    location: 温州",
            "    level: city",
            "    capacity: 120",
            "    registration_closes: 2011-04-30",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("0123", '"0123"'),
        ("NO", '"NO"'),
        ("no", '"no"'),
        ("y", '"y"'),
        ("10:30", '"10:30"'),
        ("2009-05-11", '"2009-05-11"'),
        ("1e3", '"1e3"'),
        ("0o17", '"0o17"'),
        (".5", '".5"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("", '""'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("#注释", '"#注释"'),
        ("- 项", '"- 项"'),
        ("[列表]", '"[列表]"'),
        ('他说"好"', '他说"好"'),
        ('"引号', '"\\"引号"'),
        ("tab\there", '"tab\\there"'),
        ("2009年度目录", "2009年度目录"),
        ("温经贸培训〔2009〕74号", "温经贸培训〔2009〕74号"),
        ("地址：温州市", "地址：温州市"),
        ("E-M01", "E-M01"),
    ],
)
def test_scalar_quoting(text: str, written: str) -> None:
    assert scalar(text) == written


def test_flow_items_quote_flow_indicators() -> None:
    assert scalar("a,b") == "a,b"
    assert scalar("a,b", flow=True) == '"a,b"'


def test_double_quoted_escapes() -> None:
    assert double_quoted("a\\b\x01\u2028\n") == '"a\\\\b\\x01\\L\\n"'


@pytest.mark.parametrize(
    "text",
    [
        "0123",
        "NO",
        "10:30",
        "yes",
        "2010-1",
        "a: b",
        "多行\n文本",
        "结尾换行\n",
        " 前导空格\n第二行",
        "x\n\n\ny",
    ],
)
def test_retypable_text_loads_back_as_text(policy: dict[str, Any], text: str) -> None:
    year = _one_course_year(
        title=text.strip() or "x", description=text.strip(), teacher=text.strip()
    )
    assert _reload(year, policy) == year


# Printable text as the validator keeps it: stripped, no control characters.
_TEXT = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"
        )
        | st.sampled_from(["\n", "\t", ":", "#", "-", "'", '"', "0", " ", "、"]),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, description=_TEXT)
def test_any_text_round_trips(policy: dict[str, Any], title: str, description: str) -> None:
    year = _one_course_year(title=title, description=description)
    assert _reload(year, policy) == year
