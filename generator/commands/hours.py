"""``ceportal hours REQUEST.json|-``: one evaluation, JSON in, JSON out."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path

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
            "label": 说明（可选）, "course": "目录年度/课程代码"（可选，如 2010/E-M11）,
            "planned": true（可选：计划参加、尚未完成的课程，不计为已完成）}
    学时大于0、不超过10000，最多两位小数（按0.01学时计算）。
    早于2009年度或晚于申报年度的记录不计入（列在 ignored 中）；同一课程（代码不分大小写）
    只计入计算窗口内的第一条，其余各条不计入并给出提示。
结果：met、required、counted、shortfall、window、ignored、basis（依据的条款），
  assumptions（结果所依据的本门户推定）、readings（推定按另一种理解时结论的变化）
  和 warnings（需要复核的记录）；有计划记录时另有 planned 和 with_planned（计划记录
  完成后的结论）。
退出码：0 已核算；1 规则文件有错误；2 请求无效（原因在标准错误输出的一行中）。"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("request", metavar="REQUEST.json", help="请求文件，- 表示标准输入")
    _common.add_catalog(parser, "policy")


# Why a request file cannot be read, in Chinese (the system's own text is English).
_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接层数过多",
    errno.EIO: "读取时出现输入输出错误",
}


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Chinese: never the system's English."""
    return _OS_REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误")


def read_request_text(source: str) -> str:
    """The request text of ``source`` (a file, or ``-`` for standard input), for ``hours``
    and ``plan``; :class:`Failed` (``USAGE``) with the Chinese reason when it cannot be read."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise Failed(Exit.USAGE, f"无法读取请求文件 {source}：{os_reason(exc)}") from None
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
