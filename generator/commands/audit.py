"""``ceportal audit FILE.csv|FILE.xlsx [-o REPORT.csv|REPORT.xlsx]``: batch hours audit.

Without ``-o`` the report is printed to standard output as CSV (UTF-8, no BOM, so it
pipes cleanly); with ``-o`` it is written as CSV (UTF-8 with BOM, for Excel) or XLSX by
the file's extension. A one-line summary goes to standard error.

Exit status: 0 when every applicant was evaluated, 1 when any applicant has an error
(its reason is in the report's 错误 column), 2 when the file cannot be read at all.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..policy import PolicyError, policy_for

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
退出码：0 全部核算完成；1 有申报人出错（原因见“错误”列，其他人照常核算）；2 文件无法读取。"""


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
    parser.add_argument(
        "--catalog",
        default=None,
        metavar="DIR",
        help="使用 DIR/policy.yaml 中的规则（默认使用 ceportal 自带的温经贸培训〔2009〕74号规则）",
    )
    parser.add_argument(
        "--force", action="store_true", help="输出文件已存在时替换它（默认不覆盖）"
    )


def _fail(message: str) -> int:
    print(f"ceportal audit: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..auditing import AuditError, audit_file, summary, write_report, write_report_csv
    from ..safefiles import WriteRefused, check_output, os_error_text

    if args.output:
        try:
            check_output(args.output, [args.file], force=args.force)
        except WriteRefused as exc:
            return _fail(str(exc))
    try:
        policy = policy_for(args.catalog)
    except (OSError, PolicyError) as exc:
        return _fail(f"无法读取规则文件 {args.catalog}/policy.yaml：{exc}")
    try:
        results = audit_file(policy, args.file)
        if args.output:
            write_report(results, args.output)
        else:
            write_report_csv(results, sys.stdout)
    except AuditError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        raise  # the reader of stdout left: ceportal's main stops quietly
    except OSError as exc:
        return _fail(f"无法写入 {args.output}：{os_error_text(exc)}；未写入任何文件")
    print(f"ceportal audit: {summary(results)}", file=sys.stderr)
    return 1 if any(r.error is not None for r in results) else 0
