"""Validation of a year file: one case per check of issue 3 item 2, exact lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from generator.catalog.model import ClassSession, Course, Mark, YearCatalog
from generator.catalog.problems import CatalogError
from generator.catalog.validating import check_year_text, load_year_text

from .conftest import BASE, SOURCE, replaced

E = f"{SOURCE}:"
SPECIALTIES = (
    "mechanical（机械）、electrical（电子电气）、chemical（化工）、forestry（林业）、fishery（渔政）、"
    "agri_machinery（农机）、textile_food（轻纺食品）、metrology（计量质检）"
)
WITH_REGISTRATION = replaced(
    "courses:\n", "registration:\n  opens: 2009-04-01\n  closes: 2009-03-31\ncourses:\n"
)
SECOND_CLASS = """\
  - code: B-1
    name: 第二期
    start: 2009-06-18
    end: 2009-06-20
    location: 培训中心
    courses: [G-01]
"""

CASES: list[tuple[str, str, list[str]]] = [
    (
        "missing-required-field",
        replaced("    hours: 8\n", ""),
        [f"{E}4:5: error: courses[0].hours: 缺少必填字段（学时）"],
    ),
    (
        "empty-required-field",
        replaced("title: 数控技术", "title:"),
        [f"{E}9:11: error: courses[1].title: 课程名称不能为空"],
    ),
    (
        "hours-in-words",
        replaced("hours: 16", "hours: 十六"),
        [f"{E}11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”"],
    ),
    (
        "hours-zero",
        replaced("hours: 16", "hours: 0"),
        [f"{E}11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“0”"],
    ),
    (
        "hours-negative",
        replaced("hours: 16", "hours: -2"),
        [f"{E}11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“-2”"],
    ),
    (
        "hours-with-unit",
        replaced("hours: 16", "hours: 16学时"),
        [f"{E}11:12: error: courses[1].hours: 学时必须是大于0的数字，收到“16学时”"],
    ),
    (
        "hours-list",
        replaced("hours: 16", "hours: [8, 8]"),
        [f"{E}11:12: error: courses[1].hours: 应为大于0的数字，收到列表"],
    ),
    (
        "unknown-field-with-suggestion",
        replaced("    form: training", "    from: training"),
        [f"{E}13:5: error: courses[1].from: 未知字段（是否应为“form”？）"],
    ),
    (
        "unknown-field",
        replaced("    form: training", "    form: training\n    price: 100"),
        [
            f"{E}14:5: error: courses[1].price: 未知字段，可用的字段："
            "code、title、module、hours、specialties、form、description、teacher"
        ],
    ),
    (
        "code-with-space",
        replaced("code: E-01", "code: E 01"),
        [
            f"{E}8:11: error: courses[1].code: 代码只能包含字母、数字和“-”，收到“E 01”",
            f"{E}20:21: error: classes[0].courses[1]: 本年度目录中没有课程“E-01”",
        ],
    ),
    (
        "duplicate-course-code",
        replaced("code: E-01", "code: G-01"),
        [
            f"{E}8:11: error: courses[1].code: 课程代码“G-01”重复（第4行已使用）",
            f"{E}20:21: error: classes[0].courses[1]: 本年度目录中没有课程“E-01”",
        ],
    ),
    (
        "duplicate-class-code",
        BASE + SECOND_CLASS,
        [f"{E}21:11: error: classes[1].code: 办班编号“B-1”重复（第15行已使用）"],
    ),
    (
        "date-format",
        replaced("start: 2009-05-21", "start: 2009/5/21"),
        [f"{E}17:12: error: classes[0].start: 日期应写成 2009-05-11 的形式，收到“2009/5/21”"],
    ),
    (
        "date-that-does-not-exist",
        replaced("start: 2009-05-21", "start: 2009-02-30"),
        [f"{E}17:12: error: classes[0].start: 日期不存在：2009-02-30"],
    ),
    (
        "end-before-start",
        replaced("end: 2009-05-23", "end: 2009-05-20"),
        [f"{E}18:10: error: classes[0].end: 结束日期 2009-05-20 早于开班日期 2009-05-21"],
    ),
    (
        "registration-closes-after-start",
        replaced(
            "    location: 培训中心", "    location: 培训中心\n    registration_closes: 2009-05-22"
        ),
        [
            f"{E}20:26: error: classes[0].registration_closes: "
            "报名截止日期 2009-05-22 晚于开班日期 2009-05-21"
        ],
    ),
    (
        "registration-closes-before-opens",
        WITH_REGISTRATION,
        [
            f"{E}5:11: error: registration.closes: 报名截止日期 2009-03-31 早于报名开始日期 2009-04-01"
        ],
    ),
    (
        "class-course-not-in-catalog",
        replaced("[G-01, E-01]", "[G-01, E-01, E-99]"),
        [f"{E}20:27: error: classes[0].courses[2]: 本年度目录中没有课程“E-99”"],
    ),
    (
        "class-course-listed-twice",
        replaced("[G-01, E-01]", "[G-01, E-01, G-01]"),
        [f"{E}20:27: error: classes[0].courses[2]: “G-01”重复列出（第20行已有）"],
    ),
    (
        "class-without-courses",
        replaced("[G-01, E-01]", "[]"),
        [
            f"{E}8:5: warning: courses[1]: 专业选修课“E-01”没有安排在任何办班中",
            f"{E}20:14: error: classes[0].courses: 至少要列出一门课程",
        ],
    ),
    (
        "year-differs-from-file-name",
        replaced("year: 2009", "year: 2010"),
        [f"{E}1:7: error: year: 年度 2010 与文件名 2009.yaml 不一致：请改正其中之一"],
    ),
    (
        "year-in-words",
        replaced("year: 2009", "year: 二〇〇九"),
        [f"{E}1:7: error: year: 年度必须是四位数字，如 2009，收到“二〇〇九”"],
    ),
    (
        "unknown-module",
        replaced("module: elective", "module: required"),
        [
            f"{E}10:13: error: courses[1].module: 未知的模块“required”，"
            "可选：public（公共必修课）、elective（专业选修课）、other（其他形式）"
        ],
    ),
    (
        "unknown-specialty",
        replaced("[mechanical]", "[mechanical, mechanics]"),
        [f"{E}12:31: error: courses[1].specialties[1]: 未知的专业“mechanics”，可选：{SPECIALTIES}"],
    ),
    (
        "specialty-as-text",
        replaced("[mechanical]", "mechanical"),
        [
            f"{E}12:18: error: courses[1].specialties: 应为列表，如 [mechanical, electrical]，收到文本“mechanical”"
        ],
    ),
    (
        "unknown-form",
        replaced("form: training", "form: workshop"),
        [
            f"{E}13:11: error: courses[1].form: 未知的形式“workshop”，"
            "可选：training（培训班）、lecture（专题讲座）、seminar（学术研讨）"
        ],
    ),
    (
        "unknown-level",
        replaced("    location: 培训中心", "    location: 培训中心\n    level: province"),
        [
            f"{E}20:12: error: classes[0].level: 未知的办班级别“province”，可选：city（市本级）、county（县（市、区））"
        ],
    ),
    (
        "hours-absurdly-large",
        replaced("hours: 16", "hours: 160000"),
        [f"{E}11:12: error: courses[1].hours: 学时 160000 过大：一门课程不超过 10000 学时，请检查"],
    ),
    (
        "hours-finer-than-a-hundredth",
        replaced("hours: 16", "hours: 1.333"),
        [f"{E}11:12: error: courses[1].hours: 学时最多保留两位小数（按0.01学时计算），收到“1.333”"],
    ),
    (
        "capacity-absurdly-large",
        replaced("    location: 培训中心", "    location: 培训中心\n    capacity: 1500000"),
        [f"{E}20:15: error: classes[0].capacity: 名额 1500000 过大：不超过 100000，请检查"],
    ),
    (
        "capacity-zero",
        replaced("    location: 培训中心", "    location: 培训中心\n    capacity: 0"),
        [f"{E}20:15: error: classes[0].capacity: 名额必须是大于0的整数，收到“0”"],
    ),
    (
        "capacity-decimal",
        replaced("    location: 培训中心", "    location: 培训中心\n    capacity: 1.5"),
        [f"{E}20:15: error: classes[0].capacity: 名额必须是大于0的整数，收到“1.5”"],
    ),
    (
        "courses-not-a-list",
        "year: 2009\ntitle: 目录\ncourses: 无\nclasses: []\n",
        [f"{E}3:10: error: courses: 应为列表（每项以“- ”开头），收到文本“无”"],
    ),
    (
        "course-not-a-mapping",
        "year: 2009\ntitle: 目录\ncourses:\n  - G-01\nclasses: []\n",
        [f"{E}4:5: error: courses[0]: 应为映射（“键: 值”的形式），收到文本“G-01”"],
    ),
    (
        "top-level-list",
        "- year: 2009\n",
        [f"{E}1:1: error: 应为映射（“键: 值”的形式），收到列表"],
    ),
    (
        "empty-file",
        "",
        [f"{E}1:1: error: 文件是空的：年度目录至少要有 year、title、courses 和 classes"],
    ),
    (
        "missing-top-level-fields",
        "title: 目录\n",
        [
            f"{E}1:1: error: classes: 缺少必填字段（办班计划）",
            f"{E}1:1: error: courses: 缺少必填字段（课程）",
            f"{E}1:1: error: year: 缺少必填字段（年度）",
        ],
    ),
    (
        "several-errors-in-one-file",
        replaced(
            "hours: 16",
            "hours: 十六",
            replaced(
                "start: 2009-05-21",
                "start: 2009-02-30",
                replaced("module: public", "module: pubic\n    hours: 4"),
            ),
        ),
        [
            f"{E}6:13: error: courses[0].module: 未知的模块“pubic”，"
            "可选：public（公共必修课）、elective（专业选修课）、other（其他形式）",
            f"{E}8:5: error: courses[0].hours: 重复的键“hours”（第7行已有同名键）：请删除或合并其中一个",
            f"{E}12:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”",
            f"{E}18:12: error: classes[0].start: 日期不存在：2009-02-30",
        ],
    ),
]

WARNINGS: list[tuple[str, str, list[str]]] = [
    (
        "elective-in-no-class",
        replaced("[G-01, E-01]", "[G-01]"),
        [f"{E}8:5: warning: courses[1]: 专业选修课“E-01”没有安排在任何办班中"],
    ),
    (
        "class-without-location",
        replaced("    location: 培训中心\n", ""),
        [f"{E}15:5: warning: classes[0]: 没有填写上课地点（location）"],
    ),
    (
        "county-class-without-county",
        replaced("    location: 培训中心", "    location: 培训中心\n    level: county"),
        [
            f"{E}15:5: warning: classes[0]: 县级办班（level: county）没有填写县（市、区）名称（county）"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error(check: Callable[..., list[str]], text: str, expected: list[str]) -> None:
    assert check(text) == expected


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_error_means_no_model(policy: dict[str, Any], text: str, expected: list[str]) -> None:
    model, _ = check_year_text(text, policy, source=SOURCE)
    assert model is None
    with pytest.raises(CatalogError) as info:
        load_year_text(text, policy, source=SOURCE)
    assert str(info.value) == "\n".join(expected)


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS]
)
def test_warning(policy: dict[str, Any], text: str, expected: list[str]) -> None:
    model, warnings = load_year_text(text, policy, source=SOURCE)
    assert model.year == 2009
    assert [w.format() for w in warnings] == expected
    with pytest.raises(CatalogError) as info:
        load_year_text(text, policy, source=SOURCE, strict=True)
    assert str(info.value) == "\n".join(
        line.replace(": warning: ", ": error: ") for line in expected
    )


def test_base_file_becomes_this_model(policy: dict[str, Any]) -> None:
    text = replaced(
        "hours: 16",
        "hours: 1.50",
        replaced("    location: 培训中心", "    location: 培训中心\n    capacity: 060"),
    )
    model, warnings = load_year_text(text, policy, source=SOURCE)
    assert warnings == []
    assert model == YearCatalog(
        year=2009,
        title="测试目录",
        courses=(
            Course(code="G-01", title="职业道德", module="public", hours=8),
            Course(
                code="E-01",
                title="数控技术",
                module="elective",
                hours=1.5,
                specialties=("mechanical",),
                form="training",
            ),
        ),
        classes=(
            ClassSession(
                code="B-1",
                name="第一期",
                start=dt.date(2009, 5, 21),
                end=dt.date(2009, 5, 23),
                courses=("G-01", "E-01"),
                location="培训中心",
                capacity=60,
            ),
        ),
    )
    assert model.source == SOURCE
    assert type(model.courses[0].hours) is int and type(model.courses[1].hours) is float
    assert [c.mark for c in model.courses] == [Mark(SOURCE, 4, 5), Mark(SOURCE, 8, 5)]
    assert model.classes[0].mark == Mark(SOURCE, 15, 5)


def test_year_to_expect_can_be_given(policy: dict[str, Any]) -> None:
    # An import tool checks text before it has a file name.
    model, _ = load_year_text(BASE, policy, source="<导入>", year=2009)
    assert model.year == 2009
    with pytest.raises(CatalogError) as info:
        load_year_text(BASE, policy, source="<导入>", year=2011)
    assert (
        str(info.value)
        == "<导入>:1:7: error: year: 年度 2009 与文件名 <导入> 不一致：请改正其中之一"
    )


def test_optional_fields_left_empty_are_absent(policy: dict[str, Any]) -> None:
    model, _ = load_year_text(
        replaced("    form: training", "    form: training\n    teacher:"), policy, source=SOURCE
    )
    assert model.courses[1].teacher is None


def test_a_five_thousand_digit_capacity_is_an_error_not_a_crash(
    check: Callable[..., list[str]],
) -> None:
    digits = "9" * 5000  # int() refuses to convert strings this long
    lines = check(
        replaced("    location: 培训中心", f"    location: 培训中心\n    capacity: {digits}")
    )
    assert lines == [
        f"{E}20:15: error: classes[0].capacity: 名额 {digits} 过大：不超过 100000，请检查"
    ]


def test_problems_carry_their_place_and_field_as_data(policy: dict[str, Any]) -> None:
    text = replaced("hours: 16", "hours: 十六")
    text = replaced("    courses: [G-01, E-01]", "    courses: [G-01, E-01]\n    courses: [G-01]", text)
    _, problems = check_year_text(text, policy, source=SOURCE)
    assert [(p.mark, p.path, p.text, p.severity) for p in problems] == [
        (Mark(SOURCE, 11, 12), "courses[1].hours", "学时必须是大于0的数字，收到“十六”", "error"),
        (Mark(SOURCE, 21, 5), "classes[0].courses",
         "重复的键“courses”（第20行已有同名键）：请删除或合并其中一个", "error"),
    ]
    # The message the reports print is made from those fields, once.
    assert problems[0].message == "courses[1].hours: 学时必须是大于0的数字，收到“十六”"
    assert problems[0].as_error() == problems[0]


def test_a_path_splits_into_its_parts() -> None:
    from generator.catalog.problems import path_parts

    assert path_parts("classes[0].courses[12]") == ("classes", 0, "courses", 12)
    assert path_parts("registration.closes") == ("registration", "closes")
    assert path_parts("") == ()


def test_which_courses_need_a_class_is_the_policys_taught_in_classes(
    policy: dict[str, Any],
) -> None:
    """policy.yaml names the modules only classes teach; the warning follows it, not a
    module id written in the checker."""
    text = replaced("[G-01, E-01]", "[E-01]")
    _, warnings = load_year_text(text, policy, source=SOURCE)
    assert [w.format() for w in warnings] == []  # public: not taught in classes
    modules = {
        mid: {k: v for k, v in m.items() if k != "taught_in_classes"}
        for mid, m in policy["modules"].items()
    }
    modules["public"]["taught_in_classes"] = True
    _, warnings = load_year_text(text, {**policy, "modules": modules}, source=SOURCE)
    assert [w.format() for w in warnings] == [
        f"{E}4:5: warning: courses[0]: 公共必修课“G-01”没有安排在任何办班中"
    ]
