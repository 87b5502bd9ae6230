"""``ceportal serve``: the portal at http://127.0.0.1:8000, rebuilt when a catalog file changes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

NAME = "serve"
HELP = "本地预览网站（修改目录文件后自动刷新）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", help="目录文件夹（默认按 mkdocs.yml，即 catalog）")
    parser.add_argument("--config", default="mkdocs.yml", metavar="FILE", help="MkDocs 配置文件")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="监听地址（默认 127.0.0.1:8000）")


class _QuietDirty(logging.Filter):
    """Drops MkDocs' warning about dirty builds, which the plugin makes accurate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # One date for the whole preview session (downloads, calendar, sitemap): otherwise
    # every rebuild would stamp every download anew and redo each year's exports.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from ..plugin import CATALOG_ENV

    if args.catalog:
        # MkDocs re-reads the configuration (and re-creates the plugin) on every rebuild.
        os.environ[CATALOG_ENV] = os.path.abspath(args.catalog)
    # Dirty builds: a change re-renders only the pages whose generated content changed
    # (generator/plugin.py decides which, keeps the search index whole and removes the
    # output of files that are gone).
    logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirty())
    try:
        serve(config_file=args.config, dev_addr=args.dev_addr, livereload=True, build_type="dirty")
    except MkDocsException as exc:
        print(f"ceportal serve: {exc}", file=sys.stderr)
        return 1
    return 0
