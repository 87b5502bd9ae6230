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
    parser.add_argument(
        "--force", action="store_true", help="输出文件已存在时替换它（默认不覆盖）"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..problems import CatalogError, display_path, print_problems
    from ..safefiles import WriteRefused, check_output, os_error_text
    from ..spreadsheets import export_workbook
    from ..validating import load_catalog

    output = args.output or f"catalog-{args.year}.xlsx"
    catalog_files = sorted(Path(args.catalog).glob("*")) if Path(args.catalog).is_dir() else []
    try:
        check_output(output, catalog_files, force=args.force)
    except WriteRefused as exc:
        print(f"ceportal export-xlsx: {exc}", file=sys.stderr)
        return 1
    try:
        catalog, _warnings = load_catalog(args.catalog)
    except CatalogError as exc:
        print_problems(exc.problems, sys.stderr)
        print("目录未通过检查，未导出：请先改正以上错误", file=sys.stderr)
        return 1
    year = next((y for y in catalog.years if y.year == args.year), None)
    try:
        export_workbook(year, args.year, catalog.policy, output)
    except OSError as exc:
        print(f"ceportal export-xlsx: 无法写入 {output}：{os_error_text(exc)}；未写入任何文件",
              file=sys.stderr)
        return 1
    if year is None:
        print(f"{args.year} 年度还没有目录，已写出空白模板 {display_path(output)}")
    else:
        print(
            f"已写出 {display_path(output)}：{args.year} 年度 {len(year.courses)} 门课程、"
            f"{len(year.classes)} 期办班"
        )
    return 0
