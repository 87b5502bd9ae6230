"""bench/synthetic.py: deterministic, valid catalogs in the contract format."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from generator.catalog.loading import MAX_BYTES
from generator.catalog.validating import load_catalog

from .conftest import ROOT


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_written_catalogs_pass_strict_check(synthetic: ModuleType, tmp_path: Path) -> None:
    files = synthetic.write_catalog(tmp_path, years=2, courses=60, classes=4)
    assert [f.name for f in files] == ["policy.yaml", "2009.yaml", "2010.yaml"]
    catalog, warnings = load_catalog(tmp_path, strict=True)
    assert warnings == []
    assert [(y.year, len(y.courses), len(y.classes)) for y in catalog.years] == [
        (2009, 60, 4),
        (2010, 60, 4),
    ]


def test_output_is_deterministic(synthetic: ModuleType, tmp_path: Path) -> None:
    a = synthetic.write_catalog(tmp_path / "a", years=1, courses=25, classes=2)
    b = synthetic.write_catalog(tmp_path / "b", years=1, courses=25, classes=2)
    assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b]
    c = synthetic.write_catalog(tmp_path / "c", years=1, courses=25, classes=2, seed=1)
    assert a[1].read_bytes() != c[1].read_bytes()


def test_the_benchmark_file_is_about_five_megabytes(synthetic: ModuleType) -> None:
    size = len(synthetic.year_text(2009, 10_000, 100).encode("utf-8"))
    assert 4_000_000 < size < MAX_BYTES


def test_command_line(
    synthetic: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert synthetic.main([str(tmp_path), "--years", "1", "--courses", "5", "--classes", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in out] == [
        str(tmp_path / "policy.yaml"),
        str(tmp_path / "2009.yaml"),
    ]
    assert load_catalog(tmp_path, strict=True)[0].years[0].classes[4].level == "county"
