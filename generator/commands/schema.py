"""``ceportal schema [-o FILE] [--force]``: the JSON Schema of a year file, for editors."""

from __future__ import annotations

import argparse
import sys

from . import _common
from ._common import Exit

NAME = "schema"
HELP = "输出年度目录文件的 JSON Schema（供 VS Code 等编辑器提示和检查）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="写入文件（默认输出到屏幕）")
    _common.add_catalog(parser)
    _common.add_force(parser)


def run(args: argparse.Namespace) -> int:
    from generator.catalog.schema import schema_text
    from generator.common.safefiles import write_text

    if args.output:
        from generator.catalog.policy import policy_file

        _common.checked_output(args.output, [policy_file(args.catalog)], force=args.force)
    text = schema_text(_common.policy(args.catalog))
    if args.output:
        try:
            write_text(args.output, text)
        except OSError as exc:
            raise _common.write_failed(args.output, exc) from None
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return Exit.OK
