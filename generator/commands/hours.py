"""``ceportal hours REQUEST.json|-``: one evaluation, JSON in, JSON out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..policy import PolicyError, policy_for
from ..rules import RequestError, evaluate, read_request

NAME = "hours"
HELP = "按规则核算一次学时（JSON 输入，JSON 输出）"

EPILOG = """\
请求（JSON 对象）：
  申报晋升 {"kind": "promotion", "target": 目标, "year": 申报年度, "records": [学时记录…]}
    target：junior_first 初次申报初级职称（技术员、助理工程师）、
            assistant_engineer 技术员晋升助理工程师、engineer 助理工程师晋升工程师、
            senior_engineer 工程师晋升高级工程师及以上
  周期验审 {"kind": "cycle", "title": 现任职称, "cycle_start": 周期起始年度, "year": 验审年度,
            "records": [...]}
    title：technician 技术员、assistant_engineer 助理工程师、engineer 工程师、
           senior_engineer 高级工程师
  学时记录 {"year": 年度, "module": "public"|"elective"|"other", "hours": 学时,
            "label": 说明（可选）, "course": "目录年度/课程代码"（可选，如 2010/E-M11）}
    早于2009年度或晚于申报年度的记录不计入（列在 ignored 中），同一课程只计一次。
结果：met、required、counted、shortfall、window、ignored、basis（依据的条款），
  assumptions（结果所依据的本门户推定）和 warnings（需要复核的记录）。
退出码：0 已核算；2 请求无效（原因在标准错误输出的一行中）。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("request", metavar="REQUEST.json", help="请求文件，- 表示标准输入")
    parser.add_argument(
        "--catalog",
        default=None,
        metavar="DIR",
        help="使用 DIR/policy.yaml 中的规则（默认使用 ceportal 自带的温经贸培训〔2009〕74号规则）",
    )


def _fail(message: str) -> int:
    print(f"ceportal hours: {message}", file=sys.stderr)
    return 2


def read_source(source: str) -> str:
    """The request text of ``source`` (a file, or ``-`` for standard input), for ``hours``
    and ``plan``; a file that cannot be read raises ``ValueError`` with the Chinese reason."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise ValueError(f"无法读取请求文件 {source}：{exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("请求文件不是 UTF-8 编码：请另存为 UTF-8") from exc


def run(args: argparse.Namespace) -> int:
    try:
        text = read_source(args.request)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        policy = policy_for(args.catalog)
    except (OSError, PolicyError) as exc:
        return _fail(f"无法读取规则文件 {args.catalog}/policy.yaml：{exc}")
    try:
        response = evaluate(policy, read_request(text))
    except RequestError as exc:
        return _fail(str(exc))
    json.dump(response, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
