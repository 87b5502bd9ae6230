"""``ceportal build [--catalog DIR] [--site-dir DIR]``: the site, built strictly and swapped in."""

from __future__ import annotations

import argparse
import sys

NAME = "build"
HELP = "生成网站（先在临时目录生成，成功后整体替换）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", help="目录文件夹（默认按 mkdocs.yml，即 catalog）")
    parser.add_argument("--site-dir", default="site", metavar="DIR", help="输出文件夹（默认 site）")
    parser.add_argument("--config", default="mkdocs.yml", metavar="FILE", help="MkDocs 配置文件")


def run(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.exceptions import MkDocsException

    from ..building import BuildRefused, build_site, describe_os_error
    try:
        target = build_site(args.site_dir, args.catalog, args.config)
    except BuildRefused as exc:
        print(f"ceportal build: {exc}", file=sys.stderr)
        return 1
    except MkDocsException as exc:
        print(f"ceportal build: {exc}", file=sys.stderr)
        print("ceportal build: 网站未更新（原有网站保持不变）", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"ceportal build: {describe_os_error(exc, args.site_dir)}", file=sys.stderr)
        return 1
    print(f"网站已生成：{target}")
    return 0
