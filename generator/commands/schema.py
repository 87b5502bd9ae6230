"""``ceportal schema [-o FILE]``: the JSON Schema of a year file, for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "schema"
HELP = "输出年度目录文件的 JSON Schema（供 VS Code 等编辑器提示和检查）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="写入文件（默认输出到屏幕）")
    parser.add_argument(
        "--catalog", default="catalog", metavar="DIR", help="目录文件夹（默认 catalog）"
    )


def run(args: argparse.Namespace) -> int:
    from ..policy import PolicyError, load_policy
    from ..schema import schema_text

    try:
        policy = load_policy(args.catalog)
    except PolicyError as exc:
        print(exc, file=sys.stderr)
        print("规则文件有错误，无法生成 JSON Schema", file=sys.stderr)
        return 1
    text = schema_text(policy)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
