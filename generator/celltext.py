"""Text into spreadsheet cells as data, never as a formula.

Every boundary where text reaches a spreadsheet goes through here: the audit reports,
the published .xlsx/.csv and ``export-xlsx``. The rule is OWASP's for CSV injection: a
field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by Excel or LibreOffice. In CSV such a field gets a leading ``'`` (the
spreadsheet shows the text, the apostrophe is the usual "this is text" mark); in XLSX
the cell is typed as a string, so it is shown exactly as written and read back
unchanged (the export -> import round trip keeps the text).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_field(value: Any) -> Any:
    """``value`` for a CSV cell: text that could run as a formula gets a leading ``'``.

    Numbers and other non-text values are returned unchanged, so that a negative number
    written as a number stays a number.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def set_text(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell (normal or write-only); text stays text.

    openpyxl stores a ``str`` that begins with ``=`` as a formula; typing the cell as a
    string afterwards keeps it the literal text. Returns the cell.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
