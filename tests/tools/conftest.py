"""Fixtures of the editor and reviewer tools' tests (audit, Excel, new year, YAML writer)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.catalog.model import Catalog
from generator.catalog.validating import load_catalog
from generator.cli import main

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


@dataclass
class Run:
    """What one ``ceportal`` run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def bundled() -> Catalog:
    """The bundled catalog (policy, 2009, 2010), loaded once."""
    catalog, _warnings = load_catalog(CATALOG)
    return catalog


@pytest.fixture
def ceportal(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``ceportal ARGS…`` in-process and capture its output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled catalog folder."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG, target)
    return target
