"""Draft years (DESIGN.md, "Catalog files" v3): what a build, the preview and a
``build --drafts`` preview publish of a year marked ``draft: true``, and the banner each
of their pages carries. Builder-neutral: the adapters pass the mode and show the banner.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import PurePosixPath

from generator.catalog.model import Catalog
from generator.site.rendering import urls

log = logging.getLogger(__name__)


def with_drafts(catalog: Catalog, mode: str) -> tuple[Catalog, dict[str, str]]:
    """The catalog to publish under ``mode`` and the banners of its pages, as
    ``{page path prefix: text}`` ("" for every page).

    ``hide`` (a build): the drafts left out. ``mark`` (``ceportal serve``): the drafts shown,
    each of their pages saying it is a draft; the home page stays on the newest published
    year. ``preview`` (``build --drafts``): every year as if published, every page saying
    the site is a preview."""
    drafts = [y.year for y in catalog.years if y.draft]
    if not drafts:
        return catalog, {}
    if mode == "hide":
        return catalog.published(), {}
    names = "、".join(f"{y}年度" for y in drafts)
    if mode == "preview":
        years = tuple(dataclasses.replace(y, draft=False) for y in catalog.years)
        text = (f"预览版：本网站含尚未发布的草稿（{names}），仅供审阅，不是正式发布的网站。"
                "正式发布请用 ceportal build（草稿不会发布）。")
        return Catalog(catalog.policy, years), {"": text}
    banners: dict[str, str] = {}
    for year in drafts:
        text = (f"草稿：{year}年度目录尚未发布（年度文件中写有 draft: true），"
                "ceportal build 不会发布本页；发布时删去该行。")
        for url in (urls.year_catalog(year), urls.schedule(year)):
            banners[url] = text
    return catalog, banners


def page_banner(banners: dict[str, str], src_uri: str) -> str:
    """The banner of the page made from ``src_uri`` (``catalog/2027/index.md``), or ""."""
    path = PurePosixPath(src_uri).parent.as_posix() + "/"
    found = [prefix for prefix in banners if prefix == "" or path.startswith(prefix)]
    return banners[max(found, key=len)] if found else ""
