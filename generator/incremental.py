"""Incremental preview rebuilds: what changed between two generations of the site.

``ceportal serve`` regenerates every file on each change, then re-renders only the
pages whose generated content differs from the previous generation (everything else in
the preview is left as it was). This module holds the site-builder-neutral part: the
content diff and the merge of a partial search index into the previous one. The MkDocs
specifics (dirty builds, Material's search plugin) stay in :mod:`generator.plugin`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Content = str | bytes | Path
SearchEntry = dict[str, Any]


def changed_paths(previous: Mapping[str, Content] | None, current: Mapping[str, Content]) -> set[str]:
    """The paths of ``current`` that are new or whose content differs from ``previous``
    (all of them when there is no previous generation)."""
    if previous is None:
        return set(current)
    return {path for path, content in current.items()
            if path not in previous or previous[path] != content}


def page_of(location: str) -> str:
    """The page URL a search entry belongs to (``a/b/#sec`` -> ``a/b/``)."""
    return location.partition("#")[0]


def group_entries(entries: Iterable[SearchEntry]) -> dict[str, list[SearchEntry]]:
    """Search entries grouped by the URL of their page, in their order."""
    grouped: dict[str, list[SearchEntry]] = {}
    for entry in entries:
        grouped.setdefault(page_of(str(entry["location"])), []).append(entry)
    return grouped


@dataclass
class SearchIndexState:
    """The whole site's search entries by page URL, kept between preview rebuilds."""

    by_page: dict[str, list[SearchEntry]] = field(default_factory=dict)

    def merge(self, pages: Iterable[str], rebuilt: set[str],
              new_entries: Iterable[SearchEntry]) -> list[SearchEntry]:
        """The complete index after a rebuild: for every page URL in ``pages`` (site
        order), its ``new_entries`` if it was ``rebuilt``, else its previous ones. Pages
        not in ``pages`` (removed) are dropped. Updates the state."""
        fresh = group_entries(new_entries)
        by_page: dict[str, list[SearchEntry]] = {}
        merged: list[SearchEntry] = []
        for url in pages:
            entries = fresh.get(url, []) if url in rebuilt else self.by_page.get(url, [])
            by_page[url] = entries
            merged.extend(entries)
        self.by_page = by_page
        return merged
