"""Problems found in catalog files, and the one error type that carries them.

Every step (loading, validating, the policy) reports :class:`Problem` values with the
place they point at; callers collect them all and raise :class:`CatalogError` once, so
an editor sees every problem of every file in one run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, Protocol, TextIO

from .excerpt import safe_line
from .model import Mark

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]


def display_path(file: str) -> str:
    """``file`` relative to the current folder when it lies under it, else as given."""
    # abspath, not resolve(): a symlinked catalog folder should print as the user wrote it.
    absolute = os.path.abspath(file)
    cwd = os.getcwd()
    if absolute == cwd or not absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return file
    return os.path.relpath(absolute, cwd)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``error``) or probably a slip (``warning``), as data: its place
    (``mark``: file, line, column), the field it is about (``path``, such as
    ``courses[3].hours``; empty when it is about the file as a whole) and what is wrong
    (``text``). Reporters format it from these fields; nothing parses :attr:`message`."""

    mark: Mark
    text: str
    severity: Severity = "error"
    path: str = ""

    @property
    def message(self) -> str:
        """``PATH: TEXT`` (or the text alone), as the reports print it."""
        return f"{self.path}: {self.text}" if self.path else self.text

    def format(self) -> str:
        """``FILE:LINE:COL: error: MESSAGE`` (or ``warning:``), FILE relative to the cwd."""
        m = self.mark
        return f"{display_path(m.file)}:{m.line}:{m.column}: {self.severity}: {self.message}"

    def as_error(self) -> Problem:
        """The same problem as an error (``--strict``)."""
        return replace(self, severity="error")

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.mark.file, self.mark.line, self.mark.column, self.message)


def path_parts(path: str) -> tuple[str | int, ...]:
    """A field path as its parts: ``courses[3].hours`` -> ``("courses", 3, "hours")``."""
    parts: list[str | int] = []
    for name, index in _PART.findall(path):
        parts.append(int(index) if index else name)
    return tuple(parts)


_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted by file, line and column (then message, for a stable order)."""
    return sorted(problems, key=Problem.sort_key)


class CatalogError(Exception):
    """One or more catalog files are invalid; ``problems`` holds every problem found.

    ``str()`` is the formatted problems, one per line, sorted by file, line and column.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """Only the problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


class Reportable(Protocol):
    @property
    def severity(self) -> Severity: ...

    def format(self) -> str: ...


def print_problems(problems: Iterable[Reportable], file: TextIO | None = None) -> str:
    """Print one line per problem (catalog marks or workbook cells alike) and return
    their count as the commands' summaries say it: ``2 个错误，1 个警告``."""
    errors = warnings = 0
    for problem in problems:
        print(safe_line(problem.format()), file=file)
        if problem.severity == "error":
            errors += 1
        else:
            warnings += 1
    return f"{errors} 个错误" + (f"，{warnings} 个警告" if warnings else "")
