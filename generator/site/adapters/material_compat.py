"""Material for MkDocs' vocabulary, and where the MkDocs plugin reaches into the search
plugin's internals (Material's, or MkDocs' own): attributes that are not a public
interface and may change with a release.

:func:`front_matter` writes a :class:`~generator.site.model.Page`'s fields as the
front-matter keys Material reads (``hide``, ``search``), which Zensical, made by
Material's authors, reads too; the core never writes them. Kept here, and only here, so
an upgrade (or the builder that follows Material) has one module to check.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import yaml
from backrefs import bre

from generator.site.incremental import TextMemo
from generator.site.model import Page

log = logging.getLogger(__name__)

# libyaml's emitter writes the same text as PyYAML's and is ~6x faster: front matter is
# dumped once per page, thousands of times in a large build (bench/bench_build.py).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def page_meta(page: Page) -> dict[str, Any]:
    """The page's front matter as Material reads it. Title and description are
    HTML-escaped: MkDocs themes print them into ``<title>`` and ``<meta>`` unescaped."""
    meta: dict[str, Any] = {"title": html.escape(page.title, quote=True)}
    if page.description:
        meta["description"] = html.escape(page.description, quote=True)
    hide = (["navigation"] if page.wide else []) + ([] if page.toc else ["toc"])
    if hide:
        meta["hide"] = hide
    search: dict[str, Any] = {}
    if page.search_boost != 1:
        boost = page.search_boost
        search["boost"] = int(boost) if float(boost).is_integer() else boost
    if page.search_exclude:
        search["exclude"] = True
    if search:
        meta["search"] = search
    meta.update(page.data)
    return meta


def front_matter(page: Page) -> str:
    """The YAML front-matter block of ``page`` (:func:`page_meta`)."""
    body = yaml.dump(page_meta(page), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000)
    return f"---\n{body}---\n"


def markdown_source(page: Page) -> str:
    """The Markdown file a Material-based builder reads for ``page``."""
    return front_matter(page) + "\n" + page.body

SearchEntry = dict[str, Any]


# What Material's search segments (SearchIndex._segment_chinese): each run of Han
# characters, on its own, joined with zero-width spaces and set off by them.
_HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)
_ZWSP = "\u200b"


def remember_segmentation(search: Any, memo: TextMemo) -> None:
    """Let the search index of this build take the segmentation of each run of Chinese
    characters from ``memo``. Material's ``SearchIndex._segment_chinese`` runs jieba over
    every Han run of every section of every re-rendered page, each run on its own (a
    pure function of the run); a one-course edit re-renders a year's index page, whose
    runs are nearly all the ones the last rebuild segmented. The same text is produced:
    each run is handed to Material's own method, set off as Material sets it off. Does
    nothing when the index has no such method (another search plugin, or a release that
    renamed it)."""
    index: Any = getattr(search, "search_index", None) if search is not None else None
    segment = getattr(index, "_segment_chinese", None)
    if segment is None or getattr(segment, "ceportal_memo", None) is memo:
        return

    def run(match: Any) -> str:
        return _ZWSP + memo.get(match.group(0), segment) + _ZWSP

    def remembered(data: str) -> str:
        return str(_HAN.sub(run, data)).strip(_ZWSP)

    remembered.ceportal_memo = memo  # type: ignore[attr-defined]
    index._segment_chinese = remembered


def search_plugin(config: Any) -> Any:
    """The configured search plugin instance, or None."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def forget_previous_index(search: Any) -> None:
    """Turn off Material's own dirty-reload merge (``search_index_prev``, by the first
    entry's URL prefix), which would mix indexes; the preview merges per page instead."""
    if search is not None and hasattr(search, "search_index_prev"):
        search.search_index_prev = None


def search_entries(search: Any) -> list[SearchEntry] | None:
    """The entries the search plugin will write (``search_index.entries``), or None when
    there is no index."""
    index = getattr(search, "search_index", None) if search is not None else None
    return None if index is None else list(index.entries)


def set_search_entries(search: Any, entries: list[SearchEntry]) -> None:
    """Make ``entries`` the index the search plugin writes."""
    search.search_index.entries = entries
