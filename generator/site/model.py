"""The site as data: typed pages and files, made by the core, read by every builder.

The core (:mod:`generator.site.producers`) makes a :class:`Page` for every generated page
and a :class:`File` for every other generated file. Nothing here names a site builder or a
theme: what a page is (its kind), whether it is in the navigation, how the search treats
it and which parts of the layout it leaves out are fields, which each builder's adapter
(:mod:`generator.site.adapters`) turns into what its builder reads (Material's front-matter
keys, MkDocs' inclusion levels, Zensical's staged docs folder).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

# What a page is; the smoke tests load one page of every kind.
PageKind = Literal[
    "home", "notice", "policy", "catalog-archive", "schedule-archive", "downloads",
    "year-catalog", "specialty", "course", "changes", "schedule", "calculator", "audit",
]
PAGE_KINDS: tuple[PageKind, ...] = (
    "home", "notice", "policy", "catalog-archive", "schedule-archive", "downloads",
    "year-catalog", "specialty", "course", "changes", "schedule", "calculator", "audit",
)
# Pages that run the calculator's engine (Pyodide, WebAssembly, in a worker): their
# Content-Security-Policy adds exactly what that needs (generator/site/csp.py).
ENGINE_KINDS = frozenset({"calculator", "audit"})

# What a generated file is for, which decides how hard the post-steps compress it:
# "runtime" (the engine's files: Pyodide, the standard library, the rules wheel, the
# snapshot, the page scripts and styles; the same bytes build after build), "data" (open
# data and the engine's data, made from the catalog), "download" (documents for people).
FileKind = Literal["runtime", "data", "download"]

Content = str | bytes | Path


@dataclass(frozen=True)
class Page:
    """One generated page. ``path`` is its source path (``catalog/2010/index.md``; the
    builders publish it at :attr:`url`), ``title`` and ``description`` are plain text
    (the adapters escape them as their theme needs), ``body`` is Markdown whose catalog
    text sits in HTML blocks, already escaped.

    ``nav``: listed in the site's navigation (the section front pages); ``wide``: the page
    leaves out the navigation column (tables), ``toc``: it shows its table of contents;
    ``search_boost``: its weight in the search results (1 = as any page);
    ``search_exclude``: left out of the search index. ``data``: what the portal's own
    theme templates read (the engine pages' manifest), builder-neutral.
    """

    path: str
    kind: PageKind
    title: str
    body: str
    description: str = ""
    nav: bool = False
    wide: bool = False
    toc: bool = True
    search_boost: float = 1.0
    search_exclude: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The page's URL relative to the site root (``catalog/2010/``; ``""`` for home)."""
        parent = PurePosixPath(self.path).parent.as_posix()
        return "" if parent == "." else f"{parent}/"

    @property
    def output(self) -> str:
        """The HTML file a builder writes for it (``catalog/2010/index.html``)."""
        return f"{self.url}index.html"

    @property
    def runs_engine(self) -> bool:
        return self.kind in ENGINE_KINDS

    def fields(self) -> dict[str, Any]:
        """Everything but the body, as plain data (the golden files compare it)."""
        return {
            "kind": self.kind, "title": self.title, "description": self.description,
            "nav": self.nav, "wide": self.wide, "toc": self.toc,
            "search_boost": self.search_boost, "search_exclude": self.search_exclude,
            "data": dict(self.data),
        }

    def fields_json(self) -> str:
        return json.dumps(self.fields(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class File:
    """One generated file published as it is: text, bytes, or a :class:`Path` to copy."""

    path: str
    kind: FileKind
    content: Content

    def data(self) -> bytes:
        if isinstance(self.content, Path):
            return self.content.read_bytes()
        if isinstance(self.content, str):
            return self.content.encode("utf-8")
        return self.content


Entry = Page | File
# The whole generated site, by path, in a stable order.
Site = dict[str, Entry]


def pages_of(site: Mapping[str, Entry]) -> dict[str, Page]:
    return {path: e for path, e in site.items() if isinstance(e, Page)}


def files_of(site: Mapping[str, Entry]) -> dict[str, File]:
    return {path: e for path, e in site.items() if isinstance(e, File)}
