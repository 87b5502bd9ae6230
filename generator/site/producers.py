"""Every generated page and file of the site, from the producers listed in :data:`PRODUCERS`.

This is the one list to extend when a new part of the site is generated from the catalog:
a producer takes the model and returns ``{site path: Page | File}`` (:mod:`.model`): typed
pages, and files with their kind. Nothing here knows a site builder; the adapters
(:mod:`generator.site.adapters`) hand the result to MkDocs or Zensical.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.browser import EnginePage, audit_files, calculator_files
from generator.catalog.model import Catalog
from generator.catalog.schema import schema_text
from generator.common.reproducible import source_date_epoch

from .cache import BuildCache
from .exporting import export_files, registration_form
from .model import Entry, File, FileKind, Page, PageKind, Site
from .rendering import notice_text, render_pages, urls
from .rendering.markup import CONTACT_PATTERNS

log = logging.getLogger(__name__)

Producer = Callable[[Catalog], Mapping[str, Entry]]

# Documents for people; every other export is open data.
_DOCUMENTS = (".docx", ".xlsx", ".pdf", ".txt")


def pages(catalog: Catalog, cache: BuildCache | None = None) -> dict[str, Entry]:
    """The portal's pages (home, notice, policy, catalogs, courses, schedules…)."""
    return dict(render_pages(catalog, notice_text(), registration_form().title, cache))


def downloads(catalog: Catalog, site_url: str | None = None,
              cache: BuildCache | None = None) -> dict[str, Entry]:
    """The downloads and open data (docx, xlsx, pdf, txt; json, csv, ics)."""
    made = export_files(catalog, notice_text(), source_date_epoch(), site_url, cache)
    return {path: File(path, "download" if path.endswith(_DOCUMENTS) else "data", content)
            for path, content in made.items()}


def schema(catalog: Catalog) -> dict[str, Entry]:
    """The JSON Schema of a year's catalog file, for editors and open-data users."""
    return {urls.SCHEMA: File(urls.SCHEMA, "data", schema_text(catalog.policy))}


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


def _engine_kind(path: str) -> FileKind:
    """The calculator's and the audit's files: their data (made from the catalog and the
    policy), the audit's input templates, and the runtime (the same build after build)."""
    if path.endswith(".json"):
        return "data"
    if path.endswith((".csv", ".xlsx")):
        return "download"
    return "runtime"


def engine_page(path: str, page: EnginePage) -> Page:
    """An engine page of the browser bundle as one of the site's pages: in the
    navigation, its kind deciding its Content-Security-Policy."""
    kind: PageKind = "calculator" if page.kind == "calculator" else "audit"
    assert kind == page.kind, page.kind
    return Page(path=path, kind=kind, title=page.title, body=page.body, nav=True, data=page.data)


def engine_entries(made: Mapping[str, bytes | Path | EnginePage]) -> dict[str, Entry]:
    """A browser producer's output (:mod:`generator.browser`) as pages and typed files."""
    return {path: engine_page(path, content) if isinstance(content, EnginePage)
            else File(path, _engine_kind(path), content)
            for path, content in made.items()}


def calculator(catalog: Catalog, pyodide_dir: Path | None = None) -> dict[str, Entry]:
    """``/calculator/``: the hours self-check, its engine and data."""
    return engine_entries(calculator_files(catalog, pyodide_dir, calculator_site()))


def audit(catalog: Catalog, pyodide_dir: Path | None = None,
          calculator: Mapping[str, bytes | Path | EnginePage] | None = None,
          cache: BuildCache | None = None) -> dict[str, Entry]:
    """``/audit/``: the batch audit, on the calculator's engine (``calculator``: its
    files, when already made)."""
    return engine_entries(audit_files(catalog, pyodide_dir, calculator, cache))


PRODUCERS: tuple[Producer, ...] = (pages, downloads, schema, calculator, audit)


def site_files(catalog: Catalog, producers: tuple[Producer, ...] = PRODUCERS, *,
               site_url: str | None = None, pyodide_dir: Path | None = None,
               cache: BuildCache | None = None) -> Site:
    """All generated pages and files; two producers claiming one path is a programming error.
    ``site_url`` (mkdocs.yml's) reaches the downloads: the calendar links to its classes;
    ``pyodide_dir`` (the portal folder's runtime) reaches the calculator and audit pages;
    ``cache`` (the build's or the preview session's) keeps each year's pages, downloads
    and part of the calculator's catalogs, and the site's documents and audit templates,
    for as long as their inputs do not change."""
    files: Site = {}
    engine: dict[str, bytes | Path | EnginePage] | None = None
    for produce in producers:
        # Only the downloads depend on the site's address and only the two engine pages
        # on the runtime; the other producers stay functions of the catalog alone.
        made: Mapping[str, Entry]
        if produce is pages:
            made = pages(catalog, cache)
        elif produce is downloads:
            made = downloads(catalog, site_url, cache)
        elif produce is calculator:
            engine = calculator_files(catalog, pyodide_dir, calculator_site(), cache)
            made = engine_entries(engine)
        elif produce is audit:
            made = audit(catalog, pyodide_dir, engine, cache)
        else:
            made = produce(catalog)
        for path, content in made.items():
            if path in files:
                raise ValueError(f"{produce.__name__}: {path} 已由其他生成器生成")
            files[path] = content
    if cache is not None:
        cache.keep_years({year.year for year in catalog.years})
    return files
