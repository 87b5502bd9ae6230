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

from ..policy import PolicyError, load_policy

log = logging.getLogger(__name__)

NAME = "audit"
HELP = "批量核算申报人的继续教育学时（CSV/XLSX 输入，每人一行结果）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
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
        "--catalog", default="catalog", metavar="DIR", help="目录文件夹（默认 catalog）"
    )


def _fail(message: str) -> int:
    print(f"ceportal audit: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..auditing import AuditError, audit_file, summary, write_report, write_report_csv

    try:
        policy = load_policy(args.catalog)
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
    except OSError as exc:
        return _fail(f"无法写入 {args.output}：{exc.strerror}")
    print(f"ceportal audit: {summary(results)}", file=sys.stderr)
    return 1 if any(r.error is not None for r in results) else 0
