"""Site fixtures: the bundled catalogs and the golden fixture catalog, each built once per
session with a fixed SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.site.site_helpers import EPOCH, GOLDEN_CATALOG, ROOT, build

from generator.model import Catalog
from generator.validating import load_catalog


@pytest.fixture(scope="session", autouse=True)
def _fixed_epoch() -> Iterator[None]:
    # Session-wide (monkeypatch is function-scoped): every build of the suite is reproducible.
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    yield
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    catalog, _ = load_catalog(ROOT / "catalog")
    return catalog


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the bundled catalogs."""
    return build(tmp_path_factory.mktemp("bundled") / "site", ROOT / "catalog")


@pytest.fixture(scope="session")
def golden_catalog() -> Catalog:
    catalog, _ = load_catalog(GOLDEN_CATALOG)
    return catalog


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the golden fixture catalog, whose text is full of markup payloads."""
    return build(tmp_path_factory.mktemp("payload") / "site", GOLDEN_CATALOG)
