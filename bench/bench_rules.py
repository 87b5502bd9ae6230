"""``evaluate`` with 1,000 records (goal: p50 under 2 ms), against the floor of
simply summing the same records' hours in a Python loop, in the same process."""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result, median_seconds  # noqa: E402
from generator.catalog.policy import load_policy  # noqa: E402
from generator.rules import evaluate  # noqa: E402


def make_request(n: int = 1000, seed: int = 2009) -> dict[str, object]:
    rnd = random.Random(seed)
    records = [
        {
            "year": rnd.randint(2009, 2016),
            "module": rnd.choice(["public", "elective", "other"]),
            "hours": rnd.choice([2, 4, 8, 1.5, 0.5, 16]),
            "label": f"课程{i}",
        }
        for i in range(n)
    ]
    return {"kind": "promotion", "target": "senior_engineer", "year": 2015, "records": records}


def run() -> list[Result]:
    policy = load_policy(ROOT / "catalog")
    request = make_request()
    records = request["records"]
    assert isinstance(records, list)

    def floor() -> float:
        return sum(r["hours"] for r in records if 2011 <= r["year"] <= 2015)

    t = median_seconds(lambda: evaluate(policy, request), repeat=51, warmup=5)
    base = median_seconds(floor, repeat=51, warmup=5)
    return [
        Result(
            "rules: evaluate, 1,000 records (p50)",
            t * 1000,
            "ms",
            goal="≤ 2 ms",
            met=t * 1000 <= 2,
            baseline=base * 1000,
            note="baseline: a bare loop summing the same hours",
        )
    ]


if __name__ == "__main__":
    for r in run():
        ratio = f" (×{r.ratio:.1f} the baseline {r.baseline:.3f} {r.unit})" if r.ratio else ""
        print(f"{r.name}: {r.value:.3f} {r.unit}{ratio}")
