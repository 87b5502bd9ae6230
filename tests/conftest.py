"""Fixtures shared by every suite. Each area keeps its own fixtures in its folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def policy() -> dict[str, Any]:
    """The bundled policy, as the rules take it."""
    return load_policy(CATALOG)
