"""The generated pages: model in, ``{source path: Markdown}`` out.

Each function computes what a page shows (plain dicts and strings, links already made
relative to the page) and hands it to a logic-light Jinja template in
``generator/site/templates/``. Templates put catalog text only inside HTML blocks, with
autoescape on, so it is shown as the text it is. This module holds the site-wide pages
and the assembly of every page; a year's pages are in :mod:`.year_pages`, the policy
page in :mod:`.policy_page`, what they share in :mod:`.context`.
"""

from __future__ import annotations

import logging

from generator.catalog.model import Catalog, YearCatalog
from generator.site.cache import BuildCache
from generator.site.model import Page

from . import urls
from .context import Names, class_entry, meta, render, schedule_order, year_summary
from .notice import Notice, parse_notice
from .policy_page import policy_page
from .year_pages import render_year

log = logging.getLogger(__name__)


# --- pages --------------------------------------------------------------------


def home_page(catalog: Catalog, form_title: str = "") -> Page:
    names = Names(catalog.policy)
    latest = catalog.current
    current = None
    if latest is not None:
        current = year_summary(names, latest)
        current["sessions"] = [class_entry(names, latest, s) for s in schedule_order(latest)]
    return render(
        "home.md.j2",
        urls.HOME,
        meta(
            "home",
            "首页",
            "温州市工程技术（一）系列专业技术人员继续教育：报名截止日期与联系方式、通知、学时政策、课程目录、办班计划与报名表下载。",
            nav=True, wide=True, toc=False,
        ),
        form_title=form_title,
        current=current,
        years=[y.year for y in reversed(catalog.years)],
        document=catalog.policy.document_info,
        u=urls,
    )


def notice_page(notice: Notice) -> Page:
    return render(
        "notice.md.j2",
        urls.NOTICE,
        meta("notice", notice.title, f"{notice.number}《{notice.title}》全文。", nav=True),
        notice=notice,
        u=urls,
    )


def catalog_archive_page(catalog: Catalog) -> Page:
    names = Names(catalog.policy)
    return render(
        "catalog_archive.md.j2",
        urls.CATALOG_ARCHIVE,
        meta("catalog-archive", "课程目录", "历年工程技术（一）系列继续教育专业选修课目录。", nav=True),
        years=[year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


def schedule_archive_page(catalog: Catalog) -> Page:
    names = Names(catalog.policy)
    return render(
        "schedule_archive.md.j2",
        urls.SCHEDULE_ARCHIVE,
        meta("schedule-archive", "办班计划", "历年工程技术（一）系列继续教育办班计划。", nav=True),
        years=[year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


def downloads_page(catalog: Catalog, form_title: str) -> Page:
    names = Names(catalog.policy)
    return render(
        "downloads.md.j2",
        urls.DOWNLOADS,
        meta("downloads", "下载专区", "通知原文、继续教育培训班报名表、办班计划及课程目录数据下载。", nav=True),
        document=catalog.policy.document_info,
        form_title=form_title,
        # The notice's own 附件1 is its first year's plan; later years' plans are not.
        notice_plan_year=catalog.policy.start_year,
        years=[year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


def render_pages(catalog: Catalog, notice_text: str, form_title: str,
                 cache: BuildCache | None = None) -> dict[str, Page]:
    """Every generated page, keyed by its Markdown source path, in a stable order; a
    year's pages are taken from ``cache`` when their inputs are unchanged."""
    notice = parse_notice(notice_text)
    pages: dict[str, Page] = {
        urls.source_path(urls.HOME): home_page(catalog, form_title),
        urls.source_path(urls.NOTICE): notice_page(notice),
        urls.source_path(urls.POLICY): policy_page(catalog.policy),
        urls.source_path(urls.CATALOG_ARCHIVE): catalog_archive_page(catalog),
        urls.source_path(urls.SCHEDULE_ARCHIVE): schedule_archive_page(catalog),
        urls.source_path(urls.DOWNLOADS): downloads_page(catalog, form_title),
    }
    previous: YearCatalog | None = None
    for year in catalog.years:
        pages.update(render_year(catalog, previous, year, form_title, cache))
        previous = year
    return pages
