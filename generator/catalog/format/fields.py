"""The fields of a year file, declared once (DESIGN.md, "Catalog files").

Each :class:`Field` says its kind (one instance of a :mod:`.kinds` class: how its value is
read, written, described and shown), whether it is required, its Chinese label and
description, its Excel column and where it is published (:class:`View`). Every view of
the format walks these tables: the checker (:mod:`generator.catalog.field_checks`), the
model's construction, the Excel sheets (:data:`COURSE_SHEET`… used by
:mod:`generator.catalog.spreadsheets`), the JSON Schema (:mod:`generator.catalog.schema`),
the YAML writer (:mod:`generator.catalog.writing`), the open data
(:mod:`generator.site.exporting.opendata`), the planner's catalogs
(:mod:`generator.browser.calculator_data`) and the pages' context
(:mod:`generator.site.rendering.context`). A new field is one line here, one in the
model's dataclass (:mod:`generator.catalog.model`, which a test holds to this table) and a
template line to show it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

from .kinds import (
    ENUM_TITLES,
    FLAG_ALIASES,
    FLAG_WORDS,
    LEVEL_ALIASES,
    LEVELS,
    STATUSES,
    Choice,
    Choices,
    Code,
    Codes,
    Count,
    Date,
    Flag,
    Hours,
    Kind,
    Periods,
    Record,
    Records,
    Text,
    Year,
)

# Declared with the kinds.
__all__ = ["ENUM_TITLES", "FLAG_ALIASES", "FLAG_WORDS", "LEVELS", "LEVEL_ALIASES", "STATUSES"]


class View(enum.Flag):
    """Where a field is published, besides the year file and its JSON Schema (which hold
    every field): the site's pages, the open data (JSON and CSV), the Excel workbook
    and the planner's catalogs (``calculator/catalogs.json``, ``ceportal plan``)."""

    PAGES = enum.auto()
    OPEN_DATA = enum.auto()
    EXCEL = enum.auto()
    PLANNER = enum.auto()


PUBLISHED = View.PAGES | View.OPEN_DATA | View.EXCEL  # what editors and visitors see
EVERYWHERE = PUBLISHED | View.PLANNER


@dataclass(frozen=True)
class Field:
    """One field of the format. ``header`` names the field's Excel column (or 年度信息
    item); the records, which have sheets of their own, have none. ``hint`` is the
    填写说明 of a 年度信息 item; ``width`` the column's width. ``default``: the value of an
    optional field left out (else its kind's empty value); files and open data leave
    the field out when it has that value."""

    name: str
    kind: Kind
    required: bool
    title: str
    description: str
    header: str = ""
    width: int = 14
    hint: str = ""
    views: View = PUBLISHED
    default: Any = None

    def __post_init__(self) -> None:
        if self.kind.scalar and (View.EXCEL in self.views) != bool(self.header):
            raise ValueError(f"{self.name}: a field in the workbook has a header, and only it")

    @property
    def enum(self) -> str | None:
        """The ids it takes (policy.yaml's section, or LEVELS), for choice kinds."""
        return self.kind.enum

    @property
    def long(self) -> bool:
        return self.kind.long

    @property
    def limits(self) -> dict[str, Any]:
        """The constraints of the value (:meth:`.kinds.Kind.limits`)."""
        return self.kind.limits(self)

    @property
    def expects(self) -> str:
        """What a value must be, for messages: ``大于0的数字``, ``专业代号``…"""
        return self.kind.expects

    @property
    def empty(self) -> Any:
        """The model's value of the field when it is left out."""
        return self.kind.missing if self.default is None else self.default

    def left_out(self, value: Any) -> bool:
        """Whether a file (and the open data) leaves the field out: optional, and
        empty or its default (no specialties means every specialty)."""
        return not self.required and (self.kind.is_empty(value) or value == self.default)


def _table(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


# One line per field, in the file's order (DESIGN.md). views: where it is published
# besides the file (default PUBLISHED: pages, open data, Excel; EVERYWHERE adds the planner).
COURSE_FIELDS = _table(
    Field("code", Code(), True, "课程代码", "本年度内唯一，只含字母、数字和“-”，如 G-01",
          header="课程编号", width=12, views=EVERYWHERE),
    Field("title", Text(), True, "课程名称", "课程名称", header="课程名称", width=36,
          views=EVERYWHERE),
    Field("module", Choice("modules"), True, "模块",
          "public 公共必修课、elective 专业选修课或 other 其他形式",
          header="类别", width=12, views=EVERYWHERE),
    Field("hours", Hours(), True, "学时", "大于 0 的数字，可为小数，如 8 或 1.5",
          header="学时", width=8, views=EVERYWHERE),
    Field("specialties", Choices("specialties"), False, "适用专业",
          "专业代号的列表；不填表示适用于所有专业", header="适用专业", width=24,
          views=EVERYWHERE),
    Field("form", Choice("forms"), False, "形式",
          "training 培训班、lecture 专题讲座或 seminar 学术研讨",
          header="形式", width=10, views=EVERYWHERE),
    Field("description", Text(long=True), False, "课程简介", "课程内容简介", header="简介",
          width=48),
    Field("teacher", Text(), False, "主讲", "主讲教师或单位", header="授课教师", width=16),
)

CLASS_FIELDS = _table(
    Field("code", Code(), True, "办班编号", "本年度内唯一，只含字母、数字和“-”，如 2009-1",
          header="班次编号", width=12, views=EVERYWHERE),
    Field("name", Text(), True, "班级名称", "如 2009年第一期继续教育培训班",
          header="名称", width=40, views=EVERYWHERE),
    Field("start", Date(), True, "开班日期", "格式 2009-05-11", header="开始日期", width=12,
          views=EVERYWHERE),
    Field("end", Date(), True, "结束日期", "格式 2009-05-13，不早于开班日期",
          header="结束日期", width=12, views=EVERYWHERE),
    Field("courses", Codes(), True, "课程", "本期开设课程的代码列表，须是本年度目录中的课程",
          header="课程编号", width=36, views=EVERYWHERE),
    Field("location", Text(), False, "上课地点", "上课地点", header="地点", width=28,
          views=EVERYWHERE),
    Field("organizer", Text(), False, "承办单位", "承办单位（施教机构）",
          header="主办单位", width=24),
    Field("level", Choice("levels"), False, "办班级别", "city 市本级或 county 县（市、区）",
          header="级别", width=8, views=EVERYWHERE),
    Field("county", Text(), False, "县（市、区）", "县级办班所在的县（市、区），如 瑞安市",
          header="县（市、区）", width=12, views=EVERYWHERE),
    Field("capacity", Count(), False, "名额", "招生人数，大于 0 的整数", header="名额",
          width=8),
    Field("fee", Text(), False, "费用", "培训费用说明，如 每人480元（含资料费）",
          header="费用", width=20),
    Field("registration_closes", Date(), False, "报名截止", "格式 2009-04-30，不晚于开班日期",
          header="报名截止", width=12, views=EVERYWHERE),
    Field("contact", Text(), False, "联系方式", "联系人和电话", header="联系方式", width=24,
          views=EVERYWHERE),
    Field("sessions", Periods("session"), False, "上课时段",
          "分几段上课时逐段列出 {start, end}，按时间先后、互不重叠，都在开班和结束日期之内",
          header="上课时段", width=30, views=EVERYWHERE),
    Field("status", Choice("statuses"), False, "办班状态",
          "open 正常（默认）、full 名额已满、cancelled 已取消或 postponed 已延期",
          header="状态", width=10, default="open", views=EVERYWHERE),
    Field("status_note", Text(), False, "状态说明", "如 因报名人数不足取消、延期至 9 月",
          header="状态说明", width=24, views=EVERYWHERE),
    Field("note", Text(long=True), False, "备注", "与办班一同显示的说明", header="备注", width=48,
          views=EVERYWHERE),
)

# A session of a class (v3): one run of days inside the class's start…end.
SESSION_FIELDS = _table(
    Field("start", Date(), True, "时段开始", "格式 2009-05-15", views=View.OPEN_DATA | View.PLANNER),
    Field("end", Date(), True, "时段结束", "格式 2009-05-16，不早于时段开始",
          views=View.OPEN_DATA | View.PLANNER),
)

REGISTRATION_FIELDS = _table(
    Field("opens", Date(), False, "报名开始", "格式 2009-03-20", header="报名开始",
          hint="Excel 日期或 2011-03-01 形式的文字", views=EVERYWHERE),
    Field("closes", Date(), False, "报名截止", "格式 2009-04-30，不早于报名开始日期",
          header="报名截止", hint="不早于报名开始日期", views=EVERYWHERE),
    Field("contact", Text(), False, "报名联系方式", "报名地点、联系人和电话",
          header="报名联系方式", hint="报名地点、联系人和电话", views=EVERYWHERE),
)

YEAR_FIELDS = _table(
    Field("year", Year(), True, "年度", "四位数字，必须与文件名一致（2009.yaml 写 2009）",
          header="年度", hint="四位数字；导入时须与 --year 一致，不填则取 --year",
          views=EVERYWHERE),
    Field("title", Text(), True, "目录标题", "如 2009年度工程技术（一）系列继续教育课程目录",
          header="目录标题", hint="必填，如 2011年度工程技术（一）系列继续教育课程目录",
          views=EVERYWHERE),
    Field("courses", Records("course"), True, "课程", "本年度的课程列表", views=EVERYWHERE),
    Field("classes", Records("class"), True, "办班计划", "本年度的办班列表，可为空列表 []",
          views=EVERYWHERE),
    Field("publisher", Text(), False, "发布单位", "如 温州市工业科学研究院",
          header="发布单位", hint="如 温州市工业科学研究院"),
    Field("published", Date(), False, "发布日期", "格式 2009-03-20",
          header="发布日期", hint="Excel 日期或 2011-03-01 形式的文字"),
    Field("registration", Record("registration"), False, "报名", "报名时间和联系方式",
          views=EVERYWHERE),
    Field("notes", Text(long=True), False, "说明", "目录说明，例如哪些内容为示例数据",
          header="说明", hint="目录说明，可分多行（Alt+Enter 换行）"),
    Field("draft", Flag(), False, "草稿",
          "true 表示草稿：照常检查，但 ceportal build 不发布（ceportal serve 可预览）",
          header="草稿", hint="填“是”表示草稿，build 不发布；不填或“否”照常发布",
          default=False),
)

# Every table by its record's name (a Record or Records kind names it; "year": the file).
TABLES = {
    "year": YEAR_FIELDS,
    "course": COURSE_FIELDS,
    "class": CLASS_FIELDS,
    "session": SESSION_FIELDS,
    "registration": REGISTRATION_FIELDS,
}

# Orders a view keeps from before the table drove it (its bytes are published): these
# fields first, in this order, then any other field of the view in the table's order.
SHEET_ORDER = {
    # The columns of issue 8's order; 费用 and 联系方式 after them, so a round trip keeps them.
    "class": ("code", "name", "start", "end", "location", "courses", "capacity",
              "registration_closes", "organizer", "level", "county", "fee", "contact"),
}  # fmt: skip
PLANNER_ORDER = {
    "year": ("year", "title", "registration", "courses", "classes"),
    "course": ("code", "title", "module", "hours", "form", "specialties"),
    # The planner's v3 shape: the sessions and the deadline resolved
    # (generator.browser.calculator_data.DERIVED).
    "class": ("code", "name", "start", "end", "sessions", "courses", "status", "status_note",
              "note", "registration_closes", "location", "level", "county", "contact"),
}  # fmt: skip
SHEET_NAMES = {"course": "课程", "class": "班次", "year": "年度信息"}


def ordered(table: dict[str, Field], view: View, first: tuple[str, ...] = ()) -> tuple[Field, ...]:
    """The fields of ``table`` in ``view``: those named in ``first`` in that order, then
    the others in the table's order."""
    shown = {n: f for n, f in table.items() if view in f.views}
    unknown = [n for n in first if n not in shown]
    if unknown:
        raise ValueError(f"not fields of the view {view}: {unknown}")
    return (*(shown[n] for n in first), *(f for n, f in shown.items() if n not in first))


@dataclass(frozen=True)
class Sheet:
    """One sheet of the Excel workbook: its name and its columns (or 年度信息 items), in
    the workbook's order. ``defaults``: fields the format requires that the import fills
    in when the sheet leaves them empty (the year, from ``--year``)."""

    name: str
    fields: tuple[Field, ...]
    defaults: frozenset[str] = frozenset()

    def required(self, f: Field) -> bool:
        """Whether the sheet must give ``f`` (a required field without a default)."""
        return f.required and f.name not in self.defaults


@dataclass(frozen=True)
class Format:
    """The whole format: every table by record name, and (once bound by
    :mod:`generator.catalog.model`) the model class of each. Every view takes one (by
    default the format itself), so that a test can hand it a copy with a field added."""

    tables: dict[str, dict[str, Field]]
    models: dict[str, type] | None = None

    def __getitem__(self, record: str) -> dict[str, Field]:
        return self.tables[record]

    def model(self, record: str) -> Any:
        """The model class of ``record`` (``"course"`` -> :class:`~generator.catalog.model.Course`)."""
        assert self.models is not None, "the format is not bound to the model"
        return self.models[record]

    def with_field(self, record: str, f: Field, model: type | None = None) -> Format:
        """A copy with ``f`` added at the end of ``record``'s table (and ``model`` as its class)."""
        tables = {**self.tables, record: {**self.tables[record], f.name: f}}
        models = dict(self.models or {})
        if model is not None:
            models[record] = model
        return replace(self, tables=tables, models=models or None)

    def planner(self, record: str) -> tuple[Field, ...]:
        """The fields of ``record`` in the planner's catalogs, in their order (keys of
        :data:`PLANNER_ORDER` the table has not are the planner's own)."""
        table = self.tables[record]
        first = tuple(n for n in PLANNER_ORDER.get(record, ()) if n in table)
        return ordered(table, View.PLANNER, first)

    def sheet(self, record: str) -> Sheet:
        """The workbook's sheet of ``record`` (courses, classes) or of the year's own
        fields with its registration's, one 项目/内容 row each (``"year"``)."""
        if record != "year":
            columns = ordered(self.tables[record], View.EXCEL, SHEET_ORDER.get(record, ()))
            return Sheet(SHEET_NAMES[record], columns)
        items: list[Field] = []
        for f in self.tables["year"].values():
            if isinstance(f.kind, Record):
                items += ordered(self.tables[f.kind.record], View.EXCEL)
            elif View.EXCEL in f.views and f.kind.scalar:
                items.append(f)
        return Sheet(SHEET_NAMES["year"], tuple(items), defaults=frozenset({"year"}))


FORMAT = Format(TABLES)  # unbound: generator.catalog.model.FORMAT holds the model classes
COURSE_SHEET = FORMAT.sheet("course")
CLASS_SHEET = FORMAT.sheet("class")
YEAR_SHEET = FORMAT.sheet("year")
SHEETS = (COURSE_SHEET, CLASS_SHEET, YEAR_SHEET)
