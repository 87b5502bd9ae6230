"""Assemble ``calculator/``: the page, its scripts, the runtime, the wheel and the data.

The page (an :class:`EnginePage`, which the site makes one of its pages) is Markdown with
the form as raw HTML (no inline script, no inline event handlers: it runs under
``script-src 'self' 'wasm-unsafe-eval'``). Its ``data`` carries the integrity manifest of
every file the scripts load, so the worker can refuse a runtime or wheel whose bytes
differ from what was built (see ``manifest``), and the engine script, which the theme
override puts in ``<head>``
(``generator/site/theme/partials/calculator-head.html``) so the worker starts early.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import resources
from generator.catalog.memo import Slots, file_sha256, from_files
from generator.catalog.model import Catalog, YearCatalog
from generator.catalog.policy_model import Policy
from generator.common.reproducible import build_date, source_date_epoch
from generator.rules.planner import counties, junior_choices

from . import delta
from .calculator_data import year_data
from .runtime import runtime_files, runtime_info
from .snapshot import build_snapshot
from .stdlib import NAME as STDLIB_MIN
from .stdlib import archive_modules, build_trimmed_stdlib, snapshot_imports
from .wheel import build_rules_wheel

log = logging.getLogger(__name__)

ASSETS_DIR = resources.web_dir()
TEMPLATES_DIR = resources.templates_dir()
CALCULATOR_DIR = "calculator"
# The page's ES modules (main.js imports the others; engine.js also starts from <head>),
# published with every relative import pointing at the imported module's versioned URL.
MODULES = (
    "engine.js",
    "copy-status.js",
    "main.js",
    "base64url.js",
    "request.js",
    "validate.js",
    "format.js",
    "store.js",
    "dom.js",
    "adapters.js",
    "form-view.js",
    "picker-view.js",
    "result-view.js",
    "sheet-view.js",
)
# Published as they are: the worker (checked by the manifest) and the styles (common.css:
# what the calculator's and the audit's pages share, linked by both before their own).
# sw.js: the offline copy's service worker (not in the manifest: a browser checks a
# service worker's script itself, on every update).
# snapdelta.js: the worker's module that rebuilds the snapshot (checked by the manifest).
ASSETS = ("worker.js", "snapdelta.js", "common.css", "calculator.css", "sw.js")
_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])\./([\w.-]+\.js)\2""")
MANIFEST_VERSION = 6
# Pyodide's memory once started, as its difference from the wasm's data segments
# (delta.py); the host sends its .br/.gz sibling with Content-Encoding.
SNAPSHOT = "snapshot.bin"


@dataclass(frozen=True)
class EnginePage:
    """A page that runs the engine (``calculator/index.md``, ``audit/index.md``): its kind
    (``calculator`` or ``audit``), title, Markdown body, and ``data`` for the theme's
    ``<head>`` partial (:func:`engine_data`). The site's producers make it a
    :class:`generator.site.model.Page` (this package sits below the site and knows no
    site model)."""

    kind: str
    title: str
    body: str
    data: dict[str, Any]


def integrity(data: bytes) -> str:
    """The Subresource Integrity value (``sha256-<base64>``) of ``data``."""
    return _sri(hashlib.sha256(data).digest())


def _sri(sha256: bytes) -> str:
    return "sha256-" + base64.b64encode(sha256).decode("ascii")


def file_integrity(path: Path) -> tuple[str, int]:
    """The :func:`integrity` and size of a file's bytes, without reading an unchanged
    file again (:func:`generator.catalog.memo.file_sha256`)."""
    return _sri(file_sha256(path)), path.stat().st_size


def content_integrity(content: bytes | Path) -> tuple[str, int]:
    """The :func:`integrity` and size of bytes, or of a file's bytes."""
    if isinstance(content, Path):
        return file_integrity(content)
    return integrity(content), len(content)


def versioned(name: str, sri: str) -> str:
    """``name?v=<digest>``: the URL under which the page and the worker load ``name``.

    A new build that changes a file changes its URL, so a copy a browser kept from an
    earlier deployment is never taken for it (it would fail its integrity check, and a
    script in the page would be blocked outright); a file that did not change keeps its
    URL and its cached copy. Static servers ignore the query.
    """
    digest = base64.b64decode(sri.removeprefix("sha256-"))
    return f"{name}?v={base64.urlsafe_b64encode(digest[:12]).decode('ascii')}"


def _dumps(data: Any) -> bytes:
    # Keys stay in their order: the rules list a policy's options in the order of
    # policy.yaml (error messages included), so policy.json must keep it. The model's
    # order is deterministic, so the bytes are too.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def catalogs_json(catalog: Catalog, cache: Slots | None = None) -> bytes:
    """Every year's courses and classes, oldest year first, for the course picker
    and the gap planner (``calculator_data.catalogs_data`` as JSON). With ``cache``, a
    year's part is taken from it while the year is unchanged."""
    def part(year: YearCatalog) -> bytes:
        if cache is None:
            return _dumps(year_data(year))
        return cache.year("catalogs", year.year, year.fingerprint, lambda: _dumps(year_data(year)))

    # The bytes of _dumps({"years": [...]}), one year's part at a time.
    return b'{"years":[' + b",".join(part(year) for year in catalog.years) + b"]}"


@functools.lru_cache(maxsize=2)
def _counties(catalogs: bytes) -> tuple[str, ...]:
    """The counties the planner reads from ``catalogs.json`` (its bytes): parsed once per
    content (the preview's rebuilds make the same file again; 0.9 MB on 10 x 500)."""
    return tuple(counties(json.loads(catalogs)))


def _restored(snapshot: Path, wasm: Path) -> dict[str, Any]:
    """The memory the worker rebuilds from the snapshot and the wasm (its integrity and
    size), checked before it is restored: decoded once per snapshot and runtime."""
    def make() -> dict[str, Any]:
        memory = delta.decode(snapshot.read_bytes(), wasm.read_bytes())
        return {"integrity": integrity(memory), "size": len(memory)}

    return from_files("snapshot_restored", [snapshot, wasm], make)


def published_modules() -> dict[str, bytes]:
    """The page's modules as published: each relative import (``"./x.js"``) rewritten to
    the imported module's versioned URL (``"./x.js?v=<digest>"``), leaves first, so a
    module's URL changes whenever anything it imports changes."""
    sources = {name: (ASSETS_DIR / name).read_text(encoding="utf-8") for name in MODULES}
    out: dict[str, bytes] = {}

    def publish(name: str, trail: tuple[str, ...]) -> bytes:
        if name in out:
            return out[name]
        if name not in sources or name in trail:
            raise ValueError(f"calculator module {name}: unknown or imported in a cycle {trail}")

        def pointed(match: re.Match[str]) -> str:
            target = match.group(3)
            url = versioned(target, integrity(publish(target, (*trail, name))))
            return f"{match.group(1)}{match.group(2)}./{url}{match.group(2)}"

        out[name] = _IMPORT.sub(pointed, sources[name]).encode()
        return out[name]

    for name in MODULES:
        publish(name, ())
    return out


def _policy_names(typed: Policy) -> dict[str, Any]:
    """What the page's sentences name: ids -> names, from policy.json, in policy order."""
    return {
        # Who may attend county classes (notice 第四条): the form offers its county choice
        # for these targets and titles held, as the planner reads them.
        "junior": junior_choices(typed.as_rules_data()),
        "targets": dict(typed.targets),
        "titles": dict(typed.titles),
        "modules": dict(typed.modules),
        "specialties": dict(typed.specialties),
        "levels": dict(typed.levels),  # a plan card's 级别, as the schedule says it
        # The title a promotion is applied for from (junior_first: none).
        "currentTitles": {
            target: typed.titles[title] for target, title in typed.current_titles.items()
        },
        "startYear": typed.start_year,
        "recordModule": typed.record_module,  # a new record's module
        # One record above a whole cycle's hours is worth a second look.
        "maxRecordHours": typed.max_cycle_hours,
    }


def page_templates() -> Environment:
    """The Jinja environment of the calculator's and the audit's page templates."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def engine_imports() -> tuple[str, ...]:
    """The modules ``engine.js`` imports (``copy-status.js``), as its source names them.
    Both engine pages start ``engine.js`` from ``<head>``, so the head partial preloads
    these with their integrity: an import fetched before a modulepreload in the body is
    parsed would go unchecked."""
    source = (ASSETS_DIR / "engine.js").read_text(encoding="utf-8")
    return tuple(match.group(3) for match in _IMPORT.finditer(source))


def engine_data(manifest: dict[str, Any], engine: str, engine_integrity: str,
                preload: list[dict[str, str]]) -> dict[str, Any]:
    """What an engine page's ``data`` holds for the theme's ``<head>`` partial
    (``generator/site/theme/partials/calculator-head.html``): the manifest as JSON text,
    the engine module's URL and integrity, and its imports' (``preload``: src, integrity)."""
    return {"calculator": {"manifest": _dumps(manifest).decode(),
                           "engine": {"src": engine, "integrity": engine_integrity},
                           "preload": preload}}


def _render_page(
    policy: Policy,
    manifest: dict[str, Any],
    asset_sri: dict[str, str],
    site: Mapping[str, Any] | None = None,
    county_names: list[str] | None = None,
) -> EnginePage:
    template = page_templates().get_template("calculator.md.j2")
    typed = policy
    engine = versioned("engine.js", asset_sri["engine.js"])
    body = template.render(
        document=typed.document,
        start_year=typed.start_year,
        targets=list(typed.targets.items()),
        titles=list(typed.titles.items()),
        modules=list(typed.modules.items()),
        specialties=list(typed.specialties.items()),
        counties=county_names or [],
        names=_dumps(
            {**_policy_names(policy), "counties": county_names or [], **(site or {})}
        ).decode(),
        manifest=_dumps(manifest).decode(),
        modules_preloaded=[
            {"url": versioned(name, asset_sri[name]), "integrity": asset_sri[name]}
            for name in MODULES
            if name not in ("engine.js", "main.js", *engine_imports())
        ],
        main=versioned("main.js", asset_sri["main.js"]),
        main_integrity=asset_sri["main.js"],
        engine=versioned("engine.js", asset_sri["engine.js"]),
        engine_integrity=asset_sri["engine.js"],
        styles=[
            {"url": versioned(name, asset_sri[name]), "integrity": asset_sri[name]}
            for name in ("common.css", "calculator.css")
        ],
    )
    preload = [{"src": versioned(name, asset_sri[name]), "integrity": asset_sri[name]}
               for name in engine_imports()]
    return EnginePage("calculator", "学时自查", body,
                      engine_data(manifest, engine, asset_sri["engine.js"], preload))


def files(
    catalog: Catalog, pyodide_dir: Path | None = None, site: Mapping[str, Any] | None = None,
    cache: Slots | None = None,
) -> dict[str, bytes | Path | EnginePage]:
    """The files of ``/calculator/``: site-relative path -> bytes, or a Path to copy, and
    the page (``calculator/index.md``).

    ``site``: what the page's scripts need from the site around it, added to its names
    (``links``: where the plan's cards link, ``contactPatterns``: what of a contact is a
    telephone number or an address; see :func:`generator.site.producers.calculator_site`);
    without it the cards name their class, courses and form without links.
    ``cache`` (the build's :class:`~generator.site.cache.BuildCache`) keeps each year's
    part of ``catalogs.json`` while the year is unchanged.

    ``pyodide_dir`` is the installed npm package (default: :func:`generator.site.portal.pyodide_dir`).
    Raises :class:`~generator.browser.RuntimeMissing` when it is not installed,
    :class:`~generator.browser.WheelError` when the rules wheel cannot be built and
    :class:`~generator.browser.SnapshotError` when the snapshot cannot be made.
    """
    runtime = runtime_files(pyodide_dir)
    info = runtime_info(pyodide_dir)
    wheel_name, wheel = build_rules_wheel()
    stdlib_min = build_trimmed_stdlib(wheel, pyodide_dir)
    assets = {name: ASSETS_DIR / name for name in ASSETS}

    out: dict[str, bytes | Path | EnginePage] = {}
    checked: dict[str, bytes | Path] = {
        **{f"pyodide/{name}": path for name, path in runtime.items()},
        wheel_name: wheel,
        "policy.json": _dumps(catalog.policy.as_rules_data()),
        "catalogs.json": catalogs_json(catalog, cache),
        "worker.js": assets["worker.js"],
        "snapdelta.js": assets["snapdelta.js"],
        f"pyodide/{STDLIB_MIN}": stdlib_min,
        SNAPSHOT: build_snapshot(stdlib_min, pyodide_dir, snapshot_imports()),
    }
    entries = {}
    for name, content in checked.items():
        sri, size = content_integrity(content)
        entries[name] = {"integrity": sri, "size": size, "url": versioned(name, sri)}
        out[f"{CALCULATOR_DIR}/{name}"] = content
    snapshot = checked[SNAPSHOT]
    assert isinstance(snapshot, Path)
    # What the worker rebuilds from it and the wasm: checked before it is restored.
    restored = _restored(snapshot, runtime["pyodide.asm.wasm"])
    manifest = {
        "version": MANIFEST_VERSION,
        "pyodide": info["version"],
        "lock_info": info["lock_info"],
        "wheel": wheel_name,
        "snapshot": SNAPSHOT,
        # The snapshot as rebuilt (snapdelta.js), before Pyodide restores it.
        "snapshot_format": f"{delta.MAGIC.decode()}{delta.VERSION}",
        "snapshot_restored": restored,
        # The day of this deployment (the build's, SOURCE_DATE_EPOCH's when set): the
        # page names it when it answers from its offline copy (engine.js, copy-status.js).
        "deployed": build_date(source_date_epoch()),
        # The standard library mounted with the snapshot (the full one without it): the
        # audit page fetches it at once, the calculator only for a module of it that the
        # snapshot has not imported (worker.js, the lazy standard library), one of these.
        "snapshot_stdlib": f"pyodide/{STDLIB_MIN}",
        "snapshot_stdlib_modules": archive_modules(stdlib_min),
        # What the full one holds: the worker's fallback fetches it only for one of these.
        "stdlib_modules": archive_modules(runtime["python_stdlib.zip"]),
        "files": dict(sorted(entries.items())),
    }
    modules = published_modules()
    asset_sri = {name: file_integrity(path)[0] for name, path in assets.items()}
    asset_sri.update({name: integrity(data) for name, data in modules.items()})
    # The page's own modules and styles: checked by their SRI attributes in the page
    # (the script, the stylesheets and one modulepreload per imported module).
    for name in ("common.css", "calculator.css"):
        out[f"{CALCULATOR_DIR}/{name}"] = assets[name]
    out[f"{CALCULATOR_DIR}/sw.js"] = assets["sw.js"]
    for name, data in modules.items():
        out[f"{CALCULATOR_DIR}/{name}"] = data
    out[f"{CALCULATOR_DIR}/manifest.json"] = _dumps(manifest)
    # The counties as the planner reads them from catalogs.json (made from it, rather
    # than from every year's records again on each of the preview's rebuilds).
    catalogs = checked["catalogs.json"]
    assert isinstance(catalogs, bytes)
    out[f"{CALCULATOR_DIR}/index.md"] = _render_page(
        catalog.policy, manifest, asset_sri, site, list(_counties(catalogs))
    )
    return dict(sorted(out.items()))
