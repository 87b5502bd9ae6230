"""`make bench` runs every module of bench/: each one imports (a module moved by a
restructure broke the benchmarks while every test passed)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__"))
def test_every_benchmark_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")
