"""``ceportal audit FILE.csv|FILE.xlsx [-o REPORT.csv|REPORT.xlsx] [--sheets DIR]
[--today YYYY-MM-DD]``: batch hours audit.

Without ``-o`` the report is printed to standard output as CSV (UTF-8, no BOM, so it
pipes cleanly); with ``-o`` it is written as CSV (UTF-8 with BOM, for Excel) or XLSX by
the file's extension. A one-line summary goes to standard error.

Exit status (README, "Exit codes"): 0 when every applicant was evaluated, 1 when any
applicant has an error (its reason is in the report's 错误 column) or the policy has
errors, 2 when the file cannot be read at all, 3 when the report is not written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

from . import _common
from ._common import Exit, Failed

log = logging.getLogger(__name__)

NAME = "audit"
HELP = "批量核算申报人的继续教育学时（CSV/XLSX 输入，每人一行结果）"


EPILOG = """\
输入表（列的顺序不限；表头行可在前20行内，上方可有标题行，也可以是两行表头；读取第一个有表头的工作表）：
  编号、姓名、类型（申报晋升/周期验审）、拟申报、现职称、年度、周期起始、学时年度、类别、学时，
  可选 单位（或英文 id, name, kind, target, title, year, cycle_start, record_year, module,
  hours, unit；常见的别名如 身份证号、申报年度、学时数、课程类别 也认得，见 policy.yaml 的 audit）。
  每行一条学时记录；编号相同的行属于同一申报人（合并单元格按其左上角的值读）；没有学时的
  申报人占一行，学时三列留空。其他列（备注等）原样带入结果。编号、姓名为合计/小计/总计的行跳过。
  编号：去掉空格，全角转半角，末位 x 按 X；18位公民身份号码校验末位；数字格式超过15位的编号
    （已被表格软件改动）报错，请把编号列设为文本格式。
  拟申报填代号或名称：junior_first 初次申报初级职称（技术员、助理工程师）、
    assistant_engineer 技术员晋升助理工程师、engineer 助理工程师晋升工程师（或 工程师、中级）、
    senior_engineer 工程师晋升高级工程师及以上（或 高级工程师、高工）；只写“助理工程师”或“助工”
    无法区分初次申报与技术员晋升，不予接受。现职称、类别可填中文名称、别名或代号
    （如 工程师、中级 或 engineer；公需课、专业课、其它）。年度可以是日期（取其年份）。
  CSV 可为 UTF-8 或 GBK/GB18030 编码。
结果：CSV 为“核查结果”（每位申报人一行：编号、姓名、其他列、拟申报/周期、年度、结论、
  应修/已计学时与差额、计算窗口、依据、推定、提示、错误）；XLSX 另有“学时明细”（每条记录
  计入与否及原因）和“汇总”。依据为通知的条款，推定为结果所依据的本门户推定（通知未作规定
  之处），提示为需要复核的情况（同名不同编号、重复行、未到期的学时等）。
退出码：0 全部核算完成；1 有申报人出错（原因见“错误”列，其他人照常核算）或规则文件有错误；
  2 文件无法读取；3 未写入报告（输出文件已存在或无法写入）。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "file",
        nargs="+",
        metavar="FILE.csv|FILE.xlsx",
        help="学时记录表：每行一条学时记录，编号相同的行属于同一申报人；可给几个文件"
        "（各自核算，结果加“文件”列，同一编号出现在两个文件中会在提示中指出）",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="REPORT.csv|REPORT.xlsx",
        help="结果报告文件（按扩展名写 CSV 或 XLSX）；省略时以 CSV 输出到标准输出",
    )
    parser.add_argument(
        "--sheets",
        metavar="DIR",
        help="另为每位申报人写一份核查单（A4 Word 文档，可打印签字）到这个文件夹",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="核查日期：晚于这一年的学时记录标为未到期，报告标题写这一天（默认今天）",
    )
    _common.add_catalog(parser, "policy")
    _common.add_force(parser)


def _today(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Failed(Exit.USAGE, f"--today 应为日期 YYYY-MM-DD，收到“{text}”") from None


def _checked_folder(folder: str, *, force: bool) -> None:
    """The 核查单 folder: new, empty, or (with --force) one whose files may be replaced."""
    from pathlib import Path

    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise Failed(Exit.REFUSED, f"{folder}：已存在且不是文件夹；未写入任何文件")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise Failed(
            Exit.REFUSED,
            f"{folder}：文件夹不是空的；换一个文件夹，或加 --force 覆盖其中同名的核查单；未写入任何文件",
        )


def run(args: argparse.Namespace) -> int:
    from generator.audit.evaluation import (
        AuditError,
        audit_files,
        summary,
        write_report,
        write_report_csv,
    )

    today = _today(args.today)
    if args.output:
        _common.checked_output(args.output, args.file, force=args.force)
    if args.sheets:
        _checked_folder(args.sheets, force=args.force)
    policy = _common.policy(args.catalog)
    try:
        results, info = audit_files(policy, args.file, today, keep_requests=False)
        if args.output:
            write_report(results, args.output, info)
        else:
            write_report_csv(results, sys.stdout, info)
        if args.sheets:
            from generator.site.exporting.audit_sheets import write_sheets

            try:
                write_sheets(results, args.sheets, info)
            except OSError as exc:
                raise _common.write_failed(args.sheets, exc) from None
    except AuditError as exc:  # the file (or the report's name) cannot be used
        raise Failed(Exit.USAGE, str(exc)) from None
    except BrokenPipeError:
        raise  # the reader of stdout left: ceportal's main stops quietly
    except OSError as exc:
        raise _common.write_failed(args.output, exc) from None
    print(f"ceportal audit: {summary(results, info)}", file=sys.stderr)
    return Exit.INVALID if any(r.error is not None for r in results) else Exit.OK
