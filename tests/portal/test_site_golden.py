"""The fixture catalog's generated Markdown and text exports equal the committed golden files.

On an intended change: ``make golden``, review ``git diff tests/golden/expected``, commit.
"""

from __future__ import annotations

import pytest

from tests.golden.regenerate import EXPECTED, generate

GENERATED = generate()


def test_same_set_of_files() -> None:
    committed = sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())
    assert committed == list(GENERATED)


@pytest.mark.parametrize("path", list(GENERATED))
def test_file_matches_golden(path: str) -> None:
    expected = (EXPECTED / path).read_bytes()
    assert GENERATED[path].decode("utf-8") == expected.decode("utf-8"), (
        f"{path} differs from tests/golden/expected; run `make golden` if the change is intended")
    assert GENERATED[path] == expected  # line endings and BOM too

