"""Problems found in catalog files, and the one error type that carries them.

Every step (loading, validating, the policy) reports :class:`Problem` values with the
place they point at; callers collect them all and raise :class:`CatalogError` once, so
an editor sees every problem of every file in one run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, TextIO

from generator.common.excerpt import safe_line

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
    # How many problems this one stands for: more than one for the line that counts those
    # a checker did not record (:func:`capped`).
    count: int = 1

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

    def sort_key(self) -> tuple[str, int, int, int, str]:
        # A file's count of unrecorded problems comes after the ones it lists.
        return (self.mark.file, self.count > 1, self.mark.line, self.mark.column, self.message)


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


# The most problems a report lists (check, build, serve's banner, import-xlsx); the rest
# are counted in one line. Checkers also stop recording after this many per file, so a
# small file with millions of faults costs neither memory nor screens of output.
MAX_LISTED = 200


def omitted_line(count: int) -> str:
    """The line that stands for the ``count`` problems not listed."""
    return f"……另有 {count} 个问题未列出（最多列出 {MAX_LISTED} 个；请先改正以上问题）"


def listed_lines(problems: Iterable[Reportable]) -> list[str]:
    """The formatted lines of at most :data:`MAX_LISTED` problems, and one line for the rest."""
    lines: list[str] = []
    rest = 0
    for problem in problems:
        count = getattr(problem, "count", 1)
        if count == 1 and len(lines) < MAX_LISTED:
            lines.append(problem.format())
        else:  # one not listed, or those a checker counted without recording them
            rest += count
    return lines + ([omitted_line(rest)] if rest else [])


def capped(problems: Sequence[Problem], source: str) -> list[Problem]:
    """``problems`` of one file as recorded: the first :data:`MAX_LISTED`, and one problem
    counting the rest."""
    if len(problems) <= MAX_LISTED:
        return list(problems)
    rest = len(problems) - MAX_LISTED
    severity: Severity = "error" if any(p.severity == "error" for p in problems) else "warning"
    return [*problems[:MAX_LISTED],
            Problem(Mark(source, 1, 1), omitted_line(rest), severity, count=rest)]


class CatalogError(Exception):
    """One or more catalog files are invalid; ``problems`` holds every problem found.

    ``str()`` is the formatted problems, one per line, sorted by file, line and column.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__()

    def __str__(self) -> str:
        return "\n".join(listed_lines(self.problems))

    @property
    def errors(self) -> list[Problem]:
        """Only the problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


class Reportable(Protocol):
    @property
    def severity(self) -> Severity: ...

    def format(self) -> str: ...


def print_problems(problems: Iterable[Reportable], file: TextIO | None = None) -> str:
    """Print one line per problem (catalog marks or workbook cells alike; at most
    :data:`MAX_LISTED`, then one line for the rest) and return their count as the
    commands' summaries say it: ``2 个错误，1 个警告``."""
    problems = list(problems)
    for line in listed_lines(problems):
        print(safe_line(line), file=file)
    errors = sum(getattr(p, "count", 1) for p in problems if p.severity == "error")
    warnings = sum(getattr(p, "count", 1) for p in problems if p.severity != "error")
    return f"{errors} 个错误" + (f"，{warnings} 个警告" if warnings else "")
