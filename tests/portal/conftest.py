"""Site fixtures: the golden fixture catalog's site, built once per session with a fixed
SOURCE_DATE_EPOCH (the bundled site, ``bundled_site``, is shared from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.model import Catalog
from generator.catalog.validating import load_catalog
from tests.portal.site_helpers import GOLDEN_CATALOG, ROOT, build


@pytest.fixture(scope="session", autouse=True)
def _fixed_epoch(fixed_epoch: None) -> None:
    """Every build of the site suite is reproducible (tests/conftest.py)."""


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    catalog, _ = load_catalog(ROOT / "catalog")
    return catalog


@pytest.fixture(scope="session")
def golden_catalog() -> Catalog:
    catalog, _ = load_catalog(GOLDEN_CATALOG)
    return catalog


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the golden fixture catalog, whose text is full of markup payloads."""
    return build(tmp_path_factory.mktemp("payload") / "site", GOLDEN_CATALOG)
