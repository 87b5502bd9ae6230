"""A year's catalog as an Excel workbook and back (``ceportal export-xlsx`` / ``import-xlsx``).

Editors keep their course lists in Excel. The workbook has three sheets:

- ``课程``: one course a row; ``班次``: one class a row. Row 1 is a note on how to fill
  the sheet in, row 2 the column headers, data from row 3. Headers are found by name
  (any order; the header row may move, e.g. when the note row is deleted).
- ``年度信息``: the year's own fields (年度, 目录标题, 发布单位, 发布日期, 报名开始,
  报名截止, 报名联系方式, 说明) as 项目/内容 rows, so that export then import gives the
  same catalog. Without this sheet, the title defaults to "Y年度…课程目录" and the
  other year fields stay empty.

The columns are those of issue 8; the 班次 sheet adds 费用 and 联系方式 after them
because classes have those fields too and a round trip must not lose them.

Import collects every problem as ``FILE:SHEET!CELL: error: MESSAGE`` and builds nothing
when there is any error. Choice cells take the Chinese names (公共必修课, 培训班, 市级,
机械…) or the ids (public, training, city, mechanical…); list cells are separated by
``、``, ``,`` or ``，``; dates are Excel dates or ``2009-05-11`` text. The YAML written is
checked with the catalog validator before it is written, and anything it still finds
(its warnings, e.g. an elective not offered in any class) is reported at the cell too.
"""

from __future__ import annotations

from .export import catalog_workbook, export_workbook
from .importing import read_workbook
from .layout import (
    CLASS_COLUMNS,
    COURSE_COLUMNS,
    IMPORT_MAX_FILE_BYTES,
    IMPORT_MAX_PART_BYTES,
    IMPORT_MAX_ROWS,
    IMPORT_MAX_TOTAL_BYTES,
    SHEET_CLASSES,
    SHEET_COURSES,
    SHEET_YEAR,
    YEAR_ITEMS,
    SheetProblem,
    WorkbookError,
    vocabularies,
)

__all__ = [
    "CLASS_COLUMNS",
    "COURSE_COLUMNS",
    "IMPORT_MAX_FILE_BYTES",
    "IMPORT_MAX_PART_BYTES",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_TOTAL_BYTES",
    "SHEET_CLASSES",
    "SHEET_COURSES",
    "SHEET_YEAR",
    "YEAR_ITEMS",
    "SheetProblem",
    "WorkbookError",
    "catalog_workbook",
    "export_workbook",
    "read_workbook",
    "vocabularies",
]
