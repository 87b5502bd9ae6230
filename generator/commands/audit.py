"""``ceportal audit FILE.csv|FILE.xlsx [-o REPORT.csv|REPORT.xlsx]``: batch hours audit.

Without ``-o`` the report is printed to standard output as CSV (UTF-8, no BOM, so it
pipes cleanly); with ``-o`` it is written as CSV (UTF-8 with BOM, for Excel) or XLSX by
the file's extension. A one-line summary goes to standard error.

Exit status (README, "Exit codes"): 0 when every applicant was evaluated, 1 when any
applicant has an error (its reason is in the report's 错误 column) or the policy has
errors, 2 when the file cannot be read at all, 3 when the report is not written.
"""

from __future__ import annotations

import argparse
import logging
import sys

from . import _common
from ._common import Exit, Failed

log = logging.getLogger(__name__)

NAME = "audit"
HELP = "批量核算申报人的继续教育学时（CSV/XLSX 输入，每人一行结果）"


EPILOG = """\
输入表（第1行为表头，列的顺序不限）：
  编号、姓名、类型（申报晋升/周期验审）、拟申报、现职称、年度、周期起始、学时年度、类别、学时
  （或英文 id, name, kind, target, title, year, cycle_start, record_year, module, hours）。
  每行一条学时记录；编号相同的行属于同一申报人；没有学时的申报人占一行，学时三列留空。
  拟申报填代号或名称：junior_first 初次申报初级职称（技术员、助理工程师）、
    assistant_engineer 技术员晋升助理工程师、engineer 助理工程师晋升工程师（或 工程师）、
    senior_engineer 工程师晋升高级工程师及以上（或 高级工程师）；只写“助理工程师”无法区分
    初次申报与技术员晋升，不予接受。现职称、类别可填中文名称或代号（如 工程师 或 engineer）。
  CSV 须为 UTF-8 编码。
结果：每位申报人一行（编号、姓名、是否达标、应修/已计学时、缺口、依据、推定依据、提示、错误）：
  依据为通知的条款，推定依据为结果所依据的本门户推定（通知未作规定之处），提示为需要复核的记录。
退出码：0 全部核算完成；1 有申报人出错（原因见“错误”列，其他人照常核算）或规则文件有错误；
  2 文件无法读取；3 未写入报告（输出文件已存在或无法写入）。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "file",
        metavar="FILE.csv|FILE.xlsx",
        help="学时记录表：每行一条学时记录，编号相同的行属于同一申报人",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="REPORT.csv|REPORT.xlsx",
        help="结果报告文件（按扩展名写 CSV 或 XLSX）；省略时以 CSV 输出到标准输出",
    )
    _common.add_catalog(parser, "policy")
    _common.add_force(parser)


def run(args: argparse.Namespace) -> int:
    from generator.audit.evaluation import (
        AuditError,
        audit_file,
        summary,
        write_report,
        write_report_csv,
    )

    if args.output:
        from generator.catalog.policy import policy_file

        _common.checked_output(args.output, [args.file, policy_file(args.catalog)],
                               force=args.force)
    policy = _common.policy(args.catalog)
    try:
        results = audit_file(policy, args.file)
        if args.output:
            write_report(results, args.output)
        else:
            write_report_csv(results, sys.stdout)
    except AuditError as exc:  # the file (or the report's name) cannot be used
        raise Failed(Exit.USAGE, str(exc)) from None
    except BrokenPipeError:
        raise  # the reader of stdout left: ceportal's main stops quietly
    except OSError as exc:
        raise _common.write_failed(args.output, exc) from None
    print(f"ceportal audit: {summary(results)}", file=sys.stderr)
    return Exit.INVALID if any(r.error is not None for r in results) else Exit.OK
