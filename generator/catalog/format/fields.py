"""The fields of a year file, declared once (DESIGN.md, "Catalog files").

Each :class:`Field` says its kind, whether it is required, its Chinese label and
description, the ids it takes (``enum``, from policy.yaml or :data:`LEVELS`), its
constraints (from the kind and :mod:`.scalars`) and its Excel column. From these tables
are derived: the checker (:mod:`generator.catalog.validating`), the Excel sheets
(:data:`COURSE_SHEET`… used by :mod:`generator.catalog.spreadsheets`), the JSON Schema
(:mod:`generator.catalog.schema`) and the YAML writer's key order (:mod:`generator.catalog.writing`).
A new field is one line here (and one in :mod:`generator.catalog.model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from . import scalars

Kind = Literal[
    "text", "code", "year", "date", "hours", "count", "choice", "choices", "codes",
    "registration", "courses", "classes",
]

# Class levels are part of the format, not of the notice's rules, so they live here
# rather than in policy.yaml (§四: city level runs senior/intermediate classes, counties
# the junior ones). One spelling everywhere: pages, messages, schema and workbooks.
LEVELS = {"city": "市本级", "county": "县（市、区）"}
# Older workbooks wrote the levels so; the Excel import still reads them.
LEVEL_ALIASES = {"市级": "city", "县级": "county", "县(市、区)": "county"}

# What each enum is called in messages (its ids: policy.yaml's section, or LEVELS).
ENUM_TITLES = {
    "modules": "模块",
    "specialties": "专业",
    "forms": "形式",
    "levels": "办班级别",
}

# Kinds that hold numbers (a quoted value is text, refused) and those that are whole.
NUMBER_KINDS = frozenset({"year", "hours", "count"})
INTEGER_KINDS = frozenset({"year", "count"})
# Kinds whose value is a scalar (not a list or a mapping).
SCALAR_KINDS = frozenset({"text", "code", "year", "date", "hours", "count", "choice"})

# What a value of each kind must be, as messages say it ("应为…").
_EXPECTS = {
    "text": "文本",
    "code": "代码（字母、数字和“-”）",
    "year": "四位数字的年度",
    "date": "日期（如 2009-05-11）",
    "hours": "大于0的数字",
    "count": "大于0的整数",
    "codes": "课程代码",
}


@dataclass(frozen=True)
class Field:
    """One field of the format.

    kind: ``text`` | ``code`` | ``year`` | ``date`` | ``hours`` | ``count`` | ``choice``
    (one id of ``enum``) | ``choices`` (a list of ids of ``enum``) | ``codes`` (a list of
    course codes) | ``registration`` | ``courses`` | ``classes``. ``header`` names the
    field's Excel column (or 年度信息 item); the lists of records, which have
    sheets of their own, have none. ``long`` text may be up to :data:`scalars.MAX_LONG_TEXT` characters.
    """

    name: str
    kind: Kind
    required: bool
    title: str
    description: str
    enum: str | None = None
    header: str = ""
    width: int = 14
    long: bool = False
    hint: str = ""  # the 填写说明 of a 年度信息 item

    @property
    def limits(self) -> dict[str, Any]:
        """The constraints of the value, by name: ``exclusive_minimum``, ``minimum``,
        ``maximum``, ``pattern``, ``max_length``, ``min_items``, ``unique``."""
        kind = self.kind
        if kind == "text":
            limit = scalars.MAX_LONG_TEXT if self.long else scalars.MAX_TEXT
            if self.required:  # the checker takes a blank one as left out
                return {"pattern": scalars.NONBLANK_PATTERN, "max_length": limit}
            return {"max_length": limit}
        if kind == "code":
            return {"pattern": scalars.CODE_PATTERN, "max_length": scalars.MAX_CODE}
        if kind == "date":
            return {"pattern": scalars.DATE_PATTERN}
        if kind == "year":
            return {"minimum": scalars.MIN_YEAR, "maximum": scalars.MAX_YEAR}
        if kind == "hours":
            return {"exclusive_minimum": 0, "maximum": scalars.MAX_HOURS}
        if kind == "count":
            return {"exclusive_minimum": 0, "maximum": scalars.MAX_COUNT}
        if kind == "codes":
            return {"min_items": 1, "unique": True}
        if kind == "choices":
            return {"unique": True}
        return {}

    @property
    def expects(self) -> str:
        """What a value must be, for messages: ``大于0的数字``, ``专业代号``…"""
        if self.kind in ("choice", "choices"):
            return f"{ENUM_TITLES.get(self.enum or '', '')}代号"
        return _EXPECTS.get(self.kind, "文本")

    @property
    def example(self) -> str:
        """A list value as an example, for messages about a list field."""
        return "mechanical, electrical" if self.kind == "choices" else "G-01, E-01"


def _table(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


COURSE_FIELDS = _table(
    Field("code", "code", True, "课程代码", "本年度内唯一，只含字母、数字和“-”，如 G-01",
          header="课程编号", width=12),
    Field("title", "text", True, "课程名称", "课程名称", header="课程名称", width=36),
    Field("module", "choice", True, "模块",
          "public 公共必修课、elective 专业选修课或 other 其他形式", "modules",
          header="类别", width=12),
    Field("hours", "hours", True, "学时", "大于 0 的数字，可为小数，如 8 或 1.5",
          header="学时", width=8),
    Field("specialties", "choices", False, "适用专业",
          "专业代号的列表；不填表示适用于所有专业", "specialties", header="适用专业", width=24),
    Field("form", "choice", False, "形式",
          "training 培训班、lecture 专题讲座或 seminar 学术研讨", "forms",
          header="形式", width=10),
    Field("description", "text", False, "课程简介", "课程内容简介", header="简介", width=48,
          long=True),
    Field("teacher", "text", False, "主讲", "主讲教师或单位", header="授课教师", width=16),
)

CLASS_FIELDS = _table(
    Field("code", "code", True, "办班编号", "本年度内唯一，只含字母、数字和“-”，如 2009-1",
          header="班次编号", width=12),
    Field("name", "text", True, "班级名称", "如 2009年第一期继续教育培训班",
          header="名称", width=40),
    Field("start", "date", True, "开班日期", "格式 2009-05-11", header="开始日期", width=12),
    Field("end", "date", True, "结束日期", "格式 2009-05-13，不早于开班日期",
          header="结束日期", width=12),
    Field("courses", "codes", True, "课程", "本期开设课程的代码列表，须是本年度目录中的课程",
          header="课程编号", width=36),
    Field("location", "text", False, "上课地点", "上课地点", header="地点", width=28),
    Field("organizer", "text", False, "承办单位", "承办单位（施教机构）",
          header="主办单位", width=24),
    Field("level", "choice", False, "办班级别", "city 市本级或 county 县（市、区）", "levels",
          header="级别", width=8),
    Field("county", "text", False, "县（市、区）", "县级办班所在的县（市、区），如 瑞安市",
          header="县（市、区）", width=12),
    Field("capacity", "count", False, "名额", "招生人数，大于 0 的整数", header="名额", width=8),
    Field("fee", "text", False, "费用", "培训费用说明，如 每人480元（含资料费）",
          header="费用", width=20),
    Field("registration_closes", "date", False, "报名截止", "格式 2009-04-30，不晚于开班日期",
          header="报名截止", width=12),
    Field("contact", "text", False, "联系方式", "联系人和电话", header="联系方式", width=24),
)

REGISTRATION_FIELDS = _table(
    Field("opens", "date", False, "报名开始", "格式 2009-03-20", header="报名开始",
          hint="Excel 日期或 2011-03-01 形式的文字"),
    Field("closes", "date", False, "报名截止", "格式 2009-04-30，不早于报名开始日期",
          header="报名截止", hint="不早于报名开始日期"),
    Field("contact", "text", False, "报名联系方式", "报名地点、联系人和电话",
          header="报名联系方式", hint="报名地点、联系人和电话"),
)

YEAR_FIELDS = _table(
    Field("year", "year", True, "年度", "四位数字，必须与文件名一致（2009.yaml 写 2009）",
          header="年度", hint="四位数字；导入时须与 --year 一致，不填则取 --year"),
    Field("title", "text", True, "目录标题", "如 2009年度工程技术（一）系列继续教育课程目录",
          header="目录标题", hint="必填，如 2011年度工程技术（一）系列继续教育课程目录"),
    Field("courses", "courses", True, "课程", "本年度的课程列表"),
    Field("classes", "classes", True, "办班计划", "本年度的办班列表，可为空列表 []"),
    Field("publisher", "text", False, "发布单位", "如 温州市工业科学研究院",
          header="发布单位", hint="如 温州市工业科学研究院"),
    Field("published", "date", False, "发布日期", "格式 2009-03-20",
          header="发布日期", hint="Excel 日期或 2011-03-01 形式的文字"),
    Field("registration", "registration", False, "报名", "报名时间和联系方式"),
    Field("notes", "text", False, "说明", "目录说明，例如哪些内容为示例数据",
          header="说明", long=True, hint="目录说明，可分多行（Alt+Enter 换行）"),
)

# The record each table describes (its mapping in the file), by the kind that holds it.
RECORDS = {"courses": COURSE_FIELDS, "classes": CLASS_FIELDS, "registration": REGISTRATION_FIELDS}


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


def _columns(table: dict[str, Field], *names: str) -> tuple[Field, ...]:
    assert sorted(names) == sorted(n for n, f in table.items() if f.header), names
    return tuple(table[n] for n in names)


COURSE_SHEET = Sheet("课程", _columns(
    COURSE_FIELDS,
    "code", "title", "module", "hours", "specialties", "form", "description", "teacher",
))
# The columns of issue 8's order; 费用 and 联系方式 after them, so a round trip keeps them.
CLASS_SHEET = Sheet("班次", _columns(
    CLASS_FIELDS,
    "code", "name", "start", "end", "location", "courses", "capacity", "registration_closes",
    "organizer", "level", "county", "fee", "contact",
))
# The year's own fields and its registration, one 项目/内容 row each.
YEAR_SHEET = Sheet(
    "年度信息",
    (
        YEAR_FIELDS["year"], YEAR_FIELDS["title"], YEAR_FIELDS["publisher"],
        YEAR_FIELDS["published"], *REGISTRATION_FIELDS.values(), YEAR_FIELDS["notes"],
    ),
    defaults=frozenset({"year"}),
)
SHEETS = (COURSE_SHEET, CLASS_SHEET, YEAR_SHEET)

