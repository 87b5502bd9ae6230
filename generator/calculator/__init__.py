"""The hours self-check page (``/calculator/``): the rules running in the browser.

:func:`files` is the whole public surface: the site plugin adds what it returns to
the site. Everything the page needs is produced here from the catalog model and
the vendored Pyodide runtime; nothing is fetched from anywhere else.
"""

from __future__ import annotations

from .page import CALCULATOR_DIR, files
from .runtime import RuntimeMissing
from .snapshot import SnapshotError
from .wheel import WheelError, build_rules_wheel

__all__ = [
    "CALCULATOR_DIR",
    "RuntimeMissing",
    "SnapshotError",
    "WheelError",
    "build_rules_wheel",
    "files",
]
