"""``make bench``: run every benchmark, print a table and write BENCHMARKS.md.

Each benchmark module has ``run() -> list[Result]``; figures are medians over several
runs, compared with a baseline measured in the same run where one exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result  # noqa: E402

# In the order they are reported.
MODULES = [
    "bench_rules",
    "bench_loader",
    "bench_audit",
    "bench_audit_browser",
    "bench_build",
    "bench_calculator",
    "bench_bytes",
]


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("B", "bytes"):
        return f"{value:,.0f} B"
    if unit == "kB":
        return f"{value:,.1f} kB"
    if unit == "MB":
        return f"{value:,.2f} MB"
    return f"{value:,.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def table(results: list[Result]) -> str:
    rows = [
        "| figure | median | baseline (same run) | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        rows.append(
            f"| {r.name} | {fmt(r.value, r.unit)} | {fmt(r.baseline, r.unit)} | {ratio} | {r.goal} | {met} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="run only these modules")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    results: list[Result] = []
    notes: list[str] = []
    started = time.monotonic()
    for name in args.only or MODULES:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        t0 = time.monotonic()
        got = module.run()
        for r in got:
            print(
                f"   {r.name}: {fmt(r.value, r.unit)}"
                + (f"  (ratio {r.ratio:.2f})" if r.ratio else ""),
                flush=True,
            )
        results.extend(got)
        notes.extend(getattr(module, "NOTES", []))
        print(f"   ({time.monotonic() - t0:.0f} s)", flush=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `make bench` (`bench/run.py`); do not edit by hand. Every figure is a median",
            "over several runs; ratios compare with a baseline measured in the same run on the same",
            "machine, since absolute times on a shared machine are noisy.",
            "",
            f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
            f"- machine: {machine()}",
            f"- commit: {commit or 'unknown'}",
            f"- total benchmark time: {time.monotonic() - started:.0f} s",
            "",
            table(results),
            "",
            *(["## Notes", "", *[f"- {n}" for n in notes], ""] if notes else []),
        ]
    )
    Path(args.output).write_text(text, encoding="utf-8")
    print()
    print(table(results))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
