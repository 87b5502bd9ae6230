"""Where the plugin reaches into the search plugin's internals (Material for MkDocs', or
MkDocs' own): attributes that are not a public interface and may change with a release.

Kept here, and only here, so an upgrade (or the builder that follows Material) has one
module to check.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

SearchEntry = dict[str, Any]


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
