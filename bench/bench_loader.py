"""Benchmark: load + validate one generated catalog of 10,000 courses (~5 MB).

    python bench/bench_loader.py [--courses 10000] [--runs 7] [--pure]

Prints the median wall and CPU time of ``load_catalog`` over the runs (goal: under
2 s), and of the strict loader alone. ``--pure`` forces PyYAML's pure-Python parser
(no libyaml). ``run()`` gives the rows of ``make bench`` (bench/run.py), with PyYAML's
own ``yaml.load(..., CBaseLoader)`` of the same file (no marks, no checks) as baseline.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result, median_seconds  # noqa: E402
from bench.synthetic import write_catalog  # noqa: E402
from generator.catalog import loading  # noqa: E402
from generator.catalog.validating import load_catalog  # noqa: E402

log = logging.getLogger(__name__)
GOAL_SECONDS = 2.0
COURSES = 10_000
CLASSES = 100
NOTES = [
    "catalog: the 10,000-course file is written by bench/synthetic.py (deterministic, valid "
    "under `ceportal check --strict`); the loader's baseline is PyYAML's `yaml.load` with "
    "libyaml's CBaseLoader on the same bytes, which keeps no marks and checks nothing.",
]


def wall_and_cpu(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``runs`` calls of ``action``.

    CPU time is reported too because wall time on a shared machine varies with load.
    """
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _catalog(tmp: str, courses: int, classes: int) -> bytes:
    files = write_catalog(tmp, years=1, courses=courses, classes=classes)
    catalog, warnings = load_catalog(tmp, strict=True)  # valid, and warms caches
    assert len(catalog.years[0].courses) == courses and not warnings
    return files[1].read_bytes()


def run() -> list[Result]:
    """The rows of ``make bench``: load + validate, and the strict loader vs PyYAML's."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _catalog(tmp, COURSES, CLASSES)
        total = median_seconds(lambda: load_catalog(tmp), repeat=7)
        parse = median_seconds(lambda: loading.parse_yaml(data, "bench.yaml"), repeat=5)
        baseline = median_seconds(lambda: yaml.load(data, Loader=yaml.CBaseLoader), repeat=5)  # noqa: S506
    size = f"{COURSES:,} courses, {len(data) / 1e6:.1f} MB"
    return [
        Result(
            f"catalog: load + validate ({size})",
            total,
            "s",
            goal=f"< {GOAL_SECONDS:.0f} s",
            met=total < GOAL_SECONDS,
        ),
        Result(f"catalog: strict loader alone ({size})", parse, "s", baseline=baseline),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--courses", type=int, default=COURSES)
    parser.add_argument("--classes", type=int, default=CLASSES)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pure", action="store_true", help="PyYAML 纯 Python 解析器")
    args = parser.parse_args(argv)
    if args.pure:
        loading.HAVE_LIBYAML = False
    with tempfile.TemporaryDirectory() as tmp:
        data = _catalog(tmp, args.courses, args.classes)
        parse = wall_and_cpu(lambda: loading.parse_yaml(data, "bench.yaml"), args.runs)
        total = wall_and_cpu(lambda: load_catalog(tmp), args.runs)
    parser_name = (
        "PyYAML (pure Python)" if args.pure else "libyaml" if loading.HAVE_LIBYAML else "PyYAML"
    )
    print(
        f"{args.courses} courses, {len(data) / 1e6:.2f} MB, parser {parser_name}, median of {args.runs} runs:"
    )
    print(f"  strict loader alone:            {parse[0]:.3f} s wall, {parse[1]:.3f} s CPU")
    print(
        f"  load_catalog (load + validate): {total[0]:.3f} s wall, {total[1]:.3f} s CPU"
        f"  (goal < {GOAL_SECONDS:.0f} s)"
    )
    return 0 if total[0] < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
