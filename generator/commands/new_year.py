"""``ceportal new-year Y [--catalog DIR]``: a new year file from the newest one."""

from __future__ import annotations

import argparse
import logging

from . import _common
from ._common import Exit, Failed

log = logging.getLogger(__name__)

NAME = "new-year"
HELP = "以最新年度目录为底稿新建年度目录文件（课程沿用，办班计划和报名日期留空）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int, metavar="Y", help="新年度，如 2011")
    _common.add_catalog(parser)


def run(args: argparse.Namespace) -> int:
    from generator.catalog.problems import display_path
    from generator.site.scaffolding import ScaffoldError, ScaffoldExists, new_year_file

    catalog = _common.catalog(args.catalog, "未新建年度文件")
    source = catalog.latest
    try:
        path, model = new_year_file(catalog, args.year, args.catalog)
    except ScaffoldExists as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    except ScaffoldError as exc:
        raise Failed(Exit.INVALID, str(exc)) from None
    except OSError as exc:
        raise _common.write_failed(f"{args.catalog}/{args.year}.yaml", exc) from None
    where = display_path(str(path))
    if source is None:
        print(f"已写入 {where}：目录中还没有年度文件，已生成空白的年度目录。")
    else:
        renamed = sum(
            1
            for old, new in zip(source.courses, model.courses, strict=True)
            if old.code != new.code
        )
        print(
            f"已写入 {where}：沿用 {source.year} 年度的 {len(model.courses)} 门课程"
            f"（其中 {renamed} 门的课程编号随年度更新），办班计划为空。"
        )
    print(
        "下一步：填写办班计划（classes），填写文件中以“# ”注释留出的发布日期、报名日期和说明（notes），"
        "核对标题，然后运行 ceportal check。"
    )
    return Exit.OK
