"""Every generated file of the site, from the producers listed in :data:`PRODUCERS`.

This is the one list to extend when a new part of the site is generated from the catalog:
a producer takes the model and returns ``{site path: content}``, content being text,
bytes, or a :class:`pathlib.Path` meaning "copy this file". Paths ending in ``.md`` are
pages for the site builder; everything else is copied as is. Nothing here knows MkDocs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.browser import audit_files, calculator_files
from generator.catalog.model import Catalog
from generator.catalog.schema import schema_text
from generator.common.reproducible import source_date_epoch

from .cache import BuildCache
from .exporting import export_files, registration_form
from .rendering import notice_text, render_pages, urls
from .rendering.markup import CONTACT_PATTERNS

log = logging.getLogger(__name__)

Content = str | bytes | Path
Producer = Callable[[Catalog], Mapping[str, Content]]


def pages(catalog: Catalog, cache: BuildCache | None = None) -> dict[str, Content]:
    """The portal's Markdown pages (home, notice, policy, catalogs, courses, schedules…)."""
    return dict(render_pages(catalog, notice_text(), registration_form().title, cache))


def downloads(catalog: Catalog, site_url: str | None = None,
              cache: BuildCache | None = None) -> dict[str, Content]:
    """The downloads and open data (docx, xlsx, json, csv, ics, txt)."""
    return dict(export_files(catalog, notice_text(), source_date_epoch(), site_url, cache))


def schema(catalog: Catalog) -> dict[str, Content]:
    """The JSON Schema of a year's catalog file, for editors and open-data users."""
    return {urls.SCHEMA: schema_text(catalog.policy)}


def calculator_site() -> dict[str, Any]:
    """What the calculator's plan cards need of the site: where they link, from the
    calculator's page (``{year}``, ``{code}`` filled in by the page), and the site's own
    expressions of a telephone number and an e-mail address in a contact."""
    here = urls.CALCULATOR
    year: Any = "{year}"
    code: Any = "{code}"
    return {
        "links": {
            "class": urls.relative(here, urls.schedule(year) + "#" + urls.class_anchor(code)),
            "course": urls.relative(here, urls.course(year, code)),
            "form": urls.relative(here, urls.DOWNLOADS),
            "assumption": urls.relative(here, urls.POLICY + "#" + urls.assumption_anchor(code)),
        },
        "contactPatterns": CONTACT_PATTERNS,
    }


PRODUCERS: tuple[Producer, ...] = (pages, downloads, schema, calculator_files, audit_files)


def site_files(catalog: Catalog, producers: tuple[Producer, ...] = PRODUCERS, *,
               site_url: str | None = None, pyodide_dir: Path | None = None,
               cache: BuildCache | None = None) -> dict[str, Content]:
    """All generated files; two producers claiming one path is a programming error.
    ``site_url`` (mkdocs.yml's) reaches the downloads: the calendar links to its classes;
    ``pyodide_dir`` (the portal folder's runtime) reaches the calculator and audit pages;
    ``cache`` (the build's or the preview session's) keeps each year's pages and
    downloads for as long as their inputs do not change."""
    files: dict[str, Content] = {}
    for produce in producers:
        # Only the downloads depend on the site's address and only the two engine pages
        # on the runtime; the other producers stay functions of the catalog alone.
        made: Mapping[str, Content]
        if produce is pages:
            made = pages(catalog, cache)
        elif produce is downloads:
            made = downloads(catalog, site_url, cache)
        elif produce is calculator_files:
            made = calculator_files(catalog, pyodide_dir, calculator_site())
        elif produce is audit_files:
            made = audit_files(catalog, pyodide_dir)
        else:
            made = produce(catalog)
        for path, content in made.items():
            if path in files:
                raise ValueError(f"{produce.__name__}: {path} 已由其他生成器生成")
            files[path] = content
    if cache is not None:
        cache.keep_years({year.year for year in catalog.years})
    return files
