"""The import's cells to values: one converter per kind of the format, each refusing a
cell with the words the report continues ("课程「X」的学时…").
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.catalog.format import Field
from generator.catalog.format.scalars import CODE, DATE_TEXT, LIST_SEPARATORS, yaml_number
from generator.catalog.model import Hours
from generator.common.celltext import cell_text

from .layout import _lookup

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


class _Bad(ValueError):
    """A cell value refused; the message continues "课程「X」的学时…"."""


def _got(value: Any) -> str:
    text = cell_text(value)
    return f"“{text if len(text) <= 30 else text[:30] + '…'}”"


def _to_number(value: Any) -> Decimal | None:
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


def _bounded(col: Field, number: Decimal) -> None:
    """Refuse a number too large to convert (``1e999999``); the others over the field's
    limit are reported by the checker, at their cell, with its message."""
    if number.adjusted() > 18:
        raise _Bad(f"过大：不超过 {col.limits['maximum']}")


@dataclass
class _Converter:
    vocab: dict[str, dict[str, str]]
    year: int

    def convert(self, col: Field, value: Any) -> Any:
        """The model value of a non-empty cell, or raise :class:`_Bad`."""
        return getattr(self, f"_{col.kind}")(col, value)

    def _text(self, col: Field, value: Any) -> str:
        return cell_text(value)

    def _code(self, col: Field, value: Any) -> str:
        if isinstance(value, (dt.date, dt.datetime)):
            raise _Bad(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        text = cell_text(value)
        if not CODE.match(text):
            raise _Bad(f"只能包含字母、数字和“-”，收到{_got(value)}")
        return text

    def _hours(self, col: Field, value: Any) -> Hours:
        number = _to_number(value)
        if number is None or number <= 0:
            raise _Bad(f"必须是大于0的数字，收到{_got(value)}")
        _bounded(col, number)
        return int(number) if number == number.to_integral_value() else float(number)

    def _count(self, col: Field, value: Any) -> int:
        number = _to_number(value)
        if number is None or number != number.to_integral_value() or number <= 0:
            raise _Bad(f"必须是大于0的整数，收到{_got(value)}")
        _bounded(col, number)
        return int(number)

    def _year(self, col: Field, value: Any) -> int:
        number = _to_number(value)
        if number is None or number != number.to_integral_value():
            raise _Bad(f"必须是四位数字的年度，收到{_got(value)}")
        _bounded(col, number)
        if int(number) != self.year:
            raise _Bad(f"是 {int(number)}，与导入的年度 {self.year} 不一致：请改正工作簿或 --year")
        return int(number)

    def _date(self, col: Field, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        m = DATE_TEXT.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise _Bad(f"应为日期（Excel 日期，或 2009-05-11 形式的文字），收到{_got(value)}")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise _Bad(f"不是存在的日期：{_got(value)}") from None

    def _one_choice(self, col: Field, text: str) -> str:
        assert col.enum is not None
        vocab = self.vocab[col.enum]
        found = _lookup(vocab, col.enum).get(text) or _lookup(vocab, col.enum).get(text.lower())
        if found is None:
            names = "、".join(vocab.values())
            raise _Bad(f"“{text}”无法识别，应为 {names} 之一（也可填代号 {', '.join(vocab)}）")
        return found

    def _choice(self, col: Field, value: Any) -> str:
        return self._one_choice(col, cell_text(value))

    def _items(self, col: Field, value: Any) -> list[str]:
        items = [item.strip() for item in LIST_SEPARATORS.split(cell_text(value))]
        return [item for item in items if item]

    def _choices(self, col: Field, value: Any) -> tuple[str, ...]:
        ids: list[str] = []
        for item in self._items(col, value):
            found = self._one_choice(col, item)
            if found in ids:
                raise _Bad(f"中“{item}”重复列出")
            ids.append(found)
        return tuple(ids)

    def _codes(self, col: Field, value: Any) -> tuple[str, ...]:
        if isinstance(value, (dt.date, dt.datetime)):
            raise _Bad(
                f"被 Excel 当成了日期（{cell_text(value)}）：请把该列设为“文本”格式后重新输入"
            )
        codes: list[str] = []
        for item in self._items(col, value):
            if not CODE.match(item):
                raise _Bad(f"中“{item}”不是有效的课程编号（只能包含字母、数字和“-”）")
            if item in codes:
                raise _Bad(f"中“{item}”重复列出")
            codes.append(item)
        if not codes:
            raise _Bad("不能为空：请填写本期开设课程的编号")
        return tuple(codes)
