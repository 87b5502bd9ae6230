"""``ceportal new DIR``: a new portal folder, ready for ``npm ci`` and ``ceportal serve``."""

from __future__ import annotations

import argparse

from ._common import Exit, Failed

NAME = "new"
HELP = "新建门户文件夹（网站设置、规则和示例年度目录、固定版本的运行环境清单），不覆盖任何已有文件"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="新门户文件夹（不存在或为空的文件夹）")


def run(args: argparse.Namespace) -> int:
    from generator.catalog.problems import display_path
    from generator.common.safefiles import os_error_text
    from generator.site.scaffolding import ScaffoldError, new_portal

    try:
        written = new_portal(args.folder)
    except ScaffoldError as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    except OSError as exc:
        raise Failed(Exit.REFUSED, f"无法写入 {args.folder}：{os_error_text(exc)}") from None
    shown = display_path(args.folder)
    print(f"已新建门户文件夹 {shown}（{len(written)} 个文件）。")
    print(f"下一步：cd {shown}，运行 npm ci 安装 Pyodide，再运行 ceportal serve 预览"
          "（发布用 ceportal build）。")
    return Exit.OK
