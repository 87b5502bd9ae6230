"""Scaffolds: a new portal folder (``ceportal new``) and a new year's catalog scaffolded
from the newest one (``ceportal new-year``).

A portal folder is what :mod:`generator.resources`' skeleton holds: this repository's own
mkdocs.yml, site_src/robots.txt and newest year, the shipped policy, and npm files that
pin exactly this repository's Pyodide (derived from its package-lock.json, without the
test-only packages), so one definition serves both.

Courses carry over (the elective catalog changes little from year to year); a code that
embeds the old year gets the new one (``2010-E01`` -> ``2011-E01``); the year's classes,
registration dates and publication date are left for the editor to fill in, because
carrying them over would publish last year's dates as this year's.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from generator.catalog.format.scalars import DEFAULT_TITLE
from generator.catalog.model import Catalog, Course, Registration, YearCatalog

log = logging.getLogger(__name__)



class ScaffoldError(ValueError):
    """The new year or portal cannot be scaffolded (the message is for the user)."""


class ScaffoldExists(ScaffoldError):
    """What would be written is there already: nothing is overwritten."""


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
        notes=None,  # the old year's notes (示例数据…2010年度…) would be published as this year's
    )


# What the editor fills in, written as comments in a new year file (text: the new year).
_PLACEHOLDERS = (
    "# 待填写（删去行首的“# ”后填写，然后运行 ceportal check）：",
    "# published: {year}-03-01",
    "# notes: 本年度目录的说明",
)
_REGISTRATION_PLACEHOLDERS = ("opens: {year}-03-01", "closes: {year}-04-30")


def new_year_text(model: YearCatalog) -> str:
    """The new year file: :func:`year_to_yaml` with the fields the editor has to fill in
    (publication date, registration dates, notes) as commented placeholders."""
    from generator.catalog.writing import INDENT, year_to_yaml

    lines = year_to_yaml(model).split("\n")
    # The blank line before the courses (`courses:` or `courses: []`).
    courses = next(i for i, line in enumerate(lines) if line.startswith("courses:")) - 1
    dates = [line.format(year=model.year) for line in _REGISTRATION_PLACEHOLDERS]
    if "registration:" in lines:
        at = lines.index("registration:") + 1
        lines[at:at] = [f"{INDENT}# {line}" for line in dates]
        courses += len(dates)
        extra = [line.format(year=model.year) for line in _PLACEHOLDERS]
    else:
        extra = [line.format(year=model.year) for line in _PLACEHOLDERS]
        extra[2:2] = ["# registration:", *(f"# {INDENT}{line}" for line in dates)]
    lines[courses:courses] = extra
    return "\n".join(lines)


def new_year_file(catalog: Catalog, year: int, catalog_dir: str | Path) -> tuple[Path, YearCatalog]:
    """Write ``<catalog_dir>/<year>.yaml`` scaffolded from the newest year.

    Refuses (:class:`ScaffoldError`) to overwrite an existing file, and checks the text
    with the catalog validator before writing it, so what lands on disk passes
    ``ceportal check``.
    """
    from generator.catalog.problems import CatalogError
    from generator.catalog.validating import load_year_text, year_range_problem

    path = Path(catalog_dir) / f"{year}.yaml"
    # The year `ceportal check` would refuse (a typo such as 2072) is never written.
    problem = year_range_problem(year, catalog.policy.start_year)
    if problem is not None:
        raise ScaffoldError(f"{problem}，未新建 {path}（是否输错了年份？）")
    if path.exists():
        raise ScaffoldExists(f"{path} 已存在，不会覆盖：如需重新生成，请先移走或删除该文件")
    model = scaffold_year(catalog.latest, year)
    text = new_year_text(model)
    try:
        load_year_text(text, catalog.policy, source=str(path), year=year)
    except CatalogError as exc:  # a bug here, not the editor's doing: say so plainly
        raise ScaffoldError(f"生成的 {path} 未通过检查，未写入：\n{exc}") from None
    from generator.common.safefiles import write_text

    try:
        write_text(path, text, exclusive=True)  # never half a file, never over one
    except FileExistsError:
        raise ScaffoldExists(f"{path} 已存在，不会覆盖") from None
    log.debug("wrote %s from %s", path, catalog.latest.year if catalog.latest else "nothing")
    return path, model


# --- a new portal folder ------------------------------------------------------------

PORTAL_PACKAGE = "ceportal-portal"
_NPM = ("package.json", "package-lock.json")


def _npm_files(skeleton: Path) -> dict[str, str]:
    """package.json and package-lock.json of a portal: this repository's, with only the
    packages a site needs (Pyodide and what it depends on), so ``npm ci`` installs the
    very version this repository builds with."""
    package: dict[str, Any] = json.loads((skeleton / "package.json").read_text("utf-8"))
    lock: dict[str, Any] = json.loads((skeleton / "package-lock.json").read_text("utf-8"))
    mine = {
        "name": PORTAL_PACKAGE,
        "private": True,
        "description": "学时自查页面的 Pyodide 运行环境：npm ci 安装到 node_modules/pyodide，"
                       "ceportal build 从那里读取",
        "license": package["license"],
        "dependencies": package["dependencies"],
    }
    packages = {path: entry for path, entry in lock["packages"].items()
                if path and not entry.get("dev")}
    root = {key: value for key, value in lock["packages"][""].items() if key != "devDependencies"}
    root["name"] = PORTAL_PACKAGE
    locked = {**lock, "name": PORTAL_PACKAGE, "packages": {"": root, **packages}}
    return {name: json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            for name, data in zip(_NPM, (mine, locked), strict=True)}


def portal_files() -> dict[str, str]:
    """What ``ceportal new`` writes: relative path -> text."""
    from generator import resources
    from generator.catalog.policy import policy_from_text
    from generator.catalog.schema import schema_text

    skeleton = resources.skeleton_dir()
    out: dict[str, str] = {}
    for path in sorted(skeleton.rglob("*")):
        name = path.relative_to(skeleton).as_posix()
        if path.is_file() and name not in _NPM:
            out[name] = path.read_text("utf-8")
    out.update(_npm_files(skeleton))
    # The year files name ./schema.json for editors (yaml-language-server).
    policy = policy_from_text(out["catalog/policy.yaml"].encode(), "catalog/policy.yaml")
    out["catalog/schema.json"] = schema_text(policy)
    out[".gitignore"] = "/node_modules/\n/site/\n"
    return dict(sorted(out.items()))


def new_portal(folder: str | Path) -> list[Path]:
    """Write a new portal folder at ``folder`` (created if need be); returns the files.

    Refuses (:class:`ScaffoldError`, nothing written) a folder that holds anything but
    ``.git``, and never writes over a file, even one that appears meanwhile.
    """
    from generator.catalog.problems import display_path
    from generator.common.safefiles import write_text

    target = Path(folder)
    shown = display_path(str(folder))
    if target.exists() and not target.is_dir():
        raise ScaffoldExists(f"{shown} 是一个文件，不是文件夹：未写入任何文件；请换一个新文件夹")
    present = sorted(os.listdir(target)) if target.is_dir() else []
    present = [name for name in present if name != ".git"]
    if present:
        listed = "、".join(present[:3]) + (f" 等 {len(present)} 项" if len(present) > 3 else "")
        raise ScaffoldExists(
            f"文件夹 {shown} 不是空的（已有 {listed}）：为免覆盖已有文件，未写入任何文件；"
            "请换一个新文件夹，或先移走其中的文件"
        )
    written = []
    for name, text in portal_files().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_text(path, text, exclusive=True)
        except FileExistsError:
            raise ScaffoldExists(f"{display_path(str(path))} 已存在，未覆盖：已停止写入") from None
        written.append(path)
    log.debug("wrote the portal folder %s", target)
    return written
