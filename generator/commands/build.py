"""``ceportal build [--catalog DIR] [--site-dir DIR] [--pyodide DIR] [--drafts]``: the
site, built strictly and swapped in; ``--drafts`` publishes the draft years as a preview."""

from __future__ import annotations

import argparse

from . import _common
from ._common import Exit, Failed

NAME = "build"
HELP = "生成网站（先在临时目录生成，成功后整体替换）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_catalog(parser, "site")
    _common.add_site_dir(parser)
    _common.add_site_options(parser)
    parser.add_argument(
        "--drafts", action="store_true",
        help="连同草稿年度（draft: true）一起生成预览网站，每页标明“预览版”（默认不发布草稿）",
    )


def run(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.exceptions import MkDocsException

    from generator.site.publishing import BuildRefused, build_site, describe_os_error

    try:
        with _common.runtime(args):
            target = build_site(args.site_dir, args.catalog, args.config,
                                drafts="preview" if args.drafts else "hide")
    except BuildRefused as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    except MkDocsException as exc:
        raise Failed(Exit.INVALID, f"{exc}\nceportal build: 网站未更新（原有网站保持不变）") from None
    except OSError as exc:
        raise Failed(Exit.REFUSED, describe_os_error(exc, args.site_dir)) from None
    print(f"{'预览网站（含草稿）' if args.drafts else '网站'}已生成：{target}")
    return Exit.OK
