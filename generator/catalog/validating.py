"""Validating catalog files into the model (:mod:`generator.catalog.model`).

The loader (:mod:`generator.catalog.loading`) gives a tree of marked text; this module checks it
against the catalog format of DESIGN.md ("Catalog files") and converts it into frozen
dataclasses. Every problem of every file is collected first, then
:func:`load_catalog` raises one :class:`CatalogError` carrying them all.

The model is plain dataclasses, not pydantic: each message must point at the YAML line
and column of the offending key or value and every problem must be collected, which we
do directly from the marked tree; pydantic would add a dependency and lose the marks.

The format is declared once, in :mod:`generator.catalog.format` (its field tables
``YEAR_FIELDS``…, patterns and limits): the checker walks those tables, dispatching on
each field's kind (:mod:`generator.catalog.field_checks`: one mapping's fields;
:mod:`generator.catalog.year_checker`: the records and the checks across them);
:mod:`generator.catalog.schema` turns the same tables into the JSON Schema. This module reads
files and folders, and keeps valid results for a rerun (:class:`YearCache`).
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .format import Format
from .format.scalars import ANY_DIGITS_FILE, FIRST_YEAR, YEAR_FILE
from .loading import Node, parse_yaml, read_bytes
from .model import FORMAT, Catalog, Mark, YearCatalog
from .policy import POLICY_FILE, read_policy
from .policy_model import Policy
from .problems import CatalogError, Problem, sort_problems
from .year_checker import YearChecker

log = logging.getLogger(__name__)


def last_year() -> int:
    """The last year a catalog may be for: next year (catalogs are published ahead)."""
    return dt.date.today().year + 1


def expected_year(source: str) -> int | None:
    """The year a file's name says (``2009.yaml`` -> 2009), else None."""
    m = YEAR_FILE.match(Path(source).name)
    return int(m[1]) if m else None


def check_year_text(
    data: bytes | str,
    policy: Policy | dict[str, Any] | None,
    *,
    source: str = "<text>",
    year: int | None = None,
    fmt: Format = FORMAT,
) -> tuple[YearCatalog | None, list[Problem]]:
    """Check one year file's text (or bytes) without raising.

    Returns the model (None when any error was found) and every problem, errors and
    warnings, sorted. ``year`` is the year the file must state; by default the one in
    ``source``'s name (``2009.yaml``), else not checked. With ``policy`` None (the
    policy itself is broken), module/specialty/form ids are not checked. ``fmt``: the
    format checked against (the format itself; a test passes a copy).
    """
    root, problems = parse_yaml(data, source)
    return _check_tree(root, problems, policy, source, year, fmt)


def _check_tree(
    root: Node | None,
    problems: list[Problem],
    policy: Policy | dict[str, Any] | None,
    source: str,
    year: int | None,
    fmt: Format = FORMAT,
) -> tuple[YearCatalog | None, list[Problem]]:
    if root is None and problems:  # unreadable: the loader said why
        return None, sort_problems(problems)
    expected = year if year is not None else expected_year(source)
    checker = YearChecker(source, policy, expected, fmt)
    model = checker.year_file(root)
    found = sort_problems([*problems, *checker.problems])
    if any(p.severity == "error" for p in found):
        model = None
    return model, found


def load_year_text(
    data: bytes | str,
    policy: Policy | dict[str, Any],
    *,
    source: str = "<text>",
    year: int | None = None,
    strict: bool = False,
    fmt: Format = FORMAT,
) -> tuple[YearCatalog, list[Problem]]:
    """One year file's text into the model: ``(year catalog, warnings)``.

    Raises :class:`CatalogError` with every problem when there is any error (with
    ``strict``, when there is any problem at all). For import tools and tests.
    """
    model, problems = check_year_text(data, policy, source=source, year=year, fmt=fmt)
    return _finish(model, problems, strict)


def _finish(model: Any, problems: list[Problem], strict: bool) -> Any:
    if strict:
        problems = [p.as_error() for p in problems]
    if model is None or any(p.severity == "error" for p in problems):
        raise CatalogError(problems)
    return model, problems


@dataclass(frozen=True)
class _Checked:
    data: bytes  # the file's bytes, compared in full: a cache must never hide a change
    policy: str  # repr of the policy the file was checked against
    model: YearCatalog
    warnings: tuple[Problem, ...]


class YearCache:
    """Valid year files remembered by path, for a process that reads the catalog again
    after every change (``ceportal serve``): an unchanged file checked against the same
    policy gives the same model and warnings, so it is neither parsed nor checked again.

    A file is looked up by its full bytes and the policy's content; only valid results
    are kept, so a file with errors is checked (and every problem reported) every time.
    """

    def __init__(self) -> None:
        self._checked: dict[str, _Checked] = {}

    def get(self, source: str, data: bytes, policy: str) -> tuple[YearCatalog, list[Problem]] | None:
        entry = self._checked.get(source)
        if entry is None or entry.data != data or entry.policy != policy:
            return None
        return entry.model, list(entry.warnings)

    def put(self, source: str, data: bytes, policy: str, model: YearCatalog,
            warnings: list[Problem]) -> None:
        self._checked[source] = _Checked(data, policy, model, tuple(warnings))

    def keep_only(self, sources: set[str]) -> None:
        """Forget the files that are gone."""
        self._checked = {s: e for s, e in self._checked.items() if s in sources}


def _check_year_file(
    path: Path, policy: Policy | None, cache: YearCache | None
) -> tuple[YearCatalog | None, list[Problem]]:
    source = str(path)
    data, found = read_bytes(path)
    if data is None:
        return _check_tree(None, found, policy, source, None)
    # repr, not ==: 1, 1.0 and True are equal but not the same policy.
    policy_key = repr(policy and policy.as_rules_data()) if cache is not None else ""
    if cache is not None and (hit := cache.get(source, data, policy_key)) is not None:
        return hit
    root, found = parse_yaml(data, source)
    model, found = _check_tree(root, found, policy, source, None)
    if cache is not None and model is not None:
        cache.put(source, data, policy_key, model, found)
    return model, found


def year_range_problem(year: int, first: int, written: str = "") -> str | None:
    """Why a year file for ``year`` (``written`` so in its name: 0000) is refused (before
    the policy's start year ``first``, or after next year), or None."""
    if first <= year <= last_year():
        return None
    return f"年度 {written or year} 超出范围：年度目录应在 {first} 到 {last_year()} 年之间"


def load_catalog(
    catalog_dir: str | Path = "catalog", *, strict: bool = False, cache: YearCache | None = None
) -> tuple[Catalog, list[Problem]]:
    """Read ``policy.yaml`` and every ``<year>.yaml`` of ``catalog_dir``.

    Returns ``(catalog, warnings)``; raises :class:`CatalogError` carrying every problem
    of every file when any is an error (with ``strict``, warnings count as errors).
    Other ``*.yaml``/``*.yml`` files get a warning and are ignored. With ``cache``, year
    files unchanged since an earlier call with the same cache are not checked again
    (the policy always is).
    """
    directory = Path(catalog_dir)
    problems: list[Problem] = []
    policy, policy_problems = read_policy(directory)
    problems += policy_problems
    typed = Policy.from_data(policy) if policy is not None else None  # once, for every year
    first = typed.start_year if typed is not None else FIRST_YEAR
    years: list[YearCatalog] = []
    seen: set[str] = set()
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            name = path.name
            if name == POLICY_FILE or not path.is_file():
                continue
            if not YEAR_FILE.match(name) and (m := ANY_DIGITS_FILE.match(name)):
                ascii_name = unicodedata.normalize("NFKC", name)
                if not name.isascii():
                    problems.append(Problem(
                        Mark(str(path), 1, 1),
                        f"{name}: 文件名中的年份不是半角数字：请改名为 {ascii_name}",
                    ))
                    continue
            if m := YEAR_FILE.match(name):
                if (out_of_range := year_range_problem(int(m[1]), first, m[1])) is not None:
                    problems.append(Problem(Mark(str(path), 1, 1), f"{name}: {out_of_range}"))
                    continue
                seen.add(str(path))
                model, found = _check_year_file(path, typed, cache)
                problems += found
                if model is not None:
                    years.append(model)
            elif name.endswith((".yaml", ".yml")):
                problems.append(
                    Problem(
                        Mark(str(path), 1, 1),
                        f"{name}: 不是年度目录文件，已忽略（年度目录的文件名是四位年份，如 2009.yaml）",
                        "warning",
                    )
                )
    if cache is not None:
        cache.keep_only(seen)
    years.sort(key=lambda y: y.year)
    log.debug("read %d year file(s) from %s", len(years), directory)
    # A broken policy.yaml (its problems are reported) gives no catalog.
    catalog = None if policy is None else Catalog(Policy.from_data(policy), tuple(years))
    return _finish(catalog, sort_problems(problems), strict)
