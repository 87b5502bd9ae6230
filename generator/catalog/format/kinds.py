"""One class per kind of value a year file holds: each reads a YAML scalar and an Excel
cell (refusing bad ones with the words the messages are made of), writes itself as YAML,
describes itself in JSON Schema, and shows itself as plain data (open data, the planner),
as a workbook cell and on a page.

The field table (:mod:`.fields`) names one instance per field; every view of the format
(:mod:`generator.catalog.field_checks`, :mod:`generator.catalog.schema`,
:mod:`generator.catalog.writing`, :mod:`generator.catalog.spreadsheets`,
:mod:`generator.site.exporting.opendata`, :mod:`generator.browser.calculator_data`,
:mod:`generator.site.rendering.context`) asks the kind rather than switching on a name.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from generator.common.celltext import cell_text
from generator.rules import HOURS_STEP

from . import scalars
from .scalars import (
    CODE,
    CONTROL,
    DATE,
    DATE_TEXT,
    LIST_SEPARATORS,
    MAX_CODE,
    MAX_YEAR,
    MIN_YEAR,
    ascii_hint,
    model_number,
    yaml_number,
)

if TYPE_CHECKING:
    from .fields import Field

# Class levels are part of the format, not of the notice's rules, so they live here
# rather than in policy.yaml (§四: city level runs senior/intermediate classes, counties
# the junior ones). One spelling everywhere: pages, messages, schema and workbooks.
LEVELS = {"city": "市本级", "county": "县（市、区）"}
# Older workbooks wrote the levels so; the Excel import still reads them.
LEVEL_ALIASES = {"市级": "city", "县级": "county", "县(市、区)": "county"}
# A class's status (v3), as pages, exports and workbooks name it; ``open`` is the default.
STATUSES = {"open": "正常", "full": "名额已满", "cancelled": "已取消", "postponed": "已延期"}

# What each enum is called in messages (its ids: policy.yaml's section, or LEVELS).
ENUM_TITLES = {
    "modules": "模块",
    "specialties": "专业",
    "forms": "形式",
    "levels": "办班级别",
    "statuses": "办班状态",
}

# A flag's cell text in a workbook, and what the import reads as yes or no.
FLAG_WORDS = {True: "是", False: "否"}
FLAG_ALIASES = {"是": True, "否": False, "true": True, "false": False, "y": True, "n": False}

Names = Mapping[str, Mapping[str, str]]  # enum -> {id: Chinese name}


class Refused(ValueError):
    """A value refused. From :meth:`Kind.read_yaml`: the whole message; from
    :meth:`Kind.read_cell`: its continuation after "课程「X」的学时"."""


@dataclass(frozen=True)
class ReadContext:
    """What reading a value may depend on: the ids each choice allows (``None`` for an
    enum whose policy could not be read: not checked), the year the file must state and
    the file's name (for messages)."""

    enums: Names
    year: int | None = None
    source: str = ""


def finite(text: str) -> Decimal | None:
    """The finite number a plain scalar is (YAML 1.2's core schema), else None."""
    number = yaml_number(text)
    return number if number is not None and number.is_finite() else None


def number_text(value: float) -> str:
    """A number as pages and messages show it: 8 -> "8", 8.5 -> "8.5"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell_number(value: Any) -> Decimal | None:
    """A number cell, or a text cell that reads as a number (full-width digits too: an
    input method types them), as a finite Decimal; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    number: Decimal | None
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number = yaml_number(unicodedata.normalize("NFKC", value.strip()))
    else:
        return None
    return number if number is not None and number.is_finite() else None


def _got(value: Any) -> str:
    text = cell_text(value)
    return f"“{text if len(text) <= 30 else text[:30] + '…'}”"


def _bounded(f: Field, number: Decimal) -> None:
    """Refuse a cell number too large to convert (``1e999999``); the others over the
    field's limit are reported by the checker, at their cell, with its message."""
    if number.adjusted() > 18:
        raise Refused(f"过大：不超过 {f.limits['maximum']}")


def lookup(names: Mapping[str, str], enum: str) -> dict[str, str]:
    """Accepted cell text -> id: the ids (any case), the Chinese names and, for the
    levels, the names older workbooks wrote (市级, 县级)."""
    table = {name: key for key, name in names.items()}
    table.update({key.lower(): key for key in names})
    if enum == "levels":
        table.update(LEVEL_ALIASES)
    return table


class Kind:
    """A kind of value. The defaults are a scalar's; subclasses say what differs."""

    name: ClassVar[str]
    expects: ClassVar[str] = "文本"  # what a value must be, as messages say it ("应为…")
    scalar: ClassVar[bool] = True  # a YAML scalar (not a list or a mapping)
    number: ClassVar[bool] = False  # a quoted number is text, refused (README)
    cell_format: ClassVar[str | None] = None  # the Excel number format of its cells
    # Excel would retype what an editor enters (2011-1 as a date): new rows are text too.
    text_cells: ClassVar[bool] = False
    missing: ClassVar[Any] = None  # the model's value of a field left out
    enum: str | None = None  # the ids it takes (policy.yaml's section, or LEVELS)
    long: bool = False

    def limits(self, f: Field) -> dict[str, Any]:
        """The constraints of the value, by name: ``exclusive_minimum``, ``minimum``,
        ``maximum``, ``pattern``, ``max_length``, ``min_items``, ``unique``."""
        return {}

    def null_empty(self) -> bool:
        """Whether a plain null word (``~``) leaves the field empty (text stays text)."""
        return True

    # -- reading ------------------------------------------------------------------------

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> Any:
        """The model value of a (stripped, non-empty) scalar, or raise :class:`Refused`;
        ``plain``: written without quotes (a quoted ``true`` is text)."""
        raise NotImplementedError(self.name)

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> Any:
        """The model value of a non-empty workbook cell, or raise :class:`Refused`."""
        raise NotImplementedError(self.name)

    # -- writing and showing ------------------------------------------------------------

    def is_empty(self, value: Any) -> bool:
        """Whether an optional field with ``value`` is left out of a file or open data."""
        return value is None or value == ()

    def yaml(self, value: Any, quote: Callable[[str], str]) -> str:
        """A (non-text) value as YAML, on its key's line; ``quote`` writes one id or
        code as a flow list's item (the writer's quoting rules)."""
        return str(value)

    def data(self, value: Any) -> Any:
        """The value as JSON data (open data, the planner's catalogs)."""
        return value

    def cell(self, value: Any, names: Names) -> Any:
        """The value as a workbook (or CSV) cell shows it: ids as their Chinese names."""
        return value

    def page(self, value: Any) -> Any:
        """The value as a page's context holds it (empty text when not given)."""
        return "" if value is None else value

    def label(self, value: Any, names: Names) -> str | None:
        """The Chinese name(s) a page shows for an id (or ids); None for other kinds."""
        return None

    # -- JSON Schema --------------------------------------------------------------------

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        """The JSON Schema of a value (draft 2020-12, as an editor reads YAML 1.2)."""
        raise NotImplementedError(self.name)

    def constraints(self, f: Field) -> dict[str, Any]:
        return {KEYWORDS[name]: value for name, value in self.limits(f).items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# Each constraint of a field (Kind.limits) as a JSON Schema keyword.
KEYWORDS = {
    "exclusive_minimum": "exclusiveMinimum",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
    "max_length": "maxLength",
    "min_items": "minItems",
    "unique": "uniqueItems",
}


class Text(Kind):
    """Text; ``long`` text (a description, notes) may be much longer and wraps in cells."""

    name = "text"
    cell_format = "@"  # Excel keeps "0123" and "2011-1" as typed, not 123 or a date

    def __init__(self, long: bool = False) -> None:
        self.long = long

    def limits(self, f: Field) -> dict[str, Any]:
        limit = scalars.MAX_LONG_TEXT if self.long else scalars.MAX_TEXT
        if f.required:  # the checker takes a blank one as left out
            return {"pattern": scalars.NONBLANK_PATTERN, "max_length": limit}
        return {"max_length": limit}

    def null_empty(self) -> bool:
        return False

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> str:
        bad = CONTROL.search(text)
        if bad:
            code = ord(bad[0])
            raise Refused(
                f"{f.title}中有控制字符 U+{code:04X}（直接写入或写成 \\x{code:02x} 之类的转义"
                "都不行）：请删除它" if code <= 0xFF else
                f"{f.title}中有无效字符 U+{code:04X}：请删除它"
            )
        limit = self.limits(f)["max_length"]
        if len(text) > limit:
            raise Refused(f"{f.title}太长（{len(text)} 个字符）：不超过 {limit} 个字符")
        return text

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> str:
        return cell_text(value)

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        # The loader reads every scalar as text, so `fee: 480` or `title: 2009` are fine
        # text; the schema must not flag what the checker accepts.
        return {"type": ["string", "number", "boolean"], **self.constraints(f)}

    def __repr__(self) -> str:
        return f"Text(long={self.long})"


class Code(Kind):
    """A code: letters, digits and "-" (G-01, 2009-1)."""

    name = "code"
    expects = "代码（字母、数字和“-”）"
    cell_format = "@"
    text_cells = True

    def limits(self, f: Field) -> dict[str, Any]:
        return {"pattern": scalars.CODE_PATTERN, "max_length": MAX_CODE}

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> str:
        if not CODE.match(text):
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise Refused(f"代码只能包含字母、数字和“-”，收到“{shown}”{ascii_hint(text)}")
        if len(text) > MAX_CODE:  # a code field's limit, also for the codes in a list
            raise Refused(f"代码太长（{len(text)} 个字符）：不超过 {MAX_CODE} 个字符")
        return text

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            raise Refused(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        text = cell_text(value)
        if not CODE.match(text):
            raise Refused(f"只能包含字母、数字和“-”，收到{_got(value)}")
        return text

    def definition(self, f: Field) -> dict[str, Any]:
        """The schema every code refers to (``#/$defs/code``): a code may be read as a
        number (`code: 0123`, `code: -1`) and is still a fine code."""
        return {
            "description": "代码：只含字母、数字和“-”",
            "anyOf": [{"type": "string", **self.constraints(f)}, {"type": "integer"}],
        }

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"$ref": "#/$defs/code"}


class Date(Kind):
    """A date, written 2009-05-11 (an Excel date or such text in a workbook)."""

    name = "date"
    expects = "日期（如 2009-05-11）"
    cell_format = "yyyy-mm-dd"

    def limits(self, f: Field) -> dict[str, Any]:
        return {"pattern": scalars.DATE_PATTERN}

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> dt.date:
        m = DATE.match(text)
        if not m:
            raise Refused(f"日期应写成 2009-05-11 的形式，收到“{text}”{ascii_hint(text)}")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise Refused(f"日期不存在：{text}") from None

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        m = DATE_TEXT.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise Refused(f"应为日期（Excel 日期，或 2009-05-11 形式的文字），收到{_got(value)}")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise Refused(f"不是存在的日期：{_got(value)}") from None

    def yaml(self, value: Any, quote: Callable[[str], str]) -> str:
        return str(value.isoformat())

    def data(self, value: Any) -> Any:
        return value.isoformat() if value else None

    def page(self, value: Any) -> Any:
        return value.isoformat() if value else ""

    def definition(self, f: Field) -> dict[str, Any]:
        """The schema every date refers to (``#/$defs/date``)."""
        return {"description": "日期，写成 2009-05-11 的形式", "type": "string",
                "format": "date", **self.constraints(f)}  # fmt: skip

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"$ref": "#/$defs/date"}


class _Number(Kind):
    """A number, written plain (a quoted one is text); ``whole``: an integer."""

    number = True
    whole: ClassVar[bool] = False

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        # A quoted number is a string, refused here as by the checker (YAML 1.2 reads
        # 8, 8.0 and 1e1 as numbers, and "integer" takes 2009.0).
        return {"type": "integer" if self.whole else "number", **self.constraints(f)}

    def yaml(self, value: Any, quote: Callable[[str], str]) -> str:
        return repr(value) if isinstance(value, float) else str(value)

    def page(self, value: Any) -> Any:
        return "" if value is None else number_text(value)


class Year(_Number):
    """The year a file is for: four digits, the one in the file's name."""

    name = "year"
    expects = "四位数字的年度"
    whole = True

    def limits(self, f: Field) -> dict[str, Any]:
        return {"minimum": MIN_YEAR, "maximum": MAX_YEAR}

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> int:
        number = finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or not MIN_YEAR <= number <= MAX_YEAR
        ):
            raise Refused(f"年度必须是四位数字，如 2009，收到“{text}”{ascii_hint(text)}")
        if ctx.year is not None and int(number) != ctx.year:
            name = Path(ctx.source).name
            raise Refused(f"年度 {text} 与文件名 {name} 不一致：请改正其中之一")
        return int(number)

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> int:
        number = _cell_number(value)
        if number is None or number != number.to_integral_value():
            raise Refused(f"必须是四位数字的年度，收到{_got(value)}")
        _bounded(f, number)
        if int(number) != ctx.year:
            raise Refused(
                f"是 {int(number)}，与导入的年度 {ctx.year} 不一致：请改正工作簿或 --year"
            )
        return int(number)

    def page(self, value: Any) -> Any:
        return value


class Hours(_Number):
    """Hours: a number greater than 0, maybe with a fraction (8, 1.5)."""

    name = "hours"
    expects = "大于0的数字"

    def limits(self, f: Field) -> dict[str, Any]:
        return {"exclusive_minimum": 0, "maximum": scalars.MAX_HOURS}

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> int | float:
        number = finite(text)
        if number is None or number <= self.limits(f)["exclusive_minimum"]:
            raise Refused(f"学时必须是大于0的数字，收到“{text}”{ascii_hint(text)}")
        limit = self.limits(f)["maximum"]
        if number > limit:
            raise Refused(f"学时 {text} 过大：一门课程不超过 {limit} 学时，请检查")
        # The rules' precision (README, hours): a course's hours become a record's.
        if number != number.quantize(HOURS_STEP):
            raise Refused(f"学时最多保留两位小数（按0.01学时计算），收到“{text}”")
        return model_number(number)

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> int | float:
        number = _cell_number(value)
        if number is None or number <= 0:
            raise Refused(f"必须是大于0的数字，收到{_got(value)}")
        _bounded(f, number)
        return int(number) if number == number.to_integral_value() else float(number)


class Count(_Number):
    """A count: a whole number greater than 0 (名额)."""

    name = "count"
    expects = "大于0的整数"
    whole = True

    def limits(self, f: Field) -> dict[str, Any]:
        return {"exclusive_minimum": 0, "maximum": scalars.MAX_COUNT}

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> int:
        number = finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or number <= self.limits(f)["exclusive_minimum"]
        ):
            raise Refused(f"{f.title}必须是大于0的整数，收到“{text}”{ascii_hint(text)}")
        limit = self.limits(f)["maximum"]
        if number > limit:
            raise Refused(f"{f.title} {text} 过大：不超过 {limit}，请检查")
        return int(number)

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> int:
        number = _cell_number(value)
        if number is None or number != number.to_integral_value() or number <= 0:
            raise Refused(f"必须是大于0的整数，收到{_got(value)}")
        _bounded(f, number)
        return int(number)

    def page(self, value: Any) -> Any:
        return "" if value is None else str(value)


def _enum_schema(ids: Mapping[str, str]) -> dict[str, Any]:
    # enumDescriptions: VS Code's (and the YAML extension's) hover text for each id.
    return {"enum": list(ids), "enumDescriptions": list(ids.values())}


class Choice(Kind):
    """One id of ``enum`` (a module, a form, a level…); cells take its Chinese name too."""

    name = "choice"

    def __init__(self, enum: str) -> None:
        self.enum = enum

    @property
    def expects(self) -> str:  # type: ignore[override]
        return f"{ENUM_TITLES.get(self.enum or '', '')}代号"

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> str:
        assert self.enum is not None
        allowed = ctx.enums.get(self.enum)
        if allowed is None:  # policy.yaml unreadable: its problems are reported already
            return text
        if text not in allowed:
            options = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            raise Refused(f"未知的{ENUM_TITLES[self.enum]}“{text}”，可选：{options}")
        return text

    def read_name(self, text: str, ctx: ReadContext) -> str:
        """The id a cell's text names (an id in any case, a Chinese name, an old name)."""
        assert self.enum is not None
        names = ctx.enums[self.enum]
        table = lookup(names, self.enum)
        found = table.get(text) or table.get(text.lower())
        if found is None:
            shown = "、".join(names.values())
            raise Refused(
                f"“{text}”无法识别，应为 {shown} 之一（也可填代号 {', '.join(names)}）"
            )
        return found

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> str:
        return self.read_name(cell_text(value), ctx)

    def cell(self, value: Any, names: Names) -> Any:
        assert self.enum is not None
        return names[self.enum].get(value, value) if value else None

    def label(self, value: Any, names: Names) -> str:
        assert self.enum is not None
        return names[self.enum][value] if value else ""

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        assert self.enum is not None
        return _enum_schema(ids[self.enum])

    def __repr__(self) -> str:
        return f"Choice({self.enum!r})"


class _List(Kind):
    """A list of scalars, each of kind :attr:`item`, none twice; a cell separates them
    with ``、``, ``,`` or ``，``."""

    scalar = False
    cell_format = "@"
    missing = ()
    item: Kind
    example: ClassVar[str] = "G-01, E-01"  # a value as an example, for messages
    too_few: ClassVar[str] = ""  # the message when ``min_items`` is not met

    @property
    def expects(self) -> str:  # type: ignore[override]
        return self.item.expects

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> Any:
        return self.item.read_yaml(text, f, ctx, plain)  # one item; the checker walks the list

    def yaml(self, value: Any, quote: Callable[[str], str]) -> str:
        return "[" + ", ".join(quote(str(v)) for v in value) + "]"

    def data(self, value: Any) -> Any:
        return list(value)

    def page(self, value: Any) -> Any:
        return " ".join(value)

    def cell_items(self, value: Any) -> list[str]:
        items = [item.strip() for item in LIST_SEPARATORS.split(cell_text(value))]
        return [item for item in items if item]


class Choices(_List):
    """Ids of ``enum`` (a course's specialties); none means all of them."""

    name = "choices"
    example = "mechanical, electrical"

    def __init__(self, enum: str) -> None:
        self.enum = enum
        self.item: Choice = Choice(enum)

    def limits(self, f: Field) -> dict[str, Any]:
        return {"unique": True}

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> tuple[str, ...]:
        ids: list[str] = []
        for item in self.cell_items(value):
            found = self.item.read_name(item, ctx)
            if found in ids:
                raise Refused(f"中“{item}”重复列出")
            ids.append(found)
        return tuple(ids)

    def cell(self, value: Any, names: Names) -> Any:
        assert self.enum is not None
        return "、".join(names[self.enum].get(s, s) for s in value) or None

    def label(self, value: Any, names: Names) -> str:
        assert self.enum is not None
        return "、".join(names[self.enum][s] for s in value)

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        assert self.enum is not None
        return {"type": "array", "items": _enum_schema(ids[self.enum]), **self.constraints(f)}

    def __repr__(self) -> str:
        return f"Choices({self.enum!r})"


class Codes(_List):
    """Course codes (the courses a class teaches): at least one."""

    name = "codes"
    text_cells = True
    too_few = "至少要列出一门课程"

    def __init__(self) -> None:
        self.item = Code()

    @property
    def expects(self) -> str:  # type: ignore[override]
        return "课程代码"

    def limits(self, f: Field) -> dict[str, Any]:
        return {"min_items": 1, "unique": True}

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> tuple[str, ...]:
        if isinstance(value, (dt.date, dt.datetime)):
            raise Refused(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        codes: list[str] = []
        for item in self.cell_items(value):
            if not CODE.match(item):
                raise Refused(f"中“{item}”不是有效的课程编号（只能包含字母、数字和“-”）")
            if item in codes:
                raise Refused(f"中“{item}”重复列出")
            codes.append(item)
        if not codes:
            raise Refused("不能为空：请填写本期开设课程的编号")
        return tuple(codes)

    def cell(self, value: Any, names: Names) -> Any:
        return "、".join(value) or None

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": "#/$defs/code"}, **self.constraints(f)}


class Flag(Kind):
    """Yes or no: ``true`` / ``false`` in YAML (YAML 1.2's core booleans, plain: what
    editors and the JSON Schema take as true/false), 是/否 in a cell."""

    name = "flag"
    expects = "true 或 false"
    WORDS: ClassVar[dict[str, bool]] = {
        "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    }  # fmt: skip

    def read_yaml(self, text: str, f: Field, ctx: ReadContext, plain: bool = True) -> bool:
        if plain and text in self.WORDS:
            return self.WORDS[text]
        meant = FLAG_ALIASES.get(text.lower())
        hint = "" if meant is None else f"：请写 {'true' if meant else 'false'}（不加引号）"
        raise Refused(f"{f.title}应为 true 或 false，收到“{text}”{hint}")

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> bool:
        if isinstance(value, bool):
            return value
        found = FLAG_ALIASES.get(cell_text(value).strip().lower())
        if found is None:
            raise Refused(f"应填“是”或“否”，收到{_got(value)}")
        return found

    def is_empty(self, value: Any) -> bool:
        return value is None or value is False  # a flag is said when it is set

    def yaml(self, value: Any, quote: Callable[[str], str]) -> str:
        return "true" if value else "false"

    def cell(self, value: Any, names: Names) -> Any:
        return None if value is None else FLAG_WORDS[bool(value)]

    def page(self, value: Any) -> Any:
        return bool(value)

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"type": "boolean"}


class Record(Kind):
    """A mapping of the fields of another table (the year's registration)."""

    name = "record"
    scalar = False

    def __init__(self, record: str) -> None:
        self.record = record  # the $defs name and the table's key in the format

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.record}"}

    def __repr__(self) -> str:
        return f"Record({self.record!r})"


# A sessions cell: sessions apart by "、", ",", ";" or a line break; a session's first and
# last day by 至, ~ or a dash (a date's own "-" is not one: it sits between digits).
_SESSION_SEPARATORS = re.compile(r"[、,，;；\n]")
_RANGE = re.compile(r"\s*(?:至|到|~|～|—|–|－－|--)\s*")


def periods_text(periods: Any) -> str:
    """Sessions as a cell (and the schedule's CSV) writes them:
    ``2011-05-15至2011-05-16、2011-05-22`` (a one-day session is its date)."""
    return "、".join(
        p.start.isoformat() if p.start == p.end else f"{p.start.isoformat()}至{p.end.isoformat()}"
        for p in periods
    )


class Periods(Kind):
    """A class's sessions (v3): a list of ``{start, end}`` records of :attr:`record`; a
    cell writes them ``2011-05-15至2011-05-16、2011-05-22`` (a one-day session is its date).
    The checker reads the records (and their order) itself."""

    name = "sessions"
    scalar = False
    missing = ()
    expects = "上课时段的列表"

    def __init__(self, record: str) -> None:
        self.record = record

    def limits(self, f: Field) -> dict[str, Any]:
        return {"min_items": 1}

    def read_cell(self, value: Any, f: Field, ctx: ReadContext) -> tuple[tuple[dt.date, dt.date], ...]:
        """The sessions of a cell as ``(start, end)`` pairs (the importer makes the records)."""
        day = Date()
        if isinstance(value, (dt.date, dt.datetime)):  # one day, typed as an Excel date
            one = day.read_cell(value, f, ctx)
            return ((one, one),)
        periods: list[tuple[dt.date, dt.date]] = []
        for n, item in enumerate(_SESSION_SEPARATORS.split(cell_text(value)), start=1):
            if not item.strip():
                continue
            ends = _RANGE.split(item.strip())
            if len(ends) > 2:
                raise Refused(f"第{n}段“{item.strip()}”应写成“开始日期至结束日期”")
            try:
                first = day.read_cell(ends[0], f, ctx)
                last = day.read_cell(ends[-1], f, ctx)
            except Refused:
                raise Refused(
                    f"第{n}段“{item.strip()}”应写成 2011-05-15至2011-05-16 的形式"
                    "（一天的写 2011-05-15；多段用“、”分隔）"
                ) from None
            periods.append((first, last))
        if not periods:
            raise Refused("不能为空")
        return tuple(periods)

    def flow(self, period: Any) -> str:
        """One session as the YAML writer writes it: ``{start: 2009-05-15, end: 2009-05-16}``."""
        return f"{{start: {period.start.isoformat()}, end: {period.end.isoformat()}}}"

    def data(self, value: Any) -> Any:
        return [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in value]

    def cell(self, value: Any, names: Names) -> Any:
        return periods_text(value) or None

    def page(self, value: Any) -> Any:
        return len(value)

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{self.record}"},
                **self.constraints(f)}  # fmt: skip

    def __repr__(self) -> str:
        return f"Periods({self.record!r})"


class Records(Kind):
    """A list of mappings of another table (the year's courses, its classes)."""

    name = "records"
    scalar = False

    def __init__(self, record: str) -> None:
        self.record = record

    def is_empty(self, value: Any) -> bool:
        return value is None

    def schema(self, f: Field, ids: Names) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{self.record}"}}

    def __repr__(self) -> str:
        return f"Records({self.record!r})"
