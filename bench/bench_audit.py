"""Benchmark of ``ceportal audit``: 10,000 applicants x 10 hours records.

Generates the input (CSV, and XLSX with ``--xlsx``) in a temporary folder, runs the
real command in a fresh process a few times and prints the median wall time.
The goal (issue 8) is under 10 s for the CSV input.

    .venv/bin/python bench/bench_audit.py [--applicants N] [--records N] [--runs N] [--xlsx]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result  # noqa: E402

HEADERS = [
    "编号",
    "姓名",
    "类型",
    "拟申报",
    "现职称",
    "年度",
    "周期起始",
    "学时年度",
    "类别",
    "学时",
]
TARGETS = ["初次申报初级", "技术员晋升助理工程师", "工程师", "高级工程师及以上"]
TITLES = ["技术员", "助理工程师", "工程师", "高级工程师"]
MODULES = ["公共必修课", "专业选修课", "其他形式"]


def rows(applicants: int, records: int, seed: int = 74) -> list[list[object]]:
    """Mixed promotion and cycle applicants, half with whole and half with half hours."""
    return list(iter_rows(applicants, records, seed))


def iter_rows(applicants: int, records: int, seed: int = 74) -> Iterator[list[object]]:
    """:func:`rows` one at a time (a million rows are written without holding them)."""
    rnd = random.Random(seed)
    for n in range(1, applicants + 1):
        year = rnd.randint(2009, 2016)
        if n % 2:
            head = ["申报晋升", rnd.choice(TARGETS), "", year, ""]
        else:
            start = rnd.randint(2009, year)
            head = ["周期验审", "", rnd.choice(TITLES), year, start]
        for _ in range(records):
            hours = rnd.choice([4, 8, 16, 2.5, 8.5])
            yield (
                [
                    f"A{n:05d}",
                    f"申报人{n}",
                    *head,
                    rnd.randint(2009, year),
                    rnd.choice(MODULES),
                    hours,
                ]
            )


def write_csv(path: Path, data: Iterable[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        w.writerows(data)


def write_xlsx(path: Path, data: list[list[object]]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("学时")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    book.save(path)


def time_run(args: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"audit failed ({proc.returncode}): {proc.stderr}")
    return elapsed


def run(applicants: int = 10_000, records: int = 10, runs: int = 3) -> list[Result]:
    return [*small(applicants, records, runs), *large()]


def small(applicants: int = 10_000, records: int = 10, runs: int = 3) -> list[Result]:
    """For ``make bench`` (bench/run.py): the CSV audit in a fresh process, against the
    same process doing nothing but start (``ceportal --version``)."""
    data = rows(applicants, records)
    cli = [sys.executable, "-m", "generator.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        write_csv(src, data)
        times = [time_run([*cli, "audit", str(src), "-o", str(dst), "--force"]) for _ in range(runs)]
        start = [time_run([*cli, "--version"]) for _ in range(runs)]
    median = statistics.median(times)
    return [
        Result(
            f"audit: {applicants:,} applicants x {records} records (CSV)",
            median,
            "s",
            goal="< 10 s",
            met=median < 10,
            baseline=statistics.median(start),
            note="baseline: the same command line starting and exiting (--version)",
        )
    ]


def peak(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a command, from GNU time."""
    proc = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"audit failed ({proc.returncode}): {proc.stderr[-2000:]}")
    fields = dict(
        line.strip().rsplit(": ", 1) for line in proc.stderr.splitlines() if ": " in line
    )
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(part) * 60**i for i, part in enumerate(reversed(wall)))
    return seconds, int(fields["Maximum resident set size (kbytes)"]) / 1024


def large(total: int = 1_000_000, records: int = 10) -> list[Result]:
    """A million record rows (CSV in, CSV and XLSX reports out) in one fresh process
    each: wall time and peak memory (the goal: at most 1 GB, README "Limits")."""
    cli = [sys.executable, "-m", "generator.cli", "audit"]
    out: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "large.csv"
        write_csv(src, iter_rows(total // records, records))
        for suffix in ("csv", "xlsx"):
            dst = Path(tmp) / f"report.{suffix}"
            seconds, mb = peak([*cli, str(src), "-o", str(dst), "--force"])
            label = f"audit: {total:,} record rows (CSV in, {suffix.upper()} report)"
            out.append(Result(f"{label}: time", seconds, "s"))
            out.append(Result(f"{label}: peak memory", mb, "MB", goal="<= 1024 MB",
                              met=mb <= 1024, note="GNU time -v, maximum resident set size"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xlsx", action="store_true", help="also time an XLSX input and report")
    parser.add_argument("--large", action="store_true",
                        help="only the 1,000,000-row run: time and peak memory")
    opts = parser.parse_args()
    if opts.large:
        for result in large():
            print(f"{result.name}: {result.value:.1f} {result.unit}")
        return 0
    data = rows(opts.applicants, opts.records)
    cli = [sys.executable, "-m", "generator.cli", "audit"]
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"csv -> csv": (Path(tmp) / "in.csv", Path(tmp) / "out.csv")}
        write_csv(cases["csv -> csv"][0], data)
        if opts.xlsx:
            cases["xlsx -> xlsx"] = (Path(tmp) / "in.xlsx", Path(tmp) / "out.xlsx")
            write_xlsx(cases["xlsx -> xlsx"][0], data)
        for label, (src, dst) in cases.items():
            times = [time_run([*cli, str(src), "-o", str(dst), "--force"]) for _ in range(opts.runs)]
            print(
                f"audit {label}: {opts.applicants} applicants x {opts.records} records, "
                f"median {statistics.median(times):.2f} s over {opts.runs} runs "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
