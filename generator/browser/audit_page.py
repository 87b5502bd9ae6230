"""Assemble ``audit/``: the page, its scripts, the vendored wheels and the input template.

The page runs on the calculator's engine: it loads ``calculator/engine.js``, which starts
``calculator/worker.js`` on the calculator's runtime, snapshot and rules wheel (whose
files are not published twice). Its manifest is the calculator's plus an ``extension``:
the pinned openpyxl wheels and ``audit-worker.js``, which the worker installs and starts
after the rules (see worker.js), each listed with its sha256 like every other file the
worker loads. Paths in the manifest are relative to ``calculator/``, as the worker's are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.catalog.memo import Slots, digest
from generator.catalog.model import Catalog
from generator.common.reproducible import source_date_epoch

from . import audit_template as template
from .calculator_page import (
    ASSETS_DIR,
    CALCULATOR_DIR,
    EnginePage,
    _dumps,
    content_integrity,
    engine_data,
    engine_imports,
    file_integrity,
    integrity,
    page_templates,
    versioned,
)
from .calculator_page import files as calculator_files
from .vendor import vendored_wheels

log = logging.getLogger(__name__)

AUDIT_DIR = "audit"
AUDIT_ASSETS = ASSETS_DIR / "audit"
# The page's own script and style (SRI attributes in the page) and the worker's module.
PAGE_ASSETS = ("audit.js", "audit.css")
# The stylesheet it shares with the calculator (linked before audit.css), from calculator/.
COMMON_CSS = "common.css"
WORKER_MODULE = "audit-worker.js"
# The offline copy's service worker (generator/browser/web/sw.js), scope /audit/.
SERVICE_WORKER = "sw.js"
# From calculator/, where the worker resolves the manifest's paths, to audit/.
FROM_ENGINE = f"../{AUDIT_DIR}/"


def _published(produced: Mapping[str, bytes | Path | EnginePage], name: str) -> bytes:
    content = produced[f"{CALCULATOR_DIR}/{name}"]
    assert not isinstance(content, EnginePage)
    return content.read_bytes() if isinstance(content, Path) else content


def _manifest(produced: Mapping[str, bytes | Path | EnginePage], extra: dict[str, bytes | Path]) -> dict[str, Any]:
    """The calculator's manifest with ``extra`` (audit/ name -> content) as the extension."""
    manifest: dict[str, Any] = json.loads(_published(produced, "manifest.json"))
    for name, content in extra.items():
        sri, size = content_integrity(content)
        manifest["files"][FROM_ENGINE + name] = {
            "integrity": sri, "size": size, "url": FROM_ENGINE + versioned(name, sri),
        }
    # The worker is started from audit/ (the same bytes): a worker's requests go through the
    # service worker whose scope holds the worker's own URL, so /audit/sw.js sees them.
    worker = manifest["files"]["worker.js"]
    worker["url"] = FROM_ENGINE + worker["url"]
    manifest["files"] = dict(sorted(manifest["files"].items()))
    manifest["extension"] = {
        "module": FROM_ENGINE + WORKER_MODULE,
        "wheels": [FROM_ENGINE + name for name in extra if name.endswith(".whl")],
    }
    # Where the paths start, from audit/ (audit/manifest.json, audit/worker.js): the
    # calculator's folder, where engine.js resolves them too.
    manifest["base"] = f"../{CALCULATOR_DIR}/"
    return manifest


def _templates(catalog: Catalog, cache: Slots | None) -> dict[str, bytes]:
    """The input templates (csv, xlsx): made from the policy and the epoch alone."""
    epoch = source_date_epoch()

    def make() -> dict[str, bytes]:
        return {
            f"{AUDIT_DIR}/{template.CSV_NAME}": template.template_csv(catalog.policy),
            f"{AUDIT_DIR}/{template.XLSX_NAME}": template.template_xlsx(catalog.policy, epoch),
        }

    if cache is None:
        return make()
    return cache.site("audit-templates",
                      digest(catalog.policy.as_rules_data(), catalog.policy, epoch), make)


def _render(catalog: Catalog, manifest: dict[str, Any], sri: dict[str, str],
            engine_sri: str, common_sri: str, preload: list[dict[str, str]]) -> EnginePage:
    engine = f"../{CALCULATOR_DIR}/" + versioned("engine.js", engine_sri)
    body = page_templates().get_template("audit.md.j2").render(
        document=catalog.policy.document,
        app=versioned("audit.js", sri["audit.js"]),
        app_integrity=sri["audit.js"],
        styles=[
            # The rules it shares with the calculator, as the calculator publishes them.
            {"url": f"../{CALCULATOR_DIR}/" + versioned(COMMON_CSS, common_sri),
             "integrity": common_sri},
            {"url": versioned("audit.css", sri["audit.css"]), "integrity": sri["audit.css"]},
        ],
        template_csv=template.CSV_NAME,
        template_xlsx=template.XLSX_NAME,
        template_stem=template.DOWNLOAD_STEM,
    )
    return EnginePage("audit", "批量核查", body, engine_data(manifest, engine, engine_sri, preload))


def files(catalog: Catalog, pyodide_dir: Path | None = None,
          calculator: Mapping[str, bytes | Path | EnginePage] | None = None,
          cache: Slots | None = None) -> dict[str, bytes | Path | EnginePage]:
    """The files of ``/audit/``: site-relative path -> bytes, or a Path to copy, and the
    page (``audit/index.md``). ``calculator``: the calculator's files when already made
    (:func:`generator.browser.calculator_files` of the same catalog and runtime).
    ``cache`` (the build's :class:`~generator.site.cache.BuildCache`) keeps the input
    templates while the policy and the epoch are unchanged.

    Raises what :func:`generator.browser.files` raises, and
    :class:`~generator.browser.vendor.VendorError` (a ``WheelError``) when a pinned
    wheel cannot be had.
    """
    extra: dict[str, bytes | Path] = {
        **vendored_wheels(),
        WORKER_MODULE: AUDIT_ASSETS / WORKER_MODULE,
    }
    produced = calculator if calculator is not None else calculator_files(catalog, pyodide_dir, cache=cache)
    manifest = _manifest(produced, extra)
    # The calculator's engine module as it publishes it (its imports carry versions).
    engine_sri = integrity(_published(produced, "engine.js"))
    common_sri = integrity(_published(produced, COMMON_CSS))
    sri = {name: file_integrity(AUDIT_ASSETS / name)[0] for name in PAGE_ASSETS}
    out: dict[str, bytes | Path | EnginePage] = {f"{AUDIT_DIR}/{name}": content for name, content in extra.items()}
    for name in PAGE_ASSETS:
        out[f"{AUDIT_DIR}/{name}"] = AUDIT_ASSETS / name
    # Offline after one visit, as the calculator: the same service worker, reading this
    # page's manifest.
    out[f"{AUDIT_DIR}/{SERVICE_WORKER}"] = ASSETS_DIR / SERVICE_WORKER
    out[f"{AUDIT_DIR}/worker.js"] = produced[f"{CALCULATOR_DIR}/worker.js"]
    out[f"{AUDIT_DIR}/manifest.json"] = _dumps(manifest)
    out.update(_templates(catalog, cache))
    # The engine module's imports, as the calculator publishes them (its <head> preloads them).
    preload = [{"src": f"../{CALCULATOR_DIR}/" + versioned(name, sri_of), "integrity": sri_of}
               for name in engine_imports()
               for sri_of in [integrity(_published(produced, name))]]
    out[f"{AUDIT_DIR}/index.md"] = _render(catalog, manifest, sri, engine_sri, common_sri, preload)
    return dict(sorted(out.items()))
