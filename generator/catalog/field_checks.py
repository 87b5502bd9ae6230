"""Checking the fields of a year file's mappings against the format's declaration.

:class:`FieldChecker` walks a mapping by a field table of :mod:`generator.catalog.format`
(unknown keys, missing and empty fields) and converts each value by its kind: text,
code, year, date, hours, count, choice, and the lists of ids and codes. Each refusal is
a :class:`generator.catalog.problems.Problem` at the value's mark, with its field path. The
records and the checks across them are :mod:`generator.catalog.year_checker`'s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..rules import HOURS_STEP
from .format import ENUM_TITLES, Field
from .format.fields import NUMBER_KINDS
from .format.scalars import (
    CODE,
    CONTROL,
    DATE,
    MAX_CODE,
    MAX_YEAR,
    MIN_YEAR,
    NULL_WORDS,
    ascii_hint,
    model_number,
    yaml_number,
)
from .loading import Mapping, Node, Scalar, Sequence, kind_name
from .model import Hours, Mark
from .policy_model import Policy, as_policy, enum_names
from .problems import Problem

log = logging.getLogger(__name__)

MISSING = object()  # a field left out (or left empty): distinct from a refused value


class FieldChecker:
    """Checks the fields of one year file's mappings, by the format's declaration:
    reporting (``error``/``warning``), a mapping's fields (:meth:`fields`), and one
    converter per kind of scalar (:attr:`scalars`) and list (:attr:`nested`)."""

    def __init__(
        self, source: str, policy: Policy | dict[str, Any] | None, year: int | None
    ) -> None:
        self.source = source
        self.year = year
        self.enums = enum_names(policy)  # the ids each choice allows
        # The modules whose courses only classes teach (policy.yaml's taught_in_classes).
        self.class_modules = frozenset() if policy is None else as_policy(policy).class_modules
        self.problems: list[Problem] = []
        # One converter per kind of the format (catalog_format.fields.Kind).
        self.scalars: dict[str, Callable[[str, Scalar, str, Field], Any]] = {
            "text": self._text,
            "code": self._code,
            "year": self._year,
            "date": self._date,
            "hours": self._hours,
            "count": self._count,
            "choice": self._choice,
        }
        self.nested: dict[str, Callable[[Node, str, Field], Any]] = {
            "choices": self.scalar_list,
            "codes": self.scalar_list,
        }

    # -- reporting ----------------------------------------------------------------------

    def error(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, path=path))

    def warning(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, "warning", path))

    # -- fields -------------------------------------------------------------------------

    def fields(self, node: Node, path: str, spec: dict[str, Field]) -> dict[str, Any] | None:
        """Convert a mapping's fields by ``spec``; missing/empty fields map to MISSING."""
        if not isinstance(node, Mapping):
            if not (isinstance(node, Scalar) and node.broken):
                self.error(node.mark, path, f"应为映射（“键: 值”的形式），收到{self._got(node)}")
            return None
        for key, key_node in node.keys.items():
            if key not in spec:
                close = difflib.get_close_matches(key, spec, n=1, cutoff=0.6)
                hint = (
                    f"（是否应为“{close[0]}”？）" if close else f"，可用的字段：{'、'.join(spec)}"
                )
                self.error(key_node.mark, join_path(path, key), f"未知字段{hint}")
        values: dict[str, Any] = {}
        for name, f in spec.items():
            child = node.items.get(name)
            field_path = join_path(path, name)
            if child is None or is_empty(child, f):
                if f.required:
                    self.error(
                        child.mark if child is not None else node.mark,
                        field_path,
                        f"缺少必填字段（{f.title}）" if child is None else f"{f.title}不能为空",
                    )
                values[name] = MISSING
                continue
            values[name] = self.value(child, field_path, f)
        return values

    def value(self, node: Node, path: str, f: Field) -> Any:
        """The converted value, or None when refused (after reporting why)."""
        if isinstance(node, Scalar) and node.broken:
            return None
        if f.kind in self.nested:
            return self.nested[f.kind](node, path, f)
        if not isinstance(node, Scalar):
            self.error(node.mark, path, f"应为{f.expects}，收到{kind_name(node)}")
            return None
        text = node.value.strip()
        if f.kind in NUMBER_KINDS and not node.plain and yaml_number(text) is not None:
            # A quoted number is text (as in editors and the JSON Schema): README,
            # "Catalog files".
            self.error(
                node.mark, path, f"{f.title}要写成数字，不能加引号：请去掉“{text}”两边的引号"
            )
            return None
        return self.scalars[f.kind](text, node, path, f)

    def _text(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        bad = CONTROL.search(text)
        if bad:
            code = ord(bad[0])
            self.error(
                node.mark, path,
                f"{f.title}中有控制字符 U+{code:04X}（直接写入或写成 \\x{code:02x} 之类的转义"
                "都不行）：请删除它" if code <= 0xFF else
                f"{f.title}中有无效字符 U+{code:04X}：请删除它",
            )
            return None
        limit = f.limits["max_length"]
        if len(text) > limit:
            self.error(
                node.mark, path, f"{f.title}太长（{len(text)} 个字符）：不超过 {limit} 个字符"
            )
            return None
        return text

    def _code(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        if not CODE.match(text):
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.error(
                node.mark, path, f"代码只能包含字母、数字和“-”，收到“{shown}”{ascii_hint(text)}"
            )
            return None
        if len(text) > MAX_CODE:  # a code field's limit, also for the codes in a list
            self.error(
                node.mark, path, f"代码太长（{len(text)} 个字符）：不超过 {MAX_CODE} 个字符"
            )
            return None
        return text

    def _year(self, text: str, node: Scalar, path: str, f: Field) -> int | None:
        number = finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or not MIN_YEAR <= number <= MAX_YEAR
        ):
            self.error(
                node.mark, path, f"年度必须是四位数字，如 2009，收到“{text}”{ascii_hint(text)}"
            )
            return None
        if self.year is not None and int(number) != self.year:
            name = Path(self.source).name
            self.error(node.mark, path, f"年度 {text} 与文件名 {name} 不一致：请改正其中之一")
            return None
        return int(number)

    def _date(self, text: str, node: Scalar, path: str, f: Field) -> dt.date | None:
        m = DATE.match(text)
        if not m:
            self.error(
                node.mark, path, f"日期应写成 2009-05-11 的形式，收到“{text}”{ascii_hint(text)}"
            )
            return None
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            self.error(node.mark, path, f"日期不存在：{text}")
            return None

    def _hours(self, text: str, node: Scalar, path: str, f: Field) -> Hours | None:
        number = finite(text)
        if number is None or number <= f.limits["exclusive_minimum"]:
            self.error(node.mark, path, f"学时必须是大于0的数字，收到“{text}”{ascii_hint(text)}")
            return None
        limit = f.limits["maximum"]
        if number > limit:
            self.error(
                node.mark, path, f"学时 {text} 过大：一门课程不超过 {limit} 学时，请检查"
            )
            return None
        # The rules' precision (README, hours): a course's hours become a record's.
        if number != number.quantize(HOURS_STEP):
            self.error(node.mark, path, f"学时最多保留两位小数（按0.01学时计算），收到“{text}”")
            return None
        return model_number(number)

    def _count(self, text: str, node: Scalar, path: str, f: Field) -> int | None:
        number = finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or number <= f.limits["exclusive_minimum"]
        ):
            self.error(
                node.mark, path, f"{f.title}必须是大于0的整数，收到“{text}”{ascii_hint(text)}"
            )
            return None
        limit = f.limits["maximum"]
        if number > limit:
            self.error(node.mark, path, f"{f.title} {text} 过大：不超过 {limit}，请检查")
            return None
        return int(number)

    def _choice(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        assert f.enum is not None
        allowed = self.enums.get(f.enum)
        if allowed is None:  # policy.yaml unreadable: its problems are reported already
            return text
        if text not in allowed:
            options = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            self.error(node.mark, path, f"未知的{ENUM_TITLES[f.enum]}“{text}”，可选：{options}")
            return None
        return text

    def scalar_list(self, node: Node, path: str, f: Field) -> tuple[str, ...] | None:
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表，如 [{f.example}]，收到{self._got(node)}")
            return None
        result: list[str] = []
        seen: dict[str, int] = {}
        ok = True
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            if isinstance(item, Scalar) and item.broken:
                ok = False
                continue
            if not isinstance(item, Scalar) or not item.value.strip():
                self.error(item.mark, item_path, f"应为{f.expects}，收到{self._got(item)}")
                ok = False
                continue
            text = item.value.strip()
            if text in seen:
                self.error(item.mark, item_path, f"“{text}”重复列出（第{seen[text]}行已有）")
                continue
            seen[text] = item.mark.line
            if f.kind == "choices":
                if self._choice(text, item, item_path, f) is None:
                    ok = False
                    continue
            elif self._code(text, item, item_path, f) is None:
                ok = False
                continue
            result.append(text)
        if f.kind == "codes" and not node.items:
            self.error(node.mark, path, "至少要列出一门课程")
        return tuple(result) if ok else None

    @staticmethod
    def _got(node: Node) -> str:
        if isinstance(node, Scalar):
            return f"文本“{node.value}”" if node.value else "空值"
        return kind_name(node)


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_empty(node: Node, f: Field) -> bool:
    """Whether a value was left empty: blank, or (where the field is not text) a YAML null
    word such as ``~``, which editors and the JSON Schema read as null. Text stays text."""
    if not isinstance(node, Scalar) or node.broken:
        return False
    text = node.value.strip()
    return text == "" or (node.plain and f.kind != "text" and text in NULL_WORDS)


def finite(text: str) -> Decimal | None:
    """The finite number a plain scalar is (YAML 1.2's core schema), else None."""
    number = yaml_number(text)
    return number if number is not None and number.is_finite() else None


