"""``ceportal export-xlsx --year Y [--catalog DIR] [-o FILE]``: a year's catalog as a workbook."""

from __future__ import annotations

import argparse
import logging

from . import _common
from ._common import Exit

log = logging.getLogger(__name__)

NAME = "export-xlsx"
HELP = "把某年度目录导出为 Excel 工作簿（课程、班次、年度信息）；尚无该年度时导出空白模板"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="Y", help="年度，如 2010")
    _common.add_catalog(parser)
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="输出文件（默认 catalog-Y.xlsx，在当前文件夹）"
    )
    _common.add_force(parser)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from generator.catalog.problems import display_path
    from generator.catalog.spreadsheets import export_workbook

    output = args.output or f"catalog-{args.year}.xlsx"
    catalog_files = sorted(Path(args.catalog).glob("*")) if Path(args.catalog).is_dir() else []
    _common.checked_output(output, catalog_files, force=args.force)
    catalog = _common.catalog(args.catalog, "未导出")
    year = next((y for y in catalog.years if y.year == args.year), None)
    try:
        export_workbook(year, args.year, catalog.policy, output)
    except OSError as exc:
        raise _common.write_failed(output, exc) from None
    if year is None:
        print(f"{args.year} 年度还没有目录，已写出空白模板 {display_path(output)}")
    else:
        print(
            f"已写出 {display_path(output)}：{args.year} 年度 {len(year.courses)} 门课程、"
            f"{len(year.classes)} 期办班"
        )
    return Exit.OK
