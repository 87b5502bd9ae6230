"""The workbook's layout: sheets, rows and limits, the problems of an import, and the
Chinese names a choice cell takes (from the policy and the format's declaration).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from generator.catalog.format import CLASS_SHEET, COURSE_SHEET, YEAR_SHEET
from generator.catalog.policy_model import Policy, as_policy
from generator.catalog.problems import display_path

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


SHEET_COURSES = COURSE_SHEET.name
SHEET_CLASSES = CLASS_SHEET.name
SHEET_YEAR = YEAR_SHEET.name
NOTE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3
HEADER_SEARCH_ROWS = 10  # the header row is looked for in the first rows of a sheet
VALIDATED_ROWS = 1000  # data-validation lists cover at least this many rows
# Limits of the import (README, "Limits"): a year has some hundred courses and classes.
IMPORT_MAX_ROWS = 10_000
IMPORT_MAX_FILE_BYTES = 16 * 1024 * 1024
IMPORT_MAX_PART_BYTES = 32 * 1024 * 1024  # one sheet, decompressed
IMPORT_MAX_TOTAL_BYTES = 64 * 1024 * 1024
# The sheets and their columns are the format's declaration (catalog.format.fields).
COURSE_COLUMNS = COURSE_SHEET.fields
CLASS_COLUMNS = CLASS_SHEET.fields
YEAR_ITEMS = YEAR_SHEET.fields
YEAR_HEADERS = ("项目", "内容", "填写说明")


# --- problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """A problem at a workbook cell: ``FILE:SHEET!CELL: error: MESSAGE``."""

    file: str
    sheet: str
    cell: str
    message: str
    severity: Literal["error", "warning"] = "error"
    path: str = ""  # the checker's field path, when the problem came from the YAML check

    def format(self) -> str:
        """The one-line form, FILE relative to the current folder."""
        return (
            f"{display_path(self.file)}:{self.sheet}!{self.cell}: {self.severity}: {self.message}"
        )


class WorkbookError(Exception):
    """The workbook cannot be imported; ``problems`` holds every problem (errors and warnings)."""

    def __init__(self, problems: Iterable[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.severity == "error"]


# --- names and ids ----------------------------------------------------------------------


def vocabularies(policy: Policy | Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``enum -> {id: Chinese name}`` for the choice columns, names from policy.yaml."""
    return as_policy(policy).enum_names()

