"""``ceportal hours REQUEST.json|-``: one evaluation, JSON in, JSON out."""

from __future__ import annotations

import argparse
import json
import sys

from generator.common.excerpt import excerpt
from generator.rules import RequestError, evaluate, read_request

from . import _common
from ._common import Exit, Failed

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
退出码：0 已核算；1 规则文件有错误；2 请求无效（原因在标准错误输出的一行中）。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("request", metavar="REQUEST.json", help="请求文件，- 表示标准输入")
    _common.add_catalog(parser, "policy")


def read_request_text(source: str) -> str:
    """The request text of ``source`` (a file, or ``-`` for standard input), for ``hours``
    and ``plan``; :class:`Failed` (``USAGE``) with the Chinese reason when it cannot be read."""
    from generator.common.inputs import InputRefused, megabytes, read_input, read_limited
    from generator.rules._reading import MAX_REQUEST_BYTES

    try:
        if source == "-":
            data = read_limited(sys.stdin.buffer, MAX_REQUEST_BYTES)
        else:
            data = read_input(source, MAX_REQUEST_BYTES)
    except InputRefused as exc:
        if source == "-":
            raise Failed(Exit.USAGE, f"请求超过 {megabytes(MAX_REQUEST_BYTES)}，未读取") from None
        raise Failed(Exit.USAGE, f"请求文件 {excerpt(source, 200)} {exc}") from None
    except OSError as exc:
        raise Failed(Exit.USAGE, f"无法读取请求文件 {excerpt(source, 200)}：{exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Failed(Exit.USAGE, "请求文件不是 UTF-8 编码：请另存为 UTF-8") from None


def print_json(response: object) -> int:
    """The response on standard output, as ``hours`` and ``plan`` print it."""
    json.dump(response, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return Exit.OK


def run(args: argparse.Namespace) -> int:
    text = read_request_text(args.request)
    policy = _common.policy(args.catalog)
    try:
        response = evaluate(policy, read_request(text))
    except RequestError as exc:
        raise Failed(Exit.USAGE, str(exc)) from None
    return print_json(response)
