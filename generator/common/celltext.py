"""Text into spreadsheet cells as data, never as a formula; and a cell's value as text.

Every boundary where text reaches a spreadsheet goes through here: the audit reports,
the published .xlsx/.csv and ``export-xlsx``. The rule is OWASP's for CSV injection: a
field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by Excel or LibreOffice. In CSV such a field gets a leading ``'`` (the
spreadsheet shows the text, the apostrophe is the usual "this is text" mark); in XLSX
the cell is typed as a string, so it is shown exactly as written and read back
unchanged (the export -> import round trip keeps the text).
"""

from __future__ import annotations

import datetime as dt
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


def cell_text(value: Any) -> str:
    """A cell's value (openpyxl's or the streaming reader's) as the text it shows: ``""``
    for an empty cell, 2011 for Excel's 2011.0, ``TRUE``/``FALSE``, dates in ISO form (a
    time only when there is one), line ends as LF; surrounding spaces removed."""
    if type(value) is str:  # the common case first: this runs for every cell
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()
