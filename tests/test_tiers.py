"""The tiers (tests/tiers.py): what the fast tier's guard recognises as needing a marker, and
the markers the fixtures give."""

from __future__ import annotations

import sys

import pytest

from tests.tiers import FIXTURE_TIERS, TIERS, spawned_tier

PY = sys.executable
DRIVER = "/x/.venv/lib/python3.11/site-packages/playwright/driver/node"


@pytest.mark.parametrize(("argv", "tier"), [
    ([DRIVER, "/x/playwright/driver/package/cli.js", "run-driver"], "browser"),
    (["/usr/bin/chromium", "--headless"], "browser"),
    (["/usr/bin/node", "--input-type=module", "-"], "node"),
    (["node", "--test", "tests/portal/js/registration-status.test.js"], "node"),
    (["/usr/bin/soffice", "--headless", "--convert-to", "pdf"], "office"),
    (["pdftoppm", "-png", "a.pdf"], "office"),
    ([PY, "/x/pyproject_hooks/_in_process/_in_process.py", "build_wheel", "/tmp/y"], "build"),
    ([PY, "-m", "generator.cli", "serve", "-a", "127.0.0.1:8001"], "serve"),
    (["/x/.venv/bin/ceportal", "serve"], "serve"),
    ([PY, "-m", "generator.cli", "build", "--site-dir", "/tmp/s"], "build"),
    (["/x/.venv/bin/ceportal", "hours", "-"], "cli"),
    ([PY, "-m", "generator.cli", "audit", "a.csv"], "cli"),
    ([PY, "-c", "import os; print(os.getpid())"], None),
    (["git", "ls-files"], None),
    ([], None),
])
def test_what_the_guard_calls_for(argv: list[str], tier: str | None) -> None:
    assert spawned_tier(argv) == tier


def test_every_fixture_tier_is_a_tier() -> None:
    assert set(FIXTURE_TIERS.values()) <= set(TIERS)


def test_the_collected_tests_carry_their_fixtures_markers(request: pytest.FixtureRequest) -> None:
    unmarked = [
        (item.nodeid, fixture)
        for item in request.session.items
        for fixture in getattr(item, "fixturenames", ())
        if fixture in FIXTURE_TIERS and item.get_closest_marker(FIXTURE_TIERS[fixture]) is None
    ]
    assert unmarked == []
