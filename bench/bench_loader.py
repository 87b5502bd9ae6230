"""Benchmark: load + validate one generated catalog of 10,000 courses (~5 MB).

    python bench/bench_loader.py [--courses 10000] [--runs 7] [--pure]

Prints the median wall time of ``load_catalog`` over the runs (goal: under 2 s), and
of the loader alone. ``--pure`` forces PyYAML's pure-Python parser (no libyaml).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_catalog  # noqa: E402 - a sibling script, not a package

from generator import loading  # noqa: E402
from generator.validating import load_catalog  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import Result  # noqa: E402

log = logging.getLogger(__name__)
GOAL_SECONDS = 2.0


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
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


def run(courses: int = 10_000, classes: int = 100, runs: int = 3) -> list[Result]:
    """For ``make bench`` (bench/run.py): load + validate against libyaml's plain
    ``CSafeLoader`` on the same bytes (no marks, no checks: the parsing floor)."""
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        files = write_catalog(tmp, years=1, courses=courses, classes=classes)
        data = files[1].read_bytes()
        load_catalog(tmp, strict=True)  # warms caches
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        floor = median_seconds(lambda: yaml.load(data, Loader=loader), runs)  # noqa: S506
        total = median_seconds(lambda: load_catalog(tmp), runs)
    return [
        Result(
            f"loader: load + validate {courses:,} courses ({len(data) / 1e6:.1f} MB)",
            total[0],
            "s",
            goal=f"< {GOAL_SECONDS:.0f} s",
            met=total[0] < GOAL_SECONDS,
            baseline=floor[0],
            note="baseline: yaml.load with libyaml's CSafeLoader (no marks, no checks)",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pure", action="store_true", help="PyYAML 纯 Python 解析器")
    args = parser.parse_args(argv)
    if args.pure:
        loading.HAVE_LIBYAML = False
    with tempfile.TemporaryDirectory() as tmp:
        files = write_catalog(tmp, years=1, courses=args.courses, classes=args.classes)
        data = files[1].read_bytes()
        catalog, warnings = load_catalog(tmp, strict=True)  # valid, and warms caches
        assert len(catalog.years[0].courses) == args.courses and not warnings
        parse = median_seconds(lambda: loading.parse_yaml(data, "bench.yaml"), args.runs)
        total = median_seconds(lambda: load_catalog(tmp), args.runs)
    parser_name = (
        "PyYAML (pure Python)" if args.pure else "libyaml" if loading.HAVE_LIBYAML else "PyYAML"
    )
    print(
        f"{args.courses} courses, {len(data) / 1e6:.2f} MB, parser {parser_name}, median of {args.runs} runs:"
    )
    print(f"  strict loader alone:            {parse[0]:.3f} s wall, {parse[1]:.3f} s CPU")
    print(
        f"  load_catalog (load + validate): {total[0]:.3f} s wall, {total[1]:.3f} s CPU  (goal < {GOAL_SECONDS:.0f} s)"
    )
    return 0 if total[0] < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
