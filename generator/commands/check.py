"""``ceportal check [--catalog DIR] [--strict]``: every problem of every catalog file."""

from __future__ import annotations

import argparse

from . import _common
from ._common import Exit

NAME = "check"
HELP = "检查目录文件（policy.yaml 和各年度目录），列出所有错误和警告"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_catalog(parser)
    parser.add_argument("--strict", action="store_true", help="把警告也当作错误")


def run(args: argparse.Namespace) -> int:
    from generator.catalog.problems import CatalogError, print_problems
    from generator.catalog.validating import load_catalog

    try:
        catalog, warnings = load_catalog(args.catalog, strict=args.strict)
    except CatalogError as exc:
        print(f"检查未通过：{print_problems(exc.problems)}")
        return Exit.INVALID
    for problem in warnings:
        print(problem.format())
    # A draft year is checked like any other; the summary says build will not publish it.
    years = "、".join(f"{y.year}（草稿）" if y.draft else str(y.year) for y in catalog.years) or "无"
    courses = sum(len(y.courses) for y in catalog.years)
    classes = sum(len(y.classes) for y in catalog.years)
    tail = f"，{len(warnings)} 个警告" if warnings else ""
    print(f"检查通过：年度目录 {years}，共 {courses} 门课程、{classes} 期办班{tail}")
    return Exit.OK
