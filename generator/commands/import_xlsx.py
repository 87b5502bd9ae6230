"""``ceportal import-xlsx FILE --year Y [--catalog DIR] [-o catalog/Y.yaml]``.

Every problem is printed as ``FILE:SHEET!CELL: error: MESSAGE``; with any error nothing
is written and the exit status is 1 (3 when the output may not be written).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from . import _common
from ._common import Exit, Failed

log = logging.getLogger(__name__)

NAME = "import-xlsx"
HELP = "把 Excel 工作簿导入为年度目录文件（YAML），逐格报告所有错误"


EPILOG = """\
工作簿：“课程”表（课程编号、课程名称、类别、学时、适用专业、形式、简介、授课教师）、
“班次”表（班次编号、名称、开始日期、结束日期、地点、课程编号、名额、报名截止、主办单位、级别、
县（市、区）、费用、联系方式）和“年度信息”表（项目/内容：年度、目录标题、发布单位、发布日期、
报名开始、报名截止、报名联系方式、说明）。列按名称查找，顺序不限；类别、形式、级别、专业可填
中文名称或代号；多项用“、”或“,”分隔；日期填 Excel 日期或 2009-05-11。
先用 ceportal export-xlsx 导出模板或现有目录，改好后再导入。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("file", metavar="FILE", help="工作簿（.xlsx）")
    parser.add_argument("--year", type=int, required=True, metavar="Y", help="年度，如 2011")
    _common.add_catalog(parser)
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="输出的年度目录文件（默认 DIR/Y.yaml）"
    )
    _common.add_force(parser)


def run(args: argparse.Namespace) -> int:
    from generator.catalog.policy import policy_file
    from generator.catalog.problems import display_path, listed_lines, print_problems
    from generator.catalog.spreadsheets import WorkbookError, read_workbook
    from generator.common.excerpt import excerpt, safe_line
    from generator.common.inputs import InputRefused, open_regular
    from generator.common.safefiles import write_text
    from generator.common.xlsx_rows import XlsxUnreadable

    output = Path(args.output) if args.output else Path(args.catalog) / f"{args.year}.yaml"
    inputs = [args.file, policy_file(args.catalog)]  # every file the command reads
    _common.checked_output(output, inputs, force=True)  # the workbook's problems first
    policy = _common.policy(args.catalog)
    try:  # a FIFO or a device is refused before a reader waits on it
        open_regular(args.file).close()
    except InputRefused as exc:
        raise Failed(Exit.USAGE, f"{excerpt(args.file, 200)} {exc}") from None
    except OSError:
        pass  # the reader says why it cannot be read, at its place
    try:
        model, text, warnings = read_workbook(args.file, args.year, policy)
    except XlsxUnreadable as exc:
        raise Failed(Exit.USAGE, f"{excerpt(args.file, 200)}：{exc}；未写入任何文件") from None
    except WorkbookError as exc:
        print(f"导入未通过：{print_problems(exc.problems)}；未写入任何文件")
        return Exit.INVALID
    for line in listed_lines(warnings):
        print(safe_line(line))
    _common.checked_output(output, inputs, force=args.force)
    try:
        write_text(output, text)
    except OSError as exc:
        raise _common.write_failed(output, exc) from None
    print(
        f"已写入 {display_path(str(output))}：{len(model.courses)} 门课程、"
        f"{len(model.classes)} 期办班"
    )
    return Exit.OK
