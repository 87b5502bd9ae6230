"""``ceportal build [--catalog DIR] [--site-dir DIR] [--builder mkdocs|zensical]
[--pyodide DIR] [--drafts]``: the site, built strictly and swapped in; ``--drafts``
publishes the draft years as a preview."""

from __future__ import annotations

import argparse

from . import _common
from ._common import Exit, Failed

NAME = "build"
HELP = "生成网站（先在临时目录生成，成功后整体替换）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_catalog(parser, "site")
    _common.add_site_dir(parser)
    parser.add_argument(
        "--builder", choices=("mkdocs", "zensical"), default=None,
        help="生成器：mkdocs（MkDocs + Material for MkDocs）或 zensical"
             "（Zensical 读同一个 mkdocs.yml，生成同样的页面、下载、自查计算与安全策略）；"
             "默认按 mkdocs.yml 中 ceportal 插件的 builder 选项，未设置时为 mkdocs")
    _common.add_site_options(parser)
    parser.add_argument(
        "--drafts", action="store_true",
        help="连同草稿年度（draft: true）一起生成预览网站，每页标明“预览版”（默认不发布草稿）",
    )


def _configured_builder(config: str) -> str:
    """mkdocs.yml's choice (the ``ceportal`` plugin's ``builder``), checked."""
    from generator.site.adapters.zensical import ZensicalFailed, builder_option

    try:
        chosen = builder_option(config)
    except ZensicalFailed as exc:
        raise Failed(Exit.INVALID, str(exc)) from None
    if chosen not in ("mkdocs", "zensical"):
        raise Failed(Exit.INVALID, f"{config}：ceportal 插件的 builder 选项应为 mkdocs 或 zensical，"
                                   f"现在是“{chosen}”")
    return chosen


def run(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.exceptions import MkDocsException

    from generator.site.publishing import (
        BuildFailed,
        BuildRefused,
        build_site,
        describe_os_error,
    )

    try:
        with _common.runtime(args):
            builder = args.builder or _configured_builder(args.config)
            target = build_site(args.site_dir, args.catalog, args.config, builder=builder,
                                drafts="preview" if args.drafts else "hide")
    except BuildRefused as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    except (MkDocsException, BuildFailed) as exc:
        raise Failed(Exit.INVALID, f"{exc}\nceportal build: 网站未更新（原有网站保持不变）") from None
    except OSError as exc:
        raise Failed(Exit.REFUSED, describe_os_error(exc, args.site_dir)) from None
    print(f"{'预览网站（含草稿）' if args.drafts else '网站'}已生成：{target}")
    return Exit.OK
