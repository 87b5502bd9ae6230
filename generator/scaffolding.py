"""A new year's catalog scaffolded from the newest one (``ceportal new-year``).

Courses carry over (the elective catalog changes little from year to year); a code that
embeds the old year gets the new one (``2010-E01`` -> ``2011-E01``); the year's classes,
registration dates and publication date are left for the editor to fill in, because
carrying them over would publish last year's dates as this year's.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

from .model import Catalog, Course, Registration, YearCatalog

log = logging.getLogger(__name__)

DEFAULT_TITLE = "{year}年度工程技术（一）系列继续教育课程目录"


class ScaffoldError(ValueError):
    """The new year cannot be scaffolded (the message is for the user)."""


def _year_pattern(year: int) -> re.Pattern[str]:
    # The year as a whole number only: 2010 in "2010-E01", not in "20101".
    return re.compile(rf"(?<!\d){year}(?!\d)")


def renamed_code(code: str, old: int, new: int) -> str:
    """``code`` with the year ``old`` replaced by ``new`` where it embeds it."""
    return _year_pattern(old).sub(str(new), code)


def scaffold_year(source: YearCatalog | None, year: int) -> YearCatalog:
    """The catalog of ``year`` built from ``source`` (the newest year), or an empty one."""
    if source is None:
        return YearCatalog(year=year, title=DEFAULT_TITLE.format(year=year), courses=())
    if year <= source.year:
        raise ScaffoldError(f"新年度 {year} 必须晚于最新的年度目录 {source.year}")
    courses: list[Course] = []
    seen: dict[str, str] = {}
    for course in source.courses:
        code = renamed_code(course.code, source.year, year)
        if code in seen:
            raise ScaffoldError(
                f"课程编号“{course.code}”改为新年度编号“{code}”后与“{seen[code]}”重复："
                "请先调整最新年度目录中的课程编号"
            )
        seen[code] = course.code
        courses.append(dataclasses.replace(course, code=code, mark=None))
    registration = None
    if source.registration is not None and source.registration.contact:
        registration = Registration(contact=source.registration.contact)
    title = _year_pattern(source.year).sub(str(year), source.title)
    return YearCatalog(
        year=year,
        title=title,
        courses=tuple(courses),
        classes=(),
        publisher=source.publisher,
        published=None,
        registration=registration,
        notes=source.notes,
    )


def new_year_file(catalog: Catalog, year: int, catalog_dir: str | Path) -> tuple[Path, YearCatalog]:
    """Write ``<catalog_dir>/<year>.yaml`` scaffolded from the newest year.

    Refuses (:class:`ScaffoldError`) to overwrite an existing file, and checks the text
    with the catalog validator before writing it, so what lands on disk passes
    ``ceportal check``.
    """
    from .problems import CatalogError
    from .validating import load_year_text
    from .writing import year_to_yaml

    path = Path(catalog_dir) / f"{year}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} 已存在，不会覆盖：如需重新生成，请先移走或删除该文件")
    model = scaffold_year(catalog.latest, year)
    text = year_to_yaml(model)
    try:
        load_year_text(text, catalog.policy, source=str(path), year=year)
    except CatalogError as exc:  # a bug here, not the editor's doing: say so plainly
        raise ScaffoldError(f"生成的 {path} 未通过检查，未写入：\n{exc}") from None
    from .safefiles import atomic_write

    def save(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    try:
        atomic_write(path, save, exclusive=True)  # never half a file, never over one
    except FileExistsError:
        raise ScaffoldError(f"{path} 已存在，不会覆盖") from None
    log.debug("wrote %s from %s", path, catalog.latest.year if catalog.latest else "nothing")
    return path, model
