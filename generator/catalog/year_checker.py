"""Checking one year file: its courses, classes and registration into the model, and
the checks across records (unique codes, class courses in the catalog, electives
offered), on top of :class:`generator.catalog.field_checks.FieldChecker`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from .field_checks import MISSING, FieldChecker
from .format import Field, Format
from .format.kinds import Periods, Record, Records
from .format.scalars import CODE, MAX_CODE, RESERVED_CODES
from .loading import Mapping, Node, Scalar, Sequence
from .model import FORMAT, Mark, Period, YearCatalog
from .policy_model import Policy

log = logging.getLogger(__name__)


class YearChecker(FieldChecker):
    """Checks one year file's tree, collecting problems; builds the model when it can."""

    def __init__(
        self,
        source: str,
        policy: Policy | dict[str, Any] | None,
        year: int | None,
        fmt: Format = FORMAT,
    ) -> None:
        super().__init__(source, policy, year, fmt)
        # The checks of each record beyond its fields, by record name.
        self.record_checks: dict[str, Callable[[Mapping, str, dict[str, Any]], bool]] = {
            "class": self.class_checks,
            "registration": self.registration_checks,
        }

    # -- records ------------------------------------------------------------------------

    def nested(self, node: Node, path: str, f: Field) -> Any:
        if isinstance(f.kind, Periods):
            return self.sessions(node, path, f.kind.record)
        if isinstance(f.kind, Records):
            return self.items(node, path, f.kind.record)
        assert isinstance(f.kind, Record)
        return self.record(node, path, f.kind.record)

    def items(self, node: Node, path: str, record: str) -> list[Any] | None:
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表（每项以“- ”开头），收到{self._got(node)}")
            return None
        return [self.record(item, f"{path}[{i}]", record) for i, item in enumerate(node.items)]

    def record(self, node: Node, path: str, record: str) -> Any:
        """One record (a course, a class, the registration) into its model, or None."""
        spec = self.format[record]
        v = self.fields(node, path, spec)
        if v is None:
            return None
        assert isinstance(node, Mapping)
        check = self.record_checks.get(record)
        if check is not None and not check(node, path, v):
            return None
        if _incomplete(v, spec):
            return None
        return self.build(record, v, mark=node.mark)

    def build(self, record: str, v: dict[str, Any], **extra: Any) -> Any:
        """The model of ``record`` from its checked values (a field left out: its kind's
        empty value) and ``extra`` (where it was read), by the table."""
        model = self.format.model(record)
        names = {f.name for f in dataclasses.fields(model)}
        values = {
            name: f.empty if v[name] is MISSING else v[name]
            for name, f in self.format[record].items()
        }
        return model(**values, **{k: x for k, x in extra.items() if k in names})

    def class_checks(self, node: Mapping, path: str, v: dict[str, Any]) -> bool:
        """A class's dates in order, its place and county given; refused values become None."""
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
        if isinstance(v["sessions"], tuple):
            v["sessions"] = self.sessions_in(node.items["sessions"], path, v)
        if v["status"] is MISSING:
            v["status"] = self.format["class"]["status"].default
        if v["status_note"] is not MISSING and v["status"] == "open":
            self.warning(
                node.items["status_note"].mark, f"{path}.status_note",
                "办班状态为正常（open），状态说明（status_note）不会显示：请同时填写 status",
            )
        if v["location"] is MISSING:
            self.warning(node.mark, path, "没有填写上课地点（location）")
        if v["level"] == "county" and v["county"] is MISSING:
            self.warning(
                node.mark, path, "县级办班（level: county）没有填写县（市、区）名称（county）"
            )
        return True

    def sessions(self, node: Node, path: str, record: str) -> tuple[Period, ...] | None:
        """A class's ``sessions``: a list of ``{start, end}`` (the table's ``record``), each
        end not before its start."""
        if not isinstance(node, Sequence):
            self.error(
                node.mark, path,
                f"应为列表，每段写成“- {{start: 2009-05-15, end: 2009-05-16}}”，收到{self._got(node)}",
            )
            return None
        if not node.items:
            self.error(node.mark, path, "至少要列出一段上课时段；只上一段课时请删除 sessions")
            return None
        periods: list[Period] = []
        ok = True
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            spec = self.format[record]
            v = self.fields(item, item_path, spec)
            if _incomplete(v, spec):
                ok = False
                continue
            assert v is not None and isinstance(item, Mapping)
            if v["end"] < v["start"]:
                self.error(
                    item.items["end"].mark, f"{item_path}.end",
                    f"第{i + 1}段上课时段的结束日期 {v['end']} 早于它的开始日期 {v['start']}",
                )
                ok = False
                continue
            periods.append(self.build(record, v))
        return tuple(periods) if ok else None

    def sessions_in(
        self, node: Node, path: str, v: dict[str, Any]
    ) -> tuple[Period, ...] | None:
        """The sessions when they are in order, apart, and inside the class's dates."""
        assert isinstance(node, Sequence)
        start, end = v["start"], v["end"]
        ok = True
        previous: Period | None = None
        for i, (item, period) in enumerate(zip(node.items, v["sessions"], strict=True)):
            assert isinstance(item, Mapping)
            item_path = f"{path}.sessions[{i}]"
            if isinstance(start, dt.date) and period.start < start:
                self.error(
                    item.items["start"].mark, f"{item_path}.start",
                    f"第{i + 1}段上课时段从 {period.start} 开始，早于开班日期 {start}",
                )
                ok = False
            if isinstance(end, dt.date) and period.end > end:
                self.error(
                    item.items["end"].mark, f"{item_path}.end",
                    f"第{i + 1}段上课时段到 {period.end} 结束，晚于结束日期 {end}",
                )
                ok = False
            if previous is not None and period.start <= previous.end:
                what = "重叠" if period.end >= previous.start else "顺序颠倒"
                self.error(
                    item.items["start"].mark, f"{item_path}.start",
                    f"第{i + 1}段上课时段（{period.start} 起）与第{i}段（{previous.start}—"
                    f"{previous.end}）{what}：各段须按时间先后排列、互不重叠",
                )
                ok = False
            previous = period
        if ok and isinstance(start, dt.date) and isinstance(end, dt.date):
            first, last = v["sessions"][0], v["sessions"][-1]
            if first.start != start or last.end != end:
                self.warning(
                    node.mark, f"{path}.sessions",
                    f"上课时段为 {first.start}—{last.end}，与开班、结束日期 {start}—{end} "
                    "不一致：请核对",
                )
        return v["sessions"] if ok else None

    def registration_checks(self, node: Mapping, path: str, v: dict[str, Any]) -> bool:
        opens, closes = v["opens"], v["closes"]
        if isinstance(opens, dt.date) and isinstance(closes, dt.date) and closes < opens:
            self.error(
                node.items["closes"].mark,
                f"{path}.closes",
                f"报名截止日期 {closes} 早于报名开始日期 {opens}",
            )
            return False
        return True

    def year_file(self, root: Node | None) -> YearCatalog | None:
        if root is None:
            self.error(
                Mark(self.source, 1, 1),
                "",
                "文件是空的：年度目录至少要有 year、title、courses 和 classes",
            )
            return None
        v = self.fields(root, "", self.format["year"])
        if v is None:
            return None
        assert isinstance(root, Mapping)
        self.cross_check(root, v)
        if any(p.severity == "error" for p in self.problems):
            return None
        for name, f in self.format["year"].items():
            if isinstance(f.kind, Records):  # records refused were reported: errors above
                v[name] = tuple(v[name])
        model: YearCatalog = self.build("year", v, source=self.source)
        return model

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
