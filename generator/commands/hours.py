"""``ceportal hours REQUEST.json|-``: one evaluation, JSON in, JSON out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..policy import PolicyError, load_policy
from ..rules import RequestError, evaluate

NAME = "hours"
HELP = "按规则核算一次学时（JSON 输入，JSON 输出）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", metavar="REQUEST.json", help="请求文件，- 表示标准输入")
    parser.add_argument(
        "--catalog", default="catalog", metavar="DIR", help="目录文件夹（默认 catalog）"
    )


def _fail(message: str) -> int:
    print(f"ceportal hours: {message}", file=sys.stderr)
    return 2


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.buffer.read().decode("utf-8-sig")
    return Path(source).read_bytes().decode("utf-8-sig")


def _reject_constant(name: str) -> float:
    raise ValueError(f"不支持 {name}")


def run(args: argparse.Namespace) -> int:
    try:
        text = _read(args.request)
    except OSError as exc:
        return _fail(f"无法读取请求文件 {args.request}：{exc.strerror}")
    except UnicodeDecodeError:
        return _fail("请求文件不是 UTF-8 编码：请另存为 UTF-8")
    try:
        request = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return _fail(f"请求不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）：{exc.msg}")
    except ValueError as exc:
        return _fail(f"请求不是有效的 JSON：{exc}")
    try:
        policy = load_policy(args.catalog)
    except (OSError, PolicyError) as exc:
        return _fail(f"无法读取规则文件 {args.catalog}/policy.yaml：{exc}")
    try:
        response = evaluate(policy, request)
    except RequestError as exc:
        return _fail(str(exc))
    json.dump(response, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
