"""Calculator start-up: navigation to the first result, cold and warm, against a bare
page that only calls ``loadPyodide`` on the same vendored runtime, in the same run.

    .venv/bin/python bench/calculator_start.py [--runs 7] [--catalog catalog]

Each run opens a new Chromium profile (cold: empty HTTP and code caches), loads the
page, then loads it again in the same profile (warm). Both pages are measured in
every run, in alternating order. Figures are ``performance.mark`` times, i.e.
milliseconds since navigation start:

- calculator: ``ce-first-result``, set when the first result is on screen, for a
  ``#r=`` link (an engineer reopening a saved self-check): runtime fetched and checked
  against the manifest, Pyodide booted in the worker, wheel installed, request
  evaluated, result drawn;
- bare: ``bare-ready``, set when ``loadPyodide()`` on the main thread has resolved and
  run ``1 + 1``.

Prints a table of medians and ratios and writes ``bench/out/calculator_start.json``.
Measured, not asserted: the machine's load decides the absolute figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.calculator import files, preview  # noqa: E402
from generator.validating import load_catalog  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": 2011,
    "records": [
        {"year": 2009, "module": "public", "hours": 8},
        {"year": 2010, "module": "elective", "hours": 40},
        {"year": 2011, "module": "other", "hours": 30},
    ],
}
BARE_JS = """\
import { loadPyodide } from "./pyodide/pyodide.mjs";

const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
document.getElementById("out").textContent = String(pyodide.runPython("1 + 1"));
performance.mark("bare-ready");
"""
BARE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def build(out: Path, catalog_dir: Path) -> None:
    catalog, _warnings = load_catalog(catalog_dir)
    preview.write(out, files(catalog))
    bare = out / "bare"
    (bare / "pyodide").mkdir(parents=True)
    for name in BARE_FILES:
        shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, bare / "pyodide" / name)
    (bare / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bare / "index.html").write_text(
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{preview.CSP}">\n'
        '<link rel="icon" href="data:,"><title>bare</title></head>\n'
        '<body><p id="out"></p><script type="module" src="bare.js"></script></body></html>\n',
        encoding="utf-8",
    )


def measure(page: Any, url: str, mark: str) -> float:
    page.goto(url)
    # A function, not a string: the pages' CSP forbids evaluating strings.
    page.wait_for_function(
        "(m) => performance.getEntriesByName(m).length > 0", arg=mark, timeout=120_000
    )
    return float(page.evaluate("(m) => performance.getEntriesByName(m)[0].startTime", mark))


def run(runs: int, catalog_dir: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    link = base64.urlsafe_b64encode(json.dumps(REQUEST).encode()).decode().rstrip("=")
    times: dict[str, list[float]] = {
        k: [] for k in ("calculator cold", "calculator warm", "bare cold", "bare warm")
    }
    with tempfile.TemporaryDirectory(prefix="ceportal-bench-") as tmp:
        out = Path(tmp) / "site"
        build(out, catalog_dir)
        with preview.serve(out, csp_header=False) as base, sync_playwright() as p:
            pages = {
                "calculator": (f"{base}calculator/#r={link}", "ce-first-result"),
                "bare": (f"{base}bare/", "bare-ready"),
            }
            for i in range(runs):
                order = ["calculator", "bare"] if i % 2 == 0 else ["bare", "calculator"]
                for name in order:
                    url, mark = pages[name]
                    profile = Path(tmp) / f"profile-{i}-{name}"
                    context = p.chromium.launch_persistent_context(
                        profile,
                        executable_path="/usr/bin/chromium",
                        args=CHROMIUM_ARGS,
                        headless=True,
                    )
                    page = context.new_page()
                    times[f"{name} cold"].append(measure(page, url, mark))
                    page.goto("about:blank")
                    times[f"{name} warm"].append(measure(page, url, mark))
                    context.close()
                print(
                    f"run {i + 1}/{runs}: "
                    + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in times.items()),
                    flush=True,
                )
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {
        "runs": runs,
        "times_ms": times,
        "median_ms": medians,
        "ratio_cold": medians["calculator cold"] / medians["bare cold"],
        "ratio_warm": medians["calculator warm"] / medians["bare warm"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    args = parser.parse_args()
    result = run(args.runs, args.catalog)
    m = result["median_ms"]
    print("\n| | cold (new profile) | warm (second visit) |\n|---|---|---|")
    print(
        f"| calculator, first result | {m['calculator cold']:.0f} ms | {m['calculator warm']:.0f} ms |"
    )
    print(f"| bare loadPyodide | {m['bare cold']:.0f} ms | {m['bare warm']:.0f} ms |")
    print(f"| ratio | {result['ratio_cold']:.2f} | {result['ratio_warm']:.2f} |")
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "calculator_start.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
