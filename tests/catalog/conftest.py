"""Fixtures of the catalog suite: a small valid year file and helpers to break it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.validating import check_year_text

ROOT = Path(__file__).resolve().parents[2]

# A small valid year file. Cases replace one piece of it, so line numbers stay known:
# line 11 is `    hours: 16`, line 17 `    start: 2009-05-21`, line 20 the class courses.
BASE = """\
year: 2009
title: 测试目录
courses:
  - code: G-01
    title: 职业道德
    module: public
    hours: 8
  - code: E-01
    title: 数控技术
    module: elective
    hours: 16
    specialties: [mechanical]
    form: training
classes:
  - code: B-1
    name: 第一期
    start: 2009-05-21
    end: 2009-05-23
    location: 培训中心
    courses: [G-01, E-01]
"""

SOURCE = "catalog/2009.yaml"


def replaced(old: str, new: str, text: str = BASE) -> str:
    """BASE with exactly one occurrence of ``old`` replaced (a typo in a case fails loudly)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.fixture(scope="session")
def check(policy: dict[str, Any]) -> Callable[..., list[str]]:
    """Check a year file's text (or bytes) as catalog/2009.yaml: the formatted lines."""

    def run(data: str | bytes, source: str = SOURCE) -> list[str]:
        _, problems = check_year_text(data, policy, source=source)
        return [p.format() for p in problems]

    return run


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalog folder ``catalog/`` holding the bundled policy.yaml, cwd its parent."""
    directory = tmp_path / "catalog"
    directory.mkdir()
    shutil.copy(ROOT / "catalog" / "policy.yaml", directory / "policy.yaml")
    monkeypatch.chdir(tmp_path)
    return directory
