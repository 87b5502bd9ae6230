"""Checking one year file: its courses, classes and registration into the model, and
the checks across records (unique codes, class courses in the catalog, electives
offered), on top of :class:`generator.catalog.field_checks.FieldChecker`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from .field_checks import MISSING, FieldChecker
from .format import (
    CLASS_FIELDS,
    COURSE_FIELDS,
    REGISTRATION_FIELDS,
    YEAR_FIELDS,
    Field,
)
from .format.scalars import CODE, MAX_CODE, RESERVED_CODES
from .loading import Mapping, Node, Scalar, Sequence
from .model import ClassSession, Course, Mark, Registration, YearCatalog
from .policy_model import Policy

log = logging.getLogger(__name__)


class YearChecker(FieldChecker):
    """Checks one year file's tree, collecting problems; builds the model when it can."""

    def __init__(
        self, source: str, policy: Policy | dict[str, Any] | None, year: int | None
    ) -> None:
        super().__init__(source, policy, year)
        self.nested.update({
            "courses": lambda node, path, f: self.items(node, path, self.course),
            "classes": lambda node, path, f: self.items(node, path, self.klass),
            "registration": lambda node, path, f: self.registration(node, path),
        })

    # -- records ------------------------------------------------------------------------

    def items(self, node: Node, path: str, build: Callable[[Node, str], Any]) -> list[Any] | None:
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表（每项以“- ”开头），收到{self._got(node)}")
            return None
        return [build(item, f"{path}[{i}]") for i, item in enumerate(node.items)]

    def course(self, node: Node, path: str) -> Course | None:
        v = self.fields(node, path, COURSE_FIELDS)
        if _incomplete(v, COURSE_FIELDS):
            return None
        assert v is not None
        return Course(
            code=v["code"],
            title=v["title"],
            module=v["module"],
            hours=v["hours"],
            specialties=_opt(v["specialties"]) or (),
            form=_opt(v["form"]),
            description=_opt(v["description"]),
            teacher=_opt(v["teacher"]),
            mark=node.mark,
        )

    def klass(self, node: Node, path: str) -> ClassSession | None:
        v = self.fields(node, path, CLASS_FIELDS)
        if v is None:
            return None
        assert isinstance(node, Mapping)
        start, end, closes = v["start"], v["end"], v["registration_closes"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.error(
                node.items["end"].mark, f"{path}.end", f"结束日期 {end} 早于开班日期 {start}"
            )
            v["end"] = None
        if isinstance(start, dt.date) and isinstance(closes, dt.date) and closes > start:
            self.error(
                node.items["registration_closes"].mark,
                f"{path}.registration_closes",
                f"报名截止日期 {closes} 晚于开班日期 {start}",
            )
            v["registration_closes"] = None
        if v["location"] is MISSING:
            self.warning(node.mark, path, "没有填写上课地点（location）")
        if v["level"] == "county" and v["county"] is MISSING:
            self.warning(
                node.mark, path, "县级办班（level: county）没有填写县（市、区）名称（county）"
            )
        if _incomplete(v, CLASS_FIELDS):
            return None
        return ClassSession(
            code=v["code"],
            name=v["name"],
            start=v["start"],
            end=v["end"],
            courses=v["courses"],
            location=_opt(v["location"]),
            organizer=_opt(v["organizer"]),
            level=_opt(v["level"]),
            county=_opt(v["county"]),
            capacity=_opt(v["capacity"]),
            fee=_opt(v["fee"]),
            registration_closes=_opt(v["registration_closes"]),
            contact=_opt(v["contact"]),
            mark=node.mark,
        )

    def registration(self, node: Node, path: str) -> Registration | None:
        v = self.fields(node, path, REGISTRATION_FIELDS)
        if v is None:
            return None
        assert isinstance(node, Mapping)
        opens, closes = v["opens"], v["closes"]
        if isinstance(opens, dt.date) and isinstance(closes, dt.date) and closes < opens:
            self.error(
                node.items["closes"].mark,
                f"{path}.closes",
                f"报名截止日期 {closes} 早于报名开始日期 {opens}",
            )
            return None
        if any(v[k] is None for k in v):
            return None
        return Registration(opens=_opt(opens), closes=_opt(closes), contact=_opt(v["contact"]))

    def year_file(self, root: Node | None) -> YearCatalog | None:
        if root is None:
            self.error(
                Mark(self.source, 1, 1),
                "",
                "文件是空的：年度目录至少要有 year、title、courses 和 classes",
            )
            return None
        v = self.fields(root, "", YEAR_FIELDS)
        if v is None:
            return None
        assert isinstance(root, Mapping)
        self.cross_check(root, v)
        if any(p.severity == "error" for p in self.problems):
            return None
        return YearCatalog(
            year=v["year"],
            title=v["title"],
            courses=tuple(v["courses"]),
            classes=tuple(v["classes"]),
            publisher=_opt(v["publisher"]),
            published=_opt(v["published"]),
            registration=_opt(v["registration"]),
            notes=_opt(v["notes"]),
            source=self.source,
        )

    def cross_check(self, root: Mapping, v: dict[str, Any]) -> None:
        """Checks across records: unique codes, class courses exist, electives offered."""
        courses_node = root.items.get("courses")
        classes_node = root.items.get("classes")
        course_codes = self.unique_codes(courses_node, "courses", "课程代码")
        self.unique_codes(classes_node, "classes", "办班编号")
        if course_codes is None or not isinstance(classes_node, Sequence):
            return
        offered: set[str] = set()
        for i, klass in enumerate(classes_node.items):
            if not isinstance(klass, Mapping):
                continue
            codes = klass.items.get("courses")
            if not isinstance(codes, Sequence):
                continue
            for j, item in enumerate(codes.items):
                if not isinstance(item, Scalar) or item.broken:
                    continue
                code = item.value.strip()
                offered.add(code)
                if code and CODE.match(code) and len(code) <= MAX_CODE and code not in course_codes:
                    self.error(
                        item.mark, f"classes[{i}].courses[{j}]", f"本年度目录中没有课程“{code}”"
                    )
        if not isinstance(v["classes"], list):
            return  # classes is not a list: warnings about it would only add noise
        for code, (i, course) in course_codes.items():
            module = course.items.get("module")
            if (
                isinstance(module, Scalar)
                and (taught := module.value.strip()) in self.class_modules
                and code not in offered
            ):
                name = self.enums["modules"][taught]
                self.warning(course.mark, f"courses[{i}]", f"{name}“{code}”没有安排在任何办班中")

    def unique_codes(
        self, node: Node | None, path: str, what: str
    ) -> dict[str, tuple[int, Mapping]] | None:
        """``code -> (index, record)`` of a list of records, reporting duplicate codes."""
        if not isinstance(node, Sequence):
            return None
        seen: dict[str, tuple[int, Mapping]] = {}
        folded: dict[str, str] = {}  # casefolded code -> the code as first written
        for i, record in enumerate(node.items):
            if not isinstance(record, Mapping):
                continue
            code_node = record.items.get("code")
            if not isinstance(code_node, Scalar) or code_node.broken:
                continue
            code = code_node.value.strip()
            if not CODE.match(code) or len(code) > MAX_CODE:
                continue  # reported as an invalid code already
            where = f"{path}[{i}].code"
            if code.lower() in RESERVED_CODES:
                self.error(
                    code_node.mark, where,
                    f"{what}“{code}”是网站保留的网址名称（{'、'.join(RESERVED_CODES)}，"
                    "不区分大小写），请改用其他代码",
                )
            other = folded.get(code.lower())
            if other is not None:
                first = seen[other][1].items["code"]
                if other == code:
                    message = f"{what}“{code}”重复（第{first.mark.line}行已使用）"
                else:
                    message = (
                        f"{what}“{code}”与第{first.mark.line}行的“{other}”只有大小写不同："
                        "在不区分大小写的文件系统（Windows、macOS）上网页会互相覆盖，请改用不同的代码"
                    )
                self.error(code_node.mark, where, message)
                continue
            folded[code.lower()] = code
            seen[code] = (i, record)
        return seen



def _incomplete(values: dict[str, Any] | None, spec: dict[str, Field]) -> bool:
    """True when a value was refused or a required one is missing (already reported)."""
    if values is None:
        return True
    return any(v is None or (v is MISSING and spec[k].required) for k, v in values.items())


def _opt(value: Any) -> Any:
    return None if value is MISSING else value


