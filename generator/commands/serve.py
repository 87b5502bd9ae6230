"""``ceportal serve``: the portal at http://127.0.0.1:8000, rebuilt when a catalog file changes."""

from __future__ import annotations

import argparse
import os
import sys

NAME = "serve"
HELP = "本地预览网站（修改目录文件后自动刷新）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", help="目录文件夹（默认按 mkdocs.yml，即 catalog）")
    parser.add_argument("--config", default="mkdocs.yml", metavar="FILE", help="MkDocs 配置文件")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="监听地址（默认 127.0.0.1:8000）")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from ..plugin import CATALOG_ENV

    if args.catalog:
        # MkDocs re-reads the configuration (and re-creates the plugin) on every rebuild.
        os.environ[CATALOG_ENV] = os.path.abspath(args.catalog)
    try:
        serve(config_file=args.config, dev_addr=args.dev_addr, livereload=True)
    except MkDocsException as exc:
        print(f"ceportal serve: {exc}", file=sys.stderr)
        return 1
    return 0
