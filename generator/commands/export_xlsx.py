"""``ceportal export-xlsx --year Y [--catalog DIR] [-o FILE]``: a year's catalog as a workbook."""

from __future__ import annotations

import argparse
import logging
import sys

log = logging.getLogger(__name__)

NAME = "export-xlsx"
HELP = "把某年度目录导出为 Excel 工作簿（课程、班次、年度信息）；尚无该年度时导出空白模板"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="Y", help="年度，如 2010")
    parser.add_argument(
        "--catalog", default="catalog", metavar="DIR", help="目录文件夹（默认 catalog）"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="输出文件（默认 catalog-Y.xlsx，在当前文件夹）"
    )


def run(args: argparse.Namespace) -> int:
    from ..problems import CatalogError, display_path, print_problems
    from ..spreadsheets import export_workbook
    from ..validating import load_catalog

    try:
        catalog, _warnings = load_catalog(args.catalog)
    except CatalogError as exc:
        print_problems(exc.problems, sys.stderr)
        print("目录未通过检查，未导出：请先改正以上错误", file=sys.stderr)
        return 1
    year = next((y for y in catalog.years if y.year == args.year), None)
    output = args.output or f"catalog-{args.year}.xlsx"
    try:
        export_workbook(year, args.year, catalog.policy, output)
    except OSError as exc:
        print(f"ceportal export-xlsx: 无法写入 {output}：{exc.strerror}", file=sys.stderr)
        return 1
    if year is None:
        print(f"{args.year} 年度还没有目录，已写出空白模板 {display_path(output)}")
    else:
        print(
            f"已写出 {display_path(output)}：{args.year} 年度 {len(year.courses)} 门课程、"
            f"{len(year.classes)} 期办班"
        )
    return 0
