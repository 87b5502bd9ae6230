"""Importing a workbook (``ceportal import-xlsx``): bounded reading, the sheets, the YAML
text checked by the catalog checker, every problem at its cell.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.format import Format
from generator.catalog.model import FORMAT, YearCatalog
from generator.catalog.policy_model import Policy, as_policy

from .layout import (
    IMPORT_MAX_FILE_BYTES,
    IMPORT_MAX_PART_BYTES,
    IMPORT_MAX_ROWS,
    IMPORT_MAX_TOTAL_BYTES,
    SHEET_COURSES,
    SheetProblem,
    WorkbookError,
)
from .sheets import _Importer

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


def _sorted(problems: Iterable[SheetProblem], sheets: Sequence[str]) -> list[SheetProblem]:
    """In workbook order: sheet by sheet, then row by row, left to right."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def key(p: SheetProblem) -> tuple[int, int, int]:
        letters, row = coordinate_from_string(p.cell)
        order = sheets.index(p.sheet) if p.sheet in sheets else len(sheets)
        return order, row, column_index_from_string(letters)

    return sorted(problems, key=key)


def read_workbook(
    path: str | Path, year: int, policy: Policy | Mapping[str, Any], fmt: Format = FORMAT
) -> tuple[YearCatalog, str, list[SheetProblem]]:
    """Import the workbook at ``path`` as the catalog of ``year``.

    Returns ``(model, YAML text, warnings)``; the text passes ``ceportal check``. Raises
    :class:`WorkbookError` with every problem when there is any error.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from generator.catalog.problems import CatalogError
    from generator.catalog.validating import load_year_text
    from generator.catalog.writing import year_to_yaml
    from generator.common.xlsx_rows import XlsxLimitError, check_workbook

    path = Path(path)
    importer = _Importer(path, year, policy, fmt)
    try:
        size = path.stat().st_size
        if size > IMPORT_MAX_FILE_BYTES:
            raise WorkbookError([SheetProblem(
                str(path), SHEET_COURSES, "A1",
                f"文件过大（{size // 1024 // 1024} MB）："
                f"导入的工作簿不超过 {IMPORT_MAX_FILE_BYTES // 1024 // 1024} MB",
            )])
        # openpyxl holds the whole workbook in memory: the limits are checked first,
        # streaming, so that it only ever gets a workbook of a catalog's size.
        check_workbook(path, IMPORT_MAX_ROWS, IMPORT_MAX_PART_BYTES, IMPORT_MAX_TOTAL_BYTES)
        book = load_workbook(path, data_only=True)
    except XlsxLimitError as exc:
        raise WorkbookError([SheetProblem(
            str(path), exc.sheet or SHEET_COURSES, exc.cell or "A1", exc.message
        )]) from None
    except OSError as exc:
        raise WorkbookError(
            [SheetProblem(str(path), SHEET_COURSES, "A1", f"无法读取文件：{exc.strerror}")]
        ) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise WorkbookError(
            [SheetProblem(str(path), SHEET_COURSES, "A1", f"不是有效的 .xlsx 工作簿（{exc}）")]
        ) from None
    model, where = importer.read(book)
    if model is None:
        raise WorkbookError(_sorted(importer.problems, book.sheetnames))
    text = year_to_yaml(model, fmt)
    try:
        _, found = load_year_text(text, as_policy(policy), source=f"{year}.yaml", year=year, fmt=fmt)
    except CatalogError as exc:
        found = exc.problems
    for problem in found:  # placed by their field path, reported with their own text
        sheet, cell = importer.locate(problem.path, where)
        importer.problems.append(
            SheetProblem(importer.file, sheet, cell, problem.text, problem.severity, problem.path)
        )
    problems = _sorted(importer.problems, book.sheetnames)
    if any(p.severity == "error" for p in problems):
        raise WorkbookError(problems)
    return model, text, problems
