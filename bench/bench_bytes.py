"""Bytes on the wire: the calculator's first result and a catalog page, raw and gzipped.

    .venv/bin/python bench/bench_bytes.py

A first-time visitor (new Chromium profile) against the portal built from the bundled
catalog; the server records every response body it sends. "gzip" is the sum of each
file compressed at level 6, what a host with gzip on for every type would send.

- calculator: ``/calculator/`` until its first result, against the bare
  ``loadPyodide()`` page on the same runtime;
- catalog page: ``/catalog/<latest year>/`` until the network is idle (Material's search
  index included), which must fetch nothing of Pyodide, against Material's own bare page
  of the same site (``404.html``: the theme, nav and search, no generated content).
"""

from __future__ import annotations

import gzip
import sys
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_calculator import REQUEST, bare_visit, calculator_visit  # noqa: E402
from bench.common import Result  # noqa: E402
from bench.sites import PYODIDE_NPM, Hit, StaticServer, browser, built_site  # noqa: E402

NOTES: list[str] = []


def file_of(site: Path, path: str) -> Path:
    path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
    if path.startswith("/bare-runtime/"):
        return PYODIDE_NPM / path.rsplit("/", 1)[1]
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def totals(site: Path, hits: list[Hit]) -> tuple[int, int, int, int]:
    """(raw bytes, gzip -6 bytes, bytes counted, number of files) of the bodies sent.

    raw: each file as it is on disk; gzip: each file at gzip level 6; counted: each
    response at the smaller of what was sent (a precompressed sibling where the server
    had one and the browser accepted it) and the file at gzip level 6.
    """
    raw = packed = counted = count = 0
    for hit in hits:
        if hit.status != 200:
            continue
        data = file_of(site, hit.path).read_bytes()
        gz = len(gzip.compress(data, 6, mtime=0))
        raw += len(data)
        packed += gz
        counted += min(hit.size, gz)
        count += 1
    return raw, packed, counted, count


def page_visit(context: Any, url: str) -> None:
    page = context.new_page()
    try:
        page.goto(url, wait_until="networkidle")
    finally:
        page.close()


def measure() -> list[Result]:
    NOTES.clear()
    site = built_site()
    latest = max(int(p.name) for p in (site / "catalog").iterdir() if p.name.isdigit())
    catalog_url = f"catalog/{latest}/"
    visits: dict[str, list[Hit]] = {}
    with StaticServer(site) as server:
        for name in ("calculator", "bare", "catalog", "material"):
            with browser() as context:
                server.take_hits()
                if name == "calculator":
                    calculator_visit(context, server.base)
                elif name == "bare":
                    bare_visit(context, server.base)
                elif name == "catalog":
                    page_visit(context, server.base + catalog_url)
                else:
                    page_visit(context, server.base + "404.html")
                visits[name] = server.take_hits()
    calc, bare, cat, material = (totals(site, visits[k])
                                 for k in ("calculator", "bare", "catalog", "material"))
    pyodide_on_catalog = [h.path for h in visits["catalog"] if "pyodide" in h.path]
    sent = sorted({h.encoding for h in visits["calculator"] if h.encoding})
    NOTES.append(
        "bytes: the server sends the build's precompressed siblings with Content-Encoding "
        f"where the browser accepts them (calculator visit: {', '.join(sent) or 'none'}); "
        "the bare page's runtime has none (its files are the npm package's)."
    )
    NOTES.append(
        f"bytes: first visit, new profile; calculator {calc[3]} files until its first result "
        f"(request: {len(REQUEST['records'])} records), bare loadPyodide page {bare[3]} files; "
        f"/{catalog_url} {cat[3]} files until the network is idle, Material's bare page "
        f"(404.html) {material[3]} files. gzip = each file at level 6 (the .wasm included)."
    )
    if pyodide_on_catalog:
        NOTES.append(f"bytes: the catalog page fetched Pyodide files: {', '.join(pyodide_on_catalog)}")
    no_pyodide = not pyodide_on_catalog
    return [
        Result("bytes: calculator to first result (raw)", calc[0] / 1000, "kB",
               baseline=bare[0] / 1000, note="baseline: bare loadPyodide page"),
        Result("bytes: calculator to first result (gzip)", calc[1] / 1000, "kB",
               baseline=bare[1] / 1000, note="baseline: bare loadPyodide page"),
        Result("bytes: calculator to first result (each response: min of sent, gzip -6)",
               calc[2] / 1000, "kB", goal="ratio ≤ 1.1", met=calc[2] <= 1.1 * bare[2],
               baseline=bare[2] / 1000, note="baseline: bare loadPyodide page"),
        # Issue 28: what a phone's first visit downloads, against the same bare page.
        Result("bytes: calculator to first result, a phone's first visit (issue 28 goal)",
               calc[2] / 1000, "kB", goal="ratio ≤ 0.9", met=calc[2] <= 0.9 * bare[2],
               baseline=bare[2] / 1000, note="baseline: bare loadPyodide page"),
        Result(f"bytes: catalog page /{catalog_url} (raw)", cat[0] / 1000, "kB",
               goal="no Pyodide", met=no_pyodide, baseline=material[0] / 1000,
               note="baseline: Material's bare page"),
        Result(f"bytes: catalog page /{catalog_url} (gzip)", cat[1] / 1000, "kB",
               goal="no Pyodide", met=no_pyodide, baseline=material[1] / 1000,
               note="baseline: Material's bare page"),
    ]


def run() -> list[Result]:
    return measure()


def main() -> int:
    for r in measure():
        ratio = f"  (ratio {r.ratio:.2f})" if r.ratio else ""
        print(f"{r.name}: {r.value:,.1f} {r.unit}{ratio}  (baseline {r.baseline:,.1f})")
    for note in NOTES:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
